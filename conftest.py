"""Fixtures shared by every app's tests: a small named cast built with plain ORM calls."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the tests still talk
# to the database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def skelleftea(db):
    from sjalvservice.core.models import Municipality

    return Municipality.objects.create(
        name="Skellefteå kommun", slug="skelleftea", organisation_number="2120002742",
        contact_email="kommun@skelleftea.example",
    )  # fmt: skip


@pytest.fixture
def lycksele(db):
    from sjalvservice.core.models import Municipality

    return Municipality.objects.create(
        name="Lycksele kommun", slug="lycksele", organisation_number="2120002460",
        contact_email="kommun@lycksele.example",
    )  # fmt: skip


@pytest.fixture
def anna(db):
    """A citizen of Skellefteå with a test personal identity number."""
    from sjalvservice.accounts.models import User

    return User.objects.create_citizen("198101059825", given_name="Anna", surname="Testersson")


@pytest.fixture
def bertil(db):
    """A second citizen, who must never see Anna's data."""
    from sjalvservice.accounts.models import User

    return User.objects.create_citizen("197504129912", given_name="Bertil", surname="Provsson")


@pytest.fixture
def cecilia(skelleftea):
    """A handler in Anna's municipality."""
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "cecilia", "a-long-test-password", first_name="Cecilia", last_name="Handläggare",
        is_staff=True, municipality=skelleftea,
    )  # fmt: skip


@pytest.fixture
def david(lycksele):
    """A handler in another municipality."""
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "david", "a-long-test-password", first_name="David", last_name="Lind",
        is_staff=True, municipality=lycksele,
    )  # fmt: skip
