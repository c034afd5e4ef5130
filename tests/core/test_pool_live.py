"""More threads than pooled connections through one OICClient, over real sockets.

32 threads call at once through a pool of 16 connections, with latency, so most of them
wait for a connection (benchmark P4's burst). httpcore's pool (1.0.x) could then close a
keep-alive connection it had just handed to a waiting thread, as surplus to the keep-alive
limit: that request hung until its read timeout and was retried (encode/httpcore#1110),
which is how a P4 burst once took 30.5 s. Counted here: connections closed while handed
to a request, retries in the client's log, and requests in the emulator's log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpcore
import pytest
from _emulated import api_requests, burst, demo_settings, token_requests

from oic_magic import OICClient
from oic_magic.core._client import pool_limits
from oic_magic.emulator import Emulator

THREADS = 32
BURSTS = 6
LATENCY = 0.02


def _count_closes_of_handed_connections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every connection the pool closes while a request it was handed to is still pending."""
    closed: list[str] = []
    original: Callable[[Any, list[Any]], None] = httpcore.ConnectionPool._close_connections

    def close_connections(pool: Any, closing: list[Any]) -> None:
        pending = list(getattr(pool, "_requests", ()))
        for connection in closing:
            if any(getattr(request, "connection", None) is connection for request in pending):
                closed.append(repr(connection))
        original(pool, closing)

    monkeypatch.setattr(httpcore.ConnectionPool, "_close_connections", close_connections)
    return closed


def _burst(client: OICClient, ident: str) -> list[BaseException]:
    """THREADS concurrent GETs of one connection, released together; their errors."""
    return burst(lambda: client.get(f"connections/{ident}"), THREADS)


def test_pool_keeps_every_connection_it_may_open() -> None:
    """Nothing is ever surplus to the keep-alive limit, whatever the concurrency."""
    for concurrency in (1, 8, 20):
        limits = pool_limits(concurrency)
        assert limits.max_connections is not None and limits.max_connections >= 2 * concurrency
        assert limits.max_keepalive_connections == limits.max_connections


def test_threads_beyond_the_pool_lose_no_request(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Bursts of 32 calls, valid and expired token alternately: each call is sent once,
    answered once, nothing retried; one token request per expired burst."""
    closed = _count_closes_of_handed_connections(monkeypatch)
    shift = [0.0]
    caplog.set_level(logging.DEBUG, logger="oic_magic")
    with OICClient.sign_in(
        demo_settings(emu), clock=lambda: time.time() + shift[0], sleep=lambda seconds: None
    ) as client:
        ident = client.get("connections", params={"limit": 1})["items"][0]["id"]
        emu.control.set_latency(LATENCY)
        try:
            _burst(client, ident)  # the pool's connections opened
            for _ in range(BURSTS):
                for expired in (False, True):
                    if expired:
                        shift[0] += 4000.0  # past the access token's hour
                    emu.control.clear_requests()
                    errors = _burst(client, ident)
                    assert errors == []
                    answered = api_requests(emu)
                    assert len(answered) == THREADS  # a retried call would be logged twice
                    assert all(entry["status"] == 200 for entry in answered)
                    assert len(token_requests(emu, "refresh_token")) == (1 if expired else 0)
        finally:
            emu.control.set_latency(0)
    retries = [
        r.getMessage()
        for r in caplog.records
        if r.name == "oic_magic.client" and "retry" in r.getMessage()
    ]
    assert retries == []
    assert closed == []
