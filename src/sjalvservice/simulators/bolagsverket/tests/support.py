"""A client of the simulator that speaks the wire protocol by hand, as tests need it to."""

from __future__ import annotations

from typing import Any

import httpx

from ..server import API_PREFIX, TOKEN_PATH, Simulator
from ..state import READ_SCOPE

BOATS = "8024775317"  # Lycksele Båtklubb
COMPANY = "5593004285"  # Testbolaget i Lycksele AB
UNKNOWN = "5560000001"  # a valid number the simulator does not know


class Peer:
    """Raw HTTP calls to the token endpoint, the API and the control API."""

    def __init__(self, simulator: Simulator, client: httpx.Client) -> None:
        self.simulator = simulator
        self.client = client

    def token_response(
        self,
        *,
        auth: tuple[str, str] | None = None,
        grant_type: str | None = "client_credentials",
        scope: str | None = READ_SCOPE,
        **kwargs: Any,
    ) -> httpx.Response:
        form = {"grant_type": grant_type, "scope": scope}
        return self.client.post(
            TOKEN_PATH,
            data={key: value for key, value in form.items() if value is not None},
            auth=auth or (self.simulator.client_id, self.simulator.client_secret),
            **kwargs,
        )

    def token(self, scope: str | None = READ_SCOPE) -> str:
        response = self.token_response(scope=scope)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def organisationer(self, body: Any, token: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return self.client.post(
            f"{API_PREFIX}/organisationer", json=body, headers=headers, **kwargs
        )

    def lookup(self, number: str, token: str | None = None) -> httpx.Response:
        return self.organisationer({"identitetsbeteckning": number}, token)

    def isalive(self, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(f"{API_PREFIX}/isalive", headers=headers)

    def control(self, method: str, path: str, json: Any = None) -> httpx.Response:
        return self.client.request(method, f"/_control/{path}", json=json)

    def ok(self, method: str, path: str, json: Any = None) -> Any:
        response = self.control(method, path, json)
        assert response.status_code == 200, response.text
        return response.json()

    def stats(self) -> dict[str, Any]:
        return dict(self.ok("GET", "stats"))
