""" "Bygg formuläret": the form builder edits the draft step by step and field by field,
refuses what the definition checks refuse where it was made, previews in both languages,
test-runs without a case and publishes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sjalvservice.cases.models import Case
from sjalvservice.eservices import builder
from sjalvservice.eservices.definitions import content_hash, load_definition_text, parse_definition
from sjalvservice.eservices.models import EService, EServiceDraft
from sjalvservice.eservices.transfer import export_eservice, import_eservice
from sjalvservice.notifications.models import Delivery

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def new_eservice(skelleftea, category):
    return EService.objects.create(
        municipality=skelleftea, category=category, slug="anmalan-om-evenemang",
        title="Anmälan om evenemang", requires_login=True,
    )  # fmt: skip


def url(name, *args):
    return reverse(f"backoffice:manage_builder{name}", args=args)


def draft_of(eservice):
    return load_definition_text(EServiceDraft.objects.get(eservice=eservice).text)


def build_three_steps(client, eservice):
    """Three steps: who, what (a choice, and a follow-up shown on one answer) and files."""
    pk = eservice.pk
    for title, title_en in [("Om dig", "About you"), ("Evenemanget", "The event"),
                            ("Bilagor", "Attachments")]:  # fmt: skip
        response = client.post(url("_add_step", pk), {"title": title, "title_en": title_en})
        assert response.status_code == 302, response.content.decode()
    steps = [step["key"] for step in draft_of(eservice)["steps"]]
    assert steps == ["om_dig", "evenemanget", "bilagor"]
    fields = [
        ("om_dig", {"type": "contact", "label": "Kontaktuppgifter"}),
        ("evenemanget", {"type": "choice", "label": "Var hålls evenemanget?",
                         "label_en": "Where is the event held?",
                         "choices": "Inomhus | Indoors\nUtomhus | Outdoors"}),
        ("evenemanget", {"type": "text", "label": "Vilken plats?"}),
        ("bilagor", {"type": "file", "label": "Karta över platsen"}),
    ]  # fmt: skip
    for step_key, posted in fields:
        response = client.post(url("_add_field", pk, step_key), posted)
        assert response.status_code == 302, response.content.decode()
    # The place is asked only for an event outdoors, and must then be answered.
    response = client.post(url("_field", pk, "vilken_plats"), {
        "key": "vilken_plats", "label": "Vilken plats?", "label_en": "Which place?",
        "required": "on", "condition_field": "var_hills_evenemanget",
        "condition_operator": "equals", "condition_value": "utomhus",
    })  # fmt: skip
    return response


def test_a_three_step_e_service_is_built_with_a_condition_a_choice_and_a_file_field(
    editor_client, new_eservice
):
    response = build_three_steps(editor_client, new_eservice)
    assert response.status_code == 200
    assert "Välj ett fält som kommer före" in response.content.decode()  # a wrong key
    response = editor_client.post(url("_field", new_eservice.pk, "vilken_plats"), {
        "key": "vilken_plats", "label": "Vilken plats?", "label_en": "Which place?",
        "required": "on", "condition_field": "var_halls_evenemanget",
        "condition_operator": "equals", "condition_value": "utomhus",
    })  # fmt: skip
    assert response.status_code == 302

    definition = parse_definition(draft_of(new_eservice))
    choice = definition.field("var_halls_evenemanget")
    assert [(c.value, c.label) for c in choice.choices] == [
        ("inomhus", "Inomhus"), ("utomhus", "Utomhus")
    ]  # fmt: skip
    place = definition.field("vilken_plats")
    assert (place.required, place.condition.field, place.condition.equals) == (
        True, "var_halls_evenemanget", "utomhus"
    )  # fmt: skip
    english = definition.translations["en"]
    assert english.fields["var_halls_evenemanget"].choices == {"inomhus": "Indoors",
                                                               "utomhus": "Outdoors"}  # fmt: skip
    assert english.steps["bilagor"].title == "Attachments"
    assert definition.field("karta_over_platsen").type == "file"

    page = editor_client.get(url("", new_eservice.pk)).content.decode()
    assert "Utkastet har" not in page  # nothing wrong: it can be published
    response = editor_client.post(url("_publish", new_eservice.pk))
    assert response.status_code == 302
    assert new_eservice.current_version.number == 1
    assert not EServiceDraft.objects.filter(eservice=new_eservice).exists()


def test_a_new_step_without_fields_is_kept_shown_in_place_and_not_published(
    editor_client, new_eservice
):
    editor_client.post(url("_add_step", new_eservice.pk), {"title": "Om dig"})
    page = editor_client.get(url("", new_eservice.pk)).content.decode()
    assert 'href="#step-om_dig">Om dig: Listan får inte vara tom.' in page
    assert url("_publish", new_eservice.pk) not in page
    response = editor_client.post(url("_publish", new_eservice.pk), follow=True)
    assert "Utkastet är inte publicerat" in response.content.decode()
    assert not new_eservice.versions.exists()


@pytest.fixture
def built(editor_client, new_eservice):
    build_three_steps(editor_client, new_eservice)
    editor_client.post(url("_field", new_eservice.pk, "vilken_plats"), {
        "key": "vilken_plats", "label": "Vilken plats?", "required": "on",
        "condition_field": "var_halls_evenemanget", "condition_operator": "equals",
        "condition_value": "utomhus",
    })  # fmt: skip
    return new_eservice


def test_an_empty_choice_list_is_refused_where_it_was_made(editor_client, built):
    before = EServiceDraft.objects.get(eservice=built).text
    response = editor_client.post(
        url("_add_field", built.pk, "evenemanget"),
        {"type": "multiple_choice", "label": "Vad ska finnas?", "choices": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_choices">Listan får inte vara tom.' in page
    assert EServiceDraft.objects.get(eservice=built).text == before


def test_a_duplicate_key_is_refused_where_it_was_made(editor_client, built):
    before = EServiceDraft.objects.get(eservice=built).text
    response = editor_client.post(url("_field", built.pk, "vilken_plats"), {
        "key": "karta_over_platsen", "label": "Vilken plats?",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Nyckeln &#x27;karta_over_platsen&#x27; används redan" in response.content.decode()
    assert EServiceDraft.objects.get(eservice=built).text == before


def test_a_key_renamed_follows_into_conditions_and_translations(editor_client, built):
    response = editor_client.post(url("_field", built.pk, "var_halls_evenemanget"), {
        "key": "plats_typ", "label": "Var hålls evenemanget?", "label_en": "Where?",
        "choices": "Inomhus\nUtomhus",
    })  # fmt: skip
    assert response["Location"] == url("_field", built.pk, "plats_typ")
    definition = parse_definition(draft_of(built))
    assert definition.field("vilken_plats").condition.field == "plats_typ"
    assert definition.translations["en"].fields["plats_typ"].label == "Where?"


def test_a_condition_on_a_later_field_is_refused_whether_chosen_or_made_by_moving(
    editor_client, built
):
    pk = built.pk
    # The choice list offers only the fields before: a later one is an invalid choice.
    response = editor_client.post(url("_field", pk, "var_halls_evenemanget"), {
        "key": "var_halls_evenemanget", "label": "Var?", "choices": "Inomhus\nUtomhus",
        "condition_field": "vilken_plats", "condition_operator": "not_empty",
    })  # fmt: skip
    assert "Välj ett fält som kommer före" in response.content.decode()
    # Moving the follow-up above its choice would make its condition name a later field.
    before = EServiceDraft.objects.get(eservice=built).text
    response = editor_client.post(url("", pk), {"action": "field-up:vilken_plats"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ändringen gjordes inte" in page
    assert "som inte finns före det här fältet" in page
    assert EServiceDraft.objects.get(eservice=built).text == before


def test_fields_and_steps_move_and_go_by_buttons(editor_client, built):
    pk = built.pk
    response = editor_client.post(url("", pk), {"action": "field-down:karta_over_platsen"})
    assert response.status_code == 302  # the last field stays where it is
    # Moving the only field out of its step would leave the step empty: refused.
    response = editor_client.post(url("", pk), {"action": "field-up:karta_over_platsen"})
    assert response.status_code == 400
    editor_client.post(url("_add_field", pk, "bilagor"), {"type": "textarea", "label": "Övrigt"})
    editor_client.post(url("", pk), {"action": "field-up:karta_over_platsen"})
    data = draft_of(built)
    assert [f["key"] for f in builder.step(data, "evenemanget")["fields"]][-1] == (
        "karta_over_platsen"
    )
    assert [f["key"] for f in builder.step(data, "bilagor")["fields"]] == ["ovrigt"]
    editor_client.post(url("", pk), {"action": "step-remove:bilagor"})
    editor_client.post(url("", pk), {"action": "step-up:evenemanget"})
    assert [s["key"] for s in draft_of(built)["steps"]] == ["evenemanget", "om_dig"]
    assert editor_client.post(url("", pk), {"action": "step-up:finns_inte"}).status_code == 404
    assert editor_client.post(url("", pk), {"action": "explode:om_dig"}).status_code == 404


def test_a_status_set_missing_a_kind_is_refused(editor_client, built):
    before = EServiceDraft.objects.get(eservice=built).text
    rows = {"status-TOTAL_FORMS": "3", "status-INITIAL_FORMS": "0",
            "status-0-name": "Mottaget", "status-0-kind": "SUBMITTED",
            "status-1-name": "Klart", "status-1-kind": "CLOSED"}  # fmt: skip
    response = editor_client.post(url("_statuses", built.pk), rows)
    assert response.status_code == 200
    assert "Statuslistan saknar en status av typen DRAFT" in response.content.decode()
    assert EServiceDraft.objects.get(eservice=built).text == before

    rows.update({"status-TOTAL_FORMS": "5", "status-2-name": "Sparat", "status-2-kind": "DRAFT",
                 "status-3-name": "Komplettera", "status-3-kind": "AWAITING_SUPPLEMENT",
                 "status-4-name": "Kompletterat", "status-4-kind": "SUPPLEMENTED",
                 "status-1-name_en": "Done"})  # fmt: skip
    assert editor_client.post(url("_statuses", built.pk), rows).status_code == 302
    definition = parse_definition(draft_of(built))
    assert [s.name for s in definition.statuses][:2] == ["Mottaget", "Klart"]
    assert definition.translations["en"].statuses == {"Klart": "Done"}


def test_the_preview_shows_the_step_in_swedish_and_english_framed_by_the_portal_only(
    editor_client, built
):
    preview = url("_preview", built.pk, "evenemanget")
    swedish = editor_client.get(preview, {"sprak": "sv"})
    english = editor_client.get(preview, {"sprak": "en"})
    assert '<html lang="sv"' in swedish.content.decode()
    assert "Var hålls evenemanget?" in swedish.content.decode()
    assert '<html lang="en"' in english.content.decode()
    assert "Where is the event held?" in english.content.decode()
    assert "Outdoors" in english.content.decode()
    assert english["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in english["Content-Security-Policy"]
    page = editor_client.get(url("_field", built.pk, "vilken_plats"))
    assert f'src="{preview}?sprak=en"' in page.content.decode()
    assert page["X-Frame-Options"] == "DENY"
    assert editor_client.get(preview, {"sprak": "de"}).status_code == 404


def test_a_test_run_goes_to_the_receipt_and_leaves_nothing_behind(
    editor_client, built, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    pk = built.pk
    editor_client.post(url("_publish", pk))  # version 1; then a draft of version 2
    editor_client.post(url("_field", pk, "karta_over_platsen"), {
        "key": "karta_over_platsen", "label": "Karta över platsen", "required": "on",
        "max_files": "2", "max_size_mb": "10", "extensions": "pdf",
    })  # fmt: skip
    response = editor_client.post(url("_test", pk))
    assert response["Location"] == url("_test_step", pk, "om_dig")
    contact = {"kontakt__first_name": "Test", "kontakt__last_name": "Testsson",
               "kontakt__street": "Storgatan 1", "kontakt__postal_code": "931 30",
               "kontakt__city": "Skellefteå", "kontakt__email": "test@example.se",
               "kontakt__notify_email": "on"}  # fmt: skip
    assert editor_client.post(url("_test_step", pk, "om_dig"), contact).status_code == 302
    # The follow-up is asked for an event outdoors, and its answer is required.
    response = editor_client.post(
        url("_test_step", pk, "evenemanget"), {"var_halls_evenemanget": "utomhus"}
    )
    assert response.status_code == 400
    assert "Vilken plats?" in response.content.decode()
    response = editor_client.post(
        url("_test_step", pk, "evenemanget"),
        {"var_halls_evenemanget": "utomhus", "vilken_plats": "Torget"},
    )
    assert response["Location"] == url("_test_step", pk, "bilagor")
    # The file is checked as in a real run: a text file is refused, a PDF taken.
    refused = editor_client.post(url("_test_step", pk, "bilagor"), {
        "karta_over_platsen": SimpleUploadedFile("karta.txt", b"hej", "text/plain"),
    })  # fmt: skip
    assert refused.status_code == 400
    response = editor_client.post(url("_test_step", pk, "bilagor"), {
        "karta_over_platsen": SimpleUploadedFile("karta.pdf", PDF, "application/pdf"),
    })  # fmt: skip
    assert response["Location"] == url("_test_summary", pk)
    summary = editor_client.get(url("_test_summary", pk)).content.decode()
    assert "Torget" in summary
    assert "karta.pdf" in summary
    receipt = editor_client.post(url("_test_summary", pk), follow=True).content.decode()
    assert "Testkörningen är klar" in receipt
    assert "Inget ärende skapades" in receipt

    assert not Case.objects.exists()
    assert not Delivery.objects.exists()
    assert not list((tmp_path / "media").rglob("*.pdf"))
    assert built.versions.count() == 1  # the draft is still a draft


def test_a_test_run_of_a_draft_with_errors_says_so(editor_client, new_eservice):
    editor_client.post(url("_add_step", new_eservice.pk), {"title": "Om dig"})
    page = editor_client.get(url("_test", new_eservice.pk)).content.decode()
    assert "Utkastet har fel och kan inte testköras" in page
    response = editor_client.post(url("_test", new_eservice.pk))
    assert response.status_code == 200
    assert editor_client.get(url("_test_step", new_eservice.pk, "om_dig")).status_code == 302


def test_what_the_builder_made_exports_and_imports_with_the_same_content_hash(
    editor_client, built, karin
):
    editor_client.post(url("_publish", built.pk))
    exported = export_eservice(built)
    version = built.current_version
    result = import_eservice(exported, by=karin)
    assert result.version.pk == version.pk  # the same content: no new version
    assert content_hash(parse_definition(exported["definition"])) == version.content_hash


def test_a_draft_that_is_no_definition_is_sent_to_the_text_editor(editor_client, new_eservice):
    EServiceDraft.objects.create(eservice=new_eservice, text="steps: [", updated_by_name="Cecilia")
    page = editor_client.get(url("", new_eservice.pk)).content.decode()
    assert "Utkastet går inte att läsa" in page
    assert reverse("backoffice:manage_eservice_publish", args=[new_eservice.pk]) in page


def test_another_municipalitys_editor_reaches_no_part_of_the_builder(
    client, staff_login, david, built
):
    david.is_editor = True
    david.save(update_fields=["is_editor"])
    staff_login(client, david)
    pk = built.pk
    for name, args in [("", [pk]), ("_add_step", [pk]), ("_step", [pk, "om_dig"]),
                       ("_add_field", [pk, "om_dig"]), ("_field", [pk, "vilken_plats"]),
                       ("_statuses", [pk]), ("_texts", [pk]), ("_preview", [pk, "om_dig"]),
                       ("_test", [pk]),
                       ("_test_step", [pk, "om_dig"]), ("_test_summary", [pk]),
                       ("_test_receipt", [pk])]:  # fmt: skip
        assert client.get(url(name, *args)).status_code == 404, name
    assert client.post(url("_publish", pk)).status_code == 404
    assert client.post(url("", pk), {"action": "step-remove:om_dig"}).status_code == 404
    assert len(draft_of(built)["steps"]) == 3


def test_the_forms_title_and_receipt_text_are_written_in_both_languages(editor_client, built):
    response = editor_client.post(url("_texts", built.pk), {
        "title": "Anmälan om evenemang", "title_en": "Notify an event",
        "receipt": "Vi hör av oss inom två veckor.", "receipt_en": "We reply within two weeks.",
    })  # fmt: skip
    assert response["Location"] == url("", built.pk)
    definition = parse_definition(draft_of(built))
    assert definition.on_submit.message == "Vi hör av oss inom två veckor."
    english = definition.translations["en"]
    assert (english.title, english.on_submit.message) == (
        "Notify an event", "We reply within two weeks."
    )  # fmt: skip
    editor_client.post(url("_texts", built.pk), {"title": "Anmälan om evenemang"})
    data = draft_of(built)
    assert "on_submit" not in data
    assert "title" not in data["translations"]["en"]


def test_a_pattern_needs_its_message_and_says_so_on_the_field(editor_client, built):
    field = url("_field", built.pk, "vilken_plats")
    posted = {"key": "vilken_plats", "label": "Vilken plats?", "pattern": "^[A-ZÅÄÖ].*$"}
    response = editor_client.post(field, posted)
    assert response.status_code == 200
    assert 'href="#id_pattern_message">Ange pattern_message' in response.content.decode()
    response = editor_client.post(field, {
        **posted, "pattern_message": "Börja med stor bokstav", "pattern_message_en": "Capital",
    })  # fmt: skip
    assert response.status_code == 302
    definition = parse_definition(draft_of(built))
    assert definition.field("vilken_plats").pattern_message == "Börja med stor bokstav"
    assert definition.translations["en"].fields["vilken_plats"].pattern_message == "Capital"


def test_the_preview_shows_what_is_being_typed_without_saving_it(editor_client, built):
    before = EServiceDraft.objects.get(eservice=built).text
    preview = url("_preview", built.pk, "evenemanget")
    typed = {"editing": "field:vilken_plats", "key": "vilken_plats",
             "label": "Vilken plats?", "label_en": "Which square?"}  # fmt: skip
    page = editor_client.post(f"{preview}?sprak=en", typed).content.decode()
    assert "Which square?" in page
    typed_step = {"editing": "step:evenemanget", "title": "Om evenemanget", "title_en": "Event"}
    page = editor_client.post(f"{preview}?sprak=sv", typed_step).content.decode()
    assert "Om evenemanget" in page
    # A form that does not read (no label) shows the draft as it is.
    page = editor_client.post(preview, {"editing": "field:vilken_plats", "key": ""})
    assert "Vilken plats?" in page.content.decode()
    assert editor_client.post(preview, {"editing": "field:finns_inte"}).status_code == 200
    assert EServiceDraft.objects.get(eservice=built).text == before


@pytest.mark.parametrize(
    "text",
    [
        "- a list",
        "steps: {a: 1}",
        "steps: [x]",
        "steps: [{key: a, fields: x}]",
        "steps: [{key: a b, fields: []}]",
        "steps: [{key: a, fields: [x]}]",
        "steps: [{key: a, fields: [{type: text}]}]",
        "steps: [{key: a, fields: [{key: b, condition: x}]}]",
        "steps: [{key: a, fields: [{key: b, choices: x}]}]",
        "steps: [{key: a, fields: [{key: b, choices: [x]}]}]",
        "steps: [{key: a, fields: [{key: b, errors: [x]}]}]",
        "statuses: x\nsteps: []",
        "on_submit: x\nsteps: []",
        "translations: x\nsteps: []",
        "translations: {en: x}\nsteps: []",
        "translations: {en: {fields: {b: x}}}\nsteps: []",
        "translations: {en: {fields: {b: {choices: [x]}}}}\nsteps: []",
        "translations: {en: {on_submit: x}}\nsteps: []",
    ],
)
def test_a_draft_shaped_unlike_a_definition_is_sent_to_the_text_editor_from_every_page(
    editor_client, new_eservice, text
):
    EServiceDraft.objects.create(eservice=new_eservice, text=text, updated_by_name="Cecilia")
    pk = new_eservice.pk
    for name, args in [("", [pk]), ("_statuses", [pk]), ("_texts", [pk]), ("_test", [pk])]:
        response = editor_client.get(url(name, *args))
        assert response.status_code == 200, name
        assert "Utkastet går inte att läsa" in response.content.decode(), name
