"""One access helper per object type of the person's own pages: not theirs is 404."""

from __future__ import annotations

from django.http import Http404

from sjalvservice.accounts.http import AuthenticatedHttpRequest
from sjalvservice.accounts.models import Engagement


def get_engagement_for_citizen(request: AuthenticatedHttpRequest, engagement_id: int) -> Engagement:
    """The logged-in person's own record of an organisation, else 404."""
    engagement = (
        Engagement.objects.select_related("organisation")
        .filter(pk=engagement_id, user=request.user)
        .first()
    )
    if engagement is None:
        raise Http404
    return engagement
