import pytest
from django.urls import reverse

from sjalvservice.eid import providers
from sjalvservice.eid.providers import LoginProvider


@pytest.fixture
def test_provider(settings):
    """A registered login method; its start URL is an existing page so the link is real."""
    provider = LoginProvider(
        key="test-eid",
        label="Logga in med test-e-legitimation",
        description="Endast för test.",
        url_name="eservices:home",
    )
    providers.register(provider)
    settings.LOGIN_METHODS = ["test-eid"]
    yield provider
    providers._registry.pop("test-eid")


def test_it_says_so_when_no_login_method_is_switched_on(client, db, settings):
    settings.LOGIN_METHODS = []
    response = client.get(reverse("eid:login"))
    assert response.status_code == 200
    assert "Inloggning med e-legitimation är inte påslagen" in response.content.decode()


def test_it_offers_each_enabled_method_and_carries_next_along(client, db, test_provider):
    response = client.get(reverse("eid:login") + "?next=/mina-sidor/")
    html = response.content.decode()
    assert "Logga in med test-e-legitimation" in html
    assert 'href="/?next=/mina-sidor/"' in html


def test_it_drops_a_next_that_leads_off_site(client, db, test_provider):
    html = client.get(reverse("eid:login") + "?next=https://evil.example/").content.decode()
    assert 'href="/">Logga in med test-e-legitimation</a>' in html


def test_it_rejects_post(client, db):
    assert client.post(reverse("eid:login")).status_code == 405


def test_a_login_method_that_is_not_installed_fails_the_system_check(settings):
    from sjalvservice.eid.checks import check_login_methods

    settings.LOGIN_METHODS = ["no-such-method"]
    errors = check_login_methods(None)
    assert [error.id for error in errors] == ["eid.E001"]
