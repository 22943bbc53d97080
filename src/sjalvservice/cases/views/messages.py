"""The "Meddelanden" tab of a citizen's case and downloads of its attachments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.cases import services
from sjalvservice.cases.access import get_attachment, get_submitted_case_for_citizen
from sjalvservice.cases.downloads import attachment_response
from sjalvservice.cases.forms import MessageForm
from sjalvservice.cases.models import TEXT_LIMIT, Attachment, Case, Message
from sjalvservice.cases.views.my_pages import overview_context
from sjalvservice.core import uploads
from sjalvservice.notifications import outbox

# Where the tabs start (cases/includes/case_sections.html): the page opens there.
TABS_ANCHOR = "arendet-flikar"


@require_http_methods(["GET", "POST"])
@login_required
@uploads.capped_uploads
def messages_tab(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    """ "Meddelanden": the case's messages, newest first, and "Nytt meddelande".

    ``?nytt=1`` shows the form (no JavaScript needed). A sent form goes back to the tab
    (post/redirect/get); a refused one is shown again with what arrived of it.
    """
    case = get_submitted_case_for_citizen(request, number)
    if request.method == "POST":
        form = MessageForm(request.POST, request.FILES, size_error=uploads.size_error(request))
        if form.is_valid():
            services.send_message(
                case,
                by=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
                token=form.cleaned_data["token"],
            )
            messages.success(request, _("Ditt meddelande är skickat till handläggaren."))
            return redirect(f"{reverse('cases:messages', args=[case.number])}#{TABS_ANCHOR}")
        return _render(request, case, form, status=400)
    return _render(request, case, MessageForm() if request.GET.get("nytt") else None)


def _render(
    request: AuthenticatedHttpRequest, case: Case, form: MessageForm | None, *, status: int = 200
) -> HttpResponse:
    case_messages = list(
        case.messages.prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        ).order_by("-created_at", "-pk")
    )
    # Read before marking: the page shows which messages are new to the person now.
    unread = {
        message.pk
        for message in case_messages
        if message.direction == Message.Direction.TO_CITIZEN and message.read_at is None
    }
    if unread:
        services.mark_read(case, by=request.user, shown=unread)
        outbox.mark_notices_read(request.user, case)
    context = overview_context(case, message_count=len(case_messages), unread_count=0)
    return render(
        request,
        "cases/messages.html",
        {
            **context,
            "case_messages": case_messages,
            "unread": unread,
            "form": form,
            "text_limit": TEXT_LIMIT,
            **uploads.limits(),
        },
        status=status,
    )


@require_safe
@login_required
def attachment(
    request: AuthenticatedHttpRequest, number: int, attachment_id: int
) -> HttpResponseBase:
    """A file sent with a message on the person's own case; any other file is not found."""
    case = get_submitted_case_for_citizen(request, number)
    return attachment_response(get_attachment(case, attachment_id))
