"""The optional extras hold what the README says they bring."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_the_notebooks_extra_brings_jupyterlab() -> None:
    """Finding: `pip install -e '.[notebooks]'` gave no `jupyter lab`, which the README opens."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    notebooks = _names(project["optional-dependencies"]["notebooks"])
    assert {"jupyterlab", "ipykernel", "papermill", "jupytext"} <= notebooks
    assert "jupyterlab" not in _names(project["dependencies"])  # the core stays light
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "jupyter lab" in readme
    line = next(x for x in readme.splitlines() if x.startswith("pip install -e '.[notebooks]'"))
    assert "JupyterLab" in line
