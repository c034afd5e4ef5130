"""A bounded soak: 16 threads x 500 calls over 2-second tokens, rotating refresh, 5% faults."""

from __future__ import annotations

import collections
import gc
import threading
import tracemalloc
from typing import Any

from _emulated import token_requests

from oic_magic import APIStatusError, OICClient, OICError
from oic_magic.emulator import Emulator

from ._hardening import Sleeps, settings_for

THREADS, CALLS = 16, 500
LIFETIME = 2.0
FAULTS = {"503": 0.02, "429": 0.01, "drop": 0.01, "500": 0.01}  # 5% of API requests
CLIENT_FILES = [
    tracemalloc.Filter(True, "*/oic_magic/*"),
    tracemalloc.Filter(False, "*/oic_magic/emulator/*"),
    tracemalloc.Filter(True, "*/httpx/*"),
    tracemalloc.Filter(True, "*/httpcore/*"),
]


def _client_bytes() -> int:
    """Bytes held by allocations made in the client's code (emulator excluded)."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(CLIENT_FILES)
    return sum(stat.size for stat in snapshot.statistics("filename"))


def test_soak(emulator: Emulator) -> None:
    """Every call right or typed; ~one token request per expiry; client memory flat."""
    emu = emulator
    emu.control.set_token_lifetimes(access=LIFETIME)
    expected = emu.backend.resources.listing("connections", {"offset": "0", "limit": "2"})
    ids = [item["id"] for item in expected["items"]]
    client = OICClient.sign_in(settings_for(emu), sleep=Sleeps())
    for kind, fraction in FAULTS.items():
        emu.control.inject_fault(
            kind, fraction=fraction, origin="design", pattern="/connections$", retry_after=0
        )
    outcomes: collections.Counter[str] = collections.Counter()
    wrong: list[Any] = []
    lock = threading.Lock()
    halfway = threading.Barrier(THREADS + 1)
    resume = threading.Barrier(THREADS + 1)

    def call() -> None:
        try:
            body = client.get("connections", params={"limit": 2})
            kind = "ok" if [i["id"] for i in body["items"]] == ids else "WRONG"
        except APIStatusError as error:
            kind = f"APIStatusError {error.status}"
        except OICError as error:
            kind = type(error).__name__
        except Exception as error:  # noqa: BLE001 - anything untyped is the finding
            kind = "UNTYPED " + type(error).__name__
            with lock:
                wrong.append(repr(error))
        with lock:
            outcomes[kind] += 1

    def worker() -> None:
        for index in range(CALLS):
            if index == CALLS // 2:
                halfway.wait(timeout=600)
                resume.wait(timeout=600)
            call()

    tracemalloc.start()
    threads = [threading.Thread(target=worker, name=f"soak-{n}") for n in range(THREADS)]
    for thread in threads:
        thread.start()
    halfway.wait(timeout=600)
    first_half = _client_bytes()
    resume.wait(timeout=600)
    for thread in threads:
        thread.join(timeout=600)
    second_half = _client_bytes()
    tracemalloc.stop()
    client.close()

    assert not any(t.is_alive() for t in threads)
    assert sum(outcomes.values()) == THREADS * CALLS and not wrong
    assert set(outcomes) <= {
        "ok",
        "APIStatusError 500",
        "APIStatusError 503",
        "APIStatusError 429",
        "TransportError",
    }, outcomes
    assert outcomes["ok"] >= 0.95 * THREADS * CALLS
    log = emu.control.requests()
    assert sum(1 for e in log if e["fault"]) > 0.03 * THREADS * CALLS  # the faults happened
    refreshes = token_requests(emu, "refresh_token")
    assert all(e["status"] == 200 for e in refreshes)  # rotation never lost its token
    api_times = [e["time"] for e in log if e["path"].startswith("/ic/")]
    duration = max(api_times) - min(api_times)
    expiries = duration / (LIFETIME * 0.9)  # refreshed a tenth of the lifetime early
    # About one per expiry: the emulator rounds exp down to a whole second, so a token can
    # die up to a second early and a 401 renews it (once, single-flight). A stampede of
    # 16 threads would be 16 times this.
    assert len(refreshes) <= 1.5 * expiries + 2, (len(refreshes), duration)
    assert len(refreshes) >= expiries * 0.5 - 1, (len(refreshes), duration)
    assert second_half - first_half < 1024 * 1024, (first_half, second_half)
