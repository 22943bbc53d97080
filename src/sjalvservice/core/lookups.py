"""``__in`` on integer columns that leaves out the numbers the column cannot hold.

Django's own exact and comparison lookups on integers already answer "no rows" for a number
beyond the column's range (``IntegerFieldOverflow``); ``__in`` does not, and the database
driver then fails on the number: SQLite with an OverflowError, PostgreSQL with "out of
range". A form's ``ModelMultipleChoiceField`` looks up every posted value with ``pk__in``,
so a check box whose value was edited to 99999999999999999999 broke the page instead of
being "not one of the choices".
"""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """A number outside the column's range matches no row, as with ``exact``."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
