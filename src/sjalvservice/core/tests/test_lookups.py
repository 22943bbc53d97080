"""``__in`` on integer columns with numbers beyond what a column holds."""

import pytest
from django import forms

from sjalvservice.accounts.models import User

BEYOND = [2**63, 10**40, -(2**63) - 1]


def test_numbers_no_column_can_hold_match_nothing_and_the_rest_still_match(anna, bertil):
    assert list(User.objects.filter(pk__in=[anna.pk, *BEYOND])) == [anna]
    assert list(User.objects.filter(pk__in=BEYOND)) == []
    assert User.objects.exclude(pk__in=BEYOND).count() == 2


def test_a_posted_choice_beyond_any_id_is_not_one_of_the_choices(anna):
    field = forms.ModelMultipleChoiceField(queryset=User.objects.all())
    with pytest.raises(forms.ValidationError) as caught:
        field.clean([str(anna.pk), "9" * 40])
    assert caught.value.code == "invalid_choice"
