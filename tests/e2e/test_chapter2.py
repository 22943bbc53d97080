"""Handbook chapter 2, "Mina sidor", walked in a browser by Anna (the handbook's Jenny).

2.1 the overview and the case page, 2.2 "Ändra ärende" after "Väntar på komplettering",
2.3 "Nytt meddelande" with a file. The handler's side is done through the domain functions.
"""

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Pictures of the messages tab to look at after a run.
SCREENSHOTS = Path(tempfile.gettempdir())

# A small but complete PDF: one empty A4 page.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def jennys_cases(anna, suggestion):
    """A saved draft and a submitted Medborgarförslag, as in the handbook's pictures."""
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS

    draft = services.save_draft(
        services.start_draft(suggestion, owner=anna),
        answers={"rubrik": "Fler bänkar"},
        current_step="forslag",
        completed_steps=["personuppgifter"],
    )
    case = services.start_draft(suggestion, owner=anna)
    services.save_draft(
        case,
        answers=ANSWERS,
        current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )
    submitted = services.submit(case, by=anna, answers=ANSWERS)
    return {"draft": draft, "submitted": submitted}


def tab_until(page: Page, check: str, presses: int = 60) -> None:
    """Press Tab until the JavaScript expression ``check`` holds for the focused element."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {check})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {check}")


def set_status(case, kind, julia, message=""):
    from sjalvservice.cases import services
    from sjalvservice.cases.models import Status, StatusKind

    status = Status.objects.default_for(StatusKind[kind])
    return services.set_status(case, status=status, by=julia, message=message)


def test_chapter_2_mina_sidor_supplement_and_messages(
    page: Page, live_server, anna, julia, jennys_cases, media, log_in, axe
):
    number = jennys_cases["submitted"].number
    case_url = f"{live_server.url}/mina-sidor/arenden/{number}/"
    log_in(anna)

    # 2.1 Mina sidor: Mina meddelanden, Ej inskickade, Pågående and Avslutade ärenden.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Mina sidor").first.click()
    expect(page.locator("h1")).to_have_text("Mina sidor")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[:4] == [
        "Mina meddelanden",
        "Ej inskickade ärenden",
        "Pågående ärenden",
        "Avslutade ärenden",
    ]
    news = page.get_by_role("table", name="Mina meddelanden")
    expect(news.get_by_role("rowheader", name=str(number), exact=True)).to_be_visible()
    expect(news).to_contain_text("– Inskickat")
    expect(page.get_by_text("Du har 1 ärende som inte har skickats in")).to_be_visible()
    expect(page.get_by_role("link", name="Fortsätt Medborgarförslag")).to_be_visible()
    expect(page.get_by_text("Du har inga avslutade ärenden")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.screenshot(path=SCREENSHOTS / "chapter2-mina-sidor-1280.png", full_page=True)

    page.get_by_role("link", name="Ta bort Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Vill du ta bort ditt sparade ärende Medborgarförslag?")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_text("Du har 1 ärende som inte har skickats in")).to_be_visible()

    page.get_by_role("link", name=f"Till ärende {number} Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Medborgarförslag (Inskickat)")
    expect(page.get_by_role("link", name="Ärendehistorik")).to_have_attribute(
        "aria-current", "page"
    )
    history = page.get_by_role("table", name="Ärendehistorik")
    expect(history.get_by_role("row")).to_have_count(2)
    expect(history).to_contain_text("Anna Testersson")
    expect(page.get_by_role("link", name="Meddelanden (0)")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)

    # 2.2 The handler asks for more; Anna reads the message, then "Ändra ärende".
    case = set_status(jennys_cases["submitted"], "IN_PROGRESS", julia)
    case = set_status(case, "AWAITING_SUPPLEMENT", julia, "Beskriv var bänkarna ska stå.")
    page.goto(live_server.url + "/mina-sidor/")
    news = page.get_by_role("table", name="Mina meddelanden")
    expect(news).to_contain_text("1 oläst meddelande")
    expect(news).to_contain_text("– Väntar på komplettering")
    assert_accessible(axe, page)

    page.get_by_role("link", name=f"Till ärende {number} Medborgarförslag").click()
    expect(page.locator("h1")).to_have_text("Medborgarförslag (Väntar på komplettering)")
    page.get_by_role("link", name="Meddelanden (1)").click()
    expect(page.get_by_role("link", name="Meddelanden (1)")).to_have_attribute(
        "aria-current", "page"
    )
    message = page.locator("article.govuk-summary-card").first
    expect(message).to_contain_text("Julia Landsell (handläggare)")
    expect(message).to_contain_text("Nytt")
    expect(message).to_contain_text("Beskriv var bänkarna ska stå.")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.screenshot(path=SCREENSHOTS / "chapter2-messages-1280.png", full_page=True)

    page.get_by_role("navigation", name="Ärendet").get_by_role("link", name="Ändra ärende").click()
    expect(page.get_by_role("heading", name="Personuppgifter", exact=True)).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Förslag", exact=True)).to_be_visible()
    expect(page.get_by_label("Rubrik", exact=True)).to_have_value("Fler bänkar")
    assert_accessible(axe, page)
    page.get_by_label("Rubrik", exact=True).fill("Fler bänkar vid älven")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", name="Förhandsgranska")).to_be_visible()
    # What changed, before and after, above the whole preview.
    expect(page.locator("#andringar")).to_contain_text("Fler bänkar vid älven")
    expect(page.locator("dd.sjs-preline", has_text="Fler bänkar vid älven")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Skicka in").click()

    expect(page.get_by_text("Ditt ärende är kompletterat.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Medborgarförslag (Kompletterat)")
    summary = page.locator("dl.govuk-summary-list")
    expect(summary).to_contain_text("Senast kompletterat")
    expect(summary).to_contain_text("av Anna Testersson")
    expect(page.get_by_role("table", name="Ärendehistorik")).to_contain_text("Kompletterat")
    assert_accessible(axe, page)

    page.get_by_role("link", name="Visa ärende").click()
    expect(page.get_by_text("Fler bänkar vid älven")).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)

    # 2.3 "Nytt meddelande" with a file, by keyboard.
    page.goto(case_url)
    page.get_by_role("link", name="Meddelanden (1)").click()
    expect(page.get_by_role("button", name="Nytt meddelande")).to_be_visible()
    page.get_by_role("link", name="Meddelanden (1)").focus()
    tab_until(page, "element.textContent.trim() === 'Nytt meddelande'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Nytt meddelande")).to_be_visible()
    expect(page.get_by_text("Maximal filstorlek vid uppladdning: 50 MB")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("heading", name="Nytt meddelande").click()
    tab_until(page, "element.id === 'meddelande-text'")
    page.keyboard.type("Här är en karta över platsen.")
    tab_until(page, "element.id === 'meddelande-attachments'", presses=3)
    page.locator('input[type="file"]').set_input_files(
        {"name": "karta.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    expect(page.get_by_text("karta.pdf")).to_be_visible()
    page.get_by_label("Meddelande", exact=True).focus()
    tab_until(page, "element.textContent.trim() === 'Skicka meddelande'", presses=5)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Ditt meddelande är skickat till handläggaren.")).to_be_visible()
    expect(page.get_by_role("link", name="Meddelanden (2)")).to_be_visible()
    newest = page.locator("article.govuk-summary-card").first  # the sender as the resident reads it
    expect(newest.locator("h2, h3").first).to_have_text("Du")
    expect(newest).to_contain_text("Här är en karta över platsen.")
    link = newest.get_by_role("link", name="karta.pdf")
    expect(link).to_be_visible()
    expect(newest).to_contain_text(re.compile(r"karta\.pdf\s*\(\d+\s+byte\)"))
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.screenshot(path=SCREENSHOTS / "chapter2-messages-sent-1280.png", full_page=True)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "karta.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == PDF

    # The messages tab, its form and the case page at 320 px.
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{case_url}meddelanden/")
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.screenshot(path=SCREENSHOTS / "chapter2-messages-320.png", full_page=True)
    page.get_by_role("button", name="Nytt meddelande").click()
    expect(page.get_by_label("Meddelande", exact=True)).to_be_visible()
    assert_page_basics(page)
    assert_accessible(axe, page)
    page.screenshot(path=SCREENSHOTS / "chapter2-message-form-320.png", full_page=True)
    page.goto(case_url)
    assert_page_basics(page)
    assert_accessible(axe, page)


def test_a_refused_file_shows_the_error_summary_and_keeps_the_text(
    page: Page, live_server, anna, jennys_cases, media, log_in, axe
):
    from sjalvservice.cases.models import Message

    number = jennys_cases["submitted"].number
    log_in(anna)
    page.goto(f"{live_server.url}/mina-sidor/arenden/{number}/meddelanden/?nytt=1")
    page.get_by_label("Meddelande", exact=True).fill("Se programmet.")
    page.locator('input[type="file"]').set_input_files(
        {"name": "program.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 64}
    )
    page.get_by_role("button", name="Skicka meddelande").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(
        "Innehållet i filen program.pdf stämmer inte med filtypen .pdf."
    )
    expect(page.get_by_label("Meddelande", exact=True)).to_have_value("Se programmet.")
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    expect(page.locator("#meddelande-attachments")).to_be_focused()
    assert not Message.objects.filter(case=jennys_cases["submitted"]).exists()
