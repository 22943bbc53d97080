"""`sjalvservice seed_scale` (``demo.bulk``): many cases, each as the domain would leave it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.http import QueryDict
from django.urls import reverse

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.access import eservices_for
from sjalvservice.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseRevision,
    Message,
    StatusKind,
)
from sjalvservice.cases.runner import definition_of
from sjalvservice.core.models import Municipality
from sjalvservice.core.se_ids import is_valid_personal_identity_number
from sjalvservice.demo import bulk
from sjalvservice.demo.data import DEMO_PASSWORD
from sjalvservice.eservices.definitions import build_step_form, visible_steps
from sjalvservice.eservices.models import EService

CASES = 2000


@pytest.fixture
def seeded(db):
    return bulk.seed(cases=CASES, municipalities=4, bench_citizen_cases=60)


def newest_event(field):
    events = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-created_at", "-pk")
    return Subquery(events.values(field)[:1])


def test_it_makes_the_cases_it_says(seeded):
    assert Case.objects.count() == CASES == seeded.cases
    assert Case.objects.drafts().count() == seeded.drafts > 0
    assert Case.objects.filter(status_kind=StatusKind.CLOSED).count() == seeded.closed > 0
    assert seeded.drafts + seeded.open + seeded.closed == CASES
    assert CaseEvent.objects.count() == seeded.events
    assert 2.5 * CASES < seeded.events < 3.5 * CASES
    assert Message.objects.count() == seeded.messages > 0
    assert CaseRevision.objects.count() == seeded.revisions
    assert Municipality.objects.count() == 4
    assert EService.objects.count() == 4 * bulk.ESERVICES_PER_MUNICIPALITY


def test_every_case_has_its_statuses_kind_and_its_eservices_municipality(seeded):
    assert not Case.objects.exclude(status_kind=F("status__kind")).exists()
    assert not Case.objects.exclude(municipality=F("eservice__municipality")).exists()
    assert not Case.objects.exclude(eservice_version__eservice=F("eservice")).exists()
    assert not Case.objects.filter(owner__isnull=True).exists()


def test_numbers_are_unique_and_the_sequence_is_at_the_highest(seeded):
    numbers = list(Case.objects.submitted().values_list("number", flat=True))
    assert None not in numbers
    assert len(numbers) == len(set(numbers)) == CASES - seeded.drafts
    assert CaseNumberSequence.objects.get(pk=1).last_number == max(numbers)
    drafts = Case.objects.drafts()
    assert not drafts.filter(Q(number__isnull=False) | Q(submitted_at__isnull=False)).exists()
    assert not drafts.filter(events__isnull=False).exists()


def test_every_submitted_case_has_a_revision_and_begins_with_submitted(seeded):
    submitted = Case.objects.submitted()
    assert not submitted.exclude(revisions__number=1).exists()
    first = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("created_at", "pk")
    kinds = submitted.annotate(first=Subquery(first.values("kind")[:1]))
    assert set(kinds.values_list("first", flat=True)) == {CaseEvent.Kind.SUBMITTED}
    starts = submitted.annotate(at=Subquery(first.values("created_at")[:1]))
    assert not starts.exclude(at=F("submitted_at")).exists()
    assert not CaseRevision.objects.exclude(answers=F("case__answers")).exists()


def test_the_newest_event_is_the_last_event_and_has_the_cases_status(seeded):
    submitted = Case.objects.submitted().annotate(
        newest=Max("events__created_at"), newest_status=newest_event("status")
    )
    assert not submitted.exclude(last_event_at=F("newest")).exists()
    assert not submitted.exclude(status=F("newest_status")).exists()
    assert not submitted.filter(due_at__lte=F("submitted_at")).exists()


def test_messages_go_both_ways_and_each_has_its_event(seeded):
    directions = set(Message.objects.values_list("direction", flat=True))
    assert directions == {Message.Direction.TO_CITIZEN, Message.Direction.FROM_CITIZEN}
    per_case = Case.objects.annotate(
        written=Count("messages", distinct=True),
        told=Count(
            "events",
            filter=Q(
                events__kind__in=[
                    CaseEvent.Kind.MESSAGE_TO_CITIZEN,
                    CaseEvent.Kind.MESSAGE_FROM_CITIZEN,
                ]
            ),
            distinct=True,
        ),
    )
    assert not per_case.exclude(written=F("told")).exists()
    unread = Case.objects.filter(handler_unread=True)
    assert unread.exists()
    worked_on = [StatusKind.SUBMITTED, StatusKind.IN_PROGRESS]
    assert not unread.exclude(status_kind__in=worked_on).exists()
    assert not unread.exclude(
        messages__direction=Message.Direction.FROM_CITIZEN, messages__read_at__isnull=True
    ).exists()


def test_citizens_have_valid_unique_personal_identity_numbers(seeded):
    citizens = User.objects.citizens()
    numbers = list(citizens.values_list("personal_identity_number", flat=True))
    assert len(numbers) == len(set(numbers)) == seeded.citizens
    assert all(is_valid_personal_identity_number(number) for number in numbers)
    assert citizens.filter(last_name="Andersson").exists()


def test_the_answers_pass_their_eservices_step_forms(seeded):
    for eservice in EService.objects.all():
        case = Case.objects.submitted().filter(eservice=eservice).first()
        if case is None:
            continue
        definition = definition_of(case)
        steps = [step.key for step in visible_steps(definition, case.answers)]
        assert case.completed_steps == steps
        for step in steps:
            shown = build_step_form(definition, step, answers=case.answers)
            data = QueryDict(mutable=True)
            for name, value in shown.initial.items():
                if isinstance(value, list):
                    data.setlist(name, [str(item) for item in value])
                elif value not in (None, False):
                    data[name] = "on" if value is True else str(value)
            form = build_step_form(definition, step, answers=case.answers, data=data)
            assert form.is_valid(), (eservice.slug, step, form.errors)
        contact = case.answers.get("kontakt")
        if contact:
            assert (contact["first_name"], contact["last_name"]) == (
                case.owner.first_name,
                case.owner.last_name,
            )


def test_the_bench_citizen_has_drafts_open_and_closed_cases(seeded):
    citizen = User.objects.get(username=bulk.BENCH_CITIZEN)
    assert citizen.pk == seeded.bench_citizen
    assert citizen.is_citizen
    kinds = Case.objects.for_citizen(citizen).values_list("status_kind", flat=True)
    assert len(kinds) == 60
    assert StatusKind.DRAFT in kinds
    assert StatusKind.CLOSED in kinds
    assert set(kinds) & {StatusKind.SUBMITTED, StatusKind.IN_PROGRESS,
                         StatusKind.AWAITING_SUPPLEMENT, StatusKind.SUPPLEMENTED}  # fmt: skip


def test_the_bench_staff_can_use_the_back_office_of_skelleftea(seeded, client, staff_login):
    handler = User.objects.get(username=bulk.BENCH_HANDLER)
    admin = User.objects.get(username=bulk.BENCH_ADMIN)
    assert handler.pk == seeded.bench_handler
    assert admin.pk == seeded.bench_admin
    assert handler.municipality.slug == admin.municipality.slug == "skelleftea"
    assert admin.is_municipality_admin
    assert handler.check_password(DEMO_PASSWORD)
    everything = EService.objects.filter(municipality=handler.municipality).count()
    assert eservices_for(handler).count() == everything // 4
    assert eservices_for(admin).count() == everything
    case = Case.objects.filter(handler=handler).first()
    assert case is not None
    for user in (handler, admin):
        assert user.totpdevice_set.filter(confirmed=True).exists()
        staff_login(client, user)
        assert client.get(reverse("backoffice:inbox")).status_code == 200
        assert client.get(reverse("backoffice:case", args=[case.number])).status_code == 200


def test_analyze_runs_inside_a_transaction(seeded):
    bulk.analyze()


def test_it_refuses_a_database_with_cases(seeded):
    with pytest.raises(ValueError, match="already has cases"):
        bulk.seed(cases=10, municipalities=1)


def test_the_command_seeds_and_prints_what_it_made(db, capsys):
    call_command("seed_scale", "--cases", "300", "--municipalities", "2", "--no-analyze")
    assert Case.objects.count() == 300
    assert "300 cases" in capsys.readouterr().out


def test_the_command_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_scale", "--cases", "10")
    assert not Case.objects.exists()
