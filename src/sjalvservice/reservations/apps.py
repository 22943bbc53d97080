from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "sjalvservice.reservations"
    label = "reservations"
    verbose_name = _("Köer och bokningar")
