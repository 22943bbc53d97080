import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from sjalvservice.accounts.models import User


def test_a_citizen_has_no_usable_password_and_a_normalised_number(db):
    citizen = User.objects.create_citizen("198101059825", given_name="Jenny", surname="Testersson")
    assert not citizen.has_usable_password()
    assert citizen.is_citizen
    assert str(citizen) == "Jenny Testersson"


def test_a_citizen_with_an_invalid_number_is_refused(db):
    with pytest.raises(ValidationError):
        User.objects.create_citizen("198101059826", given_name="Fel", surname="Siffra")


def test_a_user_needs_a_username_or_a_personal_identity_number(db):
    with pytest.raises(IntegrityError):
        User.objects.create()


def test_two_citizens_cannot_share_a_number(db):
    User.objects.create_citizen("198101059825", given_name="A", surname="B")
    with pytest.raises(ValidationError):
        User.objects.create_citizen("198101059825", given_name="C", surname="D")
