"""Fixtures shared by every app's tests: a small named cast built with plain ORM calls."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the tests still talk
# to the database synchronously, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["sjalvservice.cases.tests.fixtures", "sjalvservice.reservations.tests.fixtures"]


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
def editor(cecilia):
    """Cecilia as a redaktör: she edits her municipality's e-services and handles no cases."""
    cecilia.is_editor = True
    cecilia.save(update_fields=["is_editor"])
    return cecilia


@pytest.fixture
def david(lycksele):
    """A handler in another municipality."""
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "david", "a-long-test-password", first_name="David", last_name="Lind",
        is_staff=True, municipality=lycksele,
    )  # fmt: skip


@pytest.fixture
def karin(skelleftea):
    """The municipality administrator of Skellefteå."""
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "karin", "a-long-test-password", first_name="Karin", last_name="Administratör",
        is_staff=True, is_municipality_admin=True, municipality=skelleftea,
    )  # fmt: skip


@pytest.fixture
def staff_login():
    """Log a member of staff in on a test client, second factor (TOTP) included."""

    def log_in(client, user):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return log_in


@pytest.fixture
def julia(skelleftea, suggestion):
    """A handler in Skellefteå with Medborgarförslag assigned to her."""
    from sjalvservice.accounts.models import User
    from sjalvservice.backoffice.models import Assignment

    user = User.objects.create_user(
        "julia", "a-long-test-password", first_name="Julia", last_name="Landsell",
        is_staff=True, municipality=skelleftea,
    )  # fmt: skip
    Assignment.objects.create(handler=user, eservice=suggestion)
    return user


@pytest.fixture(scope="session")
def bankid_simulator(tmp_path_factory):
    """The BankID simulator on loopback: mutual TLS API plus test app and control API."""
    from sjalvservice.simulators.bankid.server import Simulator

    with Simulator(tmp_path_factory.mktemp("bankid"), quiet=True) as simulator:
        yield simulator


class BankIdControl:
    """Drives the simulator's control API over real HTTP, as a test person's app would."""

    def __init__(self, simulator):
        import httpx

        self.simulator = simulator
        self.http = httpx.Client(base_url=simulator.app_url, timeout=10)

    def post(self, path, payload=None):
        response = self.http.post(f"/_control/{path}", json=payload or {})
        response.raise_for_status()
        return response.json() if response.content else None

    def order(self, order_ref):
        """The order's state, with the fields the portal sent at the top level."""
        response = self.http.get(f"/_control/orders/{order_ref}")
        response.raise_for_status()
        data = response.json()
        return {**data, **data["request"]}

    def qr(self, order_ref):
        response = self.http.get(f"/_control/qr/{order_ref}")
        response.raise_for_status()
        return response.json()["qrContent"]

    def set_hint(self, order_ref, hint_code):
        return self.post(f"orders/{order_ref}/hint", {"hintCode": hint_code})

    def fail(self, order_ref, hint_code):
        return self.post(f"orders/{order_ref}/fail", {"hintCode": hint_code})

    def complete(self, order_ref, personal_number, given_name, surname):
        return self.post(
            f"orders/{order_ref}/complete",
            {"personalNumber": personal_number, "givenName": given_name, "surname": surname},
        )

    def fail_next(self, error_code, count=1, endpoint=None):
        return self.post(
            "fail-next", {"errorCode": error_code, "count": count, "endpoint": endpoint}
        )

    def advance(self, seconds):
        return self.post("clock", {"advance": seconds})


@pytest.fixture
def bankid(bankid_simulator, settings):
    """A clean simulator with the portal's settings pointing at it."""
    control = BankIdControl(bankid_simulator)
    control.post("reset")
    paths = bankid_simulator.certificates
    settings.BANKID_URL = bankid_simulator.api_url
    settings.BANKID_CA_CERT = str(paths.ca)
    settings.BANKID_CLIENT_CERT = str(paths.client_cert)
    settings.BANKID_CLIENT_KEY = str(paths.client_key)
    settings.BANKID_TEST_APP_URL = bankid_simulator.app_url
    settings.LOGIN_METHODS = ["bankid"]
    yield control
    control.http.close()


@pytest.fixture(scope="session")
def idp_simulator(tmp_path_factory, bankid_simulator):
    """Region Västerbotten's IdP on loopback, a relying party of the BankID simulator."""
    from sjalvservice.simulators.saml_idp import BankIdConnection, Simulator

    paths = bankid_simulator.certificates
    connection = BankIdConnection(
        api_url=bankid_simulator.api_url,
        ca_cert=paths.ca,
        client_cert=paths.client_cert,
        client_key=paths.client_key,
        app_url=bankid_simulator.app_url,
    )
    with Simulator(tmp_path_factory.mktemp("idp"), bankid=connection, quiet=True) as simulator:
        yield simulator


class RegionControl:
    """Drives the regional IdP over real HTTP: its control API, and a person's browser at
    its login pages (the portal's side goes through the Django test client)."""

    def __init__(self, simulator, bankid, settings):
        import httpx

        self.simulator = simulator
        self.bankid = bankid
        self.settings = settings
        self.http = httpx.Client(base_url=simulator.url, timeout=10)

    def post(self, path, payload=None):
        response = self.http.post(f"/_control/{path}", json=payload or {})
        response.raise_for_status()
        return response.json() if response.content else None

    def fault(self, name, count=1):
        return self.post("faults", {"fault": name, "count": count})

    def last_response(self):
        response = self.http.get("/_control/last-response")
        response.raise_for_status()
        return response.json()

    def serve_portal_at(self, url):
        """The portal runs at ``url`` (a live server): the IdP gets its metadata anew."""
        self.settings.SITE_URL = url
        self.settings.SAML_SP_ENTITY_ID = f"{url}/saml/metadata/"
        self.push_sp_metadata()

    def push_sp_metadata(self):
        from sjalvservice.eid.saml.config import sp_metadata

        response = self.http.post("/_control/sp-metadata", content=sp_metadata().encode())
        response.raise_for_status()

    def answer(
        self, location, choice="mobilt-bankid", person=("198101059825", "Jenny", "Testersson")
    ):
        """Follow the portal's redirect to the IdP, choose, identify with BankID and return
        the form the IdP's page posts to the portal: (action, {SAMLResponse, RelayState})."""
        page = self.http.get(location)
        assert page.status_code == 200, page.text
        key = _hidden_value(page.text, "key")
        chosen = self.http.post("/login", data={"key": key, "val": choice})
        if choice != "avbryt":
            assert chosen.status_code in (302, 303), chosen.text
            (login,) = [entry for entry in self.post_get("logins")["logins"] if entry["key"] == key]
            self.bankid.complete(login["orderRef"], *person)
            chosen = self.http.get(f"/wait/{key}")
        return _posted_form(chosen.text)

    def post_get(self, path):
        response = self.http.get(f"/_control/{path}")
        response.raise_for_status()
        return response.json()


def _hidden_value(html, name):
    import re

    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden field {name}"
    return match.group(1)


def _posted_form(html):
    import html as markup
    import re

    action = re.search(
        r'<form[^>]*action="([^"]+)"[^>]*method="post"|<form[^>]*method="post"[^>]*action="([^"]+)"',
        html,
    )
    assert action, html
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return markup.unescape(action.group(1) or action.group(2)), {
        name: markup.unescape(value) for name, value in fields.items()
    }


@pytest.fixture
def region(idp_simulator, bankid, settings):
    """A clean regional IdP, the portal's settings pointing at it and it knowing the portal."""
    from sjalvservice.eid.saml.config import forget_metadata

    control = RegionControl(idp_simulator, bankid, settings)
    control.post("reset")
    settings.SAML_IDP_METADATA = idp_simulator.metadata_url
    settings.SAML_IDP_METADATA_CERT = str(idp_simulator.metadata_signing_cert)
    settings.LOGIN_METHODS = ["federation", "bankid"]
    forget_metadata()
    control.push_sp_metadata()
    yield control
    forget_metadata()
    control.http.close()


@pytest.fixture(scope="session")
def bolagsverket_simulator():
    """The Bolagsverket simulator on loopback: token endpoint, API and control API."""
    from sjalvservice.simulators.bolagsverket.server import Simulator

    with Simulator(quiet=True) as simulator:
        yield simulator


class BolagsverketControl:
    """Drives the Bolagsverket simulator's control API over real HTTP."""

    def __init__(self, simulator):
        import httpx

        self.simulator = simulator
        self.http = httpx.Client(base_url=simulator.base_url, timeout=10)

    def post(self, path, payload=None):
        response = self.http.post(f"/_control/{path}", json=payload or {})
        response.raise_for_status()
        return response.json()

    def stats(self):
        response = self.http.get("/_control/stats")
        response.raise_for_status()
        return response.json()

    def tokens_issued(self):
        return self.stats()["tokensIssued"]

    def fail_next(self, status, count=1, endpoint=None):
        return self.post("fail-next", {"status": status, "count": count, "endpoint": endpoint})

    def delay(self, seconds, count=1, endpoint=None):
        return self.post("delay", {"seconds": seconds, "count": count, "endpoint": endpoint})

    def token_lifetime(self, seconds):
        return self.post("token-lifetime", {"expiresIn": seconds})

    def advance(self, seconds):
        return self.post("clock", {"advance": seconds})

    def not_found(self, answer):
        return self.post("not-found", {"answer": answer})


@pytest.fixture
def bolagsverket(bolagsverket_simulator, settings):
    """A clean Bolagsverket simulator with the portal's settings pointing at it."""
    control = BolagsverketControl(bolagsverket_simulator)
    control.post("reset")
    settings.BOLAGSVERKET_URL = bolagsverket_simulator.api_url
    settings.BOLAGSVERKET_TOKEN_URL = bolagsverket_simulator.token_url
    settings.BOLAGSVERKET_CLIENT_ID = bolagsverket_simulator.client_id
    settings.BOLAGSVERKET_CLIENT_SECRET = bolagsverket_simulator.client_secret
    yield control
    control.http.close()


@pytest.fixture(autouse=True)
def _rows_the_migrations_seed(request):
    """A transactional test empties every table when it ends, the rows the migrations
    seed included (the shared statuses, the case number sequence): put them back first."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if not transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from sjalvservice.cases.models import CaseNumberSequence, Status
    from sjalvservice.eservices.definitions import DEFAULT_STATUSES

    for position, spec in enumerate(DEFAULT_STATUSES):
        Status.objects.get_or_create(
            municipality=None,
            name=spec.name,
            defaults={"kind": spec.kind, "is_default": True, "position": position},
        )
    CaseNumberSequence.objects.get_or_create(pk=1)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits count per test)."""
    from django.core.cache import cache

    cache.clear()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run.

    Browser tests never skip: without Chromium the run fails and says how to get it.
    """
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: "
            "run `make test` (it installs it as root) or `apt-get install chromium`."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
