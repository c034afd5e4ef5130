"""What the server-value tests share: a signed-in client whose API answers a handler gives.

The fake identity domain (``core._core_fake``) signs in; every other request goes to the
test's handler, through ``httpx.MockTransport``.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx
from core._core_fake import FakeOIC, settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from oic_magic import (
    OICClient,
)

from ._inputs import RETRY_AFTER_SEEDS

FAST = hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
CAP = 64 * 1024  # the body cap of these clients
MAX_WAIT = 60.0  # Backoff's cap on any single wait

API = Callable[[httpx.Request], httpx.Response]


class Waits(list[float]):
    """The waits a client asked for (it never sleeps)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def transport(api: API) -> httpx.MockTransport:
    """The fake identity domain signs in; *api* answers every other request."""
    fake = FakeOIC()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/v1/token":
            return fake(request)
        return api(request)

    return httpx.MockTransport(handler)


def client_for(api: API, waits: Waits, **options: Any) -> OICClient:
    """A client signed in to the fake identity domain whose API calls *api* answers."""
    return OICClient.sign_in(
        settings(),
        transport=transport(api),
        sleep=waits,
        rng=random.Random(7),
        max_body_bytes=CAP,
        **options,
    )


def header_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


HEADER_VALUE = st.one_of(
    st.sampled_from(RETRY_AFTER_SEEDS),
    st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
    st.integers().map(str),
    st.floats().map(repr),
    st.binary(max_size=20).filter(lambda b: b"\n" not in b and b"\r" not in b),
)


def dumps(body: Any) -> bytes:
    """JSON text of *body*, NaN and Infinity allowed (a server may send them)."""
    return json.dumps(body, allow_nan=True).encode()
