from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "sjalvservice.reservations"
    label = "reservations"
    verbose_name = _("Köer och bokningar")

    def ready(self) -> None:
        from sjalvservice.core.signals import tick

        tick.connect(_lapse_unconfirmed, dispatch_uid="queue-places-lapse")


def _lapse_unconfirmed(sender: Any, now: Any, **kwargs: Any) -> int:
    from django.utils import timezone

    from sjalvservice.reservations.services import lapse_unconfirmed

    return lapse_unconfirmed(timezone.localdate(now))
