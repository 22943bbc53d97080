"""The person's own pages under Mina sidor: Mina uppgifter, organisations, queues, bookings."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sjalvservice.accounts import services
from sjalvservice.accounts.forms import ProfileForm, format_postal_code
from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.accounts.models import Profile
from sjalvservice.core.phone import InvalidPhoneNumber, parse_phone_number
from sjalvservice.core.se_ids import parse_personal_identity_number


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
def my_engagements(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request, "accounts/my_engagements.html", {"organisations": user.organisations.all()}
    )


@require_safe
@login_required
def my_queue_places(request: HttpRequest) -> HttpResponse:
    """ "Mina köplatser": the queues the person stands in (joined through e-services)."""
    return render(request, "accounts/my_queue_places.html")


@require_safe
@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    """ "Mina bokningar": the person's bookings (made through e-services)."""
    return render(request, "accounts/my_bookings.html")
