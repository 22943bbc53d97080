"""The demo's whole loop over real HTTP: a citizen submits, the webhook reaches the
simulated case-management system, which gives the case its id and "Under behandling",
then asks for a supplement from its page; the portal shows it all."""

import time

import pytest

from sjalvservice.cases.models import CaseEvent, StatusKind, SystemReference
from sjalvservice.notifications.delivery import deliver
from sjalvservice.notifications.kinds import Channel
from sjalvservice.notifications.models import Delivery
from sjalvservice.simulators.case_system.server import Simulator

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_submitted_case_goes_round_the_case_system_and_back(
    live_server, diarium, token, actor, suggestion, anna, settings, client
):
    from sjalvservice.api import clients
    from sjalvservice.cases import services
    from sjalvservice.cases.tests.fixtures import ANSWERS

    settings.WEBHOOK_REQUIRE_HTTPS = False
    with Simulator(portal=live_server.url, token=token, secret="", quiet=True) as system:
        webhook = clients.create_webhook(
            diarium, by=actor, url=f"{system.url}/webhooks", event_types=[]
        )
        system.secret = webhook.secret
        case = services.submit(
            services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS
        )
        sent = Delivery.objects.get(case=case, channel=Channel.WEBHOOK)
        assert deliver(sent.pk) == Delivery.State.SENT

        wait_until(lambda: system.held() and system.held()[0].status == "Under behandling")
        case.refresh_from_db()
        assert case.status_kind == StatusKind.IN_PROGRESS
        reference = SystemReference.objects.get(case=case)
        assert reference.system == "Ärendesystemet"
        assert reference.identifier.startswith("AS-")
        assert reference.acknowledged_at is not None
        assert CaseEvent.objects.filter(case=case).latest("pk").person_name == "Diariet"

        # The same webhook again (a retry after a lost answer) changes nothing.
        Delivery.objects.filter(pk=sent.pk).update(state=Delivery.State.PENDING)
        deliver(sent.pk)
        time.sleep(0.3)
        assert CaseEvent.objects.filter(case=case, kind="status_changed").count() == 1

        system.ask_for_supplement(case.number, "Skicka en ritning över tomten.")
        case.refresh_from_db()
        assert case.status_kind == StatusKind.AWAITING_SUPPLEMENT

    client.force_login(anna)
    page = client.get(f"/mina-sidor/arenden/{case.number}/meddelanden/").content.decode()
    assert "Skicka en ritning över tomten." in page
