"""The page checks themselves: they must fail on invalid HTML and on a word broken in a cell."""

import re

import pytest
from playwright.sync_api import Page

from tests.e2e import html_check

pytestmark = pytest.mark.browser

VALID = (
    '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head>'
    "<body><main><h1>Prov</h1>{}</main></body></html>"
)


def test_a_valid_document_has_no_errors():
    assert html_check.html_errors(VALID.format("<p>Hej</p>")) == []


def test_the_four_known_kinds_of_error_are_found():
    document = VALID.format(
        '<form action="" method="post"><label for="a">Adress</label>'
        '<input id="a" name="a" autocomplete="street-address"></form>'
        '<time datetime="2026-12-03T17:00:00.123456+00:00">3 december</time>'
        '<div hx-get="/lista/">Lista</div>'
    )
    errors = "\n".join(str(error) for error in html_check.html_errors(document))
    assert "“action”" in errors
    assert "“street-address”" in errors
    assert "fraction of a second" in errors
    assert "“hx-get”" in errors


def test_a_known_error_is_let_through_only_on_its_page(monkeypatch):
    document = VALID.format('<div hx-get="/lista/">Lista</div>')
    monkeypatch.setitem(html_check.KNOWN_HTML_ERRORS, r"/lista/", ("“hx-get”",))
    assert html_check.html_errors(document, "/lista/") == []
    assert len(html_check.html_errors(document, "/annan/")) == 1


def test_an_invalid_page_fails_its_test(page: Page):
    page.set_content(VALID.format('<form action=""><button>Skicka</button></form>'))
    with pytest.raises(AssertionError, match="Must be non-empty"):
        html_check.assert_valid_html(page)


CELLS = VALID.format(
    '<table style="width: 120px; border-collapse: collapse"><caption>Ärenden</caption>'
    '<tr><th scope="col">Status</th></tr>'
    '<tr><td style="overflow-wrap: anywhere">{}</td></tr></table>'
)


def test_a_cell_that_breaks_a_word_at_320_px_fails_and_is_named(page: Page):
    page.set_content(CELLS.format("Tillgänglighetsredogörelsen"))
    with pytest.raises(AssertionError) as failure:
        html_check.assert_readable_when_narrow(page)
    assert 'in the table "Ärenden"' in str(failure.value)
    assert 'breaks the word "Tillgänglighetsredogörelsen"' in str(failure.value)
    assert page.viewport_size == {"width": 1280, "height": 900}


def test_words_that_fit_and_breaks_at_a_hyphen_pass(page: Page):
    page.set_content(CELLS.format("Sparat i går"))
    html_check.assert_readable_when_narrow(page)
    page.set_content(CELLS.format("Skellefteå-Lycksele-Storuman"))
    html_check.assert_readable_when_narrow(page)


def test_a_page_wider_than_320_px_fails(page: Page):
    page.set_content(VALID.format('<div style="width: 400px">Bred</div>'))
    with pytest.raises(AssertionError, match="scrolls sideways by"):
        html_check.assert_readable_when_narrow(page)


@pytest.mark.django_db(transaction=True)
def test_the_checker_reads_the_html_the_server_sent_not_the_dom(page: Page, live_server):
    page.goto(live_server.url + "/kakor/")
    page.wait_for_load_state()
    # sjalvservice.js marks <body> once it runs; the server sent it unmarked.
    supported = re.compile(r"<body[^>]*govuk-frontend-supported")
    assert not supported.search(html_check.served_html(page))
    assert supported.search(page.content())
