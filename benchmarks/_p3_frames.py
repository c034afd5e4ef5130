"""P3: a DataFrame of 50,000 connection items: ``oic_magic.notebook._frames`` vs ``json_normalize``.

The items are the emulator's own connections, rendered once, written to a JSON file
and read back by each child process, so both sides convert the very same items.

- Time: one fresh interpreter loads the items and times both conversions, alternating.
- Memory: peak RSS growth during the conversion (VmHWM reset just before it, minus the
  RSS at that moment), each side alone in a fresh interpreter after the same imports
  and the same loaded items, so neither pays for the other's garbage.

Run as a child: ``python _p3_frames.py make|time|memory ...``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from _common import Context, Row, Sample, interleaved, peak_rss_growth, run_child

SCRIPT = Path(__file__)
TIME_GOAL, MEMORY_GOAL = 1.3, 1.5


def run(ctx: Context) -> list[Row]:
    """Make the items, then time and weigh both conversions in children."""
    items = ctx.workdir / f"connections-{ctx.frame_items}.json"
    if not items.exists():
        run_child(SCRIPT, "make", str(items), str(ctx.frame_items))
    times = run_child(SCRIPT, "time", str(items), str(ctx.repeats))
    memory: dict[str, list[float]] = {"candidate": [], "baseline": []}
    for round_ in range(max(1, min(ctx.repeats, 3))):
        for side in ("candidate", "baseline") if round_ % 2 == 0 else ("baseline", "candidate"):
            memory[side].append(run_child(SCRIPT, "memory", str(items), side)["mib"])
    return _rows(ctx.frame_items, times, memory)


def _rows(count: int, times: dict[str, list[float]], memory: dict[str, list[float]]) -> list[Row]:
    time_c, time_b = Sample(tuple(times["candidate"])), Sample(tuple(times["baseline"]))
    mem_c, mem_b = Sample(tuple(memory["candidate"])), Sample(tuple(memory["baseline"]))
    time_ratio, mem_ratio = time_c.median / time_b.median, mem_c.median / mem_b.median
    what = f"DataFrame of {count:,} connection items: to_frame() vs pandas.json_normalize"
    return [
        Row(
            id="P3",
            what=f"{what} (time)",
            unit="s",
            candidate=time_c,
            baseline=time_b,
            goal=f"≤ {TIME_GOAL}",
            holds=time_ratio <= TIME_GOAL,
            reason="" if time_ratio <= TIME_GOAL else "see the profile below",
            note="to_frame also drops links, parses timestamps and puts id first",
        ),
        Row(
            id="P3-memory",
            what=f"{what} (peak memory)",
            unit="MiB",
            candidate=mem_c,
            baseline=mem_b,
            goal=f"≤ {MEMORY_GOAL}",
            holds=mem_ratio <= MEMORY_GOAL,
            reason="" if mem_ratio <= MEMORY_GOAL else "see the profile below",
            note="peak RSS growth during the conversion, fresh interpreter per run",
        ),
    ]


# -- children ------------------------------------------------------------------------------------


def _make(path: Path, count: int) -> dict[str, object]:
    from oic_magic.emulator import Emulator

    with Emulator(connections=count, instances=1, page_limit_max=None) as emu:
        body = emu.backend.resources.listing("connections", {"limit": str(count), "offset": "0"})
    path.write_text(json.dumps(body["items"]), encoding="utf-8")
    return {"items": len(body["items"])}


def _load(path: Path) -> list[dict[str, object]]:
    return list(json.loads(path.read_text(encoding="utf-8")))


def _time(path: Path, repeats: int) -> dict[str, object]:
    import pandas as pd

    from oic_magic.notebook._frames import to_frame

    items = _load(path)
    to_frame(items[:100]), pd.json_normalize(items[:100])  # warm-up: lazy imports, caches

    def candidate() -> None:
        to_frame(items)

    def baseline() -> None:
        pd.json_normalize(items)

    samples = interleaved(repeats, {"candidate": candidate, "baseline": baseline})
    return {side: list(sample.values) for side, sample in samples.items()}


def _memory(path: Path, side: str) -> dict[str, object]:
    import pandas as pd

    from oic_magic.notebook._frames import to_frame

    items = _load(path)
    convert = to_frame if side == "candidate" else pd.json_normalize
    convert(items[:100])  # the same warm-up for both
    with peak_rss_growth() as peak:
        frame = convert(items)
    assert len(frame) == len(items)
    return {"mib": peak["mib"], "reset": peak["reset"]}


def main(argv: list[str]) -> None:
    """Child entry point: print one JSON line."""
    mode, path = argv[0], Path(argv[1])
    if mode == "make":
        result = _make(path, int(argv[2]))
    elif mode == "time":
        result = _time(path, int(argv[2]))
    else:
        result = _memory(path, argv[2])
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
