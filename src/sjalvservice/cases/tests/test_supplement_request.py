"""A waiting supplement request as a call to act: the notice on Mina sidor and the case page,
and "Ändra ärende" that reads as changing that case (header, tabs, the request, the changes)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sjalvservice.cases import services
from sjalvservice.cases.models import Status, StatusKind
from sjalvservice.cases.selectors import supplement_changes
from sjalvservice.cases.views.runner import runner

ANSWERS = {"rubrik": "Fler bänkar", "beskrivning": "Vid älven.", "har_bilaga": "nej"}
REQUEST = "Beskriv var bänkarna ska stå."
MY_PAGES = "/mina-sidor/"


def submit(suggestion, owner, answers=ANSWERS):
    case = services.start_draft(suggestion, owner=owner)
    services.save_draft(
        case, answers=answers, current_step="forslag",
        completed_steps=["personuppgifter", "forslag"],
    )  # fmt: skip
    return services.submit(case, by=owner, answers=answers)


def ask(case, handler, text=REQUEST):
    status = Status.objects.default_for(StatusKind.AWAITING_SUPPLEMENT)
    return services.set_status(case, status=status, by=handler, message=text)


@pytest.fixture
def waiting(suggestion, anna, cecilia):
    return ask(submit(suggestion, anna), cecilia)


def banner_of(html):
    assert html.count('class="govuk-notification-banner"') == 1
    return html.split('class="govuk-notification-banner"')[1].split("</main>")[0]


# The notice on Mina sidor.


def test_mina_sidor_tells_of_the_request_above_the_heading(client, waiting, anna):
    client.force_login(anna)
    html = client.get(MY_PAGES).content.decode()
    assert html.index("govuk-notification-banner") < html.index("<h1")
    banner = banner_of(html)
    assert (
        f"Handläggaren behöver fler uppgifter för ärende {waiting.number} (Medborgarförslag)"
        in banner
    )
    assert REQUEST in banner
    step = reverse("cases:step", args=[waiting.reference, "personuppgifter"])
    assert f'href="{step}">Ändra ärende</a>' in banner
    message = waiting.messages.get()
    assert f"/meddelanden/#meddelande-{message.pk}" in banner


def test_mina_sidor_has_no_notice_when_nothing_waits(client, suggestion, anna):
    submit(suggestion, anna)
    client.force_login(anna)
    assert "govuk-notification-banner" not in client.get(MY_PAGES).content.decode()


def test_several_waiting_cases_get_a_summary_and_a_part_each(client, suggestion, anna, cecilia):
    first = ask(submit(suggestion, anna), cecilia, "Lägg till en karta.")
    second = ask(submit(suggestion, anna), cecilia, "Hur många bänkar?")
    client.force_login(anna)
    banner = banner_of(client.get(MY_PAGES).content.decode())
    assert "Handläggarna behöver fler uppgifter i 2 ärenden" in banner
    assert "Lägg till en karta." in banner
    assert "Hur många bänkar?" in banner
    for case in (first, second):
        assert f"för ärende {case.number} (Medborgarförslag)" in banner
        assert f'Ändra ärende<span class="govuk-visually-hidden"> {case.number}</span>' in banner


def test_the_quote_is_the_message_sent_with_the_status_not_a_later_one(
    client, waiting, anna, cecilia
):
    services.send_message(waiting, by=anna, text="Vad menar du?")
    client.force_login(anna)
    banner = banner_of(client.get(MY_PAGES).content.decode())
    assert REQUEST in banner
    assert "Vad menar du?" not in banner


def test_a_supplemented_case_is_no_longer_told_of(client, waiting, anna):
    services.supplement(waiting, by=anna, answers={**ANSWERS, "rubrik": "Två bänkar"})
    client.force_login(anna)
    assert "govuk-notification-banner" not in client.get(MY_PAGES).content.decode()


def test_only_the_owner_sees_the_notice(client, waiting, bertil):
    client.force_login(bertil)
    html = client.get(MY_PAGES).content.decode()
    assert "govuk-notification-banner" not in html
    assert REQUEST not in html
    assert client.get(reverse("cases:case", args=[waiting.number])).status_code == 404


def test_the_notice_costs_the_same_queries_however_many_cases_wait(
    client, suggestion, anna, cecilia, django_assert_num_queries
):
    ask(submit(suggestion, anna), cecilia)
    client.force_login(anna)
    client.get(MY_PAGES)  # warm up: the first request fills caches
    with CaptureQueriesContext(connection) as one:
        client.get(MY_PAGES)
    for _ in range(4):
        ask(submit(suggestion, anna), cecilia)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(MY_PAGES).content.decode()
    assert "Handläggarna behöver fler uppgifter i 5 ärenden" in html


# The notice on the case page.


@pytest.mark.parametrize("page", ["cases:case", "cases:messages"])
def test_the_case_page_tells_of_the_request_at_its_top(client, waiting, anna, page):
    client.force_login(anna)
    html = client.get(reverse(page, args=[waiting.number])).content.decode()
    assert html.index("govuk-notification-banner") < html.index("<h1")
    banner = banner_of(html)
    assert f"för ärende {waiting.number} (Medborgarförslag)" in banner
    assert REQUEST in banner
    assert reverse("cases:step", args=[waiting.reference, "personuppgifter"]) in banner


def test_the_case_page_has_no_notice_before_a_request(client, suggestion, anna):
    case = submit(suggestion, anna)
    client.force_login(anna)
    html = client.get(reverse("cases:case", args=[case.number])).content.decode()
    assert "govuk-notification-banner" not in html


# "Ändra ärende": the step.


def step_url(case, key="forslag"):
    return reverse("cases:step", args=[case.reference, key])


def test_the_step_shows_the_case_header_tabs_and_request(client, waiting, anna):
    client.force_login(anna)
    html = client.get(step_url(waiting)).content.decode()
    assert html.count("<h1") == 1
    assert "Ändra ärende: Medborgarförslag</h1>" in html
    assert f"Ärendenummer {waiting.number}" in html
    assert "Väntar på komplettering" in html
    assert f'href="{reverse("cases:show", args=[waiting.number])}"' in html  # the case tabs
    assert 'aria-current="page">Ändra ärende</a>' in html
    assert REQUEST in html
    assert "vid ett senare tillfälle" not in html
    assert ">Spara</button>" in html


def test_a_draft_keeps_its_own_wording_and_no_case_header(client, suggestion, anna):
    draft = services.start_draft(suggestion, owner=anna)
    client.force_login(anna)
    html = client.get(step_url(draft)).content.decode()
    assert "vid ett senare tillfälle" in html
    assert "Ändra ärende" not in html
    assert "govuk-notification-banner" not in html


def test_another_citizen_cannot_open_the_change(client, waiting, bertil):
    client.force_login(bertil)
    assert client.get(step_url(waiting)).status_code == 404
    assert client.get(reverse("cases:preview", args=[waiting.reference])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, waiting):
    response = client.get(step_url(waiting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("eid:login"))


# "Ändra ärende": the preview and what changed.


def preview_of(client, case):
    return client.get(reverse("cases:preview", args=[case.reference])).content.decode()


def test_the_preview_says_when_nothing_is_changed_yet(client, waiting, anna):
    client.force_login(anna)
    html = preview_of(client, waiting)
    assert "Du har inte ändrat något ännu." in html
    assert "Ändra ärende: Medborgarförslag</h1>" in html
    assert REQUEST in html
    assert ">Skicka in ändringarna</button>" in html


def test_the_preview_lists_the_changed_answer_before_and_after(client, waiting, anna):
    client.force_login(anna)
    client.post(step_url(waiting), {**ANSWERS, "rubrik": "Två bänkar vid bron", "action": "next"})
    html = preview_of(client, waiting)
    changes = html.split('id="andringar"')[1].split("</dl>")[0]
    assert "Rubrik</dt>" in changes
    assert "Fler bänkar" in changes
    assert "Två bänkar vid bron" in changes
    assert "Beskriv ditt förslag" not in changes  # unchanged answers are not listed
    assert "Du har inte ändrat något ännu." not in html


def test_a_new_submission_has_no_list_of_changes(client, suggestion, anna):
    draft = services.start_draft(suggestion, owner=anna)
    client.force_login(anna)
    html = preview_of(client, draft)
    assert 'id="andringar"' not in html
    assert "Skicka in ändringarna" not in html
    assert "Förhandsgranska" in html


def test_the_changes_name_files_added_and_removed(suggestion):
    definition = runner.definition_of_version(suggestion.current_version)
    kept = {"key": "a", "name": "karta.png", "size": 2048}
    gone = {"key": "b", "name": "skiss.pdf", "size": 1024}
    new = {"key": "c", "name": "foto.jpg", "size": 4096}
    before = {**ANSWERS, "har_bilaga": "ja", "bilagor": [kept, gone]}
    after = {**ANSWERS, "har_bilaga": "ja", "bilagor": [kept, new]}
    [change] = supplement_changes(definition, before, after)
    assert change.label == "Bifoga filer"
    assert [name.split(" ")[0] for name in change.added] == ["foto.jpg"]
    assert [name.split(" ")[0] for name in change.removed] == ["skiss.pdf"]
    assert supplement_changes(definition, before, before) == []


def test_an_answer_no_longer_asked_for_is_listed_as_removed(suggestion):
    definition = runner.definition_of_version(suggestion.current_version)
    before = {**ANSWERS, "har_bilaga": "ja", "bilagor": [{"key": "a", "name": "karta.png"}]}
    changes = supplement_changes(definition, before, ANSWERS)
    labels = [change.label for change in changes]
    assert labels == ["Vill du bifoga en fil?", "Bifoga filer"]
    assert changes[1].after == ""
    assert [name.split(" ")[0] for name in changes[1].removed] == ["karta.png"]
