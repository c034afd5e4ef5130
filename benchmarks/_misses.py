"""A profile for each missed goal: what the candidate spends its time on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from _common import API, ROOT, Context, Row, bearer_client, run_cell
from _profiles import emulator_pid, py_spy_top, pyinstrument_text


def profile_miss(ctx: Context, row: Row) -> str:
    """Run the missed row's candidate under a profiler and summarise it."""
    family = row.id.split("-")[0]
    try:
        return {"P1": _paging, "P2": _call, "P3": _frames, "P5": _imports, "P6": _end_to_end}.get(
            family, _none
        )(ctx, row)
    except Exception as error:  # noqa: BLE001 - a failed profile must not lose the table
        return f"(profiling failed: {type(error).__name__}: {error})"


def _none(ctx: Context, row: Row) -> str:
    return "(no profile for this row: see its reason)"


def _paging(ctx: Context, row: Row) -> str:
    """The emulator's process and this one's page threads, sampled by py-spy."""
    import os

    from _p1_paging import LATENCY

    from oic_magic import OICClient

    with OICClient.sign_in(ctx.emu.settings()) as client:
        ctx.emu.set_latency(LATENCY)
        try:
            pid = emulator_pid(ctx)
            server = py_spy_top(pid, lambda: client.paginate("connections")) if pid else ""
            mine = py_spy_top(os.getpid(), lambda: client.paginate("connections"))
        finally:
            ctx.emu.set_latency(0)
        with bearer_client(ctx.emu.password_token()) as http:
            per_page = _sequential_page_time(ctx, http)
    return (
        f"One 100-item connections page read alone, no added latency: {per_page * 1000:.1f} "
        "ms (server + client).\n\nEmulator process while paginate() runs (py-spy):\n"
        f"{server}\n\nThis process (page threads included) while paginate() runs "
        f"(py-spy):\n{mine}"
    )


def _sequential_page_time(ctx: Context, http: httpx.Client) -> float:
    import time

    url = ctx.emu.design_url + API + "/connections"
    start = time.perf_counter()
    for offset in range(0, 2000, 100):
        http.get(
            url,
            params={
                "integrationInstance": ctx.emu.instance,
                "offset": offset,
                "limit": 100,
            },
        ).json()
    return (time.perf_counter() - start) / 20


def _call(ctx: Context, row: Row) -> str:
    from _p2_call import _sign_out, _signed_in_shell

    shell = _signed_in_shell(ctx)
    with bearer_client(ctx.emu.password_token()) as http:
        ident = http.get(
            ctx.emu.design_url + API + "/connections",
            params={"integrationInstance": ctx.emu.instance, "limit": 1},
        ).json()["items"][0]["id"]
    line = f"GET connections/{ident}" + (" --raw" if row.id == "P2-raw" else "")
    run_cell(shell, f"row = %oic {line}")
    # The magic is called as the cell calls it; a cell around it adds ~0.1 ms of IPython,
    # and sampling through IPython's cell coroutine loses the magic's frames.
    text = pyinstrument_text(
        lambda: [shell.run_line_magic("oic", line) for _ in range(300)], lines=60
    )
    _sign_out(shell)
    return f"300 x `%oic {line}` (pyinstrument, this thread):\n{text}"


def _frames(ctx: Context, row: Row) -> str:
    import json

    from oic_magic.notebook._frames import to_frame

    path = ctx.workdir / f"connections-{ctx.frame_items}.json"
    items = json.loads(path.read_text(encoding="utf-8"))
    return "to_frame() of the P3 items (pyinstrument):\n" + pyinstrument_text(
        lambda: to_frame(items)
    )


def _imports(ctx: Context, row: Row) -> str:
    statement = "from oic_magic import OICClient" if row.id == "P5-client" else "import oic_magic"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    timed = []
    for line in done.stderr.splitlines()[1:]:
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            timed.append((int(parts[1]), parts[2].rstrip()))
    top = sorted(timed, reverse=True)[:15]
    return f"-X importtime, cumulative microseconds, top 15 of `{statement}`:\n" + "\n".join(
        f"{us:8d}  {name}" for us, name in top
    )


def _end_to_end(ctx: Context, row: Row) -> str:
    from _p6_end_to_end import CELL

    shell_dir = Path(ctx.workdir / "ipython-profile")
    from _common import environment, make_shell

    shell = make_shell(shell_dir)
    with environment(ctx.emu.environment()):
        run_cell(shell, "%load_ext oic_magic")
        run_cell(shell, "%config OICMagics.monitoring_caps = False")
        run_cell(shell, "%oic_login")
    ctx.emu.set_latency(0.02)
    try:
        text = pyinstrument_text(lambda: run_cell(shell, CELL), lines=60)
    finally:
        ctx.emu.set_latency(0)
        run_cell(shell, "%oic_logout --all")
    return f"`{CELL}` (pyinstrument, the shell's thread):\n{text}"
