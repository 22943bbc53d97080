"""`sjalvservice demo`: the demo municipalities, staff, citizens and e-services."""

import base64
import datetime
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.models import User
from sjalvservice.api.models import ApiClient
from sjalvservice.backoffice.access import eservices_for
from sjalvservice.backoffice.models import Assignment, HandlerGroup, ReplyTemplate
from sjalvservice.core.models import Municipality
from sjalvservice.core.se_ids import (
    is_valid_personal_identity_number,
    parse_personal_identity_number,
)
from sjalvservice.demo.data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from sjalvservice.eservices.models import Category, EService, EServiceVersion
from sjalvservice.eservices.transfer import demo_files


def demo_code():
    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_it_loads_the_municipalities_staff_and_citizens(db, capsys):
    call_command("demo")
    assert set(Municipality.objects.values_list("name", flat=True)) == {
        "Lycksele kommun",
        "Skellefteå kommun",
    }
    julia = User.objects.get(username="julia")
    assert julia.get_full_name() == "Julia Landsell"
    assert julia.municipality.name == "Skellefteå kommun"
    assert julia.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="david").municipality.name == "Lycksele kommun"
    assert User.objects.get(username="admin").is_superuser
    jenny = User.objects.get(personal_identity_number="198101059825")
    assert jenny.get_full_name() == "Jenny Testersson"
    assert not jenny.has_usable_password()
    output = capsys.readouterr().out
    assert "julia" in output
    assert "198101059825 Jenny Testersson" in output


def test_it_can_run_twice_without_duplicating_anything(db, capsys):
    call_command("demo")
    call_command("demo")
    assert Municipality.objects.count() == 2
    # The people, and the account of the case-management system's API client.
    assert User.objects.count() == 7
    assert ApiClient.objects.count() == 1
    assert "already there" in capsys.readouterr().out


def test_the_test_citizens_are_from_the_reserved_test_series(db):
    call_command("demo", quiet=True)
    for user in User.objects.citizens():
        number = user.personal_identity_number
        assert is_valid_personal_identity_number(number)
        serial = int(parse_personal_identity_number(number).number[8:11])
        assert 980 <= serial <= 999


def test_it_loads_the_demo_e_services_published_and_findable(db):
    call_command("demo", quiet=True)
    assert EService.objects.published().count() == len(demo_files())
    proposal = EService.objects.get(slug="medborgarforslag")
    assert proposal.municipality.name == "Skellefteå kommun"
    assert proposal.current_version.number == 1
    assert not EService.objects.get(slug="felanmalan-gata-och-park").requires_login


def test_running_it_again_publishes_no_new_versions(db):
    call_command("demo", quiet=True)
    call_command("demo", quiet=True)
    assert EServiceVersion.objects.count() == len(demo_files())


def test_it_enrols_the_staff_with_the_published_secret(db):
    call_command("demo", quiet=True)
    for username in ("admin", "kommunadmin", "julia", "david"):
        device = TOTPDevice.objects.get(user__username=username)
        assert device.confirmed
        assert device.bin_key == base64.b32decode("JBSWY3DPEHPK3PXP")
    karin = User.objects.get(username="kommunadmin")
    assert karin.get_full_name() == "Karin Administratör"
    assert karin.is_municipality_admin
    assert karin.municipality.slug == "skelleftea"
    assert not User.objects.get(username="julia").is_municipality_admin
    assert User.objects.get(username="admin").is_superuser


def test_the_handlers_have_their_municipalitys_e_services(db):
    call_command("demo", quiet=True)
    julia = User.objects.get(username="julia")
    david = User.objects.get(username="david")
    skelleftea = set(EService.objects.filter(municipality__slug="skelleftea").values_list(
        "slug", flat=True))  # fmt: skip
    lycksele = set(EService.objects.filter(municipality__slug="lycksele").values_list(
        "slug", flat=True))  # fmt: skip
    assert {"bygglov", "medborgarforslag", "serveringstillstand"} <= skelleftea
    assert {"batplats", "boka-lokal", "felanmalan-gata-och-park"} <= lycksele
    assert set(eservices_for(julia).values_list("slug", flat=True)) == skelleftea
    assert julia.handler_groups.get().name == "Kommunledningskontoret"
    assert set(eservices_for(david).values_list("slug", flat=True)) == lycksele


def test_it_adds_the_reply_templates(db):
    call_command("demo", quiet=True)
    titles = ReplyTemplate.objects.filter(eservice__slug="medborgarforslag").values_list(
        "title", flat=True
    )
    assert set(titles) == {"Förslaget är mottaget", "Komplettera med plats"}


def test_loading_it_again_changes_nothing(db, capsys):
    call_command("demo", quiet=True)
    models = (User, TOTPDevice, HandlerGroup, Assignment, EService, Category, ReplyTemplate)
    counts = [model.objects.count() for model in models]
    keys = list(TOTPDevice.objects.order_by("pk").values_list("key", flat=True))
    call_command("demo")
    assert "already there; nothing changed" in capsys.readouterr().out
    assert [model.objects.count() for model in models] == counts
    assert list(TOTPDevice.objects.order_by("pk").values_list("key", flat=True)) == keys


def test_it_prints_where_and_how_the_staff_log_in(db, capsys):
    call_command("demo")
    output = capsys.readouterr().out
    assert "kommunadmin" in output
    assert "at /handlaggare/logga-in/" in output
    assert "oathtool --totp -b JBSWY3DPEHPK3PXP" in output


def test_a_demo_handler_logs_in_with_the_published_secret(client, db):
    call_command("demo", quiet=True)
    client.post(reverse("backoffice:login"), {"username": "kommunadmin", "password": DEMO_PASSWORD})
    response = client.post(reverse("backoffice:verify"), {"code": demo_code()})
    assert response["Location"] == reverse("backoffice:inbox")
    assert client.get(reverse("backoffice:manage")).status_code == 200


def test_it_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="MODE=production"):
        call_command("demo", quiet=True)
    assert not Municipality.objects.exists()


def test_lyckseles_boat_place_queue_has_bertil_then_jenny_and_lyckan_is_bookable(db):
    from sjalvservice.reservations import services
    from sjalvservice.reservations.models import Queue, Resource

    call_command("demo", quiet=True)
    call_command("demo", quiet=True)
    queue = Queue.objects.get(municipality__slug="lycksele", slug="batplatser")
    line = [(place.person.first_name, services.position(place)) for place in queue.places.all()]
    assert line == [("Bertil", 1), ("Jenny", 2)]
    lyckan = Resource.objects.get(slug="lyckan")
    next_monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    day = services.week_slots(lyckan, next_monday)[next_monday]
    assert [slot.starts_at.hour for slot in day] == list(range(8, 17))
