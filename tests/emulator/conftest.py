"""Helpers for talking to the emulator as a plain HTTP client (httpx, no oic_magic code)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from oic_magic.emulator import DEMO, Emulator

API = "/ic/api/integration/v1"


def password_grant(
    emu: Emulator,
    *,
    username: str = DEMO.username,
    client: tuple[str, str] = (DEMO.client_id, DEMO.client_secret),
    scope: str | None = None,
    **extra: str,
) -> httpx.Response:
    """POST the password grant with HTTP Basic client authentication."""
    data = {
        "grant_type": "password",
        "username": username,
        "password": DEMO.password,
        "scope": emu.scope if scope is None else scope,
        **extra,
    }
    return httpx.post(emu.token_url, auth=client, data=data)


def token_for(emu: Emulator, username: str = DEMO.username) -> str:
    """An access token for ``username``."""
    response = password_grant(emu, username=username)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class Api:
    """A tiny Developer API caller bound to one emulator and token."""

    def __init__(self, emu: Emulator, http: httpx.Client, token: str) -> None:
        self.emu, self.http, self.token = emu, http, token

    def call(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        token: str | None = None,
        instance: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        query = {"integrationInstance": self.emu.instance} if instance else {}
        query.update(params or {})
        headers = kwargs.pop("headers", {})
        headers.setdefault("Authorization", f"Bearer {token or self.token}")
        return self.http.request(
            method, f"{self.emu.design_url}{API}/{path}", params=query, headers=headers, **kwargs
        )

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.call("GET", path, params=params)

    def patch(self, path: str, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        return self.call(
            "POST", path, json=body, token=token, headers={"X-HTTP-Method-Override": "PATCH"}
        )


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A plain keep-alive HTTP client."""
    with httpx.Client(timeout=10) as client:
        yield client


@pytest.fixture
def api(emu: Emulator, http: httpx.Client) -> Api:
    """Developer API calls as the demo developer."""
    return Api(emu, http, token_for(emu))
