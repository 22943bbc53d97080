"""Links in long lists: a URL pattern reversed once and filled in for each row."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

# What ``reverse`` leaves unquoted in a path.
_SAFE = RFC3986_SUBDELIMS + "/~:@"


class ReversedPattern:
    """``reverse(viewname, args=values)`` for every row of a list at the cost of one call.

    ``{% url %}`` and ``reverse`` resolve the pattern anew each time; in a loop over a few
    hundred rows that costs more than the rest of the page. This reverses once with
    ``placeholders`` (values the pattern accepts that appear nowhere else in its URL) and
    puts each row's values in their places, quoted as ``reverse`` quotes them.

    The values are not checked against the pattern's converters: give it what the
    database holds for the column the pattern takes (a number, a reference, a slug).
    """

    def __init__(self, viewname: str, *placeholders: object) -> None:
        rest = reverse(viewname, args=placeholders)
        self._parts: list[str] = []
        for placeholder in placeholders:
            before, found, rest = rest.partition(_quoted(placeholder))
            if not found:
                raise ValueError(f"{placeholder!r} is not in the URL of {viewname!r}")
            self._parts.append(before)
        self._parts.append(rest)

    def __call__(self, *values: object) -> str:
        if len(values) != len(self._parts) - 1:
            raise TypeError(f"expected {len(self._parts) - 1} values, got {len(values)}")
        pieces = [self._parts[0]]
        for value, part in zip(values, self._parts[1:], strict=True):
            pieces += [_quoted(value), part]
        return "".join(pieces)


def _quoted(value: object) -> str:
    return quote(str(value), safe=_SAFE)
