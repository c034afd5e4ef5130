"""The benchmarks' profiles: py-spy is installed by dev.py and samples another process; where
it cannot attach, the profile says why in one line and falls back to pyinstrument."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))

import _profiles  # noqa: E402  (benchmarks/ is a folder of scripts, not a package)

BUSY = "def spin_here():\n    while True:\n        sum(range(10_000))\n\nspin_here()\n"


def busy_work() -> int:
    return sum(range(3_000_000))


@pytest.fixture
def busy_process() -> Iterator[int]:
    """A Python process that spins in spin_here() until the test ends."""
    process = subprocess.Popen([sys.executable, "-c", BUSY])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_the_bench_environment_has_py_spy() -> None:
    """The bench dependency group (installed by dev.py) puts py-spy beside this interpreter."""
    found = _profiles._py_spy()
    assert found is not None and Path(found).exists()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="py-spy attaches only as root"
)
def test_py_spy_samples_another_process(busy_process: int) -> None:
    """As root, py-spy records the busy process and the summary names its busy function."""
    text = _profiles.py_spy_top(busy_process, lambda: None, seconds=1)
    assert text.startswith("busy samples: "), text
    assert "spin_here (<string>)" in text


def _fake_py_spy(tmp_path: Path, stderr: str, status: int) -> str:
    """A py-spy that fails to attach as the real one does (a case a root machine cannot make)."""
    script = tmp_path / "py-spy"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stderr.write({stderr!r})\nsys.exit({status})\n"
    )
    script.chmod(0o755)
    return str(script)


def test_cannot_attach_says_why_in_one_line_and_uses_pyinstrument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refused attach: one line with py-spy's reason and the fix, then pyinstrument's tree."""
    refused = textwrap.dedent(
        """\
        Error: Permission denied (os error 13)

        Stack backtrace:
           0: anyhow::error::<impl anyhow::Error>::msg
        """
    )
    monkeypatch.setattr(_profiles, "_py_spy", lambda: _fake_py_spy(tmp_path, refused, 1))
    text = _profiles.py_spy_top(os.getpid(), busy_work, seconds=1)
    first, _, rest = text.partition("\n")
    assert first == (
        f"(py-spy could not attach to process {os.getpid()}: Permission denied (os error 13)"
        " (py-spy needs root, or ptrace permission: sysctl kernel.yama.ptrace_scope=0);"
        " profiled with pyinstrument on this thread instead)"
    )
    assert "busy_work" in rest and "Stack backtrace" not in text
    assert capsys.readouterr().out == f"[bench] {first[1:-1]}\n"


def test_missing_py_spy_says_so_and_uses_pyinstrument(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without py-spy the profile still has a call tree, under one line saying why."""
    monkeypatch.setattr(_profiles, "_py_spy", lambda: None)
    text = _profiles.py_spy_top(os.getpid(), busy_work, seconds=1)
    first, _, rest = text.partition("\n")
    assert first.startswith("(py-spy is not installed")
    assert "busy_work" in rest
    assert "py-spy is not installed" in capsys.readouterr().out
