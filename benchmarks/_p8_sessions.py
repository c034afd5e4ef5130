"""P8: one ``%oic GET connections --session dev,test,prod`` against three instances, 20 ms.

Three emulators, each its own process (as three OIC instances are three hosts), each
answering every request 20 ms late, with the same number of connections (several pages
each). Candidate: the cell ``df = %oic GET connections --session dev,test,prod`` in an
``InteractiveShell`` signed in to all three. Baseline: the same list read from one
session alone, ``%oic GET connections --session NAME``, for each of the three; the
ratio is the candidate's median over the median of the slowest single session. The
goal, 1.2, says the three run at once: read one after another they would take 3.
All the calls interleave, so a slow moment of the machine hits every side.
"""

from __future__ import annotations

from _common import Context, EmulatorProcess, Row, interleaved, make_shell, run_cell

from oic_magic import Session, default_store

GOAL = 1.2
LATENCY = 0.02
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
    for emu in emulators:
        emu.__enter__()
    try:
        shell = make_shell(ctx.workdir / "ipython-p8")
        run_cell(shell, "%load_ext oic_magic")
        for name, emu in zip(NAMES, emulators, strict=True):
            default_store().put(Session.sign_in(emu.settings(), name=name))
            emu.set_latency(LATENCY)
        merged = f"df = %oic GET connections --session {','.join(NAMES)}"
        runs = {"merged": lambda: run_cell(shell, merged)}
        for name in NAMES:
            runs[name] = lambda name=name: run_cell(
                shell, f"df = %oic GET connections --session {name}"
            )
        for work in runs.values():
            work()  # warm-up: pools open, frames code loaded
        run_cell(shell, merged)
        assert len(shell.user_ns["df"]) == 3 * count, len(shell.user_ns["df"])
        samples = interleaved(repeats, runs)
    finally:
        default_store().clear()
        for emu in emulators:
            emu.__exit__()
    slowest = max(NAMES, key=lambda name: samples[name].median)
    ratio = samples["merged"].median / samples[slowest].median
    pages = -(-count // 100)
    return [
        Row(
            id="P8",
            what=f"3 sessions x {count:,} connections ({pages} pages each), "
            f"{LATENCY * 1000:.0f} ms per request: --session dev,test,prod "
            "vs the slowest session alone",
            unit="s",
            candidate=samples["merged"],
            baseline=samples[slowest],
            goal=f"≤ {GOAL}",
            holds=ratio <= GOAL,
            reason="" if ratio <= GOAL else "the sessions do not overlap enough",
            note=f"slowest alone: {slowest}; one after another would be about 3",
        )
    ]
