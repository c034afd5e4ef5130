"""P8: one ``%oic GET connections --session dev,test,prod`` against three instances.

Three emulators, each its own process (as three OIC instances are three hosts), each
answering every request late (20 ms for P8, 100 ms for ``P8-100ms``, nearer what a
cloud instance takes for a page), with the same number of connections (20 pages each).
Candidate: the cell ``df = %oic GET connections --session dev,test,prod`` in an
``InteractiveShell`` signed in to all three. Baseline: the same list read from one
session alone, ``%oic GET connections --session NAME``, for each of the three; the
ratio is the candidate's median over the median of the slowest single session. Read
one after another, the three would take about 3; at once, the waits overlap and what
is left is the client's own work (decoding the pages, building the frames), which one
interpreter does for all three sessions, one thread at a time.
All the calls interleave, so a slow moment of the machine hits every side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from _common import Context, EmulatorProcess, Row, Sample, interleaved, make_shell, run_cell

from oic_magic import OICClient, Session, default_store

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

GOAL = 1.2
LATENCIES = {"P8": 0.02, "P8-100ms": 0.1}
NAMES = ("dev", "test", "prod")


def run(ctx: Context) -> list[Row]:
    """Start three emulators, sign in to each, then time merged and single reads."""
    count = 300 if ctx.quick else 2_000
    repeats = max(3, ctx.repeats)
    emulators = [
        EmulatorProcess(
            "--connections",
            str(count),
            "--instances",
            "0",
            "--seed",
            str(n + 1),
            "--instance",
            f"oic-{name}",
        )  # fmt: skip
        for n, name in enumerate(NAMES)
    ]
    rows = []
    for emu in emulators:
        emu.__enter__()
    try:
        shell = make_shell(ctx.workdir / "ipython-p8")
        run_cell(shell, "%load_ext oic_magic")
        for name, emu in zip(NAMES, emulators, strict=True):
            default_store().put(Session.sign_in(emu.settings(), name=name))
        work = _client_work(count)
        for row_id, latency in LATENCIES.items():
            for emu in emulators:
                emu.set_latency(latency)
            samples = _measure(shell, count, repeats, work)
            rows.append(_row(row_id, count, latency, samples))
    finally:
        default_store().clear()
        for emu in emulators:
            emu.__exit__()
    return rows


def _cell(shell: InteractiveShell, source: str) -> Callable[[], None]:
    """Run the cell *source* in *shell*; timed from the outside."""

    def run() -> None:
        run_cell(shell, source)

    return run


def _measure(
    shell: InteractiveShell, count: int, repeats: int, work: Callable[[], None]
) -> dict[str, Sample]:
    merged = f"df = %oic GET connections --session {','.join(NAMES)}"
    runs: dict[str, Callable[[], None]] = {"merged": _cell(shell, merged)}
    runs["cpu"] = work
    for name in NAMES:
        runs[name] = _cell(shell, f"df = %oic GET connections --session {name}")
    for each in runs.values():
        each()  # warm-up: pools open, frame code loaded
    run_cell(shell, merged)
    rows = len(shell.user_ns["df"])
    assert rows == 3 * count, rows
    return interleaved(repeats, runs)


def _client_work(count: int) -> Callable[[], None]:
    """One session's pages decoded and framed, no HTTP: the work the GIL serialises."""
    import json

    from oic_magic.notebook._frames import to_frame

    session = default_store().get(NAMES[0])
    with OICClient(session) as client:
        pages = [
            client.request("GET", "connections", params={"limit": 100, "offset": offset}).content
            for offset in range(0, count, 100)
        ]

    def work() -> None:
        to_frame([item for page in pages for item in json.loads(page)["items"]])

    return work


def _row(row_id: str, count: int, latency: float, samples: dict[str, Sample]) -> Row:
    slowest = max(NAMES, key=lambda name: samples[name].median)
    single, cpu = samples[slowest].median, samples["cpu"].median
    ratio = samples["merged"].median / single
    return Row(
        id=row_id,
        what=f"3 sessions x {count:,} connections ({-(-count // 100)} pages each), "
        f"{latency * 1000:.0f} ms per request: --session dev,test,prod "
        "vs the slowest session alone",
        unit="s",
        candidate=samples["merged"],
        baseline=samples[slowest],
        goal=f"≤ {GOAL}",
        holds=ratio <= GOAL,
        reason=""
        if ratio <= GOAL
        else "the waits overlap; decoding and framing three sessions' pages share one "
        "interpreter (and here two cores with the three emulators)",
        note=f"slowest alone: {slowest}; one after another would be about 3. Decoding and "
        f"framing one session's pages without HTTP took {cpu * 1000:.0f} ms here (timed "
        f"between the runs), {cpu / single:.0%} of that session's read; for three sessions "
        "this work takes turns on one interpreter",
    )
