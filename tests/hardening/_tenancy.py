"""An OIC tenancy on OIC's real host names, as an ``httpx.MockTransport`` app.

The redirect tests need ``Location`` values no socket server can be reached at
(``evil.test\\.oraclecloud.com``, ``evil%00.oraclecloud.com``, fullwidth dots) and the
real shapes of OIC's hosts (another tenant's runtime host, another region's design-time
host, object storage). The transport receives every request the client sends, to any
host, so a token sent anywhere is counted here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import httpx

from oic_magic import OICClient, Settings

IDENTITY = "https://idcs-test.identity.oraclecloud.com"
RUNTIME = "https://oic-test-abc.integration.us-ashburn-1.ocp.oraclecloud.com"
DESIGN = "https://design.integration.us-ashburn-1.ocp.oraclecloud.com"
API = "/ic/api/integration/v1/connections"


def settings(**changes: object) -> Settings:
    """The tenancy's settings: only the runtime URL is known, as in OIC's own console."""
    values: dict[str, object] = dict(
        runtime_url=RUNTIME,
        identity_url=IDENTITY,
        client_id="tenancy-client",
        client_secret="tenancy-S3cret",
        audience=RUNTIME + ":443",
        instance="oic-test",
        username="ada",
        password="Ada-Pa55word",
    )
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


def origin_of(request: httpx.Request) -> str:
    """The request's origin as httpx sent it (the default port left out)."""
    port = request.url.port
    suffix = f":{port}" if port is not None else ""
    return f"{request.url.scheme}://{request.url.host}{suffix}"


@dataclass
class Tenancy:
    """The app: a token for any sign-in; each origin in ``hops`` answers with a redirect.

    ``hops`` maps an origin (as :func:`origin_of` spells it) to a status and a
    ``Location`` (raw text, sent as UTF-8 bytes as a careless server would); every other
    origin answers an empty list.
    """

    hops: dict[str, tuple[int, str]] = field(default_factory=dict)
    log: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        if request.url.path == "/oauth2/v1/token":
            return httpx.Response(
                200, json={"access_token": "eyJ.tenancy.token", "expires_in": 3600}
            )
        hop = self.hops.get(origin_of(request))
        if hop is not None:
            status, location = hop
            return httpx.Response(status, headers=[(b"Location", location.encode("utf-8"))])
        return httpx.Response(200, json={"items": [], "hasMore": False, "totalResults": 0})

    def client(self, **changes: object) -> OICClient:
        """A client signed in to the tenancy, no retries (each case is one try)."""
        return OICClient.sign_in(
            settings(**changes),
            transport=httpx.MockTransport(self),
            sleep=lambda seconds: None,
            rng=random.Random(1),
            retries=0,
        )

    def api_calls(self) -> list[httpx.Request]:
        """Requests to anything but the token endpoint."""
        return [r for r in self.log if r.url.path != "/oauth2/v1/token"]

    def bearer_origins(self) -> list[str]:
        """The origin of each request that carried the bearer token, in order."""
        return [
            origin_of(r)
            for r in self.log
            if r.headers.get("Authorization", "").startswith("Bearer ")
        ]
