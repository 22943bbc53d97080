"""The security headers of every page: Content-Security-Policy, Permissions-Policy, and
``Cache-Control: no-store, private`` wherever a person sees their own data."""

import re

import pytest
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sjalvservice.cases import services


def simple_paths() -> list[str]:
    """Every URL of the project that takes no arguments (the admin's aside)."""
    paths = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not re.search(r"[<(\\^$?]", route):
                paths.append("/" + route)

    walk(get_resolver().url_patterns)
    return sorted(path for path in set(paths) if not path.startswith("/admin/"))


def assert_policy(response, path):
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy, path
    assert "script-src 'self' 'nonce-" in policy, path
    assert "'unsafe-inline'" not in policy, path
    assert "frame-ancestors 'none'" in policy, path
    assert "object-src 'none'" in policy, path
    assert "form-action 'self'" in policy, path
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), path


def is_private(response):
    directives = {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def test_the_walk_finds_the_pages_it_is_meant_to_check():
    paths = simple_paths()
    for expected in ("/", "/mina-sidor/", "/handlaggare/", "/kakor/"):
        assert expected in paths


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_every_page_has_the_policy_and_personal_pages_are_not_stored(
    client, who, anna, julia, staff_login
):
    if who == "citizen":
        client.force_login(anna)
    elif who == "staff":
        staff_login(client, julia)
    for path in simple_paths():
        response = client.get(path)
        if response.status_code == 405:  # only POST: nothing to show
            continue
        assert_policy(response, path)
        if who != "anonymous":
            assert is_private(response), (path, response.headers.get("Cache-Control"))
            assert "Expires" not in response.headers, path


def test_public_pages_for_anonymous_visitors_may_be_stored(client, db):
    for path in ("/", "/tjanster/", "/kakor/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not is_private(response), path


def test_the_nonce_is_new_for_every_response(client, db):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]
    nonce = re.compile(r"'nonce-([^']+)'")
    assert nonce.search(first).group(1) != nonce.search(second).group(1)


def test_a_case_page_and_a_file_of_it_are_not_stored(client, annas_case, anna):
    client.force_login(anna)
    response = client.get(reverse("cases:case", args=[annas_case.number]))
    assert response.status_code == 200
    assert is_private(response)
    pdf = client.get(reverse("cases:pdf", args=[annas_case.number]))
    assert pdf.status_code == 200
    assert is_private(pdf)


def test_an_anonymous_draft_is_not_stored(client, skelleftea, category):
    from sjalvservice.cases.tests.fixtures import SUGGESTION
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    open_to_all = EService.objects.create(
        municipality=skelleftea, category=category, slug="oppen", title="Öppen",
        short_description="Utan inloggning.", requires_login=False,
    )  # fmt: skip
    publish_version(open_to_all, SUGGESTION)
    start = client.post(reverse("cases:start", args=[open_to_all.slug]))
    assert start.status_code == 302
    step = client.get(start["Location"])
    assert step.status_code == 200
    assert is_private(step)
    assert_policy(step, start["Location"])


@override_settings(CSP_REPORT_ONLY=True, CSP_REPORT_URI="https://rapport.example/csp")
def test_the_policy_can_be_report_only_with_a_report_address(client, db):
    response = client.get("/")
    assert "Content-Security-Policy" not in response.headers
    policy = response.headers["Content-Security-Policy-Report-Only"]
    assert "report-uri https://rapport.example/csp" in policy


def test_a_status_change_page_after_login_is_private(client, annas_case, julia, staff_login):
    staff_login(client, julia)
    services.mark_read(annas_case, by=julia)
    response = client.get(reverse("backoffice:case", args=[annas_case.number]))
    assert response.status_code == 200
    assert is_private(response)
    assert_policy(response, "backoffice:case")


def test_a_response_may_allow_inline_styles_but_never_inline_scripts(rf):
    from django.http import HttpResponse

    from sjalvservice.core.middleware import SecurityHeadersMiddleware

    def preview(request):
        response = HttpResponse("<iframe srcdoc='...'></iframe>")
        response.csp_inline_styles = True
        return response

    policy = SecurityHeadersMiddleware(preview)(rf.get("/"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert re.search(r"script-src 'self' 'nonce-[^']+'(;|$)", policy)
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse())(rf.get("/"))
    assert "'unsafe-inline'" not in plain["Content-Security-Policy"]
