"""A small in-process OIC for unit tests: an ``httpx.MockTransport`` app.

Identity, design-time, runtime and a foreign host, enough rules to exercise the
core (single-use refresh tokens, 401 for unknown tokens, the runtime 307) and a
queue of canned answers to inject faults. Far smaller than the real emulator,
which the ``*_live`` tests use over sockets.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from oic_magic import Settings

IDENTITY = "https://idcs-test.identity.oraclecloud.com"
DESIGN = "https://design.integration.us-ashburn-1.ocp.oraclecloud.com"
RUNTIME = "https://oic-test-abc.integration.us-ashburn-1.ocp.oraclecloud.com"
FOREIGN = "https://collector.example.net"
AUDIENCE = "https://oic-test-abc.integration.us-ashburn-1.ocp.oraclecloud.com:443"
CLIENT_ID = "test-client"
CLIENT_SECRET = "cl13nt-S3CRET-value"
USERNAME = "ada"
PASSWORD = "Pa55w0rd-Ada!"


def settings(**changes: Any) -> Settings:
    """Settings for the fake, design-time URL known."""
    values: dict[str, Any] = dict(
        design_url=DESIGN,
        identity_url="idcs-test.identity.oraclecloud.com",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        audience=AUDIENCE,
        instance="oic-test",
        username=USERNAME,
        password=PASSWORD,
    )
    values.update(changes)
    return Settings(**values)


def jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2lnbmF0dXJl"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeOIC:
    """The fake's state; call it with a request (it is the MockTransport handler)."""

    clock: Clock = field(default_factory=Clock)
    access_ttl: int = 3600
    issue_refresh: bool = True
    items: list[dict[str, Any]] = field(
        default_factory=lambda: [{"id": f"C{i:04d}", "name": f"conn {i}"} for i in range(250)]
    )
    max_limit: int = 100
    redirect_to: str = DESIGN
    redirect_status: int = 307
    log: list[httpx.Request] = field(default_factory=list)
    canned: list[tuple[Callable[[httpx.Request], bool], httpx.Response]] = field(
        default_factory=list
    )
    valid_access: set[str] = field(default_factory=set)
    valid_refresh: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # -- helpers for tests ----------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    def inject(
        self,
        response: httpx.Response,
        *,
        when: Callable[[httpx.Request], bool] | None = None,
        times: int = 1,
    ) -> None:
        for _ in range(times):
            self.canned.append((when or (lambda request: True), response))

    def token_requests(self, grant: str | None = None) -> list[httpx.Request]:
        found = [r for r in self.log if r.url.path == "/oauth2/v1/token"]
        if grant is not None:
            found = [r for r in found if f"grant_type={grant}" in r.content.decode()]
        return found

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.log if r.url.path.startswith("/ic/")]

    def revoke(self) -> None:
        self.valid_access.clear()

    # -- the app ----------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.log.append(request)
            for index, (when, response) in enumerate(self.canned):
                if when(request):
                    del self.canned[index]
                    return response
        origin = f"{request.url.scheme}://{request.url.host}"
        if request.url.path == "/oauth2/v1/token":
            return self._token(request)
        if origin == RUNTIME:
            location = self.redirect_to + request.url.raw_path.decode()
            return httpx.Response(self.redirect_status, headers={"Location": location})
        if origin == DESIGN:
            return self._api(request)
        return httpx.Response(200, json={"foreign": True})

    def _token(self, request: httpx.Request) -> httpx.Response:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return _oauth_error(401, "invalid_client", "Invalid client credentials.")
        form = dict(httpx.QueryParams(request.content.decode()))
        grant = form.get("grant_type")
        with self.lock:
            if grant == "password":
                if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
                    return _oauth_error(400, "invalid_grant", "Invalid user name or password.")
            elif grant == "refresh_token":
                if form.get("refresh_token") not in self.valid_refresh:
                    return _oauth_error(
                        400, "invalid_grant", "The token has already been consumed."
                    )
                self.valid_refresh.discard(form["refresh_token"])
            elif grant != "client_credentials":
                return _oauth_error(400, "unsupported_grant_type", "Unsupported grant.")
            return httpx.Response(200, json=self._issue(grant))

    def _issue(self, grant: str) -> dict[str, Any]:
        n = next(self.serial)
        now = int(self.clock())
        access = jwt(
            {
                "sub": USERNAME if grant != "client_credentials" else CLIENT_ID,
                "scope": "urn:opc:resource:consumer::all",
                "iat": now,
                "exp": now + self.access_ttl,
                "jti": f"a{n}",
            }
        )
        self.valid_access.add(access)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.access_ttl,
        }
        if self.issue_refresh and grant != "client_credentials":
            body["refresh_token"] = f"refresh-{n}-AQAgY2Mz"
            self.valid_refresh.add(body["refresh_token"])
        return body

    def _api(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.valid_access:
            return httpx.Response(
                401,
                json={
                    "code": "NotAuthenticated",
                    "message": "The required information to complete "
                    "authentication was not provided.",
                },
            )
        path = request.url.path.removeprefix("/ic/api/integration/v1/")
        if path == "connections":
            return self._list(request)
        if path.startswith("integrations/"):
            return httpx.Response(200, json={"id": path.split("/")[1].replace("%7C", "|")})
        return httpx.Response(404, json={"title": "Not Found", "detail": f"{path} not found"})

    def _list(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = min(int(request.url.params.get("limit", 100)), self.max_limit)
        page = self.items[offset : offset + limit]
        return httpx.Response(
            200,
            json={
                "items": page,
                "totalResults": len(self.items),
                "hasMore": offset + len(page) < len(self.items),
            },
        )


def _oauth_error(status: int, error: str, description: str) -> httpx.Response:
    return httpx.Response(
        status, json={"error": error, "error_description": description, "ecid": "ecid-1"}
    )
