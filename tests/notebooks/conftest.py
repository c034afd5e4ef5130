"""Fixtures for the notebook tests: the report built once, and the emulator's own truth.

``report`` runs ``oic-report``'s engine on every notebook in ``notebooks/`` (real
kernels, widget state stored, the kernels' environment stripped of ``OIC_*``), into a
temporary directory. ``truth`` is the data set a fresh ``Emulator()`` holds: the same
seed as ``%oic_login --demo`` uses, so the notebooks' numbers can be checked against it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from _jupyter import NOTEBOOKS, load_report  # noqa: E402  (tests/ is not a package)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this directory ``notebook``."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.notebook)


@dataclass(frozen=True)
class Report:
    """The built report: its directory, outcomes and the secret findings."""

    out: Path
    outcomes: list[Any]
    problems: list[str]

    def executed(self, name: str) -> Path:
        return self.out / "executed" / name

    def summary(self, name: str) -> dict[str, Any]:
        """The numbers the notebook handed to the report (an output no page shows)."""
        from oic_magic.report import read_summary

        found = read_summary(self.executed(name))
        if found is None:
            raise AssertionError(f"{name} handed the report no summary")
        return found


@pytest.fixture(scope="session")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """Every notebook executed, saved, rendered and scanned, once per test session."""
    engine = load_report()
    out = tmp_path_factory.mktemp("report")
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OIC_")}
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    assert notebooks, "no notebook in notebooks/"
    outcomes, problems = engine.build_report(
        notebooks, out, environ=environ, timeout=300, log=lambda _line: None
    )
    return Report(out, outcomes, problems)


@pytest.fixture(scope="session")
def truth() -> Any:
    """The data set of a fresh default emulator (never started: only its backend is read)."""
    from oic_magic.emulator import Emulator

    return Emulator().backend.data
