"""A redaktör builds an e-service in the form builder by keyboard, test-runs it, publishes
it, and a resident fills it in and finds it on Mina sidor."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics
from tests.e2e.test_every_page import PDF, log_in_as_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def activate(page: Page, target: Locator) -> None:
    """A link or button, reached and pressed by keyboard."""
    target.focus()
    page.keyboard.press("Enter")


def type_in(page: Page, target: Locator, text: str) -> None:
    target.focus()
    page.keyboard.type(text)


def tick(page: Page, target: Locator) -> None:
    """A radio button or check box, chosen by keyboard."""
    target.focus()
    page.keyboard.press("Space")


def checked(axe, page: Page) -> None:
    """The page is sound at a phone's width and at a desktop's."""
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_page_basics(page)
        assert_accessible(axe, page)


def add_field(page: Page, step: str, kind: str, label: str, choices: str = "") -> None:
    activate(page, page.get_by_role("link", name=f"Lägg till fält i steget {step}"))
    tick(page, page.get_by_label(kind, exact=True))
    type_in(page, page.get_by_label("Fråga eller rubrik"), label)
    if choices:
        type_in(page, page.get_by_label("Svarsalternativ (för val)"), choices)
    activate(page, page.get_by_role("button", name="Lägg till fältet"))
    expect(page.locator("h1")).to_have_text(label)
    activate(page, page.get_by_role("link", name="Tillbaka till formuläret"))


def choose(page: Page, select: Locator, value: str) -> None:
    """An option of a select list, by its arrow keys."""
    select.focus()
    for _ in range(len(select.locator("option").all())):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    assert select.input_value() == value


def fill_contact(page: Page) -> None:
    for label, value in [("Förnamn", "Anna"), ("Efternamn", "Testersson"),
                         ("Adress", "Storgatan 1"), ("Postnummer", "931 30"),
                         ("Ort", "Skellefteå"), ("E-postadress", "anna@example.se")]:  # fmt: skip
        page.get_by_label(label, exact=True).fill(value)


def test_a_redaktor_builds_tests_and_publishes_and_a_resident_sends_it_in(
    page: Page, browser: Browser, live_server, axe, log_in, staff_login, editor, anna,
    category, tmp_path,
):  # fmt: skip
    staff = browser.new_context(locale="sv-SE")
    screen = staff.new_page()
    log_in_as_staff(staff, live_server.url, editor, staff_login)

    # A new e-service, its details first.
    screen.goto(live_server.url + "/handlaggare/administrera/e-tjanster/")
    activate(screen, screen.get_by_role("link", name="Ny e-tjänst"))
    type_in(screen, screen.get_by_label("Namn", exact=True), "Anmälan om evenemang")
    type_in(screen, screen.get_by_label("Kortnamn i adressen"), "anmalan-om-evenemang")
    choose(screen, screen.get_by_label("Kategori"), str(category.pk))
    activate(screen, screen.get_by_role("button", name="Skapa e-tjänsten"))
    activate(screen, screen.get_by_role("link", name="Bygg formuläret"))
    expect(screen.locator("h1")).to_have_text("Bygg formuläret")

    # Three steps.
    for title in ("Om dig", "Evenemanget", "Bilagor"):
        activate(screen, screen.get_by_role("link", name="Lägg till steg"))
        type_in(screen, screen.get_by_label("Stegets rubrik"), title)
        activate(screen, screen.get_by_role("button", name="Lägg till steget"))
        expect(screen.locator("h1")).to_have_text(f"Lägg till fält i steget {title}")
        activate(screen, screen.get_by_role("link", name="Tillbaka till formuläret"))
    # A new step without fields is shown as a problem where it is, and cannot be published.
    expect(screen.locator("#step-om_dig .govuk-error-message")).to_be_visible()
    expect(screen.get_by_role("button", name="Publicera")).to_have_count(0)
    checked(axe, screen)

    add_field(screen, "Om dig", "Kontaktuppgifter (den inloggades)", "Kontaktuppgifter")
    add_field(screen, "Evenemanget", "Ett val av flera", "Var hålls evenemanget?",
              "Inomhus | Indoors\nUtomhus | Outdoors")  # fmt: skip
    add_field(screen, "Evenemanget", "Kort text", "Vilken plats?")
    add_field(screen, "Bilagor", "Filer", "Karta över platsen")

    # The place is asked for an event outdoors only, and must then be given.
    activate(screen, screen.get_by_role("link", name="Ändra Vilken plats?"))
    tick(screen, screen.get_by_label("Den sökande måste svara"))
    choose(screen, screen.get_by_label("Visa bara om fältet"), "var_halls_evenemanget")
    type_in(screen, screen.locator("#id_condition_value"), "utomhus")
    checked(axe, screen)
    preview = screen.frame_locator("iframe[title='Förhandsvisning av steget, English']")
    expect(preview.get_by_text("Outdoors")).to_be_visible()
    # The preview follows what is typed, before it is saved.
    type_in(screen, screen.get_by_label("Frågan på engelska"), "Which place?")
    expect(preview.get_by_text("Which place?")).to_be_visible()
    activate(screen, screen.get_by_role("button", name="Spara fältet"))
    expect(screen.get_by_text("Fältet är sparat.")).to_be_visible()
    activate(screen, screen.get_by_role("link", name="Tillbaka till formuläret"))
    expect(screen.locator(".govuk-error-summary")).to_have_count(0)
    expect(screen.get_by_text("Visas om var_halls_evenemanget är utomhus")).to_be_visible()

    # The receipt's text.
    activate(screen, screen.get_by_role("link", name="Ändra texten på kvittot"))
    type_in(screen, screen.get_by_label("Text på kvittot"), "Vi hör av oss inom två veckor.")
    activate(screen, screen.get_by_role("button", name="Spara texterna"))

    # "Testkör" to the receipt.
    activate(screen, screen.get_by_role("link", name="Testkör"))
    activate(screen, screen.get_by_role("button", name="Börja testkörningen"))
    fill_contact(screen)
    activate(screen, screen.get_by_role("button", name="Nästa"))
    tick(screen, screen.get_by_label("Utomhus"))
    type_in(screen, screen.get_by_label("Vilken plats?"), "Torget")
    activate(screen, screen.get_by_role("button", name="Nästa"))
    screen.locator("input[type=file]").set_input_files(
        files=[{"name": "karta.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    activate(screen, screen.get_by_role("button", name="Nästa"))
    expect(screen.get_by_text("Torget")).to_be_visible()
    checked(axe, screen)
    activate(screen, screen.get_by_role("button", name="Skicka in (test)"))
    expect(screen.locator("h1")).to_have_text("Testkörningen är klar")
    expect(screen.get_by_text("Vi hör av oss inom två veckor.")).to_be_visible()
    checked(axe, screen)

    # Publish.
    activate(screen, screen.get_by_role("link", name="Tillbaka till formuläret"))
    activate(screen, screen.get_by_role("button", name="Publicera"))
    expect(screen.get_by_text("Version 1 av Anmälan om evenemang är publicerad.")).to_be_visible()
    staff.close()

    from sjalvservice.cases.models import Case

    assert not Case.objects.exists()  # the test run made none

    # A resident fills it in.
    log_in(anna)
    page.goto(live_server.url + "/tjanster/anmalan-om-evenemang/")
    page.get_by_role("link", name="Starta e-tjänsten").click()
    fill_contact(page)
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("Utomhus").check()
    page.get_by_label("Vilken plats?").fill("Torget")
    page.get_by_role("button", name="Nästa").click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "karta.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("h1")).to_have_text("Ditt ärende är inskickat")
    page.goto(live_server.url + "/mina-sidor/")
    expect(page.get_by_text("Anmälan om evenemang").first).to_be_visible()
    case = Case.objects.get(owner=anna)
    assert case.eservice_version.number == 1
    assert case.answers["vilken_plats"] == "Torget"
    assert [item["name"] for item in case.answers["karta_over_platsen"]] == ["karta.pdf"]
