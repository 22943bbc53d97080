"""Look organisations up in Bolagsverket's "Värdefulla datamängder" API.

The API wants an OAuth2 access token (client credentials grant) on every call. The token is
kept in Django's cache, so every process and server shares one, until about a minute before
it expires; a call that is refused with 401 gets one fresh token and one more try.

Errors are exceptions, one per kind, so the caller decides what to show: see
:class:`BolagsverketUnavailable` and :class:`BolagsverketConfigurationError`. Neither the
client secret nor an access token is ever logged or put in an exception message.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

import httpx
from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ImproperlyConfigured
from django.views.decorators.debug import sensitive_variables

from sjalvservice.core.se_ids import parse_organisation_number

logger = logging.getLogger(__name__)

SCOPE: Final = "vardefulla-datamangder:read"
# Refresh a token this long before Bolagsverket says it expires.
REFRESH_MARGIN: Final = 60
# OAuth2 error codes are short ASCII words; anything else is not repeated in a message.
_OAUTH_ERROR_RE: Final = re.compile(r"[a-z_]{1,40}")


@dataclass(frozen=True)
class CompanyRecord:
    """What the portal uses of Bolagsverket's record of an organisation.

    ``organisation_number`` is the normalised 10-digit form; texts Bolagsverket leaves out are
    empty strings. ``active`` is whether Bolagsverket reports the organisation as active
    (``verksamOrganisation``: "Ja").
    """

    organisation_number: str
    name: str
    legal_form: str
    street: str
    postal_code: str
    city: str
    active: bool


class BolagsverketError(Exception):
    """An answer from Bolagsverket that this client does not understand; the base of the others."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BolagsverketUnavailable(BolagsverketError):
    """No connection, no answer in time, a server error (5xx) or rate limiting (429).

    Worth trying again later; ``retry_after`` is Bolagsverket's hint in seconds, if it gave one.
    """

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class BolagsverketConfigurationError(BolagsverketError):
    """Bolagsverket refused the portal itself: a wrong client id or secret (``invalid_client``),
    or credentials whose tokens the API does not accept. Only the operators can fix this."""


def token_lifetime(expires_in: int) -> int:
    """Seconds to keep a token that expires in ``expires_in``: until a minute before it
    expires, but at least half its lifetime (0: do not keep it)."""
    return max(expires_in - REFRESH_MARGIN, expires_in // 2)


class BolagsverketClient:
    """Talks to one API base URL with one client's credentials; safe to share between threads."""

    def __init__(
        self,
        *,
        base_url: str,
        token_url: str,
        client_id: str,
        client_secret: str,
        timeout: float = 5.0,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            timeout=timeout,
            headers={"Accept": "application/json"},
        )
        # Named by the token endpoint and the client id, never the secret: a new secret for the
        # same client may reuse a token that is still valid.
        digest = hashlib.sha256(f"{token_url}\n{client_id}".encode()).hexdigest()[:32]
        self.token_cache_key = f"bolagsverket:token:{digest}"

    def __repr__(self) -> str:
        return f"<BolagsverketClient {self._http.base_url} client_id={self._client_id!r}>"

    def close(self) -> None:
        self._http.close()

    def lookup(self, organisation_number: str) -> CompanyRecord | None:
        """Bolagsverket's record of the organisation, or None when it knows no such number.

        Accepts every form :func:`~sjalvservice.core.se_ids.parse_organisation_number` does and
        raises its ``InvalidIdentityNumber`` (before any call) for anything else.
        """
        number = parse_organisation_number(organisation_number).number
        response = self._call("organisationer", {"identitetsbeteckning": number})
        if response.status_code == 404:
            return None
        organisations = _json_object(response).get("organisationer")
        if not isinstance(organisations, list):
            raise BolagsverketError("the answer has no list of organisationer", status=200)
        candidates = [item for item in organisations if isinstance(item, dict)]
        if not candidates:
            return None
        matching = [
            item
            for item in candidates
            if _text(item, "organisationsidentitet", "identitetsbeteckning") == number
        ]
        return _record(number, (matching or candidates)[0])

    def _call(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST ``body`` with an access token; a 200 or 404 answer, else an exception."""
        response = self._send(path, body, self._token())
        if response.status_code == 401:
            # The token was revoked or expired early: one fresh token and one more try.
            logger.info("Bolagsverket refused the cached access token; fetching a new one.")
            django_cache.delete(self.token_cache_key)
            response = self._send(path, body, self._token())
            if response.status_code == 401:
                logger.warning("Bolagsverket refused a fresh access token.")
                raise BolagsverketConfigurationError(
                    f"{path}: the API refused a fresh access token", status=401
                )
        if response.status_code in (200, 404):
            return response
        if response.status_code == 403:
            logger.warning("Bolagsverket's API refused our access token (403).")
            raise BolagsverketConfigurationError(
                f"{path}: the access token does not allow this call", status=403
            )
        raise _unavailable_or_error(response, path)

    @sensitive_variables()
    def _send(self, path: str, body: dict[str, Any], token: str) -> httpx.Response:
        try:
            return self._http.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        # `from None`: the httpx exception holds the request, and so its Authorization header,
        # which Django's error reports would show with the chained traceback.
        except httpx.TimeoutException:
            raise _unreachable(f"{path}: no answer in time") from None
        except httpx.HTTPError as error:
            raise _unreachable(f"{path}: {type(error).__name__}") from None

    def _token(self) -> str:
        token = django_cache.get(self.token_cache_key)
        if isinstance(token, str) and token:
            return token
        token, expires_in = self._fetch_token()
        lifetime = token_lifetime(expires_in)
        if lifetime > 0:
            django_cache.set(self.token_cache_key, token, lifetime)
        return token

    @sensitive_variables()
    def _fetch_token(self) -> tuple[str, int]:
        """A new access token and its lifetime in seconds, from the client credentials grant."""
        try:
            response = self._http.post(
                self._token_url,
                data={"grant_type": "client_credentials", "scope": SCOPE},
                auth=(self._client_id, self._client_secret),
            )
        # `from None` for the same reason as in _send: the request holds the credentials.
        except httpx.TimeoutException:
            raise _unreachable("token endpoint: no answer in time") from None
        except httpx.HTTPError as error:
            raise _unreachable(f"token endpoint: {type(error).__name__}") from None
        status = response.status_code
        if status in (400, 401, 403):
            code = _oauth_error(response)
            logger.warning("Bolagsverket refused the portal's client credentials (%s).", code)
            raise BolagsverketConfigurationError(
                f"token endpoint: the client was refused ({code})", status=status
            )
        if status != 200:
            raise _unavailable_or_error(response, "token endpoint")
        data = _json_object(response)
        token, expires_in = data.get("access_token"), _whole_seconds(data.get("expires_in"))
        if (
            not isinstance(token, str)
            or not token
            or str(data.get("token_type", "")).lower() != "bearer"
            or expires_in is None
        ):
            raise BolagsverketError("token endpoint: the answer is not a bearer token", status=200)
        logger.info("Fetched a Bolagsverket access token valid for %d s.", expires_in)
        return token, expires_in


def is_configured() -> bool:
    """Whether the lookup is on: every BOLAGSVERKET_* address and credential is set."""
    return bool(
        settings.BOLAGSVERKET_URL
        and settings.BOLAGSVERKET_TOKEN_URL
        and settings.BOLAGSVERKET_CLIENT_ID
        and settings.BOLAGSVERKET_CLIENT_SECRET
    )


def get_client() -> BolagsverketClient:
    """The client for the current settings; ask :func:`is_configured` first."""
    if not is_configured():
        raise ImproperlyConfigured(
            "The Bolagsverket lookup is off (BOLAGSVERKET_URL, BOLAGSVERKET_TOKEN_URL, "
            "BOLAGSVERKET_CLIENT_ID and BOLAGSVERKET_CLIENT_SECRET)."
        )
    return _client(
        settings.BOLAGSVERKET_URL,
        settings.BOLAGSVERKET_TOKEN_URL,
        settings.BOLAGSVERKET_CLIENT_ID,
        settings.BOLAGSVERKET_CLIENT_SECRET,
        settings.BOLAGSVERKET_TIMEOUT,
    )


@cache
def _client(
    url: str, token_url: str, client_id: str, client_secret: str, timeout: float
) -> BolagsverketClient:
    # One client (and connection pool) per configuration and process.
    return BolagsverketClient(
        base_url=url,
        token_url=token_url,
        client_id=client_id,
        client_secret=client_secret,
        timeout=timeout,
    )


def _unreachable(message: str) -> BolagsverketUnavailable:
    logger.warning("Bolagsverket could not be reached: %s.", message)
    return BolagsverketUnavailable(message)


def _unavailable_or_error(response: httpx.Response, where: str) -> BolagsverketError:
    """The exception for an unexpected status: Unavailable for 408, 429 and 5xx."""
    status = response.status_code
    if status in (408, 429) or status >= 500:
        logger.warning("Bolagsverket answered %d (%s).", status, where)
        retry_after = _whole_seconds(response.headers.get("Retry-After"), allow_zero=True)
        return BolagsverketUnavailable(
            f"{where}: answered {status}", status=status, retry_after=retry_after
        )
    return BolagsverketError(f"{where}: unexpected answer {status}", status=status)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise BolagsverketError("the answer is not a JSON object", status=response.status_code)
    return data


def _oauth_error(response: httpx.Response) -> str:
    """The OAuth2 ``error`` code of a token endpoint answer, e.g. ``invalid_client``."""
    try:
        data = response.json()
    except ValueError:
        return "no error code"
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, str) and _OAUTH_ERROR_RE.fullmatch(error):
        return error
    return "no error code"


def _whole_seconds(value: object, *, allow_zero: bool = False) -> int | None:
    """A positive whole number of seconds from a JSON number or a string of digits."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if value > 0 or (allow_zero and value == 0) else None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(data: Any, *keys: str) -> str:
    value = _get(data, *keys)
    return value.strip() if isinstance(value, str) else ""


def _first_name(organisation: dict[str, Any]) -> str:
    names = _get(organisation, "organisationsnamn", "organisationsnamnLista")
    if not isinstance(names, list):
        return ""
    return next((name for name in (_text(entry, "namn") for entry in names) if name), "")


def _record(number: str, organisation: dict[str, Any]) -> CompanyRecord:
    address = _get(organisation, "postadressOrganisation", "postadress")
    return CompanyRecord(
        organisation_number=number,
        name=_first_name(organisation),
        legal_form=_text(organisation, "juridiskForm", "klartext")
        or _text(organisation, "juridiskForm", "kod"),
        street=_text(address, "utdelningsadress"),
        # "921 31" and "92131" are the same postal code; the portal stores the five digits.
        postal_code="".join(_text(address, "postnummer").split()),
        city=_text(address, "postort"),
        active=_text(organisation, "verksamOrganisation", "kod").lower() == "ja",
    )
