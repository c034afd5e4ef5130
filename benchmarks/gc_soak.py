"""A soak of paging beside notebook-like garbage: one process, a lister, a garbage maker.

    .venv/bin/python benchmarks/gc_soak.py --units 100000          # full size
    .venv/bin/python benchmarks/gc_soak.py --units 20000 --hold always

One thread lists the connections of an emulator (its own process on loopback) again and
again through ``OICClient.paginate``; another makes what a notebook makes: objects with
reference cycles (a frame and its blocks pointing back at it, a figure and its axes) that
live a while (the last ``--keep`` of them are held, as a notebook's variables and ``Out``
hold results) and are then dropped. Once held past a couple of young collections they sit
in the oldest generation, where only a full collection frees a cycle.

``--hold`` puts back what the paging once did, to show what the measure catches:
``reads`` holds off full collections while any list is read (the former paging), ``always``
holds them off for the whole soak. The last stdout line is JSON: the peak of live garbage
objects (made, not yet freed), the cyclic garbage a final ``gc.collect()`` still found,
RSS at the start and its peak, the reads done, the tracked objects at the start.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import gc
import json
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import EmulatorProcess  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")
_HOLD = 1 << 30  # "never", as the oldest generation's threshold
_THRESHOLDS = gc.get_threshold()  # the interpreter's own, put back after any hold


def _rss() -> int:
    """Resident set size of this process, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * _PAGE


class Result:
    """A notebook-like result: parts that point back at it (a reference cycle), a payload."""

    freed: collections.deque[None] = collections.deque()

    def __init__(self, parts: int, payload: int) -> None:
        self.parts: list[Any] = [[self, n] for n in range(parts)]
        self.payload = b"x" * payload

    def __del__(self) -> None:
        Result.freed.append(None)  # deque.append is atomic: __del__ runs on any thread


_readers = 0
_readers_lock = threading.Lock()


@contextlib.contextmanager
def _held_while_reading() -> Iterator[None]:
    """The former paging's hold: no full collection while any list is read."""
    global _readers
    with _readers_lock:
        if _readers == 0:
            gc.set_threshold(*gc.get_threshold()[:2], _HOLD)
        _readers += 1
    try:
        yield
    finally:
        with _readers_lock:
            _readers -= 1
            if _readers == 0:
                gc.set_threshold(*_THRESHOLDS)


def _sizes(client: Any, *, parts: int, payload: int) -> tuple[float, int]:
    """Tracked objects in one result, and in one list as the lister holds it."""
    gc.collect()
    before = len(gc.get_objects())
    results = [Result(parts, payload) for _ in range(100)]
    per_result = (len(gc.get_objects()) - before - 1) / len(results)
    del results
    gc.collect()
    Result.freed.clear()
    before = len(gc.get_objects())
    listing = client.paginate("connections")
    per_listing = len(gc.get_objects()) - before
    del listing
    return per_result, per_listing


def bound(*, tracked: int, per_result: float, per_listing: int, keep: int) -> int:
    """The most results that may be alive at once when full collections are not held off.

    CPython collects the oldest generation after ``t2`` collections of the middle one
    (about ``t0 * t1 * t2`` tracked objects allocated net), and only once the objects that
    entered it since the last full collection exceed a quarter of those it kept then (the
    heap at the start, the held results, a list or two being read). A dropped result waits
    at most that long, so garbage stays under either figure; three times their sum is
    allowed (the lister's threads and finalizers shift when collections run).
    """
    t0, t1, t2 = _THRESHOLDS
    heap = tracked + keep * per_result + 2 * per_listing
    return keep + math.ceil(3 * (t0 * t1 * (t2 + 1) + heap) / per_result)


def soak(
    *, units: int, keep: int, parts: int, payload: int, connections: int, hold: str
) -> dict[str, Any]:
    """Run the lister and the garbage maker together; what was measured."""
    from oic_magic import OICClient

    with (
        EmulatorProcess("--connections", str(connections)) as emu,
        OICClient.sign_in(emu.settings()) as client,
    ):
        stop = threading.Event()
        reads: list[int] = []
        failures: list[str] = []

        def lister() -> None:
            try:
                while not stop.is_set():
                    with _held_while_reading() if hold == "reads" else contextlib.nullcontext():
                        listing = client.paginate("connections")
                    if len(listing) != connections or listing.status != "complete":
                        failures.append(repr(listing))
                    reads.append(len(listing))
            except Exception as error:  # noqa: BLE001 - reported, and fails the soak
                failures.append(repr(error))

        made = 0
        peak_live = 0
        peak_rss = 0
        reads_before = 0

        def garbage() -> None:
            nonlocal made, peak_live, peak_rss, reads_before
            held: collections.deque[Result] = collections.deque(maxlen=keep)
            while not reads and not failures:  # the lister's first list is in
                time.sleep(0.01)
            reads_before = len(reads)
            for _ in range(units):
                held.append(Result(parts, payload))
                made += 1
                if made % 64 == 0:
                    peak_live = max(peak_live, made - len(Result.freed))
                    peak_rss = max(peak_rss, _rss())
            held.clear()

        per_result, per_listing = _sizes(client, parts=parts, payload=payload)
        gc.collect()
        tracked = len(gc.get_objects())
        if hold == "always":
            gc.set_threshold(*_THRESHOLDS[:2], _HOLD)
        listing_thread = threading.Thread(target=lister, name="lister")
        garbage_thread = threading.Thread(target=garbage, name="notebook")
        started = time.perf_counter()
        rss_start = _rss()
        listing_thread.start()
        garbage_thread.start()
        garbage_thread.join()
        stop.set()
        listing_thread.join()
        seconds = time.perf_counter() - started
        left = made - len(Result.freed)
        gc.set_threshold(*_THRESHOLDS)
        found = gc.collect()
    return {
        "bound": bound(tracked=tracked, per_result=per_result, per_listing=per_listing, keep=keep),
        "tracked_per_result": per_result,
        "tracked_per_listing": per_listing,
        "hold": hold,
        "units": units,
        "keep": keep,
        "parts": parts,
        "payload": payload,
        "connections": connections,
        "tracked_at_start": tracked,
        "reads": len(reads),
        "reads_during": len(reads) - reads_before,
        "failures": failures,
        "peak_live": peak_live,
        "live_at_end": left,
        "garbage_found_at_end": found,
        "rss_start": rss_start,
        "rss_peak": peak_rss,
        "seconds": seconds,
        "gc_enabled": gc.isenabled(),
    }


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--units", type=int, default=100_000, help="results made (default 100000)")
    cli.add_argument("--keep", type=int, default=1_000, help="results held at a time")
    cli.add_argument("--parts", type=int, default=10, help="parts per result (each a cycle)")
    cli.add_argument("--payload", type=int, default=512, help="bytes per result")
    cli.add_argument("--connections", type=int, default=2_000, help="items in each list")
    cli.add_argument("--hold", choices=("none", "reads", "always"), default="none")
    args = cli.parse_args(argv)
    result = soak(
        units=args.units,
        keep=args.keep,
        parts=args.parts,
        payload=args.payload,
        connections=args.connections,
        hold=args.hold,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
