"""Every demo e-service, walked through as a resident would: each step filled in with answers
made from its own form, "Nästa" to the preview, "Skicka in" and the receipt.

Nothing is written per e-service: the answers come from the fields each step's page shows
(taken from the page's own form, follow-ups revealed by an answer included), so a new demo
e-service is walked as soon as its file exists. Each e-service is walked twice, once with the
first choice of every question and once with the last, so that the branches its conditions
open are walked too.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from sjalvservice.cases.models import Case, StatusKind
from sjalvservice.eservices.definitions.fields.files import AnswerFilesField
from sjalvservice.eservices.models import EService
from sjalvservice.eservices.services import publish_version
from sjalvservice.eservices.transfer import demo_files, import_eservice_file, read_eservice_file

FILES = {path.stem: path for path in demo_files()}
MAX_POSTS_PER_STEP = 4  # a follow-up shown only after a post is filled in on the next
MAX_STEPS = 20

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# What a resident types, tried in this order until the field takes one; a name that says
# what the field is (e-mail, phone, ...) puts its kind of answer first.
TEXTS = {
    "email": "anna@example.se",
    "phone": "070-123 45 67",
    "postal_code": "931 30",
    "personal_identity_number": "19810105-9825",
    "organisation_number": "802477-5317",
    "text": "Skellefteå Båtklubb",
}
HINTS = {
    "email": "email", "epost": "email", "mobile": "phone", "phone": "phone",
    "telefon": "phone", "postal_code": "postal_code", "postnummer": "postal_code",
    "personnummer": "personal_identity_number", "identity": "personal_identity_number",
    "organisation_number": "organisation_number", "organisationsnummer": "organisation_number",
}  # fmt: skip
NUMBERS = ("1", "2", "4", "10", "25", "100", "2000", "0")
DAYS = (7, 14, 30, 60, 1, 0, 120, 200, -1, -7, -30, -365, -365 * 30)


@pytest.fixture
def imported(skelleftea, lycksele, boat_places, lyckan):
    """Import one demo file; the queue and room of the demo exist for those that need them."""

    def load(name: str) -> Any:
        return import_eservice_file(FILES[name]).eservice

    return load


def upload(spec: Any) -> SimpleUploadedFile:
    """A small real file of a kind the field takes."""
    extensions = set(spec.extensions)
    if "pdf" in extensions:
        return SimpleUploadedFile("underlag.pdf", PDF, content_type="application/pdf")
    picture = io.BytesIO()
    image_format = "PNG" if "png" in extensions else "JPEG"
    Image.new("RGB", (4, 4), "white").save(picture, image_format)
    name = "bild.png" if image_format == "PNG" else "bild.jpg"
    return SimpleUploadedFile(name, picture.getvalue(), content_type=f"image/{image_format}")


def takes(field: forms.Field, value: Any) -> bool:
    try:
        field.clean(value)
    except ValidationError:
        return False
    return True


def candidates(name: str, field: forms.Field) -> list[Any]:
    kinds = [kind for hint, kind in HINTS.items() if hint in name.lower()]
    named = [TEXTS[kind] for kind in kinds]
    if isinstance(field, forms.DateField):
        today = datetime.date.today()
        return [(today + datetime.timedelta(days=days)).isoformat() for days in DAYS]
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return list(NUMBERS)
    return [*named, *examples(field), *TEXTS.values(), "Storgatan 1", "12"]


def examples(field: forms.Field) -> list[str]:
    """The examples the field's hint and messages give ("..., till exempel Getberget 1:23")."""
    said = [str(field.help_text), *(str(text) for text in field.error_messages.values())]
    found = (re.search(r"(?:till exempel|t\.ex\.) (.+?)\.?$", text) for text in said)
    return [match.group(1) for match in found if match]


def answer(name: str, field: forms.Field, *, last: bool) -> Any:
    """What a resident gives the form field ``name``."""
    if isinstance(field, AnswerFilesField):
        return upload(field.spec)
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if str(value)]
        if last:
            values.reverse()
        if isinstance(field, forms.MultipleChoiceField):
            tried = [values[:count] for count in range(1, len(values) + 1)]
            return next((value for value in tried if takes(field, value)), values[:1])
        return next((value for value in values if takes(field, value)), values[0])
    return next((value for value in candidates(name, field) if takes(field, value)), "x")


def fill(form: Any, posted: dict[str, Any], *, last: bool) -> dict[str, Any]:
    """``posted`` with an answer for every field the step's form shows that it lacks,
    follow-ups waiting for a choice included."""
    fields = {**{name: form.fields[name] for name in form.fields},
              **{name: bound.field for name, bound in form.waiting_fields.items()}}  # fmt: skip
    filled = dict(posted)
    for name, field in fields.items():
        if name not in filled:
            filled[name] = answer(name, field, last=last)
    return filled


def error_texts(response: Any) -> list[str]:
    form = response.context["form"]
    return [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]


def walk(client: Client, slug: str, *, last: bool) -> Case:
    """Through every step of the e-service to its receipt; the case sent in."""
    url = f"/tjanster/{slug}/starta/"
    for _steps in range(MAX_STEPS):
        page = client.get(url)
        assert page.status_code == 200, f"{url}: {page.status_code}"
        posted: dict[str, Any] = {}
        for _posts in range(MAX_POSTS_PER_STEP):
            posted = fill(page.context["form"], posted, last=last)
            page = client.post(url, {**posted, "action": "next"})
            if page.status_code == 302:
                break
            assert page.status_code == 200, f"{url}: {page.status_code}"
        else:
            raise AssertionError(f"{url} does not take the answers: {error_texts(page)}")
        url = page["Location"]
        if "/forhandsgranska/" in url:
            break
    else:
        raise AssertionError(f"{slug}: no preview after {MAX_STEPS} steps")
    preview = client.get(url)
    assert preview.status_code == 200
    sent = client.post(url, {"action": "submit"})
    assert sent.status_code == 302, error_texts(sent) if sent.status_code == 200 else sent
    assert "/kvitto/" in sent["Location"], sent["Location"]
    receipt = client.get(sent["Location"])
    assert receipt.status_code == 200
    reference = url.split("/")[2]
    return Case.objects.get(reference=reference)


@pytest.mark.parametrize("last", [False, True], ids=["first-choices", "last-choices"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_every_demo_e_service_can_be_filled_in_and_sent_in(client, imported, anna, name, last):
    eservice = imported(name)
    if read_eservice_file(FILES[name]).get("requires_login", True):
        client.force_login(anna)
    case = walk(client, eservice.slug, last=last)
    assert case.status_kind == StatusKind.SUBMITTED
    assert case.number
    assert case.answers
    if eservice.requires_login:
        page = client.get(f"/mina-sidor/arenden/{case.number}/")
        assert page.status_code == 200
        assert eservice.title in page.content.decode()


def test_the_walk_fails_on_a_step_that_takes_no_answer_it_can_give(
    client, skelleftea, category, anna
):
    # The walk's own check: a required question whose pattern no resident's answer meets
    # stops it with the step's error instead of passing it by.
    eservice = EService.objects.create(
        municipality=skelleftea,
        category=category,
        slug="omojlig",
        title="Omöjlig",
        requires_login=True,
    )
    publish_version(eservice, {
        "schema_version": 1, "title": "Omöjlig",
        "steps": [{"key": "fraga", "title": "Fråga", "fields": [
            {"key": "kod", "type": "text", "label": "Kod", "required": True,
             "pattern": "^Q{7}$", "pattern_message": "Skriv sju Q"},
        ]}],
    })  # fmt: skip
    client.force_login(anna)
    with pytest.raises(AssertionError, match="Skriv sju Q"):
        walk(client, eservice.slug, last=False)
