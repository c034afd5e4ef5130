"""The pre-commit config parses, runs the pinned tools of .venv/, and its notebook hook works."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "check_notebook_outputs.py"


def _hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def _notebook(tmp_path: Path, name: str, cells: list[dict[str, Any]]) -> Path:
    path = tmp_path / name
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(notebook))
    return path


def _check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _code(source: str, outputs: list[dict[str, Any]], count: int | None) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "metadata": {},
        "source": source,
        "outputs": outputs,
        "execution_count": count,
    }


def test_the_config_has_format_lint_types_and_notebook_hooks() -> None:
    """ruff format, ruff check, mypy (whole tree) and the notebook check, all from .venv/."""
    hooks = _hooks()
    assert set(hooks) == {"ruff-format", "ruff-check", "mypy", "notebook-outputs"}
    assert shlex.split(hooks["ruff-format"]["entry"])[:2] == [".venv/bin/ruff", "format"]
    assert shlex.split(hooks["ruff-check"]["entry"])[:2] == [".venv/bin/ruff", "check"]
    assert hooks["mypy"]["entry"] == ".venv/bin/mypy"
    assert hooks["mypy"]["pass_filenames"] is False
    assert shlex.split(hooks["notebook-outputs"]["entry"]) == [
        ".venv/bin/python",
        "tools/check_notebook_outputs.py",
    ]
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_the_hooks_run_the_versions_pinned_in_pyproject() -> None:
    """ruff and mypy are pinned exactly, so the hooks cannot drift from `dev.py check`."""
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]
    pins = [r for r in groups["test"] if isinstance(r, str) and r.startswith(("ruff", "mypy"))]
    assert sorted(p.split("==")[0] for p in pins) == ["mypy", "ruff"]
    assert all("==" in p for p in pins)


def test_a_notebook_with_outputs_fails_and_is_named(tmp_path: Path) -> None:
    """Outputs or an execution count fail the check; the line names the file and the cells."""
    clean = _notebook(tmp_path, "clean.ipynb", [_code("1 + 1", [], None)])
    ran = _notebook(
        tmp_path,
        "ran.ipynb",
        [
            {"cell_type": "markdown", "metadata": {}, "source": "# Title"},
            _code("x = 1", [], None),
            _code("1 + 1", [{"output_type": "execute_result", "data": {}, "metadata": {}}], 1),
            _code("y = 2", [], 2),
        ],
    )
    result = _check(clean, ran)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{ran}: 2 code cell(s) with outputs (cells 2, 3); clear them"
    ]


def test_clean_notebooks_pass(tmp_path: Path) -> None:
    """Notebooks without outputs pass silently."""
    clean = _notebook(tmp_path, "clean.ipynb", [_code("1 + 1", [], None)])
    result = _check(clean)
    assert (result.returncode, result.stdout) == (0, "")


def test_an_unreadable_notebook_fails(tmp_path: Path) -> None:
    """A file that is not notebook JSON fails with a reason rather than passing."""
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    result = _check(broken)
    assert result.returncode == 1
    assert "not a readable notebook" in result.stdout


def test_the_committed_notebooks_have_no_outputs() -> None:
    """What the hook checks on commit holds for every notebook in the repository now."""
    listed = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    notebooks = [ROOT / name for name in listed]
    result = _check(*notebooks)
    assert result.returncode == 0, result.stdout
