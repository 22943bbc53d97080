from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EidConfig(AppConfig):
    name = "sjalvservice.eid"
    label = "eid"
    verbose_name = _("E-legitimation")

    def ready(self) -> None:
        from sjalvservice.eid import checks  # noqa: F401  (registers the system checks)
        from sjalvservice.eid.providers import LoginProvider, register

        register(
            LoginProvider(
                key="bankid",
                label=_("Logga in med e-legitimation"),
                description=_("Mobilt BankID eller BankID på den här enheten."),
                url_name="eid:bankid",
            )
        )
