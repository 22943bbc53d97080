from django.core.management import call_command

from sjalvservice.accounts.models import User
from sjalvservice.core.management.commands.demo import DEMO_PASSWORD
from sjalvservice.core.models import Municipality
from sjalvservice.core.se_ids import (
    is_valid_personal_identity_number,
    parse_personal_identity_number,
)


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
    assert User.objects.count() == 6
    assert "already there" in capsys.readouterr().out


def test_the_test_citizens_are_from_the_reserved_test_series(db):
    call_command("demo", quiet=True)
    for user in User.objects.citizens():
        number = user.personal_identity_number
        assert is_valid_personal_identity_number(number)
        serial = int(parse_personal_identity_number(number).number[8:11])
        assert 980 <= serial <= 999


def test_it_loads_the_demo_e_services_published_and_findable(db):
    from sjalvservice.eservices.models import EService

    call_command("demo", quiet=True)
    assert EService.objects.published().count() == 6
    proposal = EService.objects.get(slug="medborgarforslag")
    assert proposal.municipality.name == "Skellefteå kommun"
    assert proposal.current_version.number == 1
    assert not EService.objects.get(slug="felanmalan-gata-och-park").requires_login


def test_running_it_again_publishes_no_new_versions(db):
    from sjalvservice.eservices.models import EServiceVersion

    call_command("demo", quiet=True)
    call_command("demo", quiet=True)
    assert EServiceVersion.objects.count() == 6
