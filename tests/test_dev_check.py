"""`python3 dev.py check` runs every check, then names each one that failed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _dev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_runs_format_lint_and_types() -> None:
    """The three checks are ruff format --check, ruff check and mypy, over the whole tree."""
    assert _dev().CHECKS == {
        "format": ("ruff", "format", "--check", "."),
        "lint": ("ruff", "check", "."),
        "types": ("mypy",),
    }


def test_check_goes_on_after_a_failure_and_names_it(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A failing check does not stop the others; the last line names what failed."""
    dev = _dev()
    python = Path(sys.executable).name
    monkeypatch.setattr(dev, "setup", lambda *, browser: None)
    monkeypatch.setattr(dev, "BIN", Path(sys.executable).parent)
    monkeypatch.setattr(
        dev,
        "CHECKS",
        {
            "first": (python, "-c", "raise SystemExit(3)"),
            "second": (python, "-c", "print('second ran')"),
            "third": (python, "-c", "raise SystemExit(1)"),
        },
    )
    assert dev.main(["check"]) == 1
    out = capfd.readouterr().out
    assert "second ran" in out
    assert "[dev] FAILED: first (" in out and "third (" in out
    assert "second (" not in out.split("FAILED:")[1]


def test_check_is_clean_when_every_check_passes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0 and one line that says so when nothing failed."""
    dev = _dev()
    python = Path(sys.executable).name
    monkeypatch.setattr(dev, "setup", lambda *, browser: None)
    monkeypatch.setattr(dev, "BIN", Path(sys.executable).parent)
    monkeypatch.setattr(dev, "CHECKS", {"only": (python, "-c", "pass")})
    assert dev.main(["check"]) == 0
    assert "all clean" in capsys.readouterr().out


def test_check_refuses_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    """Extra words are refused (exit 2) rather than silently ignored."""
    assert _dev().main(["check", "--fix"]) == 2
    assert "takes no arguments" in capsys.readouterr().out
