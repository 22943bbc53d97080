from django.urls import reverse


def test_swedish_is_the_default_whatever_the_browser_asks_for(client, db):
    response = client.get(reverse("eservices:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="sv"' in response.content.decode()


def test_switching_to_english_translates_the_page_and_returns_to_it(client, db):
    response = client.get(reverse("core:language", args=["en"]) + "?next=/kakor/")
    assert response.status_code == 302
    assert response["Location"] == "/kakor/"
    page = client.get("/kakor/").content.decode()
    assert '<html lang="en"' in page
    assert '<h1 class="govuk-heading-xl">Cookies</h1>' in page
    # The link back to Swedish is marked with its own language.
    assert 'lang="sv" hreflang="sv"' in page


def test_the_language_cookie_is_http_only_and_lax(client, db):
    response = client.get(reverse("core:language", args=["en"]))
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_it_refuses_to_redirect_to_another_site(client, db):
    response = client.get(reverse("core:language", args=["en"]) + "?next=https://evil.example/")
    assert response["Location"] == "/"


def test_an_unknown_language_is_404(client, db):
    assert client.get(reverse("core:language", args=["de"])).status_code == 404


def test_it_rejects_post(client, db):
    assert client.post(reverse("core:language", args=["en"])).status_code == 405
