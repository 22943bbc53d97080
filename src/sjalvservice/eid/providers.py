"""The login methods a citizen can choose between, behind one small interface.

Each method (BankID, the region's identity federation, ...) registers a
``LoginProvider``; the installation's ``LOGIN_METHODS`` setting chooses which
of the registered ones the login page offers, and in which order.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class LoginProvider:
    key: str
    label: str | Promise
    description: str | Promise
    url_name: str

    def start_url(self) -> str:
        return reverse(self.url_name)


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
