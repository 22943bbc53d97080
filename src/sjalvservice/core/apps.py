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
            ratelimit,
            signals,
        )

        lookups.register()
        signals.tick.connect(ratelimit.purge, dispatch_uid="core.ratelimit.purge")
