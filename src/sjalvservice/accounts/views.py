"""The person's own pages under Mina sidor: Mina uppgifter, organisations, queues, bookings."""

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sjalvservice.accounts import bolagsverket, services
from sjalvservice.accounts.access import get_engagement_for_citizen
from sjalvservice.accounts.forms import OrganisationForm, ProfileForm, format_postal_code
from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.accounts.models import Engagement, Profile
from sjalvservice.core.phone import InvalidPhoneNumber, parse_phone_number
from sjalvservice.core.se_ids import parse_organisation_number, parse_personal_identity_number

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
@login_required
def my_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina uppgifter": change the contact details and the notification choices."""
    user = request.user
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            saved = services.save_details(
                user,
                form.details(),
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                resend_confirmation=True,
            )
            messages.success(request, _("Dina ändringar är sparade."))
            if saved.email and not saved.email_is_confirmed:
                messages.info(
                    request,
                    _(
                        "Vi har skickat en länk till %(email)s. Öppna den för att bekräfta "
                        "adressen; först därefter skickar vi notiser dit."
                    )
                    % {"email": saved.email},
                )
            return redirect("accounts:my_details")
        return _render_details(request, form, profile, status=400)
    initial = {"first_name": user.first_name, "last_name": user.last_name}
    initial.update({name: getattr(profile, name) for name in services.DETAILS + services.CHOICES})
    initial["postal_code"] = format_postal_code(profile.postal_code)
    initial["mobile"] = _formatted(profile.mobile)
    return _render_details(request, ProfileForm(initial=initial), profile)


def _render_details(
    request: AuthenticatedHttpRequest, form: ProfileForm, profile: Profile, *, status: int = 200
) -> HttpResponse:
    number = request.user.personal_identity_number
    return render(
        request,
        "accounts/my_details.html",
        {
            "form": form,
            "profile": profile,
            "personal_identity_number": (
                parse_personal_identity_number(number).formatted if number else ""
            ),
        },
        status=status,
    )


def _formatted(mobile: str) -> str:
    try:
        return parse_phone_number(mobile).formatted() if mobile else ""
    except InvalidPhoneNumber:
        return mobile


@require_safe
@login_required
def confirm_email(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation e-mail: the address is confirmed, once."""
    try:
        profile = services.confirm_email(request.user, token)
    except services.InvalidConfirmation:
        return render(request, "accounts/confirm_email_failed.html", status=400)
    messages.success(
        request,
        _("Din e-postadress %(email)s är bekräftad.") % {"email": profile.email},
    )
    return redirect("accounts:my_details")


@require_safe
@login_required
def my_engagements(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Mina engagemang": the organisations the person acts for, as they recorded them."""
    engagements = Engagement.objects.filter(user=request.user).select_related("organisation")
    return render(request, "accounts/my_engagements.html", {"engagements": list(engagements)})


@require_http_methods(["GET", "POST"])
@login_required
def organisation_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Lägg till organisation", with "Hämta från Bolagsverket" to fill the form in."""
    return _organisation_form(request, None)


@require_http_methods(["GET", "POST"])
@login_required
def organisation_change(request: AuthenticatedHttpRequest, engagement_id: int) -> HttpResponse:
    return _organisation_form(request, get_engagement_for_citizen(request, engagement_id))


def _organisation_form(
    request: AuthenticatedHttpRequest, engagement: Engagement | None
) -> HttpResponse:
    initial: dict[str, Any] = {}
    if engagement is not None:
        initial = {name: getattr(engagement, name) for name in services.ENGAGEMENT_DETAILS}
        initial["organisation_number"] = engagement.organisation.organisation_number
        initial["postal_code"] = format_postal_code(engagement.postal_code)
        initial["from_registry"] = bool(engagement.legal_form)
    fixed = engagement is not None
    if request.method != "POST":
        form = OrganisationForm(initial=initial, number_fixed=fixed)
        return _render_organisation(request, form, engagement)
    form = OrganisationForm(request.POST, initial=initial, number_fixed=fixed)
    if "hamta" in request.POST and bolagsverket.is_configured():
        return _fetch_from_registry(request, form, engagement)
    if not form.is_valid():
        return _render_organisation(request, form, engagement, status=400)
    number = form.cleaned_data["organisation_number"]
    if (
        engagement is None
        and Engagement.objects.filter(
            user=request.user, organisation__organisation_number=number
        ).exists()
    ):
        form.add_error(
            "organisation_number",
            _("Organisationen finns redan under Mina engagemang. Välj Ändra för att ändra den."),
        )
        return _render_organisation(request, form, engagement, status=400)
    saved = services.save_organisation(request.user, number, form.details())
    messages.success(request, _("%(name)s är sparad under Mina engagemang.") % {"name": saved.name})
    return redirect("accounts:my_engagements")


def _fetch_from_registry(
    request: AuthenticatedHttpRequest, form: OrganisationForm, engagement: Engagement | None
) -> HttpResponse:
    """ "Hämta från Bolagsverket": the rest of the form filled in from the registry where
    it knows the number; what the person typed is kept, and typing it in always works."""
    form.full_clean()
    number_errors = form.errors.get("organisation_number")
    if number_errors:
        # Only the number matters here; the other fields are checked on "Spara".
        form.errors.clear()
        form.errors["organisation_number"] = number_errors
        return _render_organisation(request, form, engagement, status=400)
    number = form.cleaned_data["organisation_number"]
    typed: dict[str, Any] = {
        key: request.POST.get(key, "") for key in form.fields if key in request.POST
    }
    typed["organisation_number"] = parse_organisation_number(number).formatted
    fixed = form.fields["organisation_number"].disabled
    try:
        record = bolagsverket.get_client().lookup(number)
    except bolagsverket.BolagsverketError as error:
        if isinstance(error, bolagsverket.BolagsverketConfigurationError):
            logger.error("Bolagsverket refused the portal's client credentials.")
        problem = _(
            "Bolagsverket svarar inte just nu. Fyll i uppgifterna själv eller försök igen senare."
        )
        refilled = OrganisationForm(initial=typed, number_fixed=fixed)
        return _render_organisation(request, refilled, engagement, registry_problem=problem)
    if record is None:
        problem = _(
            "Bolagsverket har ingen organisation med numret %(number)s. Kontrollera numret "
            "eller fyll i uppgifterna själv."
        ) % {"number": typed["organisation_number"]}
        refilled = OrganisationForm(initial=typed, number_fixed=fixed)
        return _render_organisation(request, refilled, engagement, registry_problem=problem)
    typed.update({
        "name": record.name, "street": record.street,
        "postal_code": format_postal_code(record.postal_code), "city": record.city,
        "legal_form": record.legal_form, "from_registry": True,
    })  # fmt: skip
    filled = OrganisationForm(initial=typed, number_fixed=fixed)
    return _render_organisation(request, filled, engagement, registry_record=record)


def _render_organisation(
    request: AuthenticatedHttpRequest,
    form: OrganisationForm,
    engagement: Engagement | None,
    *,
    status: int = 200,
    registry_record: Any = None,
    registry_problem: str = "",
) -> HttpResponse:
    return render(
        request,
        "accounts/organisation_form.html",
        {
            "form": form,
            "engagement": engagement,
            "registry_on": bolagsverket.is_configured(),
            "registry_record": registry_record,
            "registry_problem": registry_problem,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def organisation_remove(request: AuthenticatedHttpRequest, engagement_id: int) -> HttpResponse:
    """ "Ta bort" with a confirmation; submitted cases keep their copy of the organisation."""
    engagement = get_engagement_for_citizen(request, engagement_id)
    if request.method == "POST":
        services.remove_organisation(engagement)
        messages.success(
            request,
            _("%(name)s är borttagen från Mina engagemang.") % {"name": engagement.name},
        )
        return redirect("accounts:my_engagements")
    return render(request, "accounts/organisation_remove.html", {"engagement": engagement})
