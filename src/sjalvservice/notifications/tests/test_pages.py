"""The notices on the portal's pages: Mina sidor, the gateway's delivery reports, the
staff's own choices and a municipality's own texts."""

import copy

import pytest

from sjalvservice.cases import services
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.notifications.delivery import report_signature
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery, StaffEmailOptOut, TextOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(suggestion, confirmed):
    given = copy.deepcopy(ANSWERS)
    given["kontakt"]["notify_sms"] = True
    return services.submit(
        services.start_draft(suggestion, owner=confirmed), by=confirmed, answers=given
    )


@pytest.fixture
def municipality_admin(skelleftea):
    from sjalvservice.accounts.models import User

    return User.objects.create_user(
        "admin", "a-long-test-password", first_name="Agnes", last_name="Admin",
        is_staff=True, is_municipality_admin=True, municipality=skelleftea,
    )  # fmt: skip


def test_mina_sidor_shows_a_new_notice_until_the_case_is_opened(client, submitted, anna, bertil):
    client.force_login(anna)
    page = client.get("/mina-sidor/").content.decode()
    assert "1 ny händelse" in page
    client.get(f"/mina-sidor/arenden/{submitted.number}/")
    assert "ny händelse" not in client.get("/mina-sidor/").content.decode()
    notice = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.PORTAL)
    assert notice.read_at is not None


def test_opening_someone_elses_case_marks_nothing_read(client, submitted, bertil):
    client.force_login(bertil)
    assert client.get(f"/mina-sidor/arenden/{submitted.number}/").status_code == 404
    assert Delivery.objects.unread_notices(submitted.owner).count() == 1


def test_a_delivery_report_marks_the_sms_delivered_or_failed(client, submitted):
    sms = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.SMS)
    Delivery.objects.filter(pk=sms.pk).update(state="sent", provider_id="s" + "a" * 32)
    url = f"/notiser/sms/leveransrapport/{sms.pk}/{report_signature(sms.pk)}/"
    report = {"id": "s" + "a" * 32, "status": "delivered", "delivered": "2026-12-02T10:00:00.5"}
    assert client.post(url, report).status_code == 204
    sms.refresh_from_db()
    assert sms.state == Delivery.State.DELIVERED
    assert sms.delivered_at is not None
    assert client.post(url, {**report, "status": "failed"}).status_code == 204
    sms.refresh_from_db()
    assert sms.state == Delivery.State.FAILED


def test_a_delivery_report_that_is_not_ours_is_refused(client, submitted):
    sms = Delivery.objects.get(kind=Kind.CASE_SUBMITTED, channel=Channel.SMS)
    Delivery.objects.filter(pk=sms.pk).update(state="sent", provider_id="s" + "a" * 32)
    report = {"id": "s" + "a" * 32, "status": "delivered", "delivered": "2026-12-02T10:00:00"}
    forged = f"/notiser/sms/leveransrapport/{sms.pk}/{report_signature(sms.pk + 1)}/"
    assert client.post(forged, report).status_code == 404
    url = f"/notiser/sms/leveransrapport/{sms.pk}/{report_signature(sms.pk)}/"
    assert client.post(url, {**report, "id": "s" + "b" * 32}).status_code == 404
    assert client.post(url, {"id": "x"}).status_code == 400
    assert client.get(url).status_code == 405
    sms.refresh_from_db()
    assert sms.state == Delivery.State.SENT


def test_staff_choose_which_mail_they_get(client, staff_login, julia):
    staff_login(client, julia)
    page = client.get("/handlaggare/mina-notiser/")
    assert page.status_code == 200
    assert "Nytt ärende i mina e-tjänster" in page.content.decode()
    response = client.post(
        "/handlaggare/mina-notiser/",
        {"kinds": [Kind.CASE_ASSIGNED, Kind.MESSAGE_FROM_CITIZEN]},
        follow=True,
    )
    assert "Dina val av notiser är sparade." in response.content.decode()
    assert set(StaffEmailOptOut.objects.filter(user=julia).values_list("kind", flat=True)) == {
        Kind.NEW_CASE,
        Kind.CASE_SUPPLEMENTED,
    }


def test_a_citizen_has_no_staff_notice_page(client, anna):
    client.force_login(anna)
    assert client.get("/handlaggare/mina-notiser/").status_code == 302


def test_own_texts_are_checked_previewed_and_saved(
    client, staff_login, municipality_admin, suggestion
):
    staff_login(client, municipality_admin)
    url = f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/{Kind.CASE_SUBMITTED}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"subject_sv": "Ärende {nummer}", "body_en": "Case {arendenummer"})
    text = bad.content.decode()
    assert "{nummer} finns inte" in text
    assert "Klammerparenteserna går inte ihop" in text
    assert not TextOverride.objects.exists()

    preview = client.post(
        url,
        {"subject_sv": "Tack! Ärende {arendenummer}", "sms_en": "{kommun}: {lank}", "preview": "1"},
    )
    text = preview.content.decode()
    assert "Tack! Ärende 1234" in text
    assert "Skellefteå kommun: http" in text
    assert "sandbox title=" in text
    assert not TextOverride.objects.exists()

    client.post(url, {"subject_sv": "Tack! Ärende {arendenummer}"})
    saved = TextOverride.objects.get()
    assert (saved.language, saved.subject, saved.body) == ("sv", "Tack! Ärende {arendenummer}", "")
    listing = client.get(f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/")
    assert "Egna: Svenska" in listing.content.decode()
    client.post(url, {"subject_sv": ""})
    assert not TextOverride.objects.exists()


def test_the_notice_of_an_expiring_draft_has_texts_of_its_own_to_write(
    client, staff_login, municipality_admin, suggestion
):
    staff_login(client, municipality_admin)
    listing = client.get(f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/")
    url = f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/{Kind.DRAFT_EXPIRING}/"
    assert f'href="{url}">Ditt påbörjade ärende tas snart bort</a>' in listing.content.decode()
    page = client.get(url).content.decode()
    assert "Ditt påbörjade ärende i {e_tjanst} tas snart bort" in page  # the default
    assert "{borttagningsdatum}" in page
    client.post(url, {"sms_sv": "{kommun}: {e_tjanst} tas bort {borttagningsdatum}: {lank}"})
    saved = TextOverride.objects.get(kind=Kind.DRAFT_EXPIRING)
    assert saved.sms == "{kommun}: {e_tjanst} tas bort {borttagningsdatum}: {lank}"


def test_the_reminder_is_set_per_eservice(client, staff_login, municipality_admin, suggestion):
    staff_login(client, municipality_admin)
    url = f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/"
    assert "mellan 0 och 90" in client.post(url, {"days": "400"}).content.decode()
    client.post(url, {"days": "3"})
    suggestion.refresh_from_db()
    assert suggestion.supplement_reminder_days == 3


def test_another_municipalitys_texts_are_not_found(
    client, staff_login, municipality_admin, suggestion, julia, lycksele
):
    from sjalvservice.accounts.models import User

    other = User.objects.create_user(
        "lyckadmin", "a-long-test-password", is_staff=True, is_municipality_admin=True,
        municipality=lycksele,
    )  # fmt: skip
    staff_login(client, other)
    url = f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/"
    assert client.get(url).status_code == 404
    assert client.get(url + f"{Kind.CASE_SUBMITTED}/").status_code == 404
    staff_login(client, julia)  # a handler, not an administrator
    assert client.get(url).status_code == 404
    staff_login(client, municipality_admin)
    assert client.get(url + "no_such_kind/").status_code == 404


def test_the_preview_escapes_what_the_administrator_wrote(
    client, staff_login, municipality_admin, suggestion
):
    staff_login(client, municipality_admin)
    url = f"/handlaggare/administrera/e-tjanster/{suggestion.pk}/notiser/{Kind.NEW_CASE}/"
    response = client.post(
        url, {"body_sv": "<script>alert(1)</script> {arendenummer}", "preview": "1"}
    )
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 1234" in text
    # In the frame's document, once the browser has unescaped the attribute, it is still text.
    assert "&amp;lt;script&amp;gt;" in text
