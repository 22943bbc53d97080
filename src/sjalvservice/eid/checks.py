from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

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
