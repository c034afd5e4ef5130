"""P7: 20,000 monitoring instances in one day, within OIC's caps, at 20 ms per request.

A separate emulator with the caps on (limit <= 50, offset <= 500): the day holds 40
times what one window shows. Candidate: ``OICClient.paginate("monitoring/instances",
where=["timewindow=1d"])``, which cuts the day into sub-windows and reads their pages
concurrently. Baseline: the hand-written loop of the peers' ops tools, one request at a
time, reading a window's pages to offset 500 and then sliding its edge past the oldest
record seen (``enddate``, since OIC lists the newest first), deduplicating by id.

Both must return every record of the day (checked against the emulator's count for the
same window). The ideal is the minimum of requests (records / 50) over the concurrency,
each round costing one latency; requests are counted in the emulator's log.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from _common import API, Context, EmulatorProcess, Row, Sample, bearer_client, interleaved

LATENCY = 0.02
INSTANCES = 20_000
QUICK_INSTANCES = 2_000
PAGE = 50
MAX_OFFSET = 500


def run(ctx: Context) -> list[Row]:
    """Measure the sliding loop and paginate() interleaved, on a capped emulator."""
    from oic_magic import OICClient

    count = QUICK_INSTANCES if ctx.quick else INSTANCES
    with EmulatorProcess("--connections", "300", "--instances", "0") as emu:
        emu.control("POST", "instances", {"count": count, "seconds": 86400 - 120})
        url = emu.design_url + API + "/monitoring/instances"
        with (
            bearer_client(emu.password_token()) as http,
            OICClient.sign_in(emu.settings()) as client,
        ):
            counts: dict[str, int] = {}

            def candidate() -> None:
                emu.clear_requests()
                listing = client.paginate("monitoring/instances", where=["timewindow=1d"])
                ids = [item["id"] for item in listing]
                assert len(ids) == len(set(ids)) == count, (len(ids), count)
                counts["candidate"] = _monitoring_requests(emu)
                counts["windows"] = getattr(listing, "windows", 1)

            def baseline() -> None:
                emu.clear_requests()
                ids = _sliding_loop(http, url, instance=emu.instance)
                assert len(ids) == count, (len(ids), count)
                counts["baseline"] = _monitoring_requests(emu)

            def floor() -> float:
                # The same read with no latency: what the CPUs (emulator and client) cost.
                emu.set_latency(0)
                try:
                    started = time.perf_counter()
                    candidate()
                    return time.perf_counter() - started
                finally:
                    emu.set_latency(LATENCY)

            emu.set_latency(LATENCY)
            try:
                candidate()  # warm-up: connections opened
                samples = interleaved(
                    ctx.repeats, {"candidate": candidate, "baseline": baseline, "floor": floor}
                )
            finally:
                emu.set_latency(0)
            concurrency = client.concurrency
    return _rows(samples, counts, count, concurrency)


def _monitoring_requests(emu: EmulatorProcess) -> int:
    return sum(1 for e in emu.requests() if e["path"].endswith("/monitoring/instances"))


def _sliding_loop(http: Any, url: str, *, instance: str) -> set[str]:
    """One request at a time: a window's pages to offset 500, then its edge slid back."""
    end = datetime.now(UTC) + timedelta(seconds=1)
    start = end - timedelta(days=1, seconds=1)
    seen: set[str] = set()
    while True:
        oldest: str | None = None
        got = 0
        for offset in range(0, MAX_OFFSET + 1, PAGE):
            q = (
                f"{{timewindow:'1d', startdate:'{start:%Y-%m-%d %H:%M:%S}', "
                f"enddate:'{end:%Y-%m-%d %H:%M:%S}'}}"
            )
            answer = http.get(
                url,
                params={
                    "integrationInstance": instance,
                    "q": q,
                    "orderBy": "creationdate",
                    "offset": offset,
                    "limit": PAGE,
                },
            )
            answer.raise_for_status()
            body = answer.json()
            for item in body["items"]:
                seen.add(item["id"])
                oldest = item["creationDate"]
            got += len(body["items"])
            if not body.get("hasMore"):
                return seen
        assert oldest is not None and got
        # The next window ends at the oldest record seen (its second, again: dedupe by id).
        end = datetime.fromisoformat(oldest).replace(microsecond=0) + timedelta(seconds=1)


def _rows(
    samples: dict[str, Sample], counts: dict[str, int], items: int, concurrency: int
) -> list[Row]:
    candidate, baseline, floor = samples["candidate"], samples["baseline"], samples["floor"]
    minimum = math.ceil(items / PAGE)
    ideal = minimum / concurrency * LATENCY
    speedup = baseline.median / candidate.median
    of_ideal = candidate.median / ideal
    what = f"{items:,} instances in one day (caps on), {LATENCY * 1000:.0f} ms per request"
    requests = counts["candidate"]
    return [
        Row(
            id="P7",
            what=f"{what}: paginate() in sub-windows vs a loop sliding the window's edge",
            unit="s",
            candidate=candidate,
            baseline=baseline,
            goal="≤ 0.20 (≥ 5x faster)",
            holds=speedup >= 5,
            reason="" if speedup >= 5 else f"only {speedup:.1f}x faster than the loop",
            note=f"{speedup:.1f}x faster than the sliding loop ({counts['baseline']} requests, "
            f"one at a time); both complete and checked ({items:,} unique ids)",
        ),
        Row(
            id="P7-ideal",
            what=f"{what}: paginate() vs ideal (records / 50 / {concurrency} x latency)",
            unit="s",
            candidate=candidate,
            baseline=Sample((ideal,)),
            goal="≤ 1.5",
            holds=of_ideal <= 1.5,
            reason=""
            if of_ideal <= 1.5
            else f"{of_ideal:.2f}x the ideal: the same read with no latency at all takes "
            f"{floor.median:.3f} s (the emulator and the client on the same shared cores)",
            note=f"{counts['windows']} sub-windows, concurrency {concurrency}; ideal "
            f"{minimum} requests / {concurrency} x {LATENCY * 1000:.0f} ms = {ideal:.3f} s; "
            f"floor with no latency {floor.median:.3f} s "
            f"(c {floor.low:.3f}–{floor.high:.3f} s)",
        ),
        Row(
            id="P7-requests",
            what=f"{what}: requests sent vs the minimum (records / 50)",
            unit="",
            candidate=Sample((float(requests),)),
            baseline=Sample((float(minimum),)),
            goal="≤ 1.10",
            holds=requests <= 1.10 * minimum,
            reason="" if requests <= 1.10 * minimum else f"{requests} requests",
            note=f"{requests} requests for {minimum} pages of records: the probes of the "
            "day and of windows cut again, and each sub-window's last partial page",
        ),
    ]
