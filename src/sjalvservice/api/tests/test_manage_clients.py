"""A municipality administrator lets a system in, gives it a token and takes it back."""

from sjalvservice.api.models import ApiClient, ApiToken
from sjalvservice.backoffice.models import StaffChange


def test_the_administrator_creates_a_client_and_its_token(client, staff_login, karin, suggestion):
    staff_login(client, karin)
    response = client.post(
        "/handlaggare/administrera/api-klienter/ny/",
        {"name": "Ciceron", "eservices": [suggestion.pk], "scopes": ["read_cases"]},
    )
    created = ApiClient.objects.get(name="Ciceron")
    assert response.status_code == 302
    assert list(created.eservices.all()) == [suggestion]
    assert created.scopes == ["read_cases"]
    assert created.user.display_name == "Ciceron"
    assert not created.user.is_staff
    assert not created.user.has_usable_password()

    page = client.post(f"/handlaggare/administrera/api-klienter/{created.pk}/nycklar/")
    token = ApiToken.objects.get(client=created)
    shown = page.content.decode()
    assert "Den visas bara den här gången" in shown
    secret = shown.split('<code id="ny-nyckel">')[1].split("</code>")[0]
    assert secret.startswith(token.prefix)
    assert token.digest not in shown
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    client.post(
        f"/handlaggare/administrera/api-klienter/{created.pk}/nycklar/{token.pk}/aterkalla/"
    )
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert list(
        StaffChange.objects.filter(target_id=created.pk).values_list("action", flat=True)
    ) == ["api_token_revoked", "api_token_created", "api_client_created"]


def test_another_municipalitys_client_is_404(client, staff_login, david, diarium):
    from sjalvservice.core.models import Municipality  # noqa: F401

    david.is_municipality_admin = True
    david.save(update_fields=["is_municipality_admin"])
    staff_login(client, david)
    assert client.get(f"/handlaggare/administrera/api-klienter/{diarium.pk}/").status_code == 404
    token = diarium.tokens.create(prefix="sjs_x", digest="0" * 64)
    revoke = f"/handlaggare/administrera/api-klienter/{diarium.pk}/nycklar/{token.pk}/aterkalla/"
    assert client.post(revoke).status_code == 404
    assert (
        client.post(f"/handlaggare/administrera/api-klienter/{diarium.pk}/nycklar/").status_code
        == 404
    )


def test_a_handler_cannot_manage_clients(client, staff_login, julia, diarium):
    staff_login(client, julia)
    assert client.get("/handlaggare/administrera/api-klienter/").status_code == 404


def test_switching_a_client_off_shuts_its_tokens_out(
    client, staff_login, karin, diarium, token, suggestion
):
    staff_login(client, karin)
    client.post(
        f"/handlaggare/administrera/api-klienter/{diarium.pk}/",
        {"name": "Diariet", "eservices": [suggestion.pk], "scopes": ["read_cases"]},
    )
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_reference_page_lists_every_operation(client, db):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    text = page.content.decode()
    for path, item in document["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in text


def test_the_reference_page_reads_the_documents_marks_and_escapes_the_rest():
    from sjalvservice.api.docs import paragraphs

    assert paragraphs("**Writes** take an\n`Idempotency-Key` <b>.\n\nSecond") == [
        "<strong>Writes</strong> take an <code>Idempotency-Key</code> &lt;b&gt;.",
        "Second",
    ]
