"""The login methods a citizen can choose between, behind one small interface.

Each method (BankID, the region's identity federation, ...) registers a
``LoginProvider``; the installation's ``LOGIN_METHODS`` setting chooses which
of the registered ones the login page offers, and in which order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language


@dataclass(frozen=True)
class LoginProvider:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    # Started at once from "Logga in" when it is the only method (it shows its own choice).
    direct: bool = False

    def start_url(self) -> str:
        return reverse(self.url_name)


def installation_text(setting: str, default: str | Promise) -> Promise:
    """A text the installation may word itself: ``setting`` in Swedish, ``setting``_EN in
    English (the Swedish one if unset), else the translated default."""

    def text() -> str:
        swedish = getattr(settings, setting, None)
        english = getattr(settings, f"{setting}_EN", None)
        if (get_language() or "sv").startswith("en") and english:
            return str(english)
        return str(swedish or default)

    return cast(Promise, lazy(text, str)())


_registry: dict[str, LoginProvider] = {}


def register(provider: LoginProvider) -> LoginProvider:
    if provider.key in _registry and _registry[provider.key] != provider:
        raise ValueError(f"Two login providers share the key {provider.key!r}.")
    _registry[provider.key] = provider
    return provider


def registered_keys() -> list[str]:
    return sorted(_registry)


def enabled_providers() -> list[LoginProvider]:
    """The providers named in ``LOGIN_METHODS``, in that order."""
    return [_registry[key] for key in settings.LOGIN_METHODS if key in _registry]
