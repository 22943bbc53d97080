"""Each event reaches the right people on the right channels, and nobody else: written to
the outbox with the change, delivered over real SMTP and the SMS simulator's HTTP API."""

import copy
from datetime import timedelta

import pytest
from django.core import mail

from sjalvservice.backoffice.models import Assignment, HandlerGroup
from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.cases.tests.fixtures import ANSWERS
from sjalvservice.notifications.kinds import Channel, Kind
from sjalvservice.notifications.models import Delivery, StaffEmailOptOut

pytestmark = pytest.mark.django_db


def answers(*, sms=True, email=True):
    given = copy.deepcopy(ANSWERS)
    given["kontakt"].update(notify_sms=sms, notify_email=email)
    return given


def submit(eservice, citizen, **choices):
    draft = services.start_draft(eservice, owner=citizen)
    return services.submit(draft, by=citizen, answers=answers(**choices))


def rows(case, kind):
    return sorted(
        (delivery.channel, delivery.address)
        for delivery in Delivery.objects.filter(case=case, kind=kind)
    )


@pytest.fixture
def jonas(skelleftea, suggestion):
    """A second handler of Medborgarförslag."""
    from sjalvservice.accounts.models import User

    user = User.objects.create_user(
        "jonas", "a-long-test-password", first_name="Jonas", last_name="Berg",
        email="jonas@skelleftea.example", is_staff=True, municipality=skelleftea,
    )  # fmt: skip
    Assignment.objects.create(handler=user, eservice=suggestion)
    return user


@pytest.fixture
def handlers(julia, jonas, cecilia, david):
    julia.email = "julia@skelleftea.example"
    julia.save()
    cecilia.email = "cecilia@skelleftea.example"  # not assigned to the e-service
    cecilia.save()
    david.email = "david@lycksele.example"  # another municipality
    david.save()
    return julia, jonas


def test_a_submitted_case_reaches_the_citizen_on_every_chosen_channel_and_its_handlers(
    suggestion, confirmed, handlers, bertil, mailbox, sms_gateway, deliver_due,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        case = submit(suggestion, confirmed)
    assert rows(case, Kind.CASE_SUBMITTED) == [
        (Channel.EMAIL, "anna@example.se"),
        (Channel.PORTAL, ""),
        (Channel.SMS, "0701234567"),
    ]
    assert rows(case, Kind.NEW_CASE) == [
        (Channel.EMAIL, "jonas@skelleftea.example"),
        (Channel.EMAIL, "julia@skelleftea.example"),
    ]
    assert not Delivery.objects.filter(user=bertil).exists()

    outcome = deliver_due()
    assert set(outcome.values()) == {Delivery.State.SENT}
    received = mailbox.wait_for(3)
    recipients = sorted(
        address for message in received for address in message["envelopeRecipients"]
    )
    assert recipients == [
        "anna@example.se", "jonas@skelleftea.example", "julia@skelleftea.example"
    ]  # fmt: skip
    [sms] = sms_gateway.wait_for(1)
    assert sms["to"] == "+46701234567"
    assert str(case.number) in sms["message"]
    assert not mail.outbox  # nothing went around the outbox


def test_a_person_who_chose_no_sms_gets_none_and_an_unconfirmed_address_gets_no_mail(
    suggestion, anna, handlers, mailbox, sms_gateway, deliver_due
):
    case = submit(suggestion, anna, sms=False, email=True)
    assert rows(case, Kind.CASE_SUBMITTED) == [(Channel.PORTAL, "")]
    deliver_due()
    assert [message["envelopeRecipients"] for message in mailbox.wait_for(2)] != []
    assert all(
        "anna@example.se" not in message["envelopeRecipients"] for message in mailbox.messages()
    )
    assert sms_gateway.messages() == []


def test_submitting_twice_writes_each_notice_once(suggestion, confirmed, handlers):
    draft = services.start_draft(suggestion, owner=confirmed)
    services.submit(draft, by=confirmed, answers=answers())
    services.submit(draft, by=confirmed, answers=answers())
    assert Delivery.objects.filter(case=draft, kind=Kind.CASE_SUBMITTED).count() == 3
    assert Delivery.objects.filter(case=draft, kind=Kind.NEW_CASE).count() == 2


def test_a_supplement_request_tells_the_citizen_once_and_schedules_one_reminder(
    suggestion, confirmed, handlers
):
    case = submit(suggestion, confirmed)
    julia, _jonas = handlers
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    services.set_status(case, status=awaiting, by=julia, message="Bifoga en karta.")
    assert rows(case, Kind.SUPPLEMENT_REQUESTED) == [
        (Channel.EMAIL, "anna@example.se"),
        (Channel.PORTAL, ""),
        (Channel.SMS, "0701234567"),
    ]
    # The message that asks for it is part of the same notice.
    assert not Delivery.objects.filter(case=case, kind=Kind.MESSAGE_TO_CITIZEN).exists()
    reminders = Delivery.objects.filter(case=case, kind=Kind.SUPPLEMENT_REMINDER)
    assert reminders.count() == 3
    event = case.events.get(kind="status_changed")
    assert {r.next_attempt_at - event.created_at for r in reminders} == {
        timedelta(days=suggestion.supplement_reminder_days)
    }

    services.supplement(case, by=confirmed, answers=answers())
    assert set(reminders.values_list("state", flat=True)) == {Delivery.State.CANCELLED}


def test_a_supplement_and_a_message_go_to_the_cases_own_handler_once_it_has_one(
    suggestion, confirmed, handlers
):
    julia, jonas = handlers
    case = submit(suggestion, confirmed)
    services.send_message(case, by=confirmed, text="Hej, en fråga.")
    assert rows(case, Kind.MESSAGE_FROM_CITIZEN) == [
        (Channel.EMAIL, "jonas@skelleftea.example"),
        (Channel.EMAIL, "julia@skelleftea.example"),
    ]
    services.assign(case, handler=julia, by=jonas)
    assert rows(case, Kind.CASE_ASSIGNED) == [(Channel.EMAIL, "julia@skelleftea.example")]
    awaiting = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    case = services.set_status(case, status=awaiting, by=julia, message="Bifoga en karta.")
    services.supplement(case, by=confirmed, answers=answers())
    assert rows(case, Kind.CASE_SUPPLEMENTED) == [(Channel.EMAIL, "julia@skelleftea.example")]


def test_nobody_is_told_of_what_they_did_themselves(suggestion, confirmed, handlers):
    julia, _jonas = handlers
    case = submit(suggestion, confirmed)
    services.assign(case, handler=julia, by=julia)
    assert not Delivery.objects.filter(case=case, kind=Kind.CASE_ASSIGNED).exists()


def test_staff_who_turned_a_kind_off_get_no_mail_of_it(suggestion, confirmed, handlers):
    _julia, jonas = handlers
    StaffEmailOptOut.objects.create(user=jonas, kind=Kind.NEW_CASE)
    case = submit(suggestion, confirmed)
    assert rows(case, Kind.NEW_CASE) == [(Channel.EMAIL, "julia@skelleftea.example")]


def test_a_group_with_a_shared_address_gets_one_mail_there_instead_of_one_each(
    suggestion, confirmed, skelleftea, cecilia
):
    cecilia.email = "cecilia@skelleftea.example"
    cecilia.save()
    group = HandlerGroup.objects.create(
        municipality=skelleftea, name="Förslag", email="forslag@skelleftea.example"
    )
    group.members.add(cecilia)
    group.eservices.add(suggestion)
    silent = HandlerGroup.objects.create(municipality=skelleftea, name="Utan adress")
    silent.members.add(cecilia)
    case = submit(suggestion, confirmed)
    # Cecilia is also in a group without a shared address: she hears of it herself.
    silent.eservices.add(suggestion)
    later = submit(suggestion, confirmed)
    assert rows(case, Kind.NEW_CASE) == [(Channel.EMAIL, "forslag@skelleftea.example")]
    assert rows(later, Kind.NEW_CASE) == [
        (Channel.EMAIL, "cecilia@skelleftea.example"),
        (Channel.EMAIL, "forslag@skelleftea.example"),
    ]


def test_a_status_change_and_a_message_reach_the_citizen(suggestion, confirmed, handlers):
    julia, _jonas = handlers
    case = submit(suggestion, confirmed)
    services.set_status(case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia)
    services.send_message(case, by=julia, text="Vi tittar på det.")
    assert len(rows(case, Kind.STATUS_CHANGED)) == 3
    assert len(rows(case, Kind.MESSAGE_TO_CITIZEN)) == 3


def test_a_case_sent_in_without_logging_in_notifies_only_the_handlers(suggestion, handlers):
    suggestion.requires_login = False
    suggestion.save()
    case = services.submit(services.start_draft(suggestion, owner=None), by=None, answers=ANSWERS)
    assert not Delivery.objects.filter(case=case, kind__in=[Kind.CASE_SUBMITTED]).exists()
    assert len(rows(case, Kind.NEW_CASE)) == 2


def test_without_an_sms_gateway_no_sms_is_written(suggestion, confirmed, settings):
    settings.SMS_BACKEND = "off"
    case = submit(suggestion, confirmed)
    assert rows(case, Kind.CASE_SUBMITTED) == [
        (Channel.EMAIL, "anna@example.se"),
        (Channel.PORTAL, ""),
    ]
