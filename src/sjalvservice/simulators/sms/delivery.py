"""Posting delivery reports to the ``whendelivered`` URL, as 46elks does.

The report is form data ``id``, ``status`` and, for a delivered message, ``delivered``. A
receiver that does not answer 200-204 (or cannot be reached) is tried again after each of a
few short, growing pauses: 46elks keeps trying for hours, which a simulator has no use for.

The URL is used as given. Credentials in it (``https://user:pass@host/...``) become an
``Authorization: Basic`` header, since HTTP clients do not send the user part of a URL; a
query string (a shared secret) stays in the URL. Redirects are not followed, and proxy
settings of the environment are ignored: the receiver is the portal on this machine.
"""

from __future__ import annotations

import base64
import http.client
from collections.abc import Mapping
from typing import Final
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, OpenerDirector, ProxyHandler, Request, build_opener

# Pauses before the second, third ... attempt: five attempts in all.
RETRY_DELAYS: Final = (0.1, 0.2, 0.4, 0.8)
TIMEOUT: Final = 2.0


class _NoRedirects(HTTPRedirectHandler):
    """A redirect is an answer outside 200-204 like any other, not a new place to post to."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        del args, kwargs


def _opener() -> OpenerDirector:
    return build_opener(ProxyHandler({}), _NoRedirects())


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """``url`` without its user part, and the headers that carry that part instead."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return url, {}
    user, _, password = userinfo.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, {"Authorization": f"Basic {token}"}


def post_report(
    url: str, fields: Mapping[str, str], timeout: float = TIMEOUT
) -> tuple[int | None, str | None]:
    """POST ``fields`` to ``url``; return (HTTP status, None) or (None, what went wrong)."""
    target, headers = split_credentials(url)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = Request(  # noqa: S310  (the URL is checked to be http or https when accepted)
        target, data=urlencode(fields).encode("ascii"), headers=headers, method="POST"
    )
    try:
        with _opener().open(request, timeout=timeout) as response:
            response.read()
            return int(response.status), None
    except HTTPError as error:
        error.close()
        return error.code, None
    except URLError as error:
        reason = error.reason
        return None, reason if isinstance(reason, str) else type(reason).__name__
    except (OSError, http.client.HTTPException, ValueError) as error:
        return None, type(error).__name__
