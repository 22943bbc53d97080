"""Each municipality's own site, chosen by host name: name, logo, colour, contact details,
accessibility statement and its e-services first; the region's portal on any other host."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sjalvservice.core.admin import MunicipalityForm, logo_problem
from sjalvservice.core.colours import contrast_ratio, validate_brand_colour
from sjalvservice.core.hosts import normalise_host, validate_host_name
from sjalvservice.eservices.tests.conftest import make_eservice

LYCKSELE_HOST = "lycksele.localhost"
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
)


@pytest.fixture
def lycksele_site(lycksele, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".localhost"]
    lycksele.host = LYCKSELE_HOST
    lycksele.brand_colour = "#00594f"
    lycksele.accessibility_statement = "Lycksele kommun står bakom den här portalen."
    lycksele.logo.save("lycksele.svg", ContentFile(SVG), save=False)
    lycksele.save()
    return lycksele


def test_contrast_ratios_as_wcag_computes_them():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # GOV.UK's grey for secondary text, just above 4.5:1 on white.
    assert contrast_ratio("#505a5f", "#ffffff") == pytest.approx(7.0, abs=0.1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_a_header_colour_must_carry_white_text():
    validate_brand_colour("#1d5a6e")
    with pytest.raises(ValidationError) as light:
        validate_brand_colour("#ffdd00")
    assert light.value.code == "contrast"
    assert "4,5:1" in str(light.value.messages[0])
    with pytest.raises(ValidationError) as unreadable:
        validate_brand_colour("red")
    assert unreadable.value.code == "invalid"


def test_host_names():
    assert normalise_host("Lycksele.Localhost:8000") == LYCKSELE_HOST
    assert normalise_host("sjalvservice.lycksele.se.") == "sjalvservice.lycksele.se"
    validate_host_name("sjalvservice.lycksele.se")
    for bad in ["https://lycksele.se", "lycksele.se/tjanster", "-lycksele.se", "Lycksele.se", ""]:
        with pytest.raises(ValidationError):
            validate_host_name(bad)


def test_the_municipality_form_checks_colour_and_host(lycksele):
    form = MunicipalityForm(
        instance=lycksele,
        data={
            "name": lycksele.name,
            "slug": lycksele.slug,
            "organisation_number": lycksele.organisation_number,
            "host": "",
            "brand_colour": "#ffdd00",
        },
    )
    assert not form.is_valid()
    assert "brand_colour" in form.errors
    assert "host" not in form.errors
    assert form.cleaned_data["host"] is None  # no host is NULL: several may have none


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0\0")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_logo_is_a_small_png_or_an_svg_without_scripts():
    png = one_pixel_png()
    assert logo_problem(SimpleUploadedFile("logo.png", png)) == ""
    assert logo_problem(SimpleUploadedFile("logo.svg", SVG)) == ""
    script = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert logo_problem(SimpleUploadedFile("logo.svg", script))
    assert logo_problem(SimpleUploadedFile("logo.png", b"GIF89a" + b"\0" * 20))
    assert logo_problem(SimpleUploadedFile("logo.png", png + b"\0" * 600_000))


def test_a_municipality_site_shows_its_name_colour_logo_and_contacts(client, lycksele_site):
    page = client.get("/", HTTP_HOST=LYCKSELE_HOST).content.decode()
    assert '<span class="sjs-header__site">Lycksele kommun</span>' in page
    assert "background:#00594f" in page
    assert reverse("core:municipality_logo", args=["lycksele"]) in page
    assert lycksele_site.contact_phone in page
    assert "– Lycksele kommun</title>" in page


def test_any_other_host_shows_the_regions_portal(client, lycksele_site):
    page = client.get("/").content.decode()
    assert "sjs-header__site" not in page
    assert "#00594f" not in page
    assert "– Självservice</title>" in page


def test_an_inactive_municipality_has_no_site(client, lycksele_site):
    lycksele_site.is_active = False
    lycksele_site.save()
    page = client.get("/", HTTP_HOST=LYCKSELE_HOST).content.decode()
    assert "sjs-header__site" not in page


def test_a_changed_colour_shows_at_once_on_this_server(client, lycksele_site):
    client.get("/", HTTP_HOST=LYCKSELE_HOST)
    lycksele_site.brand_colour = "#8a1538"
    lycksele_site.save()
    assert "background:#8a1538" in client.get("/", HTTP_HOST=LYCKSELE_HOST).content.decode()


def test_sites_are_read_once_not_per_request(client, lycksele_site, django_assert_num_queries):
    client.get("/kakor/", HTTP_HOST=LYCKSELE_HOST)
    with django_assert_num_queries(0):
        response = client.get("/kakor/", HTTP_HOST=LYCKSELE_HOST)
    assert b"sjs-header__site" in response.content


def test_a_colour_that_is_not_a_colour_never_reaches_the_page(client, lycksele_site):
    # Saved past the form's validation, as a script or shell could.
    type(lycksele_site).objects.filter(pk=lycksele_site.pk).update(brand_colour="red}*{x")
    type(lycksele_site).objects.get(pk=lycksele_site.pk).save()  # reads the sites again
    page = client.get("/", HTTP_HOST=LYCKSELE_HOST).content.decode()
    assert "red}" not in page
    assert "<style nonce" not in page
    assert "sjs-header__site" in page


def test_the_logo_is_served_as_an_image_that_runs_nothing(client, lycksele_site, skelleftea):
    response = client.get(reverse("core:municipality_logo", args=["lycksele"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SVG
    assert client.get(reverse("core:municipality_logo", args=["skelleftea"])).status_code == 404
    assert client.get(reverse("core:municipality_logo", args=["okand"])).status_code == 404


def test_the_accessibility_statement_is_the_municipalitys_own(client, lycksele_site, skelleftea):
    page = client.get(reverse("core:accessibility"), HTTP_HOST=LYCKSELE_HOST).content.decode()
    assert "Lycksele kommun står bakom den här portalen." in page
    assert skelleftea.contact_email not in page
    regional = client.get(reverse("core:accessibility")).content.decode()
    assert "står bakom den här portalen." not in regional
    assert skelleftea.contact_email in regional


def test_the_start_page_lists_the_sites_own_e_services_first(
    client, lycksele_site, skelleftea, category
):
    make_eservice(skelleftea, category, slug="alfa", title="Alfa i Skellefteå")
    make_eservice(lycksele_site, category, slug="beta", title="Beta i Lycksele")
    make_eservice(lycksele_site, category, slug="gamma", title="Gamma i Lycksele", featured=True)
    on_site = client.get("/", HTTP_HOST=LYCKSELE_HOST).content.decode()
    assert on_site.index("Gamma i Lycksele") < on_site.index("Beta i Lycksele")
    assert on_site.index("Beta i Lycksele") < on_site.index("Alfa i Skellefteå")
    regional = client.get("/").content.decode()
    assert regional.index("Alfa i Skellefteå") < regional.index("Beta i Lycksele")


def test_the_logo_is_only_read(client, lycksele_site):
    url = reverse("core:municipality_logo", args=["lycksele"])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200
