"""The code stays lint-clean (ruff) and type-checked (mypy, strict), as configured in pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_ruff_finds_nothing() -> None:
    """ruff check reports no problem anywhere in the repository."""
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_notebook_sources_are_formatted() -> None:
    """ruff format leaves the notebooks (their py:percent sources and the .ipynb) as they are."""
    result = _run("ruff", "format", "--check", "notebooks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    """mypy (strict for the core and the emulator) reports no error in the package."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
