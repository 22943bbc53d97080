from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sjalvservice.core"
    label = "core"
    verbose_name = _("Grunddata")

    def ready(self) -> None:
        from sjalvservice.core import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,
        )

        lookups.register()
