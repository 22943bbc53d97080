"""The form runner: one page per step of a case's pinned definition version.

Views call these helpers; they decide which steps are visible, where "Nästa" and
"Föregående" lead, and what is stored when a step validates or does not.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import get_language

from sjalvservice.core import uploads
from sjalvservice.core.languages import is_swedish
from sjalvservice.eservices.calendar import MunicipalityCalendar
from sjalvservice.eservices.definitions import (
    Definition,
    build_step_form,
    drop_hidden,
    parse_definition,
    visible_steps,
)
from sjalvservice.eservices.definitions.fields.booking import monday_of, parse_start, parse_week
from sjalvservice.eservices.definitions.fields.files import upload_cap
from sjalvservice.eservices.definitions.schema import FileSpec
from sjalvservice.eservices.definitions.translations import in_language

if TYPE_CHECKING:
    from sjalvservice.cases.models import Case
    from sjalvservice.eservices.definitions.forms import StepForm
    from sjalvservice.eservices.models import EService, EServiceVersion


logger = logging.getLogger(__name__)


@lru_cache(maxsize=256)
def _parse(version_id: int, content_hash: str, document: str) -> Definition:
    return parse_definition(json.loads(document))


def definition_of(case: Case) -> Definition:
    """The case's definition, parsed once per version and process (versions never change)."""
    return definition_of_version(case.eservice_version)


def definition_of_version(version: EServiceVersion) -> Definition:
    return _parse(version.pk, version.content_hash, json.dumps(version.definition))


def shown_definition(case: Case) -> Definition:
    """The case's definition with its texts in the current language: what a page shows.
    The Swedish ``definition_of`` is the case's own, for what is stored."""
    return shown_definition_of_version(case.eservice_version)


def shown_definition_of_version(version: EServiceVersion) -> Definition:
    language = get_language()
    if is_swedish(language):
        return definition_of_version(version)
    return _in_language(version.pk, version.content_hash, json.dumps(version.definition), language)


@lru_cache(maxsize=256)
def _in_language(version_id: int, content_hash: str, document: str, language: str) -> Definition:
    return in_language(_parse(version_id, content_hash, document), language)


@dataclass(frozen=True)
class StepLink:
    key: str
    title: str
    number: int


def step_links(definition: Definition, answers: dict[str, Any]) -> list[StepLink]:
    """The visible steps in order, numbered as the progress list shows them."""
    return [
        StepLink(step.key, step.title, index)
        for index, step in enumerate(visible_steps(definition, answers), start=1)
    ]


def neighbours(
    definition: Definition, answers: dict[str, Any], step_key: str
) -> tuple[str | None, str | None]:
    """The keys of the visible steps before and after ``step_key`` (None at either end)."""
    keys = [step.key for step in visible_steps(definition, answers)]
    if step_key not in keys:
        return None, keys[0] if keys else None
    index = keys.index(step_key)
    before = keys[index - 1] if index > 0 else None
    after = keys[index + 1] if index + 1 < len(keys) else None
    return before, after


def incomplete_steps(case: Case) -> list[str]:
    """Visible steps that have not been filled in and validated (in order)."""
    definition = definition_of(case)
    return [
        step.key
        for step in visible_steps(definition, case.answers)
        if step.key not in case.completed_steps or step.key in case.unsaved_input
    ]


def prefill_for(request: HttpRequest) -> dict[str, Any]:
    """What the contact block starts with: the person's Mina uppgifter."""
    user = request.user
    if not user.is_authenticated:
        return {}
    from sjalvservice.accounts.models import Profile

    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return {"contact": profile.contact_answer()}


def step_form(
    case: Case, step_key: str, request: HttpRequest, *, bound: bool, checked: bool = False
) -> StepForm:
    """The form of one step: bound to the POST, or to earlier unsaved input, or unbound.

    A form shown again from unsaved input holds what was typed but shows no errors: those
    wait until the person tries to go on ("Nästa", "Skicka in"). With ``checked`` it is
    checked as if they had just posted it (empty, when nothing was typed yet).
    """
    definition = shown_definition(case)
    data: QueryDict | None = None
    files = None
    if bound:
        data, files = request.POST, request.FILES
    elif step_key in case.unsaved_input or checked:
        data = QueryDict(mutable=True)
        for key, values in case.unsaved_input.get(step_key, {}).items():
            data.setlist(key, values)
    form = build_step_form(
        definition,
        step_key,
        answers=case.answers,
        data=data,
        files=files,
        prefill=contact_prefill(definition, request),
        organisations=organisations_of(request),
        find_organisation=organisation_lookup(),
        calendar=calendar_for(case.eservice),
        week=booking_week(request, definition, data),
    )
    if data is not None and not bound and not checked:
        # What was typed, without what is wrong with it (yet): never ask it for answers.
        form.errors.clear()
    return form


# The step whose next view shows its errors: the person tried to go on and was sent back.
_CHECK_NEXT_VIEW = "sjs_runner_check"


def check_next_view(request: HttpRequest, case: Case, step_key: str) -> None:
    """Have the next view of the step show its errors ("Skicka in" sent the person back
    to it); any other view shows what was typed without them."""
    request.session[_CHECK_NEXT_VIEW] = f"{case.reference}/{step_key}"


def checks_this_view(request: HttpRequest, case: Case, step_key: str) -> bool:
    """Whether this view of the step is the one ``check_next_view`` asked for (once)."""
    if _CHECK_NEXT_VIEW not in request.session:
        return False
    return request.session.pop(_CHECK_NEXT_VIEW) == f"{case.reference}/{step_key}"


def calendar_for(eservice: EService) -> MunicipalityCalendar:
    """The booking field's calendar: the e-service's municipality's resources."""
    return MunicipalityCalendar(eservice.municipality_id)


def booking_week(
    request: HttpRequest, definition: Definition, data: QueryDict | None = None
) -> datetime.date | None:
    """The week a booking field shows: the one asked for (``?vecka=``), else the week of the
    slot just posted (so an error shows beside it), else the field's own choice."""
    week = parse_week(request.GET.get("vecka"))
    spec = definition.booking_field()
    if week is None and spec is not None and data is not None:
        start = parse_start(data.get(spec.key))
        if start is not None:
            week = monday_of(timezone.localtime(start).date())
    return week


def organisation_lookup() -> Callable[[str], str | None] | None:
    """Bolagsverket's name for an organisation number, for the organisation block: a typed
    in organisation then needs only its number. None when the installation has no lookup;
    a lookup that fails gives no name, and the person types it in."""
    from sjalvservice.accounts import bolagsverket

    if not bolagsverket.is_configured():
        return None

    @functools.cache
    def registered_name(number: str) -> str | None:
        try:
            record = bolagsverket.get_client().lookup(number)
        except bolagsverket.BolagsverketError:
            logger.warning("Bolagsverket gave no answer for an organisation block.")
            return None
        return record.name if record is not None and record.name else None

    return registered_name


def organisations_of(request: HttpRequest) -> list[Any]:
    """The person's organisations from Mina engagemang, for the organisation block."""
    if not request.user.is_authenticated:
        return []
    from sjalvservice.accounts.models import Engagement

    # The organisation's id identifies the person's record of it (one per person).
    return [
        {"id": organisation_id, "name": name, "organisation_number": number}
        for organisation_id, name, number in Engagement.objects.filter(
            user=request.user
        ).values_list("organisation_id", "name", "organisation__organisation_number")
    ]


def contact_prefill(definition: Definition, request: HttpRequest) -> dict[str, Any]:
    """Initial answers for every contact block: the person's Mina uppgifter."""
    contact = prefill_for(request).get("contact")
    if not contact:
        return {}
    return {
        field.key: contact
        for step in definition.steps
        for field in step.fields
        if field.type == "contact"
    }


def raw_input(request: HttpRequest) -> dict[str, list[str]]:
    """The posted text fields of a step, to keep when they do not validate yet: as typed,
    but for NUL characters, which nobody types and PostgreSQL's JSON cannot hold."""
    return {
        _without_nul(key): [_without_nul(value) for value in values]
        for key, values in request.POST.lists()
        if key not in {"csrfmiddlewaretoken", "action"}
    }


def _without_nul(text: str) -> str:
    return text.replace("\x00", "")


def cap_uploads(request: HttpRequest, definition: Definition, step_key: str) -> None:
    """Cap the files a post of this step may send, before anything reads its body.

    Each file field's input takes what the field allows (every file field of the step:
    which are shown depends on the post itself); a file past that is dropped while it
    streams in and its field says why, while the step's other answers still arrive. All
    files together are bounded by ``uploads.max_total()``; a file sent to anything else is
    dropped unread.
    """
    inputs = {
        field.key: upload_cap(field)
        for field in definition.step(step_key).fields
        if isinstance(field, FileSpec)
    }
    uploads.install_cap(request, limit=uploads.max_size(), inputs=inputs, total=uploads.max_total())


class StoreUpload:
    """Stores the files a step's file fields accepted, under random keys in the case's
    folder, and remembers them: if the step is not saved after all, ``discard()``."""

    def __init__(self, case: Case) -> None:
        self.folder = f"cases/{case.reference}/answers"
        self.keys: list[str] = []

    def __call__(self, upload: UploadedFile) -> dict[str, Any]:
        # The file field has named the upload safely and typed it by its content.
        accepted = uploads.Accepted(
            upload=upload, name=upload.name or "", content_type=upload.content_type or ""
        )
        stored = uploads.store(accepted, self.folder)
        self.keys.append(stored["key"])
        return stored

    def discard(self) -> None:
        uploads.delete_stored(self.keys)
        self.keys = []


def merge_answers(
    case: Case, step_key: str, step_answers: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """All answers with this step's replaced, hidden ones dropped; and the completed steps."""
    definition = definition_of(case)
    answers = drop_hidden(definition, {**case.answers, **step_answers})
    visible = {step.key for step in visible_steps(definition, answers)}
    completed = [key for key in [*case.completed_steps, step_key] if key in visible]
    return answers, list(dict.fromkeys(completed))
