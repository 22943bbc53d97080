"""Two municipalities' own sites from one installation, each on its own loopback host name
(Chromium resolves every ``*.localhost`` to loopback): each shows its own name and colour,
and Mina sidor is the region's, with the cases of both."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, assert_page_basics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_sites(settings, lycksele, skelleftea, suggestion, anna, category):
    """Lycksele and Skellefteå with host names and colours, and a case of Anna's in each."""
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import SUGGESTION
    from sjalvservice.eservices.models import EService
    from sjalvservice.eservices.services import publish_version

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    lycksele.host, lycksele.brand_colour = "lycksele.localhost", "#00594f"
    lycksele.save()
    skelleftea.host, skelleftea.brand_colour = "skelleftea.localhost", "#8a1538"
    skelleftea.save()
    lyckseles = EService.objects.create(
        municipality=lycksele, category=category, slug="lyckseles-forslag",
        title="Förslag till Lycksele", requires_login=True,
    )  # fmt: skip
    publish_version(lyckseles, {**SUGGESTION, "title": "Förslag till Lycksele"})
    return [
        services.submit(services.start_draft(eservice, owner=anna), by=anna, answers={})
        for eservice in (suggestion, lyckseles)
    ]


def on_site(live_server, host: str, path: str) -> str:
    port = urlsplit(live_server.url).port
    return f"http://{host}:{port}{path}"


def header_colour(page: Page) -> str:
    return page.locator("header.sjs-header").evaluate("e => getComputedStyle(e).backgroundColor")


@pytest.mark.parametrize("width", [1280, 320])
def test_each_municipality_has_its_own_site_and_the_same_mina_sidor(
    page: Page, context, client, live_server, anna, two_sites, axe, width
):
    page.set_viewport_size({"width": width, "height": 800})
    client.force_login(anna)
    session = client.cookies["sessionid"].value
    for host, name, colour in [
        ("lycksele.localhost", "Lycksele kommun", "rgb(0, 89, 79)"),
        ("skelleftea.localhost", "Skellefteå kommun", "rgb(138, 21, 56)"),
    ]:
        context.add_cookies(
            [{"name": "sessionid", "value": session, "url": on_site(live_server, host, "/")}]
        )
        page.goto(on_site(live_server, host, "/"))
        expect(page.locator(".sjs-header__site")).to_have_text(name)
        assert header_colour(page) == colour
        assert page.title().endswith(f"– {name}")
        assert_page_basics(page)
        assert_accessible(axe, page)

        page.goto(on_site(live_server, host, "/mina-sidor/"))
        main = page.locator("main")
        for case in two_sites:
            expect(main).to_contain_text(case.eservice.title)
            expect(main).to_contain_text(case.municipality.name)
        assert_page_basics(page)
        assert_accessible(axe, page)

    page.goto(live_server.url + "/")
    expect(page.locator(".sjs-header__site")).to_have_count(0)
    assert header_colour(page) == "rgb(29, 90, 110)"
