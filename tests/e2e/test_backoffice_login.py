"""The staff login and municipality administration in a browser: password, TOTP, axe-core."""

import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
WIDTHS = [1280, 320]


def current_code(device, steps_ahead=0):
    """What the person's authenticator app shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def karin(skelleftea):
    """The municipality administrator of Skellefteå."""
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "karin", PASSWORD, first_name="Karin", last_name="Administratör",
        is_staff=True, is_municipality_admin=True, municipality=skelleftea,
    )  # fmt: skip


@pytest.fixture
def karins_app(karin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=karin, name="Mobil", confirmed=True)


def check(page: Page, axe, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    assert_page_basics(page)
    assert_accessible(axe, page)


def give_password(page: Page, live_server, username="karin", password=PASSWORD) -> None:
    page.goto(live_server.url + "/handlaggare/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Fortsätt").click()


@pytest.mark.parametrize("width", WIDTHS)
def test_first_login_enrols_the_app_then_lands_in_the_back_office(
    page: Page, live_server, axe, karin, width
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/handlaggare/logga-in/")
    expect(page.locator("h1")).to_have_text("Logga in som handläggare")
    check(page, axe, width)
    # Wrong password: the error summary, linked to the field.
    give_password(page, live_server, password="fel-losenord-123")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Fel användarnamn eller lösenord")
    expect(summary).to_be_focused()
    check(page, axe, width)

    give_password(page, live_server)
    expect(page.locator("h1")).to_have_text("Aktivera tvåstegsverifiering")
    qr = page.get_by_role("img", name="QR-kod att skanna med autentiseringsappen")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= 150
    page.get_by_text("Jag kan inte skanna QR-koden").click()
    secret = page.locator(".sjs-secret").inner_text()
    device = TOTPDevice.objects.get(user=karin)
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    check(page, axe, width)

    wrong = "000000" if current_code(device) != "000000" else "111111"
    page.get_by_label("Engångskod").fill(wrong)
    page.get_by_role("button", name="Aktivera och logga in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Koden stämmer inte")
    check(page, axe, width)

    time.sleep(1.1)  # the app's back-off after a wrong code
    page.get_by_label("Engångskod").fill(current_code(device))
    page.get_by_role("button", name="Aktivera och logga in").click()
    expect(page).to_have_url(re.compile(r"/handlaggare/$"))
    page.goto(live_server.url + "/handlaggare/administrera/")
    expect(page.locator("h1")).to_have_text("Administrera")
    check(page, axe, width)


def test_the_login_can_be_completed_with_the_keyboard_alone(
    page: Page, live_server, karin, karins_app
):
    page.goto(live_server.url + "/handlaggare/logga-in/?next=/handlaggare/administrera/")

    def tab_to(element_id: str) -> None:
        for _press in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                return
        pytest.fail(f"Tab never reached #{element_id}")

    tab_to("id_username")
    page.keyboard.type("karin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Skriv engångskoden")
    tab_to("id_code")
    page.keyboard.type(current_code(karins_app))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Administrera")
    assert page.url == live_server.url + "/handlaggare/administrera/"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_code_page_and_the_lockout_page_are_accessible(
    page: Page, live_server, axe, karin, karins_app, width
):
    page.set_viewport_size({"width": width, "height": 900})
    give_password(page, live_server)
    expect(page.locator("h1")).to_have_text("Skriv engångskoden")
    field = page.get_by_label("Engångskod")
    assert field.get_attribute("inputmode") == "numeric"
    assert field.get_attribute("autocomplete") == "one-time-code"
    check(page, axe, width)
    field.fill("12a")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("sex siffror")
    check(page, axe, width)

    for _attempt in range(5):
        give_password(page, live_server, password="fel-losenord-123")
    expect(page.locator("h1")).to_have_text("Inloggningen är spärrad en stund")
    expect(page.locator("main")).to_contain_text("30 minuter")
    check(page, axe, width)


@pytest.fixture
def municipality_with_staff(karin, skelleftea, lycksele, suggestion, cecilia):
    """Skellefteå with a handler group, a handler with an app and a logged access."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sjalvservice.backoffice.models import Assignment, HandlerGroup
    from sjalvservice.core.models import AccessLog

    TOTPDevice.objects.create(user=karin, name="Mobil", confirmed=True)
    TOTPDevice.objects.create(user=cecilia, name="Mobil", confirmed=True)
    group = HandlerGroup.objects.create(municipality=skelleftea, name="Kommunledningskontoret")
    group.members.add(cecilia)
    group.eservices.add(suggestion)
    Assignment.objects.create(handler=cecilia, eservice=suggestion)
    for number in (1001, 1002):
        AccessLog.objects.create(
            user_name="Cecilia Handläggare", action=AccessLog.Action.CASE,
            municipality=skelleftea, case_number=number, ip_address="192.0.2.10",
        )  # fmt: skip
    return group


@pytest.mark.parametrize("width", WIDTHS)
def test_every_management_page_is_accessible(
    page: Page, live_server, axe, karin, cecilia, municipality_with_staff, width
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/handlaggare/logga-in/?next=/handlaggare/administrera/")
    page.get_by_label("Användarnamn").fill("karin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Engångskod").fill(current_code(TOTPDevice.objects.get(user=karin)))
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator("h1")).to_have_text("Administrera")
    check(page, axe, width)

    nav = page.get_by_role("navigation", name="Administrera")
    nav.get_by_role("link", name="Handläggare").click()
    expect(page.locator("h1")).to_have_text("Handläggare")
    check(page, axe, width)

    page.get_by_role("link", name="Lägg till handläggare").click()
    page.get_by_label("Användarnamn").fill("nils")
    page.get_by_label("Första lösenord").fill("kort")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, axe, width)
    page.get_by_label("Förnamn").fill("Nils")
    page.get_by_label("Efternamn").fill("Nilsson")
    page.get_by_label("E-postadress").fill("nils@skelleftea.example")
    page.get_by_label("Första lösenord").fill("Granskog-Vinter-2025")
    page.get_by_role("button", name="Lägg till").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Nils Nilsson är tillagd")
    expect(page.locator("h1")).to_have_text("Nils Nilsson")
    page.get_by_label("Medborgarförslag").check()
    page.get_by_role("button", name="Spara e-tjänster och grupper").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sparade")
    expect(page.get_by_label("Medborgarförslag")).to_be_checked()
    check(page, axe, width)

    page.goto(live_server.url + f"/handlaggare/administrera/handlaggare/{cecilia.pk}/")
    expect(page.get_by_role("button", name="Återställ tvåstegsverifiering")).to_be_visible()
    check(page, axe, width)

    nav.get_by_role("link", name="Handläggargrupper").click()
    expect(page.locator("h1")).to_have_text("Handläggargrupper")
    check(page, axe, width)
    page.get_by_role("link", name="Skapa grupp").click()
    page.get_by_role("button", name="Skapa grupp").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Skriv gruppens namn")
    check(page, axe, width)
    page.get_by_role("link", name="Skriv gruppens namn").click()
    expect(page.get_by_label("Namn")).to_be_focused()
    page.keyboard.type("Bygg och miljö")
    page.get_by_role("button", name="Skapa grupp").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Bygg och miljö")

    nav.get_by_role("link", name="E-tjänster").click()
    expect(page.locator("h1")).to_have_text("E-tjänster")
    check(page, axe, width)
    page.get_by_role("link", name="Publicera ny version av Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Publicera ny version")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning")).to_be_visible()
    check(page, axe, width)
    page.get_by_label("Definition (YAML eller JSON)").fill("steps: []")
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page, axe, width)

    nav.get_by_role("link", name="E-tjänster").click()
    page.get_by_role("link", name="Svarsmallar för Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Svarsmallar")
    page.get_by_role("button", name="Spara svarsmallen").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Skriv en rubrik")
    check(page, axe, width)
    page.get_by_label("Rubrik").fill("Mottaget")
    page.get_by_label("Text").fill("Vi har tagit emot ditt förslag.")
    page.get_by_role("button", name="Spara svarsmallen").click()
    page.get_by_role("link", name="Mottaget").click()
    expect(page.locator("h1")).to_have_text("Mottaget")
    check(page, axe, width)

    nav.get_by_role("link", name="Åtkomstlogg").click()
    expect(page.locator("h1")).to_have_text("Åtkomstlogg")
    expect(page.locator("tbody tr")).to_have_count(2)
    check(page, axe, width)
    page.get_by_label("Ärendenummer").fill("1002")
    page.get_by_role("button", name="Visa").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    check(page, axe, width)
