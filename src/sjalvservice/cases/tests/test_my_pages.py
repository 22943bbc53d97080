"""Mina sidor: the overview of a citizen's cases and "Ta bort" for saved drafts."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Case, Status, StatusKind

MY_PAGES = "/mina-sidor/"


def make_draft(eservice, owner):
    case = services.start_draft(eservice, owner=owner)
    return services.save_draft(
        case,
        answers={"rubrik": "Fler bänkar"},
        current_step="forslag",
        completed_steps=["personuppgifter"],
    )


def make_submitted(eservice, owner):
    return services.submit(services.start_draft(eservice, owner=owner), by=owner, answers={})


def make_closed(eservice, owner):
    case = make_submitted(eservice, owner)
    closed = Status.objects.default_for(StatusKind.CLOSED)
    return services.set_status(case, status=closed, by=owner)


def delete_url(case):
    return reverse("cases:delete_draft", args=[case.reference])


def test_my_pages_live_at_mina_sidor():
    assert reverse("cases:my_pages") == MY_PAGES
    reference = uuid.uuid4()
    assert delete_url(Case(reference=reference)) == f"/mina-sidor/utkast/{reference}/ta-bort/"


def test_it_shows_drafts_ongoing_and_closed_cases_in_their_sections(client, suggestion, anna):
    draft = make_draft(suggestion, anna)
    ongoing = make_submitted(suggestion, anna)
    closed = make_closed(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()

    drafts_part, rest = html.split("Pågående ärenden</h2>")
    ongoing_part, closed_part = rest.split("Avslutade ärenden</h2>")
    assert "Du har 1 ärende som inte har skickats in" in drafts_part
    assert reverse("cases:step", args=[draft.reference, "forslag"]) in drafts_part
    assert delete_url(draft) in drafts_part
    assert reverse("cases:case", args=[ongoing.number]) in ongoing_part
    assert "Inskickat" in ongoing_part
    assert reverse("cases:case", args=[closed.number]) in closed_part
    assert "Avslutat" in closed_part
    assert reverse("cases:case", args=[closed.number]) not in ongoing_part


def test_it_counts_drafts_in_the_plural(client, suggestion, anna):
    make_draft(suggestion, anna)
    make_draft(suggestion, anna)
    client.force_login(anna)
    assert "Du har 2 ärenden som inte har skickats in" in client.get(MY_PAGES).content.decode()


def test_it_says_so_when_there_are_no_cases(client, anna):
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert "Du har 0 ärenden som inte har skickats in" in html
    assert "Du har inga pågående ärenden" in html
    assert "Du har inga avslutade ärenden" in html
    assert "<table" not in html


def test_each_section_has_help_and_hidden_table_captions(client, suggestion, anna):
    make_draft(suggestion, anna)
    make_submitted(suggestion, anna)
    make_closed(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert html.count('<details class="govuk-details">') == 3
    assert html.count("govuk-table__caption govuk-visually-hidden") == 3


def test_action_links_name_the_draft(client, suggestion, anna):
    draft = make_draft(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    name = f"Medborgarförslag: {draft.title}"
    assert draft.title
    assert f'Ta bort<span class="govuk-visually-hidden"> {name}</span>' in html
    assert f'Fortsätt<span class="govuk-visually-hidden"> {name}</span>' in html


def test_it_shows_no_one_elses_cases(client, suggestion, anna, bertil):
    theirs = make_submitted(suggestion, anna)
    client.force_login(bertil)
    html = client.get(MY_PAGES).content.decode()
    assert reverse("cases:case", args=[theirs.number]) not in html
    assert "Du har inga pågående ärenden" in html


def test_it_makes_as_many_queries_for_200_cases_as_for_one(
    client, suggestion, anna, julia, settings
):
    settings.DRAFT_LIMIT_PER_PERSON = 100  # more drafts than one may start, for the scale
    make_submitted(suggestion, anna)
    client.force_login(anna)
    client.get(MY_PAGES)  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as one:
        client.get(MY_PAGES)
    for _ in range(66):
        make_draft(suggestion, anna)
        services.send_message(make_submitted(suggestion, anna), by=julia, text="Hej!")
        make_closed(suggestion, anna)
    make_draft(suggestion, anna)
    assert Case.objects.filter(owner=anna).count() == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(MY_PAGES)
    html = response.content.decode()
    news, sections = html.split("Ej inskickade ärenden</h2>")
    # The newest 20 of each section, the rest a "Visa alla" away.
    assert sections.count("Fortsätt<span") == 20
    assert sections.count("Till ärende<span") == 40
    assert sections.count(">Visa alla<") == 3
    assert "Du har 67 ärenden som inte har skickats in" in sections
    assert news.count('<th scope="row"') == 10
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


# "Ta bort" for a saved draft.


def test_it_asks_before_deleting_a_draft(client, suggestion, anna):
    draft = make_draft(suggestion, anna)
    client.force_login(anna)
    response = client.get(delete_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vill du ta bort ditt sparade ärende Medborgarförslag?" in html
    assert "Ja, ta bort" in html
    assert f'href="{MY_PAGES}">Avbryt</a>' in html
    assert Case.objects.filter(pk=draft.pk).exists()


def test_it_deletes_the_draft_and_says_so(client, suggestion, anna):
    draft = make_draft(suggestion, anna)
    client.force_login(anna)
    response = client.post(delete_url(draft), follow=True)
    assert response.redirect_chain == [(MY_PAGES, 302)]
    assert "Det sparade ärendet är borttaget." in response.content.decode()
    assert not Case.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_visitors_to_login_from_delete(client, suggestion, anna, method):
    draft = make_draft(suggestion, anna)
    response = getattr(client, method)(delete_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))
    assert Case.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_citizen_cannot_delete_annas_draft(client, suggestion, anna, bertil, method):
    draft = make_draft(suggestion, anna)
    client.force_login(bertil)
    assert getattr(client, method)(delete_url(draft)).status_code == 404
    assert Case.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_delete_rejects_other_methods(client, suggestion, anna, method):
    draft = make_draft(suggestion, anna)
    client.force_login(anna)
    assert getattr(client, method)(delete_url(draft)).status_code == 405
    assert Case.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_submitted_case_cannot_be_deleted(client, suggestion, anna, method):
    case = make_submitted(suggestion, anna)
    client.force_login(anna)
    assert getattr(client, method)(delete_url(case)).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()


def test_an_unknown_or_malformed_reference_is_not_found(client, anna):
    client.force_login(anna)
    unknown = reverse("cases:delete_draft", args=[uuid.uuid4()])
    assert client.get(unknown).status_code == 404
    assert client.get("/mina-sidor/utkast/inte-en-referens/ta-bort/").status_code == 404


# "Mina meddelanden": the latest in each of the person's cases.


def news_of(html):
    return html.split('id="mina-meddelanden"')[1].split("Ej inskickade ärenden</h2>")[0]


def test_mina_meddelanden_comes_first_and_shows_what_happened_and_when(
    client, suggestion, anna, julia
):
    from django.utils import timezone
    from django.utils.formats import date_format

    case = make_submitted(suggestion, anna)
    services.set_status(case, status=Status.objects.default_for(StatusKind.IN_PROGRESS), by=julia)
    make_draft(suggestion, anna)
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert html.index("Mina meddelanden</h2>") < html.index("Ej inskickade ärenden</h2>")
    news = news_of(html)
    assert news.count('<th scope="row"') == 1
    assert f'data-label="Ärendenummer">{case.number}</th>' in news
    assert 'data-label="E-tjänst">Medborgarförslag</td>' in news
    day = date_format(timezone.localtime(case.submitted_at), "j b Y")
    assert f"{day}</time> – Inskickat</li>" in news
    assert f"{day}</time> – Under behandling</li>" in news
    assert news.index("– Inskickat") < news.index("– Under behandling")
    url = reverse("cases:case", args=[case.number])
    assert (
        f'href="{url}">Till ärende<span class="govuk-visually-hidden"> {case.number}</span>' in news
    )
    assert "oläst" not in news


def test_mina_meddelanden_marks_unread_messages_from_the_handler(client, suggestion, anna, julia):
    case = make_submitted(suggestion, anna)
    services.send_message(case, by=julia, text="Hej!")
    services.send_message(case, by=julia, text="Hej igen!")
    services.send_message(case, by=anna, text="Hej själv!")
    client.force_login(anna)
    news = news_of(client.get(MY_PAGES).content.decode())
    assert '<strong class="govuk-tag govuk-tag--red">2 olästa meddelanden</strong>' in news
    assert "Handläggaren skrev ett meddelande<span" in news
    assert "Du skrev ett meddelande<span" in news


def test_mina_meddelanden_shows_ten_cases_with_their_latest_three_events(
    client, suggestion, anna, julia
):
    cases = [make_submitted(suggestion, anna) for _ in range(12)]
    busy = cases[0]
    for number in range(5):
        services.send_message(busy, by=julia, text=f"Meddelande {number}")
    client.force_login(anna)
    news = news_of(client.get(MY_PAGES).content.decode())
    rows = news.split('<th scope="row"')[1:]
    assert len(rows) == 10
    assert f">{busy.number}</th>" in rows[0]  # the latest event first
    assert rows[0].count("<li>") == 3
    assert "– Inskickat" not in rows[0]  # older than its latest three
    shown = {int(row.split(">", 1)[1].split("<", 1)[0]) for row in rows}
    assert shown == {busy.number} | {case.number for case in cases[3:]}


def test_mina_meddelanden_says_so_when_nothing_has_happened(client, suggestion, anna):
    make_draft(suggestion, anna)
    client.force_login(anna)
    news = news_of(client.get(MY_PAGES).content.decode())
    assert "Du har inga meddelanden" in news
    assert "<table" not in news


def test_mina_meddelanden_shows_nothing_of_anyone_else(client, suggestion, anna, bertil, julia):
    case = make_submitted(suggestion, anna)
    services.send_message(case, by=julia, text="Till Anna")
    client.force_login(bertil)
    news = news_of(client.get(MY_PAGES).content.decode())
    assert "Du har inga meddelanden" in news
    assert str(case.number) not in news
