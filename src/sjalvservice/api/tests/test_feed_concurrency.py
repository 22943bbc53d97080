"""The event feed under writers that commit out of order: a reader that follows it sees
every event once, never skips one whose transaction committed late."""

import random
import threading
import time

import pytest
from django.db import connection, connections, transaction

from sjalvservice.api import feed

WRITERS = 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_reader_misses_and_repeats_nothing_while_writers_commit_in_any_order(
    suggestion, anna, diarium
):
    from sjalvservice.cases import services
    from sjalvservice.cases.models import CaseEvent
    from sjalvservice.cases.tests.fixtures import ANSWERS

    cases = [
        services.submit(services.start_draft(suggestion, owner=anna), by=anna, answers=ANSWERS)
        for _ in range(WRITERS)
    ]
    system = diarium.user
    start = threading.Barrier(WRITERS + 1)
    written: list[int] = []

    def write(case, delay):
        try:
            start.wait()
            with transaction.atomic():
                services.send_message(case, by=system, text="Hej")
                # The event's pk is taken now; the commit comes after the delay, so the
                # writers commit in another order than their pks.
                time.sleep(delay)
            written.append(case.pk)
        finally:
            connections.close_all()

    delays = [random.uniform(0, 0.5) for _ in cases]
    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(cases, delays, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    seen: list[int] = []
    cursor = feed.START
    while True:
        done = not any(thread.is_alive() for thread in threads)
        page = list(feed.events_after(diarium, cursor, 7))
        seen += [event.pk for event in page]
        if page:
            cursor = page[-1].transaction_id, page[-1].pk
        elif done:
            break
        else:
            time.sleep(0.01)
    for thread in threads:
        thread.join()

    expected = list(
        CaseEvent.objects.filter(case__in=cases).order_by("pk").values_list("pk", flat=True)
    )
    assert len(written) == WRITERS
    assert len(seen) == len(set(seen)), "an event was read twice"
    assert sorted(seen) == expected, "an event was missed"
    assert len(expected) == 2 * WRITERS
