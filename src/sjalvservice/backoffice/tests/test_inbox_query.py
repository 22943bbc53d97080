"""The inbox's query string, whatever it holds: it is read without an error, and the inbox
answers with a page, never with a 500."""

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import EmptyResultSet
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sjalvservice.backoffice.selectors import TABS, InboxQuery
from sjalvservice.cases.models import Case

INBOX = reverse("backoffice:inbox")
PARAMETERS = ["flik", "etjanst", "status", "handlaggare", "fran", "till", "q", "efter"]

# Any text, and text shaped like what each parameter expects, out to the ends of its range.
values = st.one_of(
    st.text(),
    st.text(alphabet="0123456789-_:T+²٣ ", max_size=40),
    st.integers().map(str),
    st.dates().map(dt.date.isoformat),
    st.builds(
        lambda moment, pk: f"{moment.isoformat()}_{pk}",
        st.datetimes(timezones=st.timezones()),
        st.integers(),
    ),
    st.sampled_from([*TABS, "ingen", "", "NaN", "1e309", "\x00"]),
)
queries = st.dictionaries(st.sampled_from([*PARAMETERS, "okand"]), values, max_size=9)


def at_the_ends(test):
    """Values that once broke the inbox, tried every time besides what hypothesis finds."""
    for params in [
        {"fran": "0001-01-01"},
        {"till": "9999-12-31"},
        {"fran": "9999-12-31", "till": "0001-01-01"},
        {"etjanst": "9" * 40, "status": str(2**63), "handlaggare": str(2**64)},
        {"q": "²"},
        {"q": "\x00"},
        {"efter": "2026-13-45T00:00:00_1"},
        {"efter": "9999-12-31T23:59:59-12:00_1"},
    ]:
        test = example(params)(test)
    return test


@given(queries)
@at_the_ends
@settings(deadline=None, max_examples=300)
def test_any_query_string_is_read_and_gives_filters_the_database_takes(params):
    query = InboxQuery.from_params(params)
    assert query.tab in TABS
    assert len(query.search) <= 100
    # The SQL with its values, as the database would be sent it (unless nothing can match).
    with contextlib.suppress(EmptyResultSet):
        Case.objects.filter(query.filters()).query.sql_with_params()


@given(queries)
@settings(deadline=None, max_examples=100)
def test_a_query_dict_with_several_values_is_read_too(params):
    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, [value, value[::-1]])
    InboxQuery.from_params(data).filters()


@pytest.fixture
def handler_client(client, staff_login, julia, annas_case):
    return staff_login(client, julia)


@given(queries)
@at_the_ends
@settings(
    deadline=None,
    max_examples=40,
    # One handler and one case for every example: the inbox only reads.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_the_inbox_answers_any_query_string_with_a_page(handler_client, params):
    response = handler_client.get(INBOX, params)
    assert response.status_code == 200
