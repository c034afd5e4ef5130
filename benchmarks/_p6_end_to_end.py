"""P6: 100,000 monitoring instances end to end through ``%oic``, 20 ms per request.

The shared emulator is built with its monitoring caps lifted (``--no-monitoring-caps``)
and the shell is told so (``%config OICMagics.monitoring_caps = False``); real OIC
stops monitoring lists at offset 500. Both sides read ``monitoring/instances`` with
``timewindow=retentionperiod`` (every instance) and ``orderBy=creationdate``, 100 per
page: the emulator keeps instances in creation order, while its default order
(last update) is sorted again for every page, which would measure the emulator.

- Candidate: ``df = %oic GET monitoring/instances?orderBy=creationdate --where
  timewindow=retentionperiod`` in an ``InteractiveShell``, signed in with ``%oic_login``.
- Baseline: P1's sequential httpx loop on ``hasMore``, then ``pandas.json_normalize``.

Each run is a fresh interpreter that reports its time and its peak RSS growth
(VmHWM reset before the work, after the imports and the sign-in); the sides alternate.
Run as a child: ``python _p6_end_to_end.py candidate|baseline``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from _common import (
    API,
    Context,
    Row,
    Sample,
    bearer_client,
    loop_all_pages,
    make_shell,
    peak_rss_growth,
    run_cell,
    run_child,
)

SCRIPT = Path(__file__)
LATENCY = 0.02
TIME_GOAL, MEMORY_GOAL = 4.0, 1.5
Q = "{timewindow:'retentionperiod'}"
CELL = "df = %oic GET monitoring/instances?orderBy=creationdate --where timewindow=retentionperiod"


def run(ctx: Context) -> list[Row]:
    """Alternate candidate and baseline children against the shared emulator."""
    env = {
        **ctx.emu.environment(),
        "P6_TOKEN": ctx.emu.password_token(),
        "P6_EXPECTED": str(ctx.instances),
        "IPYTHONDIR": str(ctx.workdir / "ipython"),
    }
    runs = max(1, min(ctx.repeats, 3 if ctx.quick else ctx.repeats))
    results: dict[str, list[dict[str, Any]]] = {"candidate": [], "baseline": []}
    ctx.emu.set_latency(LATENCY)
    try:
        for round_ in range(runs):
            for side in ("candidate", "baseline") if round_ % 2 == 0 else ("baseline", "candidate"):
                results[side].append(run_child(SCRIPT, side, env=env, timeout=1200))
    finally:
        ctx.emu.set_latency(0)
    return _rows(ctx.instances, results)


def _rows(count: int, results: dict[str, list[dict[str, Any]]]) -> list[Row]:
    def sample(side: str, key: str) -> Sample:
        return Sample(tuple(float(r[key]) for r in results[side]))

    time_c, time_b = sample("candidate", "seconds"), sample("baseline", "seconds")
    mem_c, mem_b = sample("candidate", "mib"), sample("baseline", "mib")
    speedup, mem_ratio = time_b.median / time_c.median, mem_c.median / mem_b.median
    what = (
        f"{count:,} monitoring instances through `%oic` ({LATENCY * 1000:.0f} ms per "
        "request) vs httpx loop + json_normalize"
    )
    return [
        Row(
            id="P6",
            what=f"{what} (time)",
            unit="s",
            candidate=time_c,
            baseline=time_b,
            goal=f"≤ {1 / TIME_GOAL:.2f} (≥ {TIME_GOAL:.0f}x faster)",
            holds=speedup >= TIME_GOAL,
            note=f"{speedup:.1f}x faster",
            reason="" if speedup >= TIME_GOAL else f"only {speedup:.1f}x faster",
        ),
        Row(
            id="P6-memory",
            what=f"{what} (peak memory)",
            unit="MiB",
            candidate=mem_c,
            baseline=mem_b,
            goal=f"≤ {MEMORY_GOAL}",
            holds=mem_ratio <= MEMORY_GOAL,
            reason="" if mem_ratio <= MEMORY_GOAL else "see the profile below",
            note="peak RSS growth during the work, fresh interpreter per run",
        ),
    ]


# -- children ------------------------------------------------------------------------------------


def _candidate(expected: int) -> dict[str, Any]:
    import pandas  # noqa: F401 - imported before the measurement, as the baseline does

    shell = make_shell(Path(os.environ["IPYTHONDIR"]))
    run_cell(shell, "%load_ext oic_magic")
    run_cell(shell, "%config OICMagics.monitoring_caps = False")
    run_cell(shell, "%oic_login")
    run_cell(shell, "%oic GET connections --limit 1")  # the pool and the frame code warmed up
    with peak_rss_growth() as peak:
        start = time.perf_counter()
        run_cell(shell, CELL)
        seconds = time.perf_counter() - start
    assert len(shell.user_ns["df"]) == expected, len(shell.user_ns["df"])
    return {"seconds": seconds, **peak}


def _baseline(expected: int) -> dict[str, Any]:
    import pandas as pd

    url = os.environ["OIC_DESIGN_URL"] + API + "/monitoring/instances"
    with bearer_client(os.environ["P6_TOKEN"]) as http:
        http.get(
            os.environ["OIC_DESIGN_URL"] + API + "/connections",
            params={"integrationInstance": os.environ["OIC_INSTANCE"], "limit": 1},
        )
        pd.json_normalize([{"a": {"b": 1}}])
        with peak_rss_growth() as peak:
            start = time.perf_counter()
            items = loop_all_pages(
                http,
                url,
                instance=os.environ["OIC_INSTANCE"],
                params=[("q", Q), ("orderBy", "creationdate")],
            )
            frame = pd.json_normalize(items)
            seconds = time.perf_counter() - start
    assert len(frame) == expected, len(frame)
    return {"seconds": seconds, **peak}


if __name__ == "__main__":
    side, expected = sys.argv[1], int(os.environ["P6_EXPECTED"])
    print(json.dumps(_candidate(expected) if side == "candidate" else _baseline(expected)))
