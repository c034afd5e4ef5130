"""P1: every page of the connections list with 20 ms of latency per request.

Baseline: the manual procedure, a sequential httpx loop on ``hasMore`` with the
Bearer token pasted. Candidate: ``OICClient.paginate("connections")`` with its
default concurrency. The ideal is pages / concurrency x latency: what the server's
latency allows when every round of ``concurrency`` requests costs one latency.

A floor is measured in the same run: paginate() over the same page bytes with no
HTTP, each fetch sleeping the latency and decoding its page (json.loads). What it
takes beyond the latencies is the price of decoding 10,000 items in this process.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

from _common import API, Context, Row, Sample, bearer_client, interleaved, loop_all_pages

LATENCY = 0.02
PAGE_SIZE = 100


def run(ctx: Context) -> list[Row]:
    """Measure the loop and paginate() interleaved, against the same emulator."""
    from oic_magic import OICClient

    expected = ctx.connections
    url = ctx.emu.design_url + API + "/connections"
    with (
        bearer_client(ctx.emu.password_token()) as http,
        OICClient.sign_in(ctx.emu.settings(), page_size=PAGE_SIZE) as client,
    ):

        def loop() -> None:
            items = loop_all_pages(http, url, instance=ctx.emu.instance, page_size=PAGE_SIZE)
            assert len(items) == expected, len(items)

        def candidate() -> None:
            listing = client.paginate("connections")
            assert len(listing) == expected and listing.status == "complete", listing

        floor = _without_http(_page_bytes(http, url, ctx), concurrency=client.concurrency)
        ctx.emu.set_latency(LATENCY)
        try:
            loop()  # warm-up: connections opened, server caches filled
            candidate()
            samples = interleaved(
                ctx.repeats, {"candidate": candidate, "baseline": loop, "floor": floor}
            )
        finally:
            ctx.emu.set_latency(0)
        concurrency = client.concurrency
    return _rows(samples["candidate"], samples["baseline"], expected, concurrency, samples["floor"])


def _page_bytes(http: Any, url: str, ctx: Context) -> list[bytes]:
    pages = math.ceil(ctx.connections / PAGE_SIZE)
    return [
        http.get(
            url,
            params={"integrationInstance": ctx.emu.instance, "offset": offset, "limit": PAGE_SIZE},
        ).content
        for offset in range(0, pages * PAGE_SIZE, PAGE_SIZE)
    ]


def _without_http(pages: list[bytes], *, concurrency: int) -> Callable[[], None]:
    """paginate() with each page's latency slept and its bytes decoded, no HTTP."""
    from oic_magic.core._paging import paginate

    def fetch(offset: int, size: int) -> Any:
        time.sleep(LATENCY)
        return json.loads(pages[offset // size])

    def read() -> None:
        listing = paginate(fetch, url="floor", page_size=PAGE_SIZE, concurrency=concurrency)
        assert listing.status == "complete", listing

    return read


def _rows(
    candidate: Sample, baseline: Sample, items: int, concurrency: int, floor: Sample
) -> list[Row]:
    pages = math.ceil(items / PAGE_SIZE)
    ideal = pages / concurrency * LATENCY
    rounds = 1 + math.ceil((pages - 1) / concurrency)
    speedup = baseline.median / candidate.median
    of_ideal = candidate.median / ideal
    what = f"all {pages} pages of {items:,} connections, {LATENCY * 1000:.0f} ms per request"
    return [
        Row(
            id="P1",
            what=f"{what}: paginate() vs sequential httpx loop",
            unit="s",
            candidate=candidate,
            baseline=baseline,
            goal="≤ 0.20 (≥ 5x faster)",
            holds=speedup >= 5,
            reason="" if speedup >= 5 else f"only {speedup:.1f}x faster than the loop",
            note=f"{speedup:.1f}x faster than the loop",
        ),
        Row(
            id="P1-ideal",
            what=f"{what}: paginate() vs ideal (pages / {concurrency} x latency)",
            unit="s",
            candidate=candidate,
            baseline=Sample((ideal,)),
            goal="≤ 1.3",
            holds=of_ideal <= 1.3,
            reason="" if of_ideal <= 1.3 else _why_not_ideal(pages, concurrency, floor, ideal),
            note=f"concurrency {concurrency} (the default); ideal {pages} / {concurrency} x "
            f"{LATENCY * 1000:.0f} ms = {ideal:.3f} s; {rounds} rounds of latency = "
            f"{rounds * LATENCY:.3f} s ({rounds * LATENCY / ideal:.2f}x); floor without "
            f"HTTP (latency slept, same page bytes decoded): {floor.median:.3f} s "
            f"({floor.median / ideal:.2f}x)",
        ),
    ]


def _why_not_ideal(pages: int, concurrency: int, floor: Sample, ideal: float) -> str:
    rounds = 1 + math.ceil((pages - 1) / concurrency)
    return (
        f"the first page is read alone to learn the total, then {pages - 1} pages in "
        f"{rounds - 1} rounds: {rounds} latencies instead of {pages / concurrency:.1f} "
        f"({rounds * LATENCY / ideal:.2f}x); decoding the pages on the GIL of this "
        f"process (no HTTP at all) already takes {floor.median / ideal:.2f}x; the rest is "
        "httpx and the server sharing the 2 cores"
    )
