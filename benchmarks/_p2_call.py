"""P2: one ``%oic GET connections/{id}`` in a real IPython shell, no added latency.

Baseline: the same request with a plain httpx client, a pasted Bearer header and
``.json()``, written in a cell of the same shell (so both sides pay IPython's own
cost of running a cell). Candidate: the cell ``row = %oic GET connections/{id}`` run
by an ``InteractiveShell`` as a notebook runs it (the answer becomes a one-row DataFrame).
A sample is the mean of a batch of calls; batches of both sides alternate.
A second row, ``P2-raw``, gives ``--raw`` (the parsed JSON), to separate the
cost of the call from the cost of the DataFrame.

Two floors are measured in the same shell, so a miss says what no magic could avoid:
IPython's own cost of a line magic (a no-op magic on the same line, minus a plain
assignment cell) and pandas' cost of the cheapest one-row DataFrame of the same item
(built once from a dict of one-element lists, timestamps already parsed).
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from _common import (
    API,
    Context,
    Row,
    Sample,
    bearer_client,
    environment,
    interleaved,
    make_shell,
    run_cell,
)

GOAL = 1.2


def run(ctx: Context) -> list[Row]:
    """Measure %oic and raw httpx in batches, interleaved."""
    batch = 20 if ctx.quick else 200
    with bearer_client(ctx.emu.password_token()) as http:
        first = http.get(
            ctx.emu.design_url + API + "/connections",
            params={"integrationInstance": ctx.emu.instance, "limit": 1},
        )
        ident = first.json()["items"][0]["id"]
        url = f"{ctx.emu.design_url}{API}/connections/{urllib.parse.quote(ident, safe='')}"
        params = {"integrationInstance": ctx.emu.instance}

        shell = _signed_in_shell(ctx)
        shell.user_ns.update(_http=http, _url=url, _params=params)
        by_hand = "row = _http.get(_url, params=_params).json()"
        frame = f"row = %oic GET connections/{ident}"
        parsed = f"row = %oic GET connections/{ident} --raw"
        shell.register_magic_function(lambda line: None, "line", "bench_noop")
        noop, plain = f"row = %bench_noop GET connections/{ident} --raw", "row = None"
        one_row = _one_row_floor(http.get(url, params=params).json())
        runs = {
            "candidate": _batch(lambda: run_cell(shell, frame), batch),
            "raw": _batch(lambda: run_cell(shell, parsed), batch),
            "baseline": _batch(lambda: run_cell(shell, by_hand), batch),
            "noop": _batch(lambda: run_cell(shell, noop), batch),
            "plain": _batch(lambda: run_cell(shell, plain), batch),
            "frame": _batch(one_row, batch),
        }
        for work in runs.values():
            work()  # warm-up
        samples = interleaved(ctx.repeats, runs)
        _sign_out(shell)
    return _rows(samples)


def _one_row_floor(item: dict[str, Any]) -> Callable[[], object]:
    """The cheapest one-row frame of *item*: flat columns, parsed stamps, built once."""
    import pandas as pd

    from oic_magic.notebook._frames import _flat_row

    row = _flat_row(item)
    for key, value in row.items():
        if key in ("created", "lastUpdated"):
            row[key] = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    return lambda: pd.DataFrame({key: [value] for key, value in row.items()})


def _signed_in_shell(ctx: Context) -> Any:
    shell = make_shell(ctx.workdir / "ipython")
    with environment(ctx.emu.environment()):
        run_cell(shell, "%load_ext oic_magic")
        run_cell(shell, "%oic_login")
    return shell


def _sign_out(shell: Any) -> None:
    run_cell(shell, "%oic_logout --all")


def _batch(work: Callable[[], object], count: int) -> Callable[[], float]:
    def timed() -> float:
        start = time.perf_counter()
        for _ in range(count):
            work()
        return (time.perf_counter() - start) / count

    return timed


def _rows(samples: dict[str, Sample]) -> list[Row]:
    baseline = samples["baseline"]
    dispatch = samples["noop"].median - samples["plain"].median
    floors = {"P2": dispatch + samples["frame"].median, "P2-raw": dispatch}
    rows = []
    for row_id, name, what in (
        ("P2", "candidate", "`%oic GET connections/{id}` (a DataFrame)"),
        ("P2-raw", "raw", "`%oic GET connections/{id} --raw` (JSON)"),
    ):
        ratio = samples[name].median / baseline.median
        rows.append(
            Row(
                id=row_id,
                what=f"{what} vs a cell of httpx GET + .json(), same InteractiveShell",
                unit="ms",
                candidate=samples[name],
                baseline=baseline,
                goal=f"≤ {GOAL}",
                holds=ratio <= GOAL,
                reason=""
                if ratio <= GOAL
                else _why_not(row_id, samples[name], baseline, floors[row_id]),
                note=_floors_note(row_id, dispatch, samples["frame"].median, baseline.median),
            )
        )
    return rows


def _why_not(row_id: str, candidate: Sample, baseline: Sample, floor: float) -> str:
    added, allowed = candidate.median - baseline.median, (GOAL - 1) * baseline.median
    text = f"{added * 1000:.2f} ms added per call; {GOAL}x allows {allowed * 1000:.2f} ms"
    if floor > allowed:
        return (
            f"{text}, but the floor measured below is {floor * 1000:.2f} ms "
            f"(ratio ≥ {(baseline.median + floor) / baseline.median:.2f} for any magic)"
        )
    return f"{text}; the floor measured below is {floor * 1000:.2f} ms"


def _floors_note(row_id: str, dispatch: float, frame: float, baseline: float) -> str:
    magic = f"IPython's line-magic dispatch alone (a no-op magic): {dispatch * 1000:.2f} ms"
    if row_id == "P2-raw":
        return f"floor: {magic}"
    return (
        f"floor: {magic} + pandas' cheapest one-row DataFrame of this item: "
        f"{frame * 1000:.2f} ms = {(dispatch + frame) * 1000:.2f} ms, "
        f"{(dispatch + frame) / baseline * 100:.0f}% of the bare call"
    )
