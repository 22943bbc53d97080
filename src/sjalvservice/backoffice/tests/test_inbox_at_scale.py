"""The inbox at a realistic size: every query walks an index, and none counts the table.

On PostgreSQL, with 20,000 cases seeded in several municipalities and the statistics
analysed, the plan of every query an inbox page runs (the counts, each tab, a deep page,
each filter, the searches) reads ``cases_case`` and ``accounts_user`` through indexes only:
a sequential scan there is what makes a page's cost follow the whole table. The number
of queries is the same at 10 cases as at 10,000.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sjalvservice.accounts.models import User
from sjalvservice.backoffice.access import cases_for
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.core.se_ids import parse_personal_identity_number
from sjalvservice.demo import bulk

INBOX = reverse("backoffice:inbox")
WATCHED = {"cases_case", "accounts_user"}


def inbox_variants(handler: User) -> dict[str, dict[str, Any]]:
    """Every tab, filter and search of the inbox, as query strings."""
    mine = cases_for(handler)
    case = mine.select_related("owner").filter(owner__isnull=False).order_by("-pk").first()
    assert case is not None
    assert case.owner is not None
    # A status the "Alla aktiva" tab can hold.
    status = Status.objects.default_for(StatusKind.IN_PROGRESS)
    assert status is not None
    pin = parse_personal_identity_number(case.owner.personal_identity_number)
    return {
        "att-hantera": {},
        "mina": {"flik": "mina"},
        "aktiva": {"flik": "aktiva"},
        "avslutade": {"flik": "avslutade"},
        "ingen handläggare": {"flik": "aktiva", "handlaggare": "ingen"},
        "en handläggare": {"flik": "avslutade", "handlaggare": str(handler.pk)},
        "e-tjänst": {"flik": "avslutade", "etjanst": str(case.eservice_id)},
        "status": {"flik": "aktiva", "status": str(status.pk)},
        "datum": {"flik": "avslutade", "fran": "2024-01-01", "till": "2024-03-31"},
        "ärendenummer": {"flik": "avslutade", "q": str(case.number)},
        "personnummer": {"flik": "avslutade", "q": pin.formatted},
        # A person's name, as a handler looking for someone would write it.
        "namn": {"flik": "avslutade", "q": case.owner.get_full_name()},
    }


def deep_page(client: Any, params: dict[str, Any], hops: int) -> str:
    """The URL of the page ``hops`` "Nästa sida" links into a tab."""
    url = INBOX + "?" + "&".join(f"{key}={value}" for key, value in params.items())
    for _hop in range(hops):
        html = client.get(url).content.decode()
        match = re.search(r'href="(\?[^"]*efter=[^"]*)" rel="next"', html)
        assert match, f"fewer than {hops} pages"
        url = INBOX + match.group(1).replace("&amp;", "&")
    return url


def queries_of(client: Any, url: str, params: dict[str, Any] | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def scans(plan: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (node type, relation) in a plan, sub-plans included."""
    found = [(plan["Node Type"], plan.get("Relation Name", ""))]
    for child in plan.get("Plans", []):
        found.extend(scans(child))
    return found


def sequential_scans(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return [
        relation
        for node, relation in scans(plan[0]["Plan"])
        if node == "Seq Scan" and relation in WATCHED
    ]


@pytest.fixture
def seeded(db):
    # As many citizens as a region has for that many cases in one municipality.
    summary = bulk.seed(cases=20_000, citizens=100_000, municipalities=4)
    bulk.analyze()
    return summary


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plans are PostgreSQL's")
def test_no_inbox_query_reads_a_whole_table(seeded, client, staff_login):
    problems = []
    for username in ("bench-handler", "bench-admin"):
        handler = User.objects.get(username=username)
        staff_login(client, handler)
        client.get(INBOX)  # the first request after login also writes the session
        urls = [(name, INBOX, params) for name, params in inbox_variants(handler).items()]
        urls.append(("sida 20", deep_page(client, {"flik": "avslutade"}, 20), None))
        for name, url, params in urls:
            for sql in queries_of(client, url, params):
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                for relation in sequential_scans(sql):
                    problems.append(f"{username} {name}: Seq Scan on {relation}: {sql[:200]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cases", [10, 10_000])
def test_the_inbox_runs_as_many_queries_at_10_as_at_10000_cases(
    cases, db, client, staff_login, django_assert_num_queries
):
    bulk.seed(cases=cases, municipalities=2, bench_citizen_cases=5)
    handler = User.objects.get(username="bench-handler")
    staff_login(client, handler)
    client.get(INBOX)
    counts = {
        name: len(queries_of(client, INBOX, params))
        for name, params in inbox_variants(handler).items()
    }
    # Session, user and second factor; the handler's e-services (for the cases and the
    # filter alike), the statuses and handlers the filters offer; the counts; the page.
    # A search by personal identity number also writes the access log, with the
    # handler's municipality.
    expected = dict.fromkeys(counts, 8) | {"personnummer": 10}
    assert counts == expected
