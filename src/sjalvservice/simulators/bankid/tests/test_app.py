"""The Test-BankID app pages: the flows a browser test goes through, and their markup."""

from __future__ import annotations

import re

import httpx
import pytest

from ..persons import TEST_PERSONS
from .support import TestApp, b64, parse_page

JENNY, BERTIL, ANNA = TEST_PERSONS
DONE = "Klart. Gå tillbaka till webbläsaren där du loggar in."


def _autostart(app: TestApp, **body: object) -> tuple[str, httpx.Response]:
    response = app.api.post("auth", json={"endUserIp": "192.0.2.10", **body})
    assert response.status_code == 200
    order = response.json()
    return order["orderRef"], app.client.get(
        "/", params={"autostarttoken": order["autoStartToken"]}
    )


def test_the_start_page_explains_the_simulator_and_offers_the_qr_field(app: TestApp) -> None:
    response = app.client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<title>Test-BankID – Test-BankID</title>" in html
    assert "<h1>Test-BankID</h1>" in html
    assert "simulator" in html
    assert '<label for="qr">QR-kodens innehåll</label>' in html
    assert '<button type="submit">Läs av QR-kod</button>' in html
    assert '<form method="post" action="/scan"' in html
    assert "<script" not in html
    assert "http" not in html.split("</style>")[1]


def test_the_html_pages_carry_a_strict_content_security_policy(app: TestApp) -> None:
    headers = app.client.get("/").headers
    assert headers["content-security-policy"].startswith("default-src 'none'; style-src 'sha256-")
    assert headers["referrer-policy"] == "no-referrer"


def test_the_full_qr_flow_completes_the_order(app: TestApp) -> None:
    order_ref = app.start(userVisibleData=b64("Logga in på Självservice"))
    html, hidden = app.scan_and_open(order_ref)
    assert set(hidden) == {"order", "token"}
    assert order_ref not in html  # the app never sees the RP's handle
    assert "Logga in på Självservice" in html
    done = app.identify(hidden, person=JENNY.personal_number)
    assert done.status_code == 200
    assert DONE in done.text
    answer = app.collect(order_ref).json()
    assert answer["completionData"]["user"]["name"] == "Jenny Testersson"


def test_a_qr_code_handed_over_as_a_link_is_scanned_like_a_camera_would(app: TestApp) -> None:
    order_ref = app.start()
    _html, hidden = app.open(app.client.get("", params={"qr": app.qr(order_ref)}))
    assert set(hidden) == {"order", "token"}
    assert app.order(order_ref)["pickedUpVia"] == "qr"


def test_a_stale_qr_link_is_refused_with_the_apps_message(app: TestApp) -> None:
    order_ref = app.start()
    stale = app.qr(order_ref)
    app.advance(5)
    response = app.client.get("", params={"qr": stale})
    assert response.status_code == 400
    assert "för gammal" in response.text


def test_a_qr_order_with_a_return_url_does_not_redirect(app: TestApp) -> None:
    order_ref = app.start(returnUrl="http://127.0.0.1:1/klart")
    _, hidden = app.scan_and_open(order_ref)
    response = app.identify(hidden, person=JENNY.personal_number)
    assert response.status_code == 200
    assert DONE in response.text


def test_autostart_with_a_return_url_redirects_there_after_identifying(app: TestApp) -> None:
    order_ref, launched = _autostart(app, returnUrl="https://portal.example/bankid/klar?x=1#å")
    assert app.order(order_ref)["pickedUpVia"] == "autostart"
    _, hidden = app.open(launched)
    response = app.identify(hidden, person=BERTIL.personal_number)
    assert response.status_code == 303
    assert response.headers["location"] == "https://portal.example/bankid/klar?x=1#%C3%A5"
    assert app.collect(order_ref).json()["status"] == "complete"


def test_autostart_uses_the_redirect_parameter_without_a_return_url(app: TestApp) -> None:
    response = app.api.post("auth", json={"endUserIp": "192.0.2.10"})
    token = response.json()["autoStartToken"]
    launched = app.client.get(
        "/", params={"autostarttoken": token, "redirect": "http://127.0.0.1:9/tillbaka"}
    )
    _, hidden = app.open(launched)
    response = app.identify(hidden, person=BERTIL.personal_number)
    assert response.headers["location"] == "http://127.0.0.1:9/tillbaka"


@pytest.mark.parametrize("target", ["javascript:alert(1)", "null", "data:text/html,x"])
def test_only_web_addresses_are_followed_after_autostart(app: TestApp, target: str) -> None:
    _, launched = _autostart(app, returnUrl=target)
    _, hidden = app.open(launched)
    response = app.identify(hidden, person=BERTIL.personal_number)
    assert response.status_code == 200
    assert DONE in response.text


def test_a_return_url_cannot_inject_headers(app: TestApp) -> None:
    _, launched = _autostart(app, returnUrl="https://portal.example/\r\nSet-Cookie: a=b")
    _, hidden = app.open(launched)
    response = app.identify(hidden, person=BERTIL.personal_number)
    assert "set-cookie" not in response.headers
    assert response.headers["location"] == "https://portal.example/%0D%0ASet-Cookie:%20a=b"


def test_an_unknown_autostart_token_shows_an_error_page(app: TestApp) -> None:
    response = app.client.get("/", params={"autostarttoken": "nope"})
    assert response.status_code == 404
    assert "Startlänken är ogiltig." in response.text


def test_avbryt_fails_the_order_with_user_cancel(app: TestApp) -> None:
    order_ref = app.start()
    _, hidden = app.scan_and_open(order_ref)
    response = app.client.post("cancel-order", data=hidden)
    assert response.status_code == 200
    assert "Avbrutet" in response.text
    assert app.collect(order_ref).json() == {
        "orderRef": order_ref,
        "status": "failed",
        "hintCode": "userCancel",
    }


def test_one_orders_form_cannot_act_on_another_order(app: TestApp) -> None:
    first, second = app.start(), app.start()
    _, first_hidden = app.scan_and_open(first)
    _, second_hidden = app.scan_and_open(second)
    forged = {"order": second_hidden["order"], "token": first_hidden["token"]}
    for path in ("identify", "cancel-order", "mrtd"):
        response = app.client.post(path, data={**forged, "person": JENNY.personal_number})
        assert response.status_code == 403
    assert app.collect(second).json()["hintCode"] == "userSign"


def test_user_visible_data_is_escaped(app: TestApp) -> None:
    order_ref = app.start(
        userVisibleData=b64('<script>alert("x")</script> **fet**'),
        userVisibleDataFormat="simpleMarkdownV1",
    )
    html, _ = app.scan_and_open(order_ref)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; **fet**" in html


def test_submitting_without_a_choice_shows_a_linked_error_summary(app: TestApp) -> None:
    order_ref = app.start()
    _, hidden = app.scan_and_open(order_ref)
    response = app.identify(hidden)
    assert response.status_code == 400
    page = parse_page(response.text)
    assert page.alerts == 1
    assert page.h1 == 1
    assert '<a href="#person-1">Välj vem du är.</a>' in response.text
    assert '<fieldset aria-describedby="person-error">' in response.text
    assert "<title>Fel: Legitimera dig – Test-BankID</title>" in response.text
    assert app.collect(order_ref).json()["status"] == "pending"


def test_another_person_needs_a_valid_number_and_names(app: TestApp) -> None:
    order_ref = app.start()
    _, hidden = app.scan_and_open(order_ref)
    response = app.identify(hidden, person="annan", personnummer="198101059826")
    assert response.status_code == 400
    for field, message in [
        ("personnummer", "Personnumret har fel kontrollsiffra."),
        ("fornamn", "Skriv förnamnet."),
        ("efternamn", "Skriv efternamnet."),
    ]:
        assert f'<a href="#{field}">{message}</a>' in response.text
        assert f'<p class="error" id="{field}-error">Fel: {message}</p>' in response.text
        assert re.search(f'id="{field}"[^>]*aria-describedby="[^"]*{field}-error"', response.text)
        assert re.search(f'id="{field}"[^>]*aria-invalid="true"', response.text)
    assert 'value="198101059826"' in response.text  # what the user typed is kept


def test_another_person_can_identify(app: TestApp) -> None:
    order_ref = app.start()
    _, hidden = app.scan_and_open(order_ref)
    response = app.identify(
        hidden,
        person="annan",
        personnummer="199001019810",
        fornamn="Åsa",
        efternamn="Öberg <Test>",
    )
    assert response.status_code == 200
    user = app.collect(order_ref).json()["completionData"]["user"]
    assert user == {
        "personalNumber": "199001019810",
        "name": "Åsa Öberg <Test>",
        "givenName": "Åsa",
        "surname": "Öberg <Test>",
    }


def test_every_field_on_the_identify_page_has_a_label(app: TestApp) -> None:
    html, _ = app.scan_and_open(app.start())
    page = parse_page(html)
    assert page.h1 == 1
    field_ids = re.findall(r'<(?:input|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', html)
    assert field_ids
    for field_id in field_ids:
        assert f'<label for="{field_id}">' in html


def test_the_order_page_of_a_finished_order_says_it_is_no_longer_valid(app: TestApp) -> None:
    order_ref = app.start()
    scanned = app.scan(app.qr(order_ref))
    app.advance(181)
    response = app.client.get(scanned.headers["location"])
    assert response.status_code == 409
    assert "Ordern är inte längre giltig" in response.text


def test_an_unknown_page_is_a_404_page(app: TestApp) -> None:
    response = app.client.get("/finns-inte")
    assert response.status_code == 404
    assert '<html lang="sv">' in response.text
