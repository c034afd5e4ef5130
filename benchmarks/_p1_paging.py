"""P1: every page of the connections list with 20 ms of latency per request.

Baseline: the manual procedure, a sequential httpx loop on ``hasMore`` with the
Bearer token pasted. Candidate: ``OICClient.paginate("connections")`` with its
default concurrency. The ideal is pages / concurrency x latency: what the server's
latency allows when every round of ``concurrency`` requests costs one latency.
"""

from __future__ import annotations

import math

from _common import API, Context, Row, Sample, bearer_client, interleaved, loop_all_pages

LATENCY = 0.02
PAGE_SIZE = 100


def run(ctx: Context) -> list[Row]:
    """Measure the loop and paginate() interleaved, against the same emulator."""
    from oic_magic import OICClient

    expected = ctx.connections
    url = ctx.emu.design_url + API + "/connections"
    with bearer_client(ctx.emu.password_token()) as http, \
            OICClient.sign_in(ctx.emu.settings(), page_size=PAGE_SIZE) as client:

        def loop() -> None:
            items = loop_all_pages(http, url, instance=ctx.emu.instance, page_size=PAGE_SIZE)
            assert len(items) == expected, len(items)

        def candidate() -> None:
            listing = client.paginate("connections")
            assert len(listing) == expected and listing.status == "complete", listing

        ctx.emu.set_latency(LATENCY)
        try:
            loop()  # warm-up: connections opened, server caches filled
            candidate()
            samples = interleaved(ctx.repeats, {"candidate": candidate, "baseline": loop})
        finally:
            ctx.emu.set_latency(0)
        concurrency = client.concurrency
    return _rows(samples["candidate"], samples["baseline"], expected, concurrency)


def _rows(candidate: Sample, baseline: Sample, items: int, concurrency: int) -> list[Row]:
    pages = math.ceil(items / PAGE_SIZE)
    ideal = pages / concurrency * LATENCY
    speedup = baseline.median / candidate.median
    of_ideal = candidate.median / ideal
    what = f"all {pages} pages of {items:,} connections, {LATENCY * 1000:.0f} ms per request"
    return [
        Row(id="P1", what=f"{what}: paginate() vs sequential httpx loop", unit="s",
            candidate=candidate, baseline=baseline, goal="≤ 0.20 (≥ 5x faster)",
            holds=speedup >= 5,
            reason="" if speedup >= 5 else f"only {speedup:.1f}x faster than the loop",
            note=f"{speedup:.1f}x faster than the loop"),
        Row(id="P1-ideal", what=f"{what}: paginate() vs ideal (pages / {concurrency} x latency)",
            unit="s", candidate=candidate, baseline=Sample((ideal,)), goal="≤ 1.3",
            holds=of_ideal <= 1.3,
            reason="" if of_ideal <= 1.3 else _why_not_ideal(pages, concurrency),
            note=f"concurrency {concurrency} (the default); ideal {pages} / {concurrency} x "
                 f"{LATENCY * 1000:.0f} ms = {ideal:.3f} s"),
    ]


def _why_not_ideal(pages: int, concurrency: int) -> str:
    rounds = 1 + math.ceil((pages - 1) / concurrency)
    return (f"the first page is read alone to learn the total, then {pages - 1} pages in "
            f"{rounds - 1} rounds: {rounds} latencies instead of {pages / concurrency:.1f}, "
            "plus the server's and the parser's time per page")
