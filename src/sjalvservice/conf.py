"""Typed helpers that read deployment settings from the environment.

Every helper rejects a value it cannot understand with ``ImproperlyConfigured``
naming the variable, so a typo in a deployment stops start-up instead of
silently falling back to a default.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    """Reads variables from one mapping (``os.environ`` unless given another)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def string(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self._raw(name)
        if value is None:
            if required or default is None:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return default
        return value

    def optional_string(self, name: str) -> str | None:
        return self._raw(name)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean; use one of true/false, yes/no, 1/0, on/off."
        )

    def integer(
        self, name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
    ) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}.")
        if maximum is not None and number > maximum:
            raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}.")
        return number

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}.")
        return value

    def strings(self, name: str, default: list[str] | None = None) -> list[str]:
        """A comma-separated list; empty items are dropped."""
        value = self._raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def json_object(self, name: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
        value = self._raw(name)
        if value is None:
            return dict(default or {})
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            raise ImproperlyConfigured(f"{name} is not valid JSON: {error}.") from None
        if not isinstance(parsed, dict):
            raise ImproperlyConfigured(f"{name} must be a JSON object.")
        return parsed

    def secret_key(self, name: str, default: str | None) -> str:
        """A signing key long and varied enough for Django's deployment check."""
        value = self._raw(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(
                    f"The environment variable {name} must be set in production: "
                    "at least 50 random characters."
                )
            return default
        if len(value) < 50 or len(set(value)) < 5 or value.startswith("django-insecure"):
            raise ImproperlyConfigured(
                f"{name} is too weak: use at least 50 random characters "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        return value


def cache_from_url(url: str, *, variable: str = "CACHE_URL") -> dict[str, Any]:
    """Translate ``locmem://``, ``dummy://``, ``db://table`` or ``redis://…`` to CACHES."""
    parts = urlsplit(url)
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if parts.scheme == "db":
        table = parts.netloc or "sjalvservice_cache"
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if parts.scheme in {"redis", "rediss"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        config: dict[str, Any] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.split("?", 1)[0],
        }
        if options:
            config["OPTIONS"] = options
        return config
    raise ImproperlyConfigured(
        f"{variable}={url!r} is not understood; use locmem://, dummy://, db://TABLE or redis://HOST:PORT/DB."
    )
