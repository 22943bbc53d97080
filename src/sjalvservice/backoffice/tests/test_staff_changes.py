"""Changes of who may do or see what, and their record "Ändringar av behörigheter"."""

import datetime as dt

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.models import Assignment, HandlerGroup, StaffChange
from sjalvservice.eservices.tests.conftest import make_eservice

PASSWORD = "a-long-test-password"
IP = "198.51.100.7"
Action = StaffChange.Action


@pytest.fixture
def lars(lycksele):
    """The municipality administrator of Lycksele, who must never change Skellefteå's staff."""
    return User.objects.create_user(
        "lars", PASSWORD, first_name="Lars", last_name="Lyck",
        is_staff=True, is_municipality_admin=True, municipality=lycksele,
    )  # fmt: skip


@pytest.fixture
def admin_client(client, karin, staff_login):
    return staff_login(client, karin)


@pytest.fixture
def building_permit(skelleftea, category):
    return make_eservice(skelleftea, category, slug="bygglov", title="Bygglov")


@pytest.fixture
def council_office(skelleftea, julia, suggestion):
    group = HandlerGroup.objects.create(municipality=skelleftea, name="Kommunledningskontoret")
    group.members.add(julia)
    group.eservices.add(suggestion)
    return group


def only_change():
    """The one recorded change (fails if there are none or several)."""
    (change,) = StaffChange.objects.all()
    return change


def assert_recorded(change, *, action, actor, target, municipality):
    assert change.action == action
    assert change.actor == actor
    assert change.actor_name == actor.display_name
    assert change.municipality == municipality
    assert change.ip_address == IP
    assert change.target_id == target.pk
    if isinstance(target, User):
        assert change.target_type == StaffChange.TargetType.HANDLER
        assert change.target_name == target.display_name
    else:
        assert change.target_type == StaffChange.TargetType.GROUP
        assert change.target_name == target.name


def assert_keeps_no_secret(change, *secrets):
    text = " ".join(str(getattr(change, field.attname)) for field in StaffChange._meta.fields)
    for secret in secrets:
        assert secret not in text


# Every change through the views leaves exactly one record ---------------------------------


def test_adding_a_handler_records_who_added_whom_from_where_but_not_the_password(
    admin_client, karin, skelleftea
):
    password = "Granskog-Vinter-2025"
    admin_client.post(
        reverse("backoffice:manage_handler_add"),
        {"username": "nils", "first_name": "Nils", "last_name": "Nilsson",
         "email": "nils@skelleftea.example", "password": password},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    nils = User.objects.get(username="nils")
    change = only_change()
    assert_recorded(
        change, action=Action.HANDLER_CREATED, actor=karin, target=nils, municipality=skelleftea
    )
    assert change.detail == "Användarnamn nils."
    assert_keeps_no_secret(change, password, nils.password)


def test_deactivating_and_reactivating_a_handler_records_each(
    admin_client, karin, cecilia, skelleftea
):
    url = reverse("backoffice:manage_handler_active", args=[cecilia.pk])
    admin_client.post(url, REMOTE_ADDR=IP)
    assert_recorded(
        only_change(),
        action=Action.HANDLER_DEACTIVATED,
        actor=karin,
        target=cecilia,
        municipality=skelleftea,
    )
    admin_client.post(url, REMOTE_ADDR=IP)
    newest, oldest = StaffChange.objects.all()
    assert oldest.action == Action.HANDLER_DEACTIVATED
    assert_recorded(
        newest,
        action=Action.HANDLER_REACTIVATED,
        actor=karin,
        target=cecilia,
        municipality=skelleftea,
    )
    cecilia.refresh_from_db()
    assert cecilia.is_active


def test_resetting_the_second_factor_records_it_but_not_the_apps_secret(
    admin_client, karin, cecilia, skelleftea
):
    device = TOTPDevice.objects.create(user=cecilia, name="Mobil", confirmed=True)
    admin_client.post(
        reverse("backoffice:manage_handler_reset_second_factor", args=[cecilia.pk]),
        REMOTE_ADDR=IP,
    )
    assert not TOTPDevice.objects.filter(user=cecilia).exists()
    change = only_change()
    assert_recorded(
        change,
        action=Action.SECOND_FACTOR_RESET,
        actor=karin,
        target=cecilia,
        municipality=skelleftea,
    )
    assert change.detail == "1 autentiseringsapp borttagen."
    assert_keeps_no_secret(change, device.key)


def test_choosing_e_services_and_groups_records_what_was_added_and_removed(
    admin_client, karin, cecilia, skelleftea, suggestion, building_permit, council_office
):
    cecilia.personal_identity_number = "198101059825"
    cecilia.save()
    url = reverse("backoffice:manage_handler", args=[cecilia.pk])
    data = {"eservices": [suggestion.pk, building_permit.pk], "groups": [council_office.pk]}
    admin_client.post(url, data, REMOTE_ADDR=IP)
    change = only_change()
    assert_recorded(
        change, action=Action.ACCESS_CHANGED, actor=karin, target=cecilia, municipality=skelleftea
    )
    assert change.detail == (
        "E-tjänster tillagda: Bygglov, Medborgarförslag. Grupper tillagda: Kommunledningskontoret."
    )
    assert_keeps_no_secret(change, "198101059825")

    admin_client.post(url, {"eservices": [building_permit.pk]}, REMOTE_ADDR=IP)
    assert StaffChange.objects.count() == 2
    assert StaffChange.objects.first().detail == (
        "E-tjänster borttagna: Medborgarförslag. Grupper borttagna: Kommunledningskontoret."
    )
    assert list(Assignment.objects.filter(handler=cecilia).values_list("eservice", flat=True)) == [
        building_permit.pk
    ]


def test_saving_the_same_e_services_and_groups_again_records_nothing(
    admin_client, julia, suggestion
):
    url = reverse("backoffice:manage_handler", args=[julia.pk])
    response = admin_client.post(url, {"eservices": [suggestion.pk]}, REMOTE_ADDR=IP)
    assert response.status_code == 302
    assert not StaffChange.objects.exists()


def test_creating_a_group_records_its_members_and_e_services(
    admin_client, karin, julia, cecilia, skelleftea, suggestion
):
    admin_client.post(
        reverse("backoffice:manage_group_add"),
        {"name": "Bygg och miljö", "email": "bygg@skelleftea.example",
         "members": [julia.pk, cecilia.pk], "eservices": [suggestion.pk]},
        REMOTE_ADDR=IP,
    )  # fmt: skip
    group = HandlerGroup.objects.get(name="Bygg och miljö")
    change = only_change()
    assert_recorded(
        change, action=Action.GROUP_CREATED, actor=karin, target=group, municipality=skelleftea
    )
    assert change.detail == (
        "Medlemmar: Cecilia Handläggare, Julia Landsell. E-tjänster: Medborgarförslag. "
        "Gemensam e-postadress bygg@skelleftea.example."
    )


def test_changing_a_group_records_its_old_name_and_who_and_what_came_and_went(
    admin_client, karin, julia, cecilia, skelleftea, suggestion, building_permit, council_office
):
    admin_client.post(
        reverse("backoffice:manage_group", args=[council_office.pk]),
        {"name": "Kansliet", "members": [cecilia.pk], "eservices": [building_permit.pk]},
        REMOTE_ADDR=IP,
    )
    council_office.refresh_from_db()
    assert council_office.name == "Kansliet"
    change = only_change()
    assert_recorded(
        change,
        action=Action.GROUP_CHANGED,
        actor=karin,
        target=council_office,
        municipality=skelleftea,
    )
    assert change.target_name == "Kansliet"
    assert change.detail == (
        "Nytt namn, tidigare Kommunledningskontoret. Medlemmar tillagda: Cecilia Handläggare. "
        "Medlemmar borttagna: Julia Landsell. E-tjänster tillagda: Bygglov. "
        "E-tjänster borttagna: Medborgarförslag."
    )


def test_saving_a_group_unchanged_records_nothing(admin_client, julia, suggestion, council_office):
    admin_client.post(
        reverse("backoffice:manage_group", args=[council_office.pk]),
        {"name": "Kommunledningskontoret", "members": [julia.pk], "eservices": [suggestion.pk]},
        REMOTE_ADDR=IP,
    )
    assert not StaffChange.objects.exists()


def test_refused_and_invalid_changes_record_nothing(admin_client, karin, cecilia):
    admin_client.post(reverse("backoffice:manage_handler_active", args=[karin.pk]))
    admin_client.post(reverse("backoffice:manage_handler_reset_second_factor", args=[karin.pk]))
    karin.refresh_from_db()
    assert karin.is_active
    assert TOTPDevice.objects.filter(user=karin).exists()
    response = admin_client.post(
        reverse("backoffice:manage_handler_add"),
        {"username": "nils", "first_name": "Nils", "last_name": "Nilsson",
         "email": "nils@skelleftea.example", "password": "kort"},
    )  # fmt: skip
    assert response.status_code == 200
    response = admin_client.post(reverse("backoffice:manage_group_add"), {"name": ""})
    assert response.status_code == 200
    assert not StaffChange.objects.exists()


def test_the_address_is_the_one_the_trusted_proxy_saw(admin_client, cecilia, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    admin_client.post(
        reverse("backoffice:manage_handler_active", args=[cecilia.pk]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.44",
    )
    assert only_change().ip_address == "192.0.2.44"


def test_a_change_whose_record_fails_is_not_made(admin_client, cecilia, monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("the record could not be written")

    monkeypatch.setattr(StaffChange, "save", fail)
    with pytest.raises(DatabaseError):
        admin_client.post(reverse("backoffice:manage_handler_active", args=[cecilia.pk]))
    cecilia.refresh_from_db()
    assert cecilia.is_active


# Another municipality's administrator --------------------------------------------------


def test_an_administrator_of_another_municipality_gets_404_and_nothing_is_recorded(
    client, staff_login, lars, cecilia, suggestion, council_office
):
    TOTPDevice.objects.create(user=cecilia, name="Mobil", confirmed=True)
    staff_login(client, lars)
    for url, data in [
        (reverse("backoffice:manage_handler", args=[cecilia.pk]), {"eservices": [suggestion.pk]}),
        (reverse("backoffice:manage_handler_active", args=[cecilia.pk]), {}),
        (reverse("backoffice:manage_handler_reset_second_factor", args=[cecilia.pk]), {}),
        (
            reverse("backoffice:manage_group", args=[council_office.pk]),
            {"name": "Övertagen", "members": [cecilia.pk]},
        ),
    ]:
        assert client.post(url, data, REMOTE_ADDR=IP).status_code == 404, url
    assert not StaffChange.objects.exists()
    cecilia.refresh_from_db()
    assert cecilia.is_active
    assert TOTPDevice.objects.filter(user=cecilia).exists()
    assert not Assignment.objects.filter(handler=cecilia).exists()
    council_office.refresh_from_db()
    assert council_office.name == "Kommunledningskontoret"


# The page "Ändringar av behörigheter" ---------------------------------------------------


def change_row(municipality, target_name, **fields):
    return StaffChange.objects.create(
        municipality=municipality, actor_name="Karin Administratör",
        action=Action.HANDLER_DEACTIVATED, target_type=StaffChange.TargetType.HANDLER,
        target_id=1, target_name=target_name, ip_address="192.0.2.10", **fields,
    )  # fmt: skip


def test_the_page_shows_only_the_municipalitys_changes_newest_first(
    admin_client, skelleftea, lycksele
):
    first = change_row(skelleftea, "Först Ändrad")
    change_row(lycksele, "Lycksele Handläggare")
    second = change_row(skelleftea, "Sist Ändrad")
    # The first row is the newest by time, though not by id: the time decides.
    StaffChange.objects.filter(pk=first.pk).update(
        created_at=timezone.now() + dt.timedelta(minutes=5)
    )
    response = admin_client.get(reverse("backoffice:manage_staff_changes"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["rows"]] == [first.pk, second.pk]
    page = response.content.decode()
    assert "Lycksele Handläggare" not in page
    assert page.count("<h1") == 1
    assert '<caption class="govuk-table__caption' in page
    assert page.count('<th scope="col"') == 4
    assert "Inaktiverade konto" in page
    assert "192.0.2.10" in page


def test_a_change_made_in_the_views_shows_on_the_page(admin_client, cecilia):
    admin_client.post(reverse("backoffice:manage_handler_active", args=[cecilia.pk]))
    page = admin_client.get(reverse("backoffice:manage_staff_changes")).content.decode()
    assert "Cecilia Handläggare" in page
    assert "Inaktiverade konto" in page
    assert "Karin Administratör" in page


def test_the_page_pages_by_keyset_fifty_at_a_time(
    admin_client, skelleftea, lycksele, django_assert_max_num_queries
):
    StaffChange.objects.bulk_create(
        StaffChange(municipality=skelleftea, actor_name="Karin", action=Action.ACCESS_CHANGED,
                    target_type=StaffChange.TargetType.HANDLER, target_id=n, target_name=f"H{n}")
        for n in range(1, 121)
    )  # fmt: skip
    change_row(lycksele, "Lycksele Handläggare")
    url = reverse("backoffice:manage_staff_changes")
    seen = []
    params = {}
    for _page in range(3):
        with django_assert_max_num_queries(12):
            response = admin_client.get(url, params)
        rows = response.context["rows"]
        assert len(rows) <= 50
        seen.extend(row.pk for row in rows)
        if not response.context["older"]:
            break
        assert "Nästa sida" in response.content.decode()
        params = {"efter": response.context["older"]}
    assert not response.context["older"]  # three pages: 50, 50 and 20
    assert "Till början" in response.content.decode()
    mine = StaffChange.objects.filter(municipality=skelleftea).order_by("-created_at", "-pk")
    assert seen == list(mine.values_list("pk", flat=True))


def test_a_broken_cursor_shows_the_first_page(admin_client, skelleftea):
    change_row(skelleftea, "Cecilia Handläggare")
    for cursor in ("x", "2025-01-01_x", "_5", "2025-13-45T00:00:00_3"):
        response = admin_client.get(reverse("backoffice:manage_staff_changes"), {"efter": cursor})
        assert response.status_code == 200
        assert len(response.context["rows"]) == 1


def test_an_empty_page_says_so(admin_client):
    page = admin_client.get(reverse("backoffice:manage_staff_changes")).content.decode()
    assert "Inga ändringar har gjorts ännu." in page
    assert "<table" not in page


def test_a_handler_gets_404_on_the_page(client, staff_login, julia, skelleftea):
    change_row(skelleftea, "Cecilia Handläggare")
    staff_login(client, julia)
    assert client.get(reverse("backoffice:manage_staff_changes")).status_code == 404


def test_a_handler_of_another_municipality_gets_404_on_the_page(client, staff_login, david):
    staff_login(client, david)
    assert client.get(reverse("backoffice:manage_staff_changes")).status_code == 404


def test_citizens_and_anonymous_visitors_go_to_the_staff_login(client, anna):
    url = reverse("backoffice:manage_staff_changes")
    for who in (None, anna):
        if who is not None:
            client.force_login(who)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("backoffice:login"))


def test_the_page_only_answers_get(admin_client):
    assert admin_client.post(reverse("backoffice:manage_staff_changes")).status_code == 405


def test_the_access_log_and_the_overview_link_to_the_page(admin_client):
    url = reverse("backoffice:manage_staff_changes")
    for page in ("backoffice:manage_access_log", "backoffice:manage"):
        assert url in admin_client.get(reverse(page)).content.decode(), page
