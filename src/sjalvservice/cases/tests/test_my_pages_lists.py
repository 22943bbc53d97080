"""Mina sidor at scale: the newest 20 of each section, "Visa alla" and the list pages
walked a page at a time ("Nästa sida", keyset pagination on ``efter``)."""

import datetime as dt
import re
import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sjalvservice.cases import services
from sjalvservice.cases.models import OPEN_KINDS, Case, Status, StatusKind
from sjalvservice.cases.selectors import PAGE_SIZE
from sjalvservice.core.keyset import parse_cursor
from sjalvservice.core.reversing import ReversedPattern

MY_PAGES = "/mina-sidor/"
LISTS = {
    "drafts": "/mina-sidor/sparade/",
    "ongoing": "/mina-sidor/pagaende/",
    "closed": "/mina-sidor/avslutade/",
    "news": "/mina-sidor/meddelanden/",
}
HEADINGS = {
    "drafts": "Ej inskickade ärenden",
    "ongoing": "Pågående ärenden",
    "closed": "Avslutade ärenden",
    "news": "Mina meddelanden",
}
# What "Visa alla" says to a screen reader, after "Visa alla".
CONTEXT = {
    "drafts": "ej inskickade ärenden",
    "ongoing": "pågående ärenden",
    "closed": "avslutade ärenden",
    "news": "meddelanden",
}
NEWS_CASES = 10


def make_draft(eservice, owner):
    case = services.start_draft(eservice, owner=owner)
    return services.save_draft(
        case, answers={"rubrik": "Fler bänkar"}, current_step="forslag", completed_steps=[]
    )


def make_submitted(eservice, owner):
    return services.submit(services.start_draft(eservice, owner=owner), by=owner, answers={})


def make_closed(eservice, owner):
    case = make_submitted(eservice, owner)
    closed = Status.objects.default_for(StatusKind.CLOSED)
    return services.set_status(case, status=closed, by=owner)


# What a section holds, made as a citizen makes it; "Mina meddelanden" holds every
# submitted case.
MAKERS = {
    "drafts": make_draft,
    "ongoing": make_submitted,
    "closed": make_closed,
    "news": make_submitted,
}


def make_many(section, eservice, owner, count):
    return [MAKERS[section](eservice, owner) for _ in range(count)]


def at(moment):
    """The clock stopped at ``moment``: every case made meanwhile has the same times."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def listed(section, html):
    """What a page lists, in order: case numbers, or the references of drafts."""
    if section == "drafts":
        return re.findall(r'href="/mina-sidor/utkast/([0-9a-f-]+)/ta-bort/"', html)
    return [int(number) for number in re.findall(r'href="/mina-sidor/arenden/(\d+)/"', html)]


def key(section, case):
    return str(case.reference) if section == "drafts" else case.number


def newest_first(section, owner):
    """The person's cases of a section in the order its list shows them."""
    time = "last_saved_at" if section == "drafts" else "last_event_at"
    cases = Case.objects.filter(owner=owner)
    if section == "drafts":
        cases = cases.filter(status_kind=StatusKind.DRAFT)
    elif section == "ongoing":
        cases = cases.filter(status_kind__in=OPEN_KINDS)
    elif section == "closed":
        cases = cases.filter(status_kind=StatusKind.CLOSED)
    else:
        cases = cases.exclude(status_kind=StatusKind.DRAFT)
    return [key(section, case) for case in cases.order_by(f"-{time}", "-pk")]


def section_of(section, html):
    """The part of the overview under a section's heading."""
    start = html.index(f">{HEADINGS[section]}</h2>")
    following = [html.find(f">{heading}</h2>", start + 1) for heading in HEADINGS.values()]
    ends = [index for index in following if index > start]
    return html[start : min(ends)] if ends else html[start:]


def walk(client, url):
    """Every page of a list from the first, following "Nästa sida"; the pages' HTML."""
    pages = [client.get(url).content.decode()]
    while match := re.search(r'href="(\?efter=[^"]+)" rel="next"', pages[-1]):
        assert len(pages) < 50, "the pages go round in a circle"
        pages.append(client.get(url + match.group(1).replace("&amp;", "&")).content.decode())
    return pages


# The addresses.


def test_the_list_pages_live_under_mina_sidor():
    assert reverse("cases:drafts") == LISTS["drafts"]
    assert reverse("cases:ongoing") == LISTS["ongoing"]
    assert reverse("cases:closed") == LISTS["closed"]
    assert reverse("cases:news") == LISTS["news"]


def test_row_urls_are_the_ones_reverse_gives():
    reference = uuid.uuid4()
    step = ReversedPattern("cases:step", uuid.UUID(int=0), "platshallare")
    case = ReversedPattern("cases:case", 2147483647)
    assert step(reference, "forslag") == reverse("cases:step", args=[reference, "forslag"])
    assert case(17) == reverse("cases:case", args=[17])
    with pytest.raises(TypeError):
        case(1, 2)


# The overview: the newest 20 of each section, "Visa alla" when there are more.


@pytest.mark.parametrize("section", ["drafts", "ongoing", "closed"])
def test_a_section_with_20_cases_shows_them_all_and_no_visa_alla(client, suggestion, anna, section):
    make_many(section, suggestion, anna, PAGE_SIZE)
    client.force_login(anna)
    part = section_of(section, client.get(MY_PAGES).content.decode())
    assert len(listed(section, part)) == PAGE_SIZE
    assert "Visa alla" not in part


@pytest.mark.parametrize("section", ["drafts", "ongoing", "closed"])
def test_a_section_with_more_shows_the_newest_20_and_visa_alla(client, suggestion, anna, section):
    make_many(section, suggestion, anna, PAGE_SIZE + 1)
    client.force_login(anna)
    part = section_of(section, client.get(MY_PAGES).content.decode())
    assert listed(section, part) == newest_first(section, anna)[:PAGE_SIZE]
    assert (
        f'<a class="govuk-link" href="{LISTS[section]}">Visa alla'
        f'<span class="govuk-visually-hidden"> {CONTEXT[section]}</span></a>'
    ) in part


def test_mina_meddelanden_has_visa_alla_past_its_ten_cases(client, suggestion, anna):
    make_many("news", suggestion, anna, NEWS_CASES)
    client.force_login(anna)
    assert "Visa alla" not in section_of("news", client.get(MY_PAGES).content.decode())
    make_submitted(suggestion, anna)
    part = section_of("news", client.get(MY_PAGES).content.decode())
    assert listed("news", part) == newest_first("news", anna)[:NEWS_CASES]
    assert f'href="{LISTS["news"]}">Visa alla' in part


def test_the_number_of_drafts_counts_them_all_not_those_shown(client, suggestion, anna):
    make_many("drafts", suggestion, anna, PAGE_SIZE + 5)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert "Du har 25 ärenden som inte har skickats in" in html


def test_news_on_the_overview_are_the_cases_that_changed_last(client, suggestion, anna, julia):
    ongoing = make_many("ongoing", suggestion, anna, 8)
    closed = make_many("closed", suggestion, anna, 8)
    services.send_message(ongoing[0], by=julia, text="Hej!")
    client.force_login(anna)
    news = listed("news", section_of("news", client.get(MY_PAGES).content.decode()))
    assert news == newest_first("news", anna)[:NEWS_CASES]
    assert news[0] == ongoing[0].number
    assert set(news) >= {case.number for case in closed[-3:]}


# The list pages.


@pytest.mark.parametrize("section", LISTS)
def test_a_list_page_has_its_heading_the_sub_navigation_and_20_rows(
    client, suggestion, anna, section
):
    make_many(section, suggestion, anna, PAGE_SIZE + 1)
    client.force_login(anna)
    response = client.get(LISTS[section])
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f">{HEADINGS[section]}</h1>" in html
    assert f"<title>{HEADINGS[section]} – Mina sidor – " in html
    assert '<nav class="sjs-subnav" aria-label="Mina sidor">' in html
    assert f'href="{MY_PAGES}" aria-current="page">Mina ärenden</a>' in html
    assert listed(section, html) == newest_first(section, anna)[:PAGE_SIZE]
    assert 'rel="next"><span class="govuk-pagination__link-title">Nästa sida</span>' in html
    assert "Till början" not in html


@pytest.mark.parametrize("section", LISTS)
def test_paging_shows_every_case_once_in_order_ties_included(client, suggestion, anna, section):
    # Times to the microsecond and whole seconds, and 25 cases at one instant across the
    # boundary between the first and the second page.
    moments = [
        dt.datetime(2026, 3, 2, 9, 0, 0, 500, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC),
    ]
    for moment, count in zip(moments, [6, 25, 12], strict=True):
        with at(moment):
            make_many(section, suggestion, anna, count)
    client.force_login(anna)
    pages = walk(client, LISTS[section])
    assert len(pages) == 3
    seen = [item for page in pages for item in listed(section, page)]
    assert seen == newest_first(section, anna)
    assert len(seen) == len(set(seen)) == 43
    assert all("Till början" in page for page in pages[1:])


def test_the_first_page_link_goes_back_to_the_start(client, suggestion, anna):
    make_many("ongoing", suggestion, anna, PAGE_SIZE + 1)
    client.force_login(anna)
    second = walk(client, LISTS["ongoing"])[1]
    assert (
        f'<a class="govuk-link govuk-pagination__link" href="{LISTS["ongoing"]}" rel="prev">'
    ) in second
    assert 'rel="next"' not in second


@pytest.mark.parametrize("section", LISTS)
def test_an_empty_list_says_so(client, anna, section):
    client.force_login(anna)
    html = client.get(LISTS[section]).content.decode()
    assert "<table" not in html
    assert "govuk-pagination" not in html
    empty = {
        "drafts": "Du har inga ej inskickade ärenden",
        "ongoing": "Du har inga pågående ärenden",
        "closed": "Du har inga avslutade ärenden",
        "news": "Du har inga meddelanden",
    }
    assert empty[section] in html


def test_a_cursor_past_the_last_case_says_there_are_no_more(client, suggestion, anna):
    make_submitted(suggestion, anna)
    client.force_login(anna)
    html = client.get(LISTS["ongoing"], {"efter": "2000-01-01T00:00:00+00:00_1"}).content.decode()
    assert "Det finns inga fler ärenden." in html
    assert f'href="{LISTS["ongoing"]}" rel="prev"' in html


def test_the_news_list_shows_the_latest_events_and_unread_messages(client, suggestion, anna, julia):
    case = make_submitted(suggestion, anna)
    services.send_message(case, by=julia, text="Hej!")
    client.force_login(anna)
    html = client.get(LISTS["news"]).content.decode()
    assert 'aria-labelledby="lista">' in html
    assert '<h1 class="govuk-heading-xl" id="lista">Mina meddelanden</h1>' in html
    assert "– Inskickat</li>" in html
    assert "Handläggaren skrev ett meddelande<span" in html
    assert "1 oläst meddelande</strong>" in html


def test_the_drafts_list_links_to_continue_and_delete(client, suggestion, anna):
    draft = make_draft(suggestion, anna)
    fresh = services.start_draft(suggestion, owner=anna)  # no step saved yet
    client.force_login(anna)
    html = client.get(LISTS["drafts"]).content.decode()
    assert f'href="{reverse("cases:step", args=[draft.reference, "forslag"])}">Fortsätt' in html
    assert f'href="{reverse("cases:preview", args=[fresh.reference])}">Fortsätt' in html
    assert f'href="{reverse("cases:delete_draft", args=[draft.reference])}">Ta bort' in html


# Malformed cursors: the first page, never an error.


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "x",
        "_",
        "_1",
        "2026-03-02T10:00:00+00:00",
        "2026-03-02T10:00:00+00:00_",
        "2026-03-02T10:00:00+00:00_0",
        "2026-03-02T10:00:00+00:00_-1",
        "2026-03-02T10:00:00+00:00_1.5",
        "2026-03-02T10:00:00+00:00_²",
        "2026-03-02T10:00:00+00:00_" + "9" * 30,
        "2026-03-02T10:00:00+00:00_" + "9" * 5000,
        "2026-13-45T00:00:00+00:00_1",
        "2026-13-45T00:00:00_1",
        "2026-02-30T10:00:00+00:00_1",
        "2026-03-02T25:61:00+00:00_1",
        "2026-03-02T10:00:00_1",  # no time zone
        "2026-03-02_1",
        "2026-03-02T10:00:00+99:00_1",
        "0001-01-01T00:00:00+05:00_1",
        "9999-12-31T23:59:59-05:00_1",
        "2026-03-02T10:00:00+00:00_1\x00",
        "\x00_1",
        "<script>_1",
    ],
)
@pytest.mark.parametrize("section", LISTS)
def test_a_malformed_cursor_shows_the_first_page(client, suggestion, anna, section, cursor):
    make_many(section, suggestion, anna, 2)
    client.force_login(anna)
    response = client.get(LISTS[section], {"efter": cursor})
    assert response.status_code == 200
    html = response.content.decode()
    assert listed(section, html) == newest_first(section, anna)
    assert "Till början" not in html


@given(st.text(max_size=80))
def test_parse_cursor_takes_any_text(text):
    cursor = parse_cursor(text)
    if cursor is not None:
        moment, pk = cursor
        assert moment.utcoffset() is not None
        moment.astimezone(dt.UTC)
        assert 0 < pk < 2**63


@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2))]),
    ),
    st.integers(min_value=1, max_value=2**63 - 1),
)
def test_parse_cursor_reads_the_cursors_the_pages_write(moment, pk):
    assert parse_cursor(f"{moment.isoformat()}_{pk}") == (moment, pk)


# Who sees what.


@pytest.mark.parametrize("url", [MY_PAGES, *LISTS.values()])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('eid:login')}?next={url}"


@pytest.mark.parametrize("url", LISTS.values())
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_list_pages_only_answer_get(client, anna, url, method):
    client.force_login(anna)
    assert getattr(client, method)(url).status_code == 405


@pytest.mark.parametrize("section", LISTS)
def test_a_citizen_never_sees_anothers_cases(client, suggestion, anna, bertil, section):
    annas = [key(section, case) for case in make_many(section, suggestion, anna, PAGE_SIZE + 1)]
    bertils = [key(section, case) for case in make_many(section, suggestion, bertil, 2)]
    client.force_login(bertil)
    overview = client.get(MY_PAGES).content.decode()
    pages = walk(client, LISTS[section])
    assert len(pages) == 1
    shown = listed(section, overview) + listed(section, pages[0])
    assert set(shown) == set(bertils)
    # Nor by a cursor taken from Anna's pages.
    client.force_login(anna)
    annas_next = re.search(r'href="\?efter=([^"]+)"', client.get(LISTS[section]).content.decode())
    client.force_login(bertil)
    html = client.get(LISTS[section] + "?efter=" + annas_next.group(1)).content.decode()
    assert not set(listed(section, html)) & set(annas)


# What the pages cost.


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_every_page_makes_as_many_queries_for_200_cases_as_for_one(
    client, suggestion, anna, bertil, julia, settings
):
    settings.DRAFT_LIMIT_PER_PERSON = 100  # more drafts than one may start, for the scale
    for section in LISTS:
        make_many(section, suggestion, bertil, 3)
    make_submitted(suggestion, anna)
    client.force_login(anna)
    urls = [MY_PAGES, *LISTS.values()]
    client.get(MY_PAGES)  # warm up: the first request fills caches
    one = {url: queries_of(client, url) for url in urls}
    for _ in range(50):
        make_draft(suggestion, anna)
        services.send_message(make_submitted(suggestion, anna), by=julia, text="Hej!")
        make_closed(suggestion, anna)
        make_submitted(suggestion, anna)
    assert Case.objects.filter(owner=anna).count() == 201
    for url in urls:
        many = queries_of(client, url)
        assert len(many) == len(one[url]), (url, many)
        second = re.search(r'href="(\?efter=[^"]+)"', client.get(url).content.decode())
        if second:
            later = queries_of(client, url + second.group(1))
            assert len(later) == len(one[url]), (url, later)


def test_the_lists_never_read_the_answers(client, suggestion, anna):
    for section in LISTS:
        MAKERS[section](suggestion, anna)
    client.force_login(anna)
    for url in [MY_PAGES, *LISTS.values()]:
        sql = " ".join(queries_of(client, url))
        for column in ("answers", "unsaved_input", "completed_steps"):
            assert f'"cases_case"."{column}"' not in sql, (url, column)
        assert '"cases_status"."kind"' not in sql, url


def test_the_times_shown_are_local(client, suggestion, anna):
    moment = dt.datetime(2026, 7, 1, 12, 5, tzinfo=dt.UTC)  # 14:05 in Sweden
    with at(moment):
        make_submitted(suggestion, anna)
        make_draft(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert html.count("2026-07-01 14:05") == 2
    assert '<time datetime="2026-07-01T14:05:00+02:00">1 jul 2026</time>' in html
