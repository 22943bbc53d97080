from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EidConfig(AppConfig):
    name = "sjalvservice.eid"
    label = "eid"
    verbose_name = _("E-legitimation")

    def ready(self) -> None:
        from sjalvservice.eid import checks  # noqa: F401  (registers the system checks)
        from sjalvservice.eid.providers import LoginProvider, installation_text, register

        register(
            LoginProvider(
                key="bankid",
                label=_("Logga in med e-legitimation"),
                description=_("Mobilt BankID eller BankID på den här enheten."),
                url_name="eid:bankid",
            )
        )
        register(
            LoginProvider(
                key="federation",
                label=installation_text(
                    "SAML_LOGIN_LABEL", _("Logga in med e-legitimation via regionen")
                ),
                description=installation_text(
                    "SAML_LOGIN_DESCRIPTION",
                    _(
                        "Mobilt BankID eller BankID. Du legitimerar dig hos regionen, eftersom "
                        "kommunerna i regionen samarbetar om e-tjänster."
                    ),
                ),
                url_name="eid:saml_login",
                direct=True,
            )
        )
