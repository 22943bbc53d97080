"""The IdP's pages: Swedish, one heading, named controls, a strict CSP, no personal data in
URLs, and working without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from ..pages import CSS, SCRIPT
from ..server import Simulator
from .support import Resident, TestSp, parse_page, response_form

REGION_LINE = (
    "Du kommer att legitimera dig hos Region Västerbotten. Detta beror på att kommunerna i "
    "regionen samarbetar med varandra om e-tjänster."
)


def test_the_login_page_offers_three_choices_in_swedish(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    response = resident.open(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    page = parse_page(html)
    assert page.count("h1") == 1
    assert "Logga in hos Region Västerbotten" in page.all_text
    assert REGION_LINE in page.all_text
    (form,) = page.forms
    assert (form["method"], form["action"]) == ("post", "/login")
    assert page.buttons() == ["mobilt-bankid", "bankid", "avbryt"]
    assert [t for t in page.text if t in ("Mobilt BankID", "BankID", "Avbryt")] == [
        "Mobilt BankID",
        "BankID",
        "Avbryt",
    ]
    assert set(page.hidden) == {"key"}
    assert page.hidden["key"] not in url


def test_pages_have_a_strict_content_security_policy(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    login = resident.open(url)
    policy = login.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; script-src 'self'; connect-src 'self'; ")
    assert "unsafe-inline" not in policy
    assert "form-action 'self'" in policy
    assert login.headers["referrer-policy"] == "no-referrer"
    assert login.headers["x-frame-options"] == "DENY"
    assert "<script>" not in login.text  # no inline script anywhere
    key = parse_page(login.text).hidden["key"]
    response = resident.choose(key, "avbryt")
    # The Response page posts to the SP, whose ACS redirects onward: no form-action there.
    assert "form-action" not in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_the_wait_page_works_without_javascript(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    _, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    page = parse_page(resident.wait(key).text)
    assert page.count("h1") == 1
    forms = [(form["method"], form["action"]) for form in page.forms]
    assert forms == [("get", f"/wait/{key}"), ("post", "/cancel")]
    assert "Jag har legitimerat mig" in page.all_text
    assert page.attrs("message")["role"] == "status"
    resident.bankid.complete(order_ref)
    # "Jag har legitimerat mig" reloads the wait page, which now posts the Response.
    response_form(resident.client.get(f"/wait/{key}?"))


def test_no_personal_data_reaches_a_url_or_the_wait_pages(
    idp: Simulator, sp: TestSp, resident: Resident
) -> None:
    seen: list[str] = []
    resident.client.event_hooks["request"].append(lambda request: seen.append(str(request.url)))
    _, url = sp.redirect_request()
    form = resident.log_in(url)
    assert seen
    assert not any("198101059825" in address or "Jenny" in address for address in seen)
    assert "198101059825" not in form.html
    assert "Jenny" not in form.html


def test_values_are_escaped(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request('"><script>alert(1)</script>')
    _, key = resident.login_page(url)
    form = response_form(resident.choose(key, "avbryt"))
    assert form.relay_state == '"><script>alert(1)</script>'
    assert "<script>alert" not in form.html


def test_the_css_sets_no_fixed_widths() -> None:
    assert not re.search(r"(?<![-\w])width:\s*[\d.]+[a-z]", CSS)


def test_the_script_is_served_and_only_uses_its_own_origin(resident: Resident) -> None:
    response = resident.client.get("/static/idp.js")
    assert response.status_code == 200
    assert response.text == SCRIPT
    assert "http" not in SCRIPT
    assert resident.client.post("/static/idp.js").status_code == 405


def test_the_home_page_names_the_idp(idp: Simulator, resident: Resident) -> None:
    page = parse_page(resident.client.get("/").text)
    assert page.count("h1") == 1
    assert idp.entity_id in page.all_text


def test_unknown_pages_are_404_in_swedish(resident: Resident) -> None:
    response = resident.client.get("/okand")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text


def test_without_bankid_the_choices_say_it_is_not_connected(key_dir: Path, tmp_path: Path) -> None:
    with Simulator(key_dir, quiet=True) as idp:
        sp = TestSp(idp, tmp_path)
        idp.set_sp_metadata(sp.metadata)
        with httpx.Client(base_url=idp.url, timeout=10) as client:
            login = client.get(sp.redirect_request()[1])
            assert "BankID är inte anslutet" in parse_page(login.text).all_text
            key = parse_page(login.text).hidden["key"]
            for choice in ("mobilt-bankid", "bankid"):
                response = client.post("/login", data={"key": key, "val": choice})
                assert response.status_code == 503
                page = parse_page(response.text)
                assert "BankID är inte anslutet" in page.all_text
                assert page.attrs("main")  # still the login page, with Avbryt
                assert "avbryt" in page.buttons()
            response_form(client.post("/login", data={"key": key, "val": "avbryt"}))


def test_an_unknown_choice_shows_the_login_page_again(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    _, key = resident.login_page(url)
    response = resident.choose(key, "fingeravtryck")
    assert response.status_code == 400
    assert "Välj ett av alternativen." in parse_page(response.text).all_text


def test_only_get_opens_the_wait_page(sp: TestSp, resident: Resident) -> None:
    _, url = sp.redirect_request()
    key, order_ref = resident.start_bankid(url)
    resident.bankid.complete(order_ref)
    # A HEAD (a link checker, a prefetch) neither collects nor hands out the Response.
    assert resident.client.head(f"/wait/{key}").status_code == 405
    assert resident.client.post(f"/status/{key}").status_code == 405
    response_form(resident.wait(key))
