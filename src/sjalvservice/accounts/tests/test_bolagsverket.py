"""The Bolagsverket client against the simulator, over real HTTP."""

import logging
import socket
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from sjalvservice.accounts.bolagsverket import (
    BolagsverketClient,
    BolagsverketConfigurationError,
    BolagsverketError,
    BolagsverketUnavailable,
    CompanyRecord,
    get_client,
    is_configured,
    token_lifetime,
)
from sjalvservice.core.se_ids import InvalidIdentityNumber

BOATS = "8024775317"
COMPANY = "5593004285"
UNKNOWN = "5560000001"


@pytest.fixture
def companies(bolagsverket):
    """The client the portal's pages get, pointed at a clean simulator."""
    return get_client()


def another_client(settings):
    return BolagsverketClient(
        base_url=settings.BOLAGSVERKET_URL,
        token_url=settings.BOLAGSVERKET_TOKEN_URL,
        client_id=settings.BOLAGSVERKET_CLIENT_ID,
        client_secret=settings.BOLAGSVERKET_CLIENT_SECRET,
    )


def test_the_association_is_found_with_name_legal_form_and_address(companies):
    assert companies.lookup(BOATS) == CompanyRecord(
        organisation_number=BOATS,
        name="Lycksele Båtklubb",
        legal_form="Ideell förening",
        street="Strandvägen 8",
        postal_code="92132",
        city="Lycksele",
        active=True,
    )


@pytest.mark.parametrize("written", ["5593004285", "559300-4285", "165593004285", " 5593004285 "])
def test_the_company_is_found_however_its_number_is_written(companies, written):
    record = companies.lookup(written)
    assert record == CompanyRecord(
        organisation_number=COMPANY,
        name="Testbolaget i Lycksele AB",
        legal_form="Aktiebolag",
        street="Storgatan 12",
        postal_code="92131",
        city="Lycksele",
        active=True,
    )


def test_an_unknown_number_is_none(companies):
    assert companies.lookup(UNKNOWN) is None


def test_an_empty_list_is_none_too(companies, bolagsverket):
    bolagsverket.not_found("empty")
    assert companies.lookup(UNKNOWN) is None


@pytest.mark.parametrize(
    ("number", "code"),
    [("5593004286", "checksum"), ("198101059825", "format"), ("8101059825", "orgnr_third_digit")],
)
def test_a_number_that_is_no_organisation_number_is_refused_before_any_call(
    companies, bolagsverket, number, code
):
    with pytest.raises(InvalidIdentityNumber) as raised:
        companies.lookup(number)
    assert raised.value.code == code
    assert bolagsverket.stats()["requests"] == {"token": 0, "isalive": 0, "organisationer": 0}


def test_a_sparse_record_gives_empty_texts_and_an_inactive_organisation(companies, bolagsverket):
    bolagsverket.post(
        "organisations",
        {
            "organisationsidentitet": {"identitetsbeteckning": UNKNOWN},
            "organisationsnamn": {
                "organisationsnamnLista": [{"namn": " "}, {"namn": "Nedlagt AB"}]
            },
            "juridiskForm": {"kod": "AB"},
            "postadressOrganisation": {"postadress": {"postnummer": "921 33"}},
            "verksamOrganisation": {"kod": "Nej"},
        },
    )
    assert companies.lookup(UNKNOWN) == CompanyRecord(
        organisation_number=UNKNOWN,
        name="Nedlagt AB",
        legal_form="AB",
        street="",
        postal_code="92133",
        city="",
        active=False,
    )


def test_the_token_is_fetched_once_and_reused_until_it_expires(companies, bolagsverket):
    # Four seconds: kept for two (at least half the lifetime, as a minute before is sooner).
    bolagsverket.token_lifetime(4)
    for number in (BOATS, COMPANY, UNKNOWN):
        companies.lookup(number)
    assert bolagsverket.tokens_issued() == 1
    time.sleep(2.1)
    assert companies.lookup(COMPANY) is not None
    assert companies.lookup(BOATS) is not None
    assert bolagsverket.stats() == {
        "requests": {"token": 2, "isalive": 0, "organisationer": 5},
        "tokensIssued": 2,
    }


def test_a_token_of_one_second_is_not_kept(companies, bolagsverket):
    bolagsverket.token_lifetime(1)
    companies.lookup(COMPANY)
    companies.lookup(COMPANY)
    assert bolagsverket.tokens_issued() == 2


def test_clients_share_the_token_through_the_cache(companies, bolagsverket, settings):
    companies.lookup(COMPANY)
    other = another_client(settings)
    try:
        other.lookup(BOATS)
    finally:
        other.close()
    assert bolagsverket.tokens_issued() == 1


def test_a_token_the_api_no_longer_accepts_is_replaced_once(companies, bolagsverket):
    companies.lookup(COMPANY)
    # Past the simulator's expiry, but not past the client's cache lifetime (a minute earlier).
    bolagsverket.advance(3600)
    assert companies.lookup(BOATS).name == "Lycksele Båtklubb"
    assert bolagsverket.stats() == {
        "requests": {"token": 2, "isalive": 0, "organisationer": 3},
        "tokensIssued": 2,
    }


def test_a_fresh_token_refused_too_is_a_configuration_error(companies, bolagsverket):
    bolagsverket.fail_next(401, count=2, endpoint="organisationer")
    with pytest.raises(BolagsverketConfigurationError) as raised:
        companies.lookup(COMPANY)
    assert raised.value.status == 401
    assert bolagsverket.tokens_issued() == 2


def test_a_token_without_the_scope_is_a_configuration_error(companies, bolagsverket):
    bolagsverket.fail_next(403, endpoint="organisationer")
    with pytest.raises(BolagsverketConfigurationError):
        companies.lookup(COMPANY)


@pytest.mark.parametrize("secret", ["wrong-secret", "x"])
def test_a_wrong_secret_is_a_configuration_error(bolagsverket, settings, secret):
    settings.BOLAGSVERKET_CLIENT_SECRET = secret
    with pytest.raises(BolagsverketConfigurationError) as raised:
        get_client().lookup(COMPANY)
    assert raised.value.status == 401
    assert "invalid_client" in str(raised.value)
    assert bolagsverket.stats()["requests"]["organisationer"] == 0


def test_a_wrong_client_id_is_a_configuration_error(bolagsverket, settings):
    settings.BOLAGSVERKET_CLIENT_ID = "someone-else"
    with pytest.raises(BolagsverketConfigurationError):
        get_client().lookup(COMPANY)


@pytest.mark.parametrize(("status", "retry_after"), [(503, 1), (429, 1), (500, None), (502, None)])
def test_a_server_error_or_rate_limiting_is_unavailable(
    companies, bolagsverket, status, retry_after
):
    bolagsverket.fail_next(status, endpoint="organisationer")
    with pytest.raises(BolagsverketUnavailable) as raised:
        companies.lookup(COMPANY)
    assert raised.value.status == status
    assert raised.value.retry_after == retry_after
    # The next call is answered again: nothing is stuck.
    assert companies.lookup(COMPANY) is not None


def test_the_token_endpoint_being_down_is_unavailable(companies, bolagsverket):
    bolagsverket.fail_next(503, endpoint="token")
    with pytest.raises(BolagsverketUnavailable) as raised:
        companies.lookup(COMPANY)
    assert raised.value.status == 503
    assert bolagsverket.stats()["requests"]["organisationer"] == 0


@pytest.mark.parametrize("endpoint", ["organisationer", "token"])
def test_an_answer_slower_than_the_timeout_is_unavailable(bolagsverket, settings, endpoint):
    settings.BOLAGSVERKET_TIMEOUT = 1
    bolagsverket.delay(3, endpoint=endpoint)
    started = time.monotonic()
    with pytest.raises(BolagsverketUnavailable) as raised:
        get_client().lookup(COMPANY)
    assert time.monotonic() - started < 2.5
    assert "no answer in time" in str(raised.value)
    # Nothing of httpx's exception (its request carries the credentials) is chained.
    assert raised.value.__cause__ is None
    assert raised.value.__suppress_context__


def test_no_connection_is_unavailable(bolagsverket, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.BOLAGSVERKET_TOKEN_URL = f"http://127.0.0.1:{closed_port}/oauth2/token"
    with pytest.raises(BolagsverketUnavailable) as raised:
        get_client().lookup(COMPANY)
    assert raised.value.status is None


def test_another_refusal_is_a_plain_bolagsverket_error(companies, bolagsverket):
    bolagsverket.fail_next(400, endpoint="organisationer")
    with pytest.raises(BolagsverketError) as raised:
        companies.lookup(COMPANY)
    assert type(raised.value) is BolagsverketError
    assert raised.value.status == 400


def test_neither_the_secret_nor_a_token_is_ever_logged(bolagsverket, settings, caplog):
    for name in (None, "httpx", "httpcore", "sjalvservice"):
        caplog.set_level(logging.DEBUG, logger=name)
    secret = settings.BOLAGSVERKET_CLIENT_SECRET
    raised = []
    get_client().lookup(COMPANY)
    bolagsverket.advance(3600)  # the cached token is refused and replaced
    get_client().lookup(BOATS)
    for status, count in ((503, 1), (401, 2), (403, 1)):
        bolagsverket.fail_next(status, count=count, endpoint="organisationer")
        with pytest.raises(BolagsverketError) as error:
            get_client().lookup(COMPANY)
        raised.append(error.value)
    settings.BOLAGSVERKET_TIMEOUT = 1
    bolagsverket.delay(2)
    with pytest.raises(BolagsverketUnavailable) as error:
        get_client().lookup(COMPANY)
    raised.append(error.value)
    settings.BOLAGSVERKET_CLIENT_SECRET = "a-wrong-secret"
    cache.clear()
    with pytest.raises(BolagsverketConfigurationError) as error:
        get_client().lookup(COMPANY)
    raised.append(error.value)

    tokens = bolagsverket.simulator.tokens.issued()
    assert len(tokens) == 3  # the first, its replacement, and the one after the 401
    assert caplog.records, "the client logs what happens"
    logged = [caplog.text, *(record.getMessage() for record in caplog.records)]
    logged += [repr(record.args) for record in caplog.records]
    for text in logged + [str(error) for error in raised]:
        for sensitive in (secret, "a-wrong-secret", *tokens):
            assert sensitive not in text


def test_the_token_cache_key_names_no_secret(companies, settings):
    companies.lookup(COMPANY)
    key = companies.token_cache_key
    assert settings.BOLAGSVERKET_CLIENT_SECRET not in key
    assert settings.BOLAGSVERKET_CLIENT_ID not in key
    assert cache.get(key) is not None


def test_the_repr_names_no_secret(companies, settings):
    assert settings.BOLAGSVERKET_CLIENT_SECRET not in repr(companies)


@pytest.mark.parametrize(
    ("expires_in", "kept"), [(3600, 3540), (300, 240), (120, 60), (100, 50), (2, 1), (1, 0)]
)
def test_a_token_is_kept_until_a_minute_before_it_expires_or_half_its_life(expires_in, kept):
    assert token_lifetime(expires_in) == kept


def test_the_lookup_is_off_unless_configured(settings):
    settings.BOLAGSVERKET_URL = None
    settings.BOLAGSVERKET_TOKEN_URL = None
    settings.BOLAGSVERKET_CLIENT_ID = None
    settings.BOLAGSVERKET_CLIENT_SECRET = None
    assert not is_configured()
    with pytest.raises(ImproperlyConfigured, match="lookup is off"):
        get_client()


def test_the_lookup_is_on_with_the_simulators_settings(bolagsverket):
    assert is_configured()
    assert get_client() is get_client()
