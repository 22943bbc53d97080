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


_PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, Tags.caches)
def check_sessions_are_shared(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Sessions in the cache need a cache every process shares: in one process's memory
    a login would hold on one web worker and not the next, and in the dummy cache on
    none at all."""
    if not settings.PRODUCTION or "cache" not in settings.SESSION_ENGINE:
        return []
    backend = settings.CACHES[settings.SESSION_CACHE_ALIAS]["BACKEND"]
    if backend not in _PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"SESSION_STORE keeps sessions in a cache of one process ({backend}).",
            hint="Set CACHE_URL=redis://HOST:PORT/DB (or db://TABLE), or SESSION_STORE=database.",
            id="eid.E004",
        )
    ]
