"""A small soak: notebook garbage with reference cycles beside a background lister stays flat.

``benchmarks/gc_soak.py`` runs in a fresh interpreter (so the heap it measures is its
own, not the test run's) against an emulator in its own process: one thread lists the
connections through ``OICClient.paginate`` over and over while another makes results
whose parts point back at them, holds the last 1,000 and drops the rest. Once such a
result reached the oldest generation only a full collection frees it, so any hold on
full collections makes the dropped ones pile up.

The measure is a count, not a time or only RSS: results made and not yet freed (each
counts itself when finalized), sampled every 64 results. The control runs the same soak
with full collections held off by the script itself for the whole soak, and shows that
the bound is crossed when the collector is held back.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "gc_soak.py"
UNITS, KEEP, CONNECTIONS = 50_000, 1_000, 500
MIB = 1024 * 1024


def _soak(hold: str) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            *("--units", str(UNITS), "--keep", str(KEEP), "--parts", "10"),
            *("--payload", "128", "--connections", str(CONNECTIONS), "--hold", hold),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def control() -> dict[str, Any]:
    """The soak with full collections held off for its whole length (the script's hold)."""
    return _soak("always")


def _growth(run: dict[str, Any]) -> float:
    return float(run["rss_peak"] - run["rss_start"]) / MIB


def _sound(run: dict[str, Any]) -> None:
    """The soak did what it says: lists read while the garbage was made, none wrong."""
    assert run["failures"] == [] and run["reads_during"] >= 1, run
    assert run["gc_enabled"] is True
    assert run["tracked_per_result"] >= 10  # the result and its ten parts, each a cycle


def test_garbage_stays_bounded_beside_a_background_lister(control: dict[str, Any]) -> None:
    """With the paging as it is, live garbage stays under the bound and RSS nearly flat."""
    run = _soak("none")
    _sound(run)
    assert run["peak_live"] <= run["bound"], run
    assert run["peak_live"] < UNITS / 2, run  # not a pile-up: most dropped results were freed
    assert _growth(run) < 48, run
    assert _growth(run) < 0.6 * _growth(control), (run, control)


def test_the_bound_is_crossed_when_full_collections_are_held(control: dict[str, Any]) -> None:
    """The control: the same soak with the collector held back piles up every result."""
    _sound(control)
    assert control["peak_live"] > control["bound"], control
    assert control["live_at_end"] > 0.9 * UNITS, control
    assert control["garbage_found_at_end"] > 0.9 * UNITS * control["tracked_per_result"]
