"""The code stays lint-clean (ruff) and type-checked (mypy, strict), as configured in pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_ruff_finds_nothing() -> None:
    """ruff check reports no problem anywhere in the repository."""
    result = _run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_changes_nothing() -> None:
    """ruff format --check finds every file formatted (notebook sources included)."""
    result = _run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_version_has_one_source() -> None:
    """The installed distribution's version is oic_magic.__version__ (pyproject reads it)."""
    from importlib.metadata import version

    import oic_magic

    assert version("oic_magic") == oic_magic.__version__
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text()


def test_mypy_finds_nothing() -> None:
    """mypy (strict) reports no error in the package, its tests, the benchmarks or the tools."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
