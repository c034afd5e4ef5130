"""P5: ``import oic_magic`` in a fresh interpreter vs ``import httpx``.

Each sample is one fresh interpreter that times its own import with
``time.perf_counter`` (interpreter start-up excluded); the statements alternate.
``P5-client`` times ``from oic_magic import OICClient`` (the core, httpx included),
the first thing a script does after the import. ``P5-lazy`` lists which of pandas,
IPython, ipywidgets and keyring are in ``sys.modules`` after either statement.
"""

from __future__ import annotations

import json
import subprocess
import sys

from _common import ROOT, Context, Row, Sample

GOAL = 1.5
HEAVY = ("pandas", "IPython", "ipywidgets", "keyring")
_PROBE = (
    "import sys, time, json\n"
    "start = time.perf_counter()\n"
    "{statement}\n"
    "elapsed = time.perf_counter() - start\n"
    "heavy = [m for m in {heavy!r} if m in sys.modules]\n"
    "print(json.dumps({{'seconds': elapsed, 'heavy': heavy}}))\n"
)
STATEMENTS = {
    "oic_magic": "import oic_magic",
    "httpx": "import httpx",
    "client": "from oic_magic import OICClient",
}


def _probe(statement: str) -> dict[str, object]:
    code = _PROBE.format(statement=statement, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(ctx: Context) -> list[Row]:
    """Import each statement in many fresh interpreters, alternating."""
    repeats = 3 if ctx.quick else max(20, 4 * ctx.repeats)
    seconds: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    heavy: dict[str, set[str]] = {name: set() for name in STATEMENTS}
    for name in STATEMENTS:
        _probe(STATEMENTS[name])  # warm-up: bytecode caches written
    order = list(STATEMENTS)
    for round_ in range(repeats):
        for name in order if round_ % 2 == 0 else reversed(order):
            answer = _probe(STATEMENTS[name])
            seconds[name].append(float(answer["seconds"]))  # type: ignore[arg-type]
            heavy[name].update(answer["heavy"])  # type: ignore[arg-type]
    return _rows({k: Sample(tuple(v)) for k, v in seconds.items()}, heavy)


def _rows(samples: dict[str, Sample], heavy: dict[str, set[str]]) -> list[Row]:
    baseline = samples["httpx"]
    rows = []
    for row_id, name in (("P5", "oic_magic"), ("P5-client", "client")):
        ratio = samples[name].median / baseline.median
        rows.append(
            Row(
                id=row_id,
                what=f"`{STATEMENTS[name]}` vs `import httpx`, fresh interpreter",
                unit="ms",
                candidate=samples[name],
                baseline=baseline,
                goal=f"≤ {GOAL}",
                holds=ratio <= GOAL,
                reason="" if ratio <= GOAL else "see the profile below",
            )
        )
    loaded = sorted(heavy["oic_magic"] | heavy["client"])
    rows.append(
        Row(
            id="P5-lazy",
            what=f"{', '.join(HEAVY)} absent from sys.modules after either statement",
            unit="",
            candidate=Sample((float(len(loaded)),)),
            baseline=None,
            goal="0 loaded",
            holds=not loaded,
            reason="" if not loaded else f"loaded: {', '.join(loaded)}",
            note="count of those modules loaded",
        )
    )
    return rows
