"""P10: notebook garbage beside a background lister: flat memory, the collector left alone.

Each sample is ``benchmarks/gc_soak.py`` in a fresh interpreter (its own emulator
process): one thread lists the connections again and again through
``OICClient.paginate`` while another makes 100,000 notebook-like results with reference
cycles, holding the last 1,000. Candidate: the paging as it is (it never changes the
collector's settings). Baseline: the same soak with the former paging's hold put back by
the script (full collections held off while any list is read).
"""

from __future__ import annotations

from typing import Any

from _common import HERE, Context, Row, Sample, run_child

SCRIPT = HERE / "gc_soak.py"
MIB = 1024 * 1024


def _soak(ctx: Context, hold: str) -> dict[str, Any]:
    sizes = (
        ["--units", "20000", "--connections", "300"]
        if ctx.quick
        else ["--units", "100000", "--connections", "2000"]
    )
    return run_child(SCRIPT, *sizes, "--hold", hold)


def run(ctx: Context) -> list[Row]:
    """Run the soak with and without the former hold, alternating, ``repeats`` times each."""
    runs: dict[str, list[dict[str, Any]]] = {"none": [], "reads": []}
    for round_ in range(ctx.repeats):
        for hold in ("none", "reads") if round_ % 2 == 0 else ("reads", "none"):
            runs[hold].append(_soak(ctx, hold))
    return _rows(runs["none"], runs["reads"])


def _sample(runs: list[dict[str, Any]], key: str, scale: float = 1.0) -> Sample:
    return Sample(tuple(float(run[key]) / scale for run in runs))


def _growth(runs: list[dict[str, Any]]) -> Sample:
    return Sample(tuple((run["rss_peak"] - run["rss_start"]) / MIB for run in runs))


def _rows(now: list[dict[str, Any]], held: list[dict[str, Any]]) -> list[Row]:
    first = now[0]
    bound = min(run["bound"] for run in now)
    live, former = _sample(now, "peak_live"), _sample(held, "peak_live")
    rss, former_rss = _growth(now), _growth(held)
    rss_ratio = rss.median / former_rss.median
    failures = sum(len(run["failures"]) for run in now)
    reads = _sample(now, "reads_during")
    what = (
        f"{first['units']:,} notebook results with reference cycles ({first['keep']:,} held) "
        f"beside a lister of {first['connections']:,} connections"
    )
    holds_live = live.high <= bound
    return [
        Row(
            id="P10",
            what=f"{what}: peak live garbage (results made, not yet freed) vs the former hold",
            unit="",
            candidate=live,
            baseline=former,
            goal=f"≤ {bound:,} (the bound) in every run",
            holds=holds_live,
            reason="" if holds_live else f"peaked at {live.high:,.0f} results",
            note=f"bound = held + 3 x (t0·t1·(t2+1) + tracked objects at the start, "
            f"{first['tracked_at_start']:,}, + two lists, {first['tracked_per_listing']:,} "
            f"each) / {first['tracked_per_result']:g} tracked objects per result; with "
            f"the former hold the garbage a final gc.collect() found: "
            f"{_sample(held, 'garbage_found_at_end').median:,.0f} objects (now "
            f"{_sample(now, 'garbage_found_at_end').median:,.0f})",
        ),
        Row(
            id="P10-memory",
            what=f"{what}: peak RSS growth vs the former hold",
            unit="MiB",
            candidate=rss,
            baseline=former_rss,
            goal="≤ 0.25",
            holds=rss_ratio <= 0.25,
            reason="" if rss_ratio <= 0.25 else f"{rss.median:.1f} MiB grown",
            note=f"RSS at the start {_sample(now, 'rss_start', MIB).median:.1f} MiB; "
            f"soak {_sample(now, 'seconds').median:.2f} s (former hold "
            f"{_sample(held, 'seconds').median:.2f} s: it frees none of its garbage while "
            "it runs)",
        ),
        Row(
            id="P10-reads",
            what=f"{what}: complete lists read while the garbage was made",
            unit="",
            candidate=reads,
            baseline=None,
            goal="≥ 1 per run, none wrong",
            holds=reads.low >= 1 and failures == 0,
            reason="" if failures == 0 else f"{failures} wrong or failed lists",
            note="every list checked: all the connections, status complete",
        ),
    ]
