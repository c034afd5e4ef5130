"""The benchmark command runs end to end at tiny sizes; it never asserts a timing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW_IDS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10")


def test_quick_benchmark_run_writes_every_row(tmp_path: Path) -> None:
    """`benchmarks/run.py --quick` completes and its table has a row for P1..P8, P9 and P10."""
    output = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--repeats",
            "1",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [
        line for line in output.read_text(encoding="utf-8").splitlines() if line.startswith("| P")
    ]
    found = {line.split("|")[1].strip().split("-")[0] for line in rows}
    assert found == set(ROW_IDS)
    assert all(line.count("|") >= 10 for line in rows)
