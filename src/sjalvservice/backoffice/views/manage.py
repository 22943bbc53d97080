"""Municipality administration: handlers, handler groups, e-services and the logs.

Every view is for municipality administrators only, those of the e-services also for a
redaktör, and sees only their own municipality: anything of another municipality is 404,
exactly as if it did not exist. Every change of who may do or see what goes through
``backoffice.services``, every change of an e-service through ``eservices.services``; both
record it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.accounts.models import User
from sjalvservice.backoffice import services
from sjalvservice.backoffice.access import editor_required, municipality_admin_required
from sjalvservice.backoffice.forms import (
    RETENTION_COUNT_CAP,
    AccessLogFilterForm,
    HandlerAccessForm,
    HandlerCreateForm,
    HandlerGroupForm,
    ReplyTemplateForm,
    RetentionForm,
    municipality_eservices,
    municipality_groups,
    municipality_staff,
)
from sjalvservice.backoffice.forms_eservices import (
    CloseEServiceForm,
    EServiceDetailsForm,
    NewEServiceForm,
)
from sjalvservice.backoffice.models import HandlerGroup, ReplyTemplate, StaffChange
from sjalvservice.backoffice.services import Actor, OwnAccount
from sjalvservice.cases.models import PurgedCase
from sjalvservice.core.keyset import (
    CURSOR_PARAMETER,
    Cursor,
    cursor_text,
    page_links,
    parse_cursor,
)
from sjalvservice.core.models import AccessLog, Municipality
from sjalvservice.eservices import services as eservice_services
from sjalvservice.eservices.forms import publish_attempt
from sjalvservice.eservices.models import EService, EServiceChange, EServiceDraft, EServiceVersion

ACCESS_LOG_PAGE_SIZE = 50
STAFF_CHANGES_PAGE_SIZE = 50
PURGE_LOG_PAGE_SIZE = 50
ESERVICE_CHANGES_PAGE_SIZE = 50

# A log's row: ordered newest first by its time, then pk.
Row = TypeVar("Row", AccessLog, StaffChange, PurgedCase, EServiceChange)


def _municipality(request: AuthenticatedHttpRequest) -> Municipality:
    municipality = request.user.municipality
    assert municipality is not None  # staff_required saw to it
    return municipality


def get_handler_for_admin(request: AuthenticatedHttpRequest, user_id: int) -> User:
    """A member of staff of the administrator's municipality, else 404."""
    handler = municipality_staff(_municipality(request)).filter(pk=user_id).first()
    if handler is None:
        raise Http404
    return handler


def get_group_for_admin(request: AuthenticatedHttpRequest, group_id: int) -> HandlerGroup:
    """A handler group of the administrator's municipality, else 404."""
    group = municipality_groups(_municipality(request)).filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group


def get_eservice_for_admin(request: AuthenticatedHttpRequest, eservice_id: int) -> EService:
    """An e-service of the administrator's (or redaktör's) municipality, else 404."""
    eservice = municipality_eservices(_municipality(request)).filter(pk=eservice_id).first()
    if eservice is None:
        raise Http404
    return eservice


def _posted(request: AuthenticatedHttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _with_second_factor(staff: QuerySet[User]) -> QuerySet[User]:
    return staff.annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


@require_safe
@municipality_admin_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview: what there is to manage."""
    municipality = _municipality(request)
    context = {
        "municipality": municipality,
        "staff_count": municipality_staff(municipality).filter(is_active=True).count(),
        "group_count": municipality_groups(municipality).count(),
        "eservice_count": municipality_eservices(municipality).count(),
    }
    return render(request, "backoffice/manage/overview.html", context)


@require_safe
@municipality_admin_required
def handlers(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    staff = _with_second_factor(municipality_staff(municipality)).prefetch_related(
        Prefetch(
            "assignments__eservice",
            queryset=EService.objects.only("title").order_by("title"),
        ),
        Prefetch("handler_groups", queryset=HandlerGroup.objects.order_by("name")),
    )
    return render(
        request,
        "backoffice/manage/handlers.html",
        {"municipality": municipality, "handlers": staff},
    )


@sensitive_post_parameters("password")
@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def handler_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    form = HandlerCreateForm(_posted(request), municipality=municipality)
    if request.method == "POST" and form.is_valid():
        # The form's fields are the function's arguments; no local copy of the password.
        handler = services.create_handler(by=Actor.of(request), **form.cleaned_data)
        messages.success(
            request,
            _("%(name)s är tillagd. Välj nu vilka e-tjänster hen ska handlägga.")
            % {"name": handler.get_full_name()},
        )
        return redirect("backoffice:manage_handler", user_id=handler.pk)
    return render(request, "backoffice/manage/handler_add.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def handler(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """A handler's details, e-services and groups; the buttons to deactivate and reset."""
    person = get_handler_for_admin(request, user_id)
    form = HandlerAccessForm(_posted(request), handler=person)
    if request.method == "POST" and form.is_valid():
        services.set_handler_access(
            person,
            eservices=form.cleaned_data["eservices"],
            groups=form.cleaned_data["groups"],
            by=Actor.of(request),
        )
        messages.success(
            request,
            _("E-tjänster och grupper för %(name)s är sparade.") % {"name": person.display_name},
        )
        return redirect("backoffice:manage_handler", user_id=person.pk)
    context = {
        "person": person,
        "form": form,
        "has_second_factor": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
        "is_self": person.pk == request.user.pk,
    }
    return render(request, "backoffice/manage/handler.html", context)


@require_POST
@municipality_admin_required
def handler_role(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Make a handler a redaktör, who edits the e-services and handles no cases, or a
    handler again."""
    person = get_handler_for_admin(request, user_id)
    if person.is_municipality_admin:
        raise Http404  # an administrator does both already
    editor = not person.is_editor
    try:
        services.set_handler_role(person, editor=editor, by=Actor.of(request))
    except services.NotAllowed:
        raise Http404 from None
    if editor:
        text = _("%(name)s är redaktör: ändrar kommunens e-tjänster och handlägger inga ärenden.")
    else:
        text = _("%(name)s är handläggare igen.")
    messages.success(request, text % {"name": person.display_name})
    return redirect("backoffice:manage_handler", user_id=person.pk)


@require_POST
@municipality_admin_required
def handler_active(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Deactivate a handler (they can no longer log in) or reactivate them."""
    person = get_handler_for_admin(request, user_id)
    name = person.display_name
    try:
        if person.is_active:
            services.deactivate_handler(person, by=Actor.of(request))
            messages.success(
                request, _("%(name)s är inaktiverad och kan inte logga in.") % {"name": name}
            )
        else:
            services.reactivate_handler(person, by=Actor.of(request))
            messages.success(
                request, _("%(name)s är aktiv igen och kan logga in.") % {"name": name}
            )
    except OwnAccount:
        messages.error(request, _("Du kan inte inaktivera ditt eget konto."))
    return redirect("backoffice:manage_handler", user_id=person.pk)


@require_POST
@municipality_admin_required
def handler_reset_second_factor(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Remove a handler's authenticator apps: they add one again at their next login."""
    person = get_handler_for_admin(request, user_id)
    try:
        services.reset_second_factor(person, by=Actor.of(request))
    except OwnAccount:
        messages.error(request, _("Du kan inte återställa din egen tvåstegsverifiering."))
    else:
        messages.success(
            request,
            _(
                "Tvåstegsverifieringen för %(name)s är återställd. Vid nästa inloggning "
                "kopplar hen en autentiseringsapp på nytt."
            )
            % {"name": person.display_name},
        )
    return redirect("backoffice:manage_handler", user_id=person.pk)


@require_safe
@municipality_admin_required
def groups(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    listed = municipality_groups(municipality).prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("first_name", "last_name")),
        Prefetch("eservices", queryset=EService.objects.only("title").order_by("title")),
    )
    return render(
        request,
        "backoffice/manage/groups.html",
        {"municipality": municipality, "groups": listed},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def group_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HandlerGroupForm(_posted(request), municipality=_municipality(request))
    if request.method == "POST" and form.is_valid():
        group = services.create_handler_group(by=Actor.of(request), **_group_fields(form))
        messages.success(request, _("Gruppen %(name)s är skapad.") % {"name": group.name})
        return redirect("backoffice:manage_groups")
    return render(request, "backoffice/manage/group.html", {"form": form, "group": None})


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def group(request: AuthenticatedHttpRequest, group_id: int) -> HttpResponse:
    existing = get_group_for_admin(request, group_id)
    form = HandlerGroupForm(_posted(request), municipality=_municipality(request), group=existing)
    if request.method == "POST" and form.is_valid():
        services.change_handler_group(existing, by=Actor.of(request), **_group_fields(form))
        messages.success(request, _("Gruppen %(name)s är sparad.") % {"name": existing.name})
        return redirect("backoffice:manage_groups")
    return render(request, "backoffice/manage/group.html", {"form": form, "group": existing})


def _group_fields(form: HandlerGroupForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "email": data["email"],
        "members": data["members"],
        "eservices": data["eservices"],
    }


@require_safe
@editor_required
def eservices(request: AuthenticatedHttpRequest) -> HttpResponse:
    municipality = _municipality(request)
    listed = municipality_eservices(municipality).prefetch_related(
        Prefetch(
            "versions",
            queryset=EServiceVersion.objects.defer("definition").order_by("-number"),
            to_attr="newest_first",
        )
    )
    return render(
        request,
        "backoffice/manage/eservices.html",
        {"municipality": municipality, "eservices": listed},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def eservice_publish(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Publicera ny version": the admin's publish page, for the municipality's e-services."""
    eservice = get_eservice_for_admin(request, eservice_id)
    attempt = publish_attempt(request, eservice)
    if attempt.published:
        return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)
    if attempt.saved:
        return redirect("backoffice:manage_eservice_publish", eservice_id=eservice.pk)
    attempt.form.fields["definition"].widget.attrs["class"] = "govuk-textarea sjs-definition-text"
    context = {
        "eservice": eservice,
        "current": eservice.current_version,
        "form": attempt.form,
        "problems": attempt.problems,
        "preview": attempt.preview,
        "untranslated": attempt.untranslated,
        "draft": attempt.draft,
    }
    return render(request, "backoffice/manage/eservice_publish.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def eservice_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Ny e-tjänst": its details; it is in the catalogue once a version is published."""
    form = NewEServiceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        eservice = eservice_services.create_eservice(
            by=request.user,
            municipality=_municipality(request),
            slug=form.cleaned_data["slug"],
            **form.details(),
        )
        messages.success(
            request,
            _("E-tjänsten %(title)s är skapad. Publicera dess första version, så visas den "
              "bland kommunens e-tjänster.") % {"title": eservice.title},
        )  # fmt: skip
        return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)
    return render(
        request,
        "backoffice/manage/eservice_add.html",
        {"form": form, "municipality": _municipality(request)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def eservice_details(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """An e-service's details, whether it takes cases, its versions and latest changes."""
    eservice = get_eservice_for_admin(request, eservice_id)
    form = EServiceDetailsForm(_posted(request), eservice=eservice)
    if request.method == "POST" and form.is_valid():
        if eservice_services.change_details(eservice, by=request.user, **form.details()):
            messages.success(request, _("Uppgifterna är sparade."))
        else:
            messages.info(request, _("Inget var ändrat."))
        return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)
    context = {
        "eservice": eservice,
        "form": form,
        "current": eservice.current_version,
        "draft": EServiceDraft.objects.filter(eservice=eservice).defer("text").first(),
        "changes": list(eservice.changes.order_by("-created_at", "-pk")[:5]),
    }
    return render(request, "backoffice/manage/eservice.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@editor_required
def eservice_closing(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Stäng för nya ärenden" with a message, or "Öppna igen"."""
    eservice = get_eservice_for_admin(request, eservice_id)
    if not eservice.accepts_cases:
        if request.method == "POST":
            eservice_services.open_eservice(eservice, by=request.user)
            messages.success(request, _("E-tjänsten tar emot nya ärenden igen."))
            return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)
        return render(request, "backoffice/manage/eservice_closing.html", {"eservice": eservice})
    form = CloseEServiceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        eservice_services.close_eservice(
            eservice,
            by=request.user,
            message=form.cleaned_data["message"],
            message_en=form.cleaned_data["message_en"],
        )
        messages.success(request, _("E-tjänsten är stängd för nya ärenden."))
        return redirect("backoffice:manage_eservice", eservice_id=eservice.pk)
    return render(
        request, "backoffice/manage/eservice_closing.html", {"eservice": eservice, "form": form}
    )


@require_safe
@editor_required
def eservice_changes(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Ändringslogg" of an e-service: who changed what and when, newest first, 50 at a
    time (keyset pagination)."""
    eservice = get_eservice_for_admin(request, eservice_id)
    cursor = parse_cursor(request.GET.get(CURSOR_PARAMETER, ""))
    page, older = _keyset_page(eservice.changes.all(), cursor, ESERVICE_CHANGES_PAGE_SIZE)
    context = {"eservice": eservice, **_log_context(request, page, older)}
    return render(request, "backoffice/manage/eservice_changes.html", context)


@require_safe
@municipality_admin_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Who looked at which personal data, newest first, 50 at a time (keyset pagination)."""
    form = AccessLogFilterForm(request.GET)
    rows = AccessLog.objects.filter(municipality=_municipality(request))
    case_number = form.cleaned_data.get("arende") if form.is_valid() else None
    if case_number is not None:
        rows = rows.filter(case_number=case_number)
    cursor = parse_cursor(request.GET.get(CURSOR_PARAMETER, ""))
    page, older = _keyset_page(rows, cursor, ACCESS_LOG_PAGE_SIZE)
    context = {"form": form, "case_number": case_number, **_log_context(request, page, older)}
    return render(request, "backoffice/manage/access_log.html", context)


@require_safe
@municipality_admin_required
def staff_changes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Ändringar av behörigheter": who changed which handler's or group's access, newest
    first, 50 at a time (keyset pagination)."""
    rows = StaffChange.objects.filter(municipality=_municipality(request))
    cursor = parse_cursor(request.GET.get(CURSOR_PARAMETER, ""))
    page, older = _keyset_page(rows, cursor, STAFF_CHANGES_PAGE_SIZE)
    context = _log_context(request, page, older)
    return render(request, "backoffice/manage/staff_changes.html", context)


def _log_context(
    request: AuthenticatedHttpRequest, page: list[Row], older: str | None
) -> dict[str, Any]:
    return {
        "rows": page,
        "older": older,
        "is_first_page": CURSOR_PARAMETER not in request.GET,
        **page_links(request, older),
    }


def _keyset_page(
    rows: QuerySet[Row], cursor: Cursor | None, size: int, by: str = "created_at"
) -> tuple[list[Row], str | None]:
    """The rows after ``cursor`` (newest first by ``by``, then pk), and the cursor of the
    page after, if any."""
    if cursor is not None:
        moment, pk = cursor
        rows = rows.filter(Q(**{f"{by}__lt": moment}) | Q(**{by: moment, "pk__lt": pk}))
    page = list(rows.order_by(f"-{by}", "-pk")[: size + 1])
    if len(page) <= size:
        return page, None
    page = page[:size]
    last = page[-1]
    return page, cursor_text(getattr(last, by), last.pk)


@require_safe
@municipality_admin_required
def purge_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Gallringslogg": the closed cases removed by gallring, newest first, 50 at a time."""
    rows = PurgedCase.objects.filter(municipality=_municipality(request))
    cursor = parse_cursor(request.GET.get(CURSOR_PARAMETER, ""))
    page, older = _keyset_page(rows, cursor, PURGE_LOG_PAGE_SIZE, by="purged_at")
    context = _log_context(request, page, older)
    return render(request, "backoffice/manage/purge_log.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def eservice_retention(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Gallring" of one e-service: how long its closed cases are kept."""
    eservice = get_eservice_for_admin(request, eservice_id)
    form = RetentionForm(_posted(request), eservice=eservice, now=timezone.now())
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["days"]
        EService.objects.filter(pk=eservice.pk).update(retention_days=days)
        if days is None:
            messages.success(request, _("Ärendena i e-tjänsten bevaras."))
        else:
            messages.success(request, _("Gallringen är sparad."))
        return redirect("backoffice:manage_eservices")
    context = {"eservice": eservice, "form": form, "due": form.due, "cap": RETENTION_COUNT_CAP}
    return render(request, "backoffice/manage/eservice_retention.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def reply_templates(request: AuthenticatedHttpRequest, eservice_id: int) -> HttpResponse:
    """ "Svarsmallar" of one e-service: the list and a form for a new one."""
    eservice = get_eservice_for_admin(request, eservice_id)
    form = ReplyTemplateForm(_posted(request), eservice=eservice)
    if request.method == "POST" and form.is_valid():
        template = form.save()
        messages.success(request, _("Svarsmallen %(title)s är sparad.") % {"title": template.title})
        return redirect("backoffice:manage_reply_templates", eservice.pk)
    return render(
        request,
        "backoffice/manage/reply_templates.html",
        {"eservice": eservice, "templates": eservice.reply_templates.all(), "form": form},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@municipality_admin_required
def reply_template(request: AuthenticatedHttpRequest, template_id: int) -> HttpResponse:
    """Change or delete one reply template of the municipality's e-services."""
    template = (
        ReplyTemplate.objects.select_related("eservice")
        .filter(pk=template_id, eservice__municipality=_municipality(request))
        .first()
    )
    if template is None:
        raise Http404
    eservice = template.eservice
    if request.method == "POST" and "delete" in request.POST:
        template.delete()
        messages.success(
            request, _("Svarsmallen %(title)s är borttagen.") % {"title": template.title}
        )
        return redirect("backoffice:manage_reply_templates", eservice.pk)
    form = ReplyTemplateForm(_posted(request), eservice=eservice, template=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Svarsmallen %(title)s är sparad.") % {"title": template.title})
        return redirect("backoffice:manage_reply_templates", eservice.pk)
    return render(
        request,
        "backoffice/manage/reply_template.html",
        {"eservice": eservice, "template": template, "form": form},
    )
