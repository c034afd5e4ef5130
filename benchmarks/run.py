"""Run the benchmarks (P1..P8, P9, P10) against their baselines and write RESULTS.md.

    .venv/bin/python benchmarks/run.py                 # all, 5 repeats (python3 dev.py bench)
    .venv/bin/python benchmarks/run.py --quick         # tiny sizes, 1 repeat: a smoke run
    .venv/bin/python benchmarks/run.py --only P1,P3 --repeats 7

The emulator runs in its own process on loopback. Each benchmark measures its
baseline and its candidate in the same run, interleaved, and reports medians, the
spread (min-max) and whether the goal holds; for a missed goal a profile says where
the time goes. Timings are never asserted by the tests: this is run on demand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _p1_paging  # noqa: E402
import _p2_call  # noqa: E402
import _p3_frames  # noqa: E402
import _p4_refresh  # noqa: E402
import _p5_import  # noqa: E402
import _p6_end_to_end  # noqa: E402
import _p7_monitoring  # noqa: E402
import _p8_sessions  # noqa: E402
import _p9_completion  # noqa: E402
import _p10_gc_soak  # noqa: E402
from _common import HERE, Context, EmulatorProcess, Row  # noqa: E402
from _misses import profile_miss  # noqa: E402

BENCHMARKS: dict[str, Callable[[Context], list[Row]]] = {
    "P1": _p1_paging.run,
    "P2": _p2_call.run,
    "P3": _p3_frames.run,
    "P6": _p6_end_to_end.run,
    "P4": _p4_refresh.run,
    "P5": _p5_import.run,
    "P7": _p7_monitoring.run,
    "P8": _p8_sessions.run,
    "P9": _p9_completion.run,
    "P10": _p10_gc_soak.run,
}  # P4 moves the client's clock only; it runs late all the same


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    chosen = (
        [name.strip().upper() for name in args.only.split(",")] if args.only else list(BENCHMARKS)
    )
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; use P1..P8, P9, P10")
    repeats = args.repeats or (1 if args.quick else 5)
    sizes = (
        {"connections": 500, "instances": 2_000, "frame_items": 2_000}
        if args.quick
        else {"connections": 10_000, "instances": 100_000, "frame_items": 50_000}
    )
    command = " ".join(
        ["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]
    )
    started = time.perf_counter()
    rows: list[Row] = []
    profiles: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="oic-bench-") as work, _emulator(sizes) as emu:
        ctx = Context(emu=emu, repeats=repeats, quick=args.quick, workdir=Path(work), **sizes)
        for name in [n for n in BENCHMARKS if n in chosen]:
            print(f"[bench] {name} ...", flush=True)
            found = BENCHMARKS[name](ctx)
            for row in found:
                print(f"[bench]   {_line(row)}", flush=True)
            rows += found
        if not args.quick and not args.no_profile:
            for row in rows:
                if not row.holds:
                    print(f"[bench] profiling the miss of {row.id} ...", flush=True)
                    profiles[row.id] = profile_miss(ctx, row)
    text = render(
        rows,
        profiles,
        command=command,
        repeats=repeats,
        quick=args.quick,
        seconds=time.perf_counter() - started,
    )
    output = Path(args.output) if args.output else HERE / "RESULTS.md"
    output.write_text(text, encoding="utf-8")
    print(text)
    print(f"[bench] wrote {output}")
    return 0


def _parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--quick", action="store_true", help="tiny sizes, 1 repeat, no profiles")
    cli.add_argument("--only", metavar="P1,P3", help="run only these benchmarks")
    cli.add_argument("--repeats", type=int, help="repeats per benchmark (default 5; quick 1)")
    cli.add_argument("--no-profile", action="store_true", help="skip the profiles of misses")
    cli.add_argument(
        "--output", metavar="PATH", help="where to write the table (default benchmarks/RESULTS.md)"
    )
    return cli


def _emulator(sizes: dict[str, int]) -> EmulatorProcess:
    return EmulatorProcess(
        "--connections",
        str(sizes["connections"]),
        "--instances",
        str(sizes["instances"]),
        "--no-monitoring-caps",
    )


# -- the table ----------------------------------------------------------------------------------


def _value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value * 1000:.2f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:g}"


def _spread(row: Row) -> str:
    def one(sample: object, label: str) -> str:
        low, high = sample.low, sample.high  # type: ignore[attr-defined]
        return f"{label} {_value(low, row.unit)}–{_value(high, row.unit)}"

    parts = [one(row.candidate, "c")]
    if row.baseline is not None and len(row.baseline.values) > 1:
        parts.append(one(row.baseline, "b"))
    return "; ".join(parts)


def _line(row: Row) -> str:
    ratio = row.shown_ratio
    shown = "—" if ratio is None else f"{ratio:.2f}"
    baseline = "—" if row.baseline is None else _value(row.baseline.median, row.unit)
    return (
        f"{row.id}: candidate {_value(row.candidate.median, row.unit)}, baseline "
        f"{baseline}, ratio {shown}, goal {row.goal}: {'yes' if row.holds else 'NO'}"
    )


def _load() -> str:
    try:
        return " / ".join(f"{value:.1f}" for value in os.getloadavg()) + " (1/5/15 min)"
    except OSError:
        return "unknown"


def render(
    rows: list[Row],
    profiles: dict[str, str],
    *,
    command: str,
    repeats: int,
    quick: bool,
    seconds: float,
) -> str:
    """RESULTS.md: the table, the notes, the profiles of misses and the machine."""
    out = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC in "
        f"{seconds:.0f} s{' (quick: tiny sizes, not a measurement)' if quick else ''}.",
        "",
        f"Machine: {os.cpu_count()} cores (shared, so the numbers are noisy), "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}, "
        f"load average at the end {_load()}. "
        f"Repeats: {repeats} per side unless a row says otherwise; medians, spread min–max "
        "(c = candidate, b = baseline). Ratio = candidate / baseline unless the goal "
        "says otherwise.",
        "",
        "| id | what | candidate (median) | baseline (median) | spread | ratio | goal | "
        "holds | reason for a miss |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = row.shown_ratio
        out.append(
            "| "
            + " | ".join(
                [
                    row.id,
                    row.what.replace("|", "\\|"),
                    _value(row.candidate.median, row.unit),
                    "—" if row.baseline is None else _value(row.baseline.median, row.unit),
                    _spread(row),
                    "—" if ratio is None else f"{ratio:.2f}",
                    row.goal,
                    "yes" if row.holds else "**no**",
                    row.reason or "",
                ]
            )
            + " |"
        )
    notes = [f"- **{row.id}**: {row.note}" for row in rows if row.note]
    if notes:
        out += ["", "## Notes", "", *notes]
    for row_id, text in profiles.items():
        out += ["", f"## Profile of the miss of {row_id}", "", "```", text, "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
