from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from sjalvservice.eid.providers import registered_keys


@register()
def check_login_methods(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    unknown = [key for key in settings.LOGIN_METHODS if key not in registered_keys()]
    return [
        Error(
            f"LOGIN_METHODS names {key!r}, which is not an installed login method.",
            hint=f"Installed login methods: {', '.join(registered_keys()) or 'none'}.",
            id="eid.E001",
        )
        for key in unknown
    ]


@register(Tags.security, deploy=True)
def check_bankid_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from sjalvservice.eid.bankid.flow import is_configured

    if "bankid" in settings.LOGIN_METHODS and not is_configured():
        return [
            Error(
                "BankID is offered at login but not configured.",
                hint="Set BANKID_URL, BANKID_CLIENT_CERT, BANKID_CLIENT_KEY and BANKID_CA_CERT.",
                id="eid.E002",
            )
        ]
    return []


@register()
def check_federation_configured(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    from sjalvservice.eid.saml.config import is_configured

    if "federation" in settings.LOGIN_METHODS and not is_configured():
        return [
            Error(
                "The region's identity federation is offered at login but not configured.",
                hint="Set SAML_IDP_METADATA (a file or URL) and SAML_IDP_METADATA_CERT.",
                id="eid.E003",
            )
        ]
    return []
