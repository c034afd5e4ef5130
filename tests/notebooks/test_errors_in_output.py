"""A magic's errors reach the executed notebook's outputs, where papermill and CI read them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from _jupyter import load_report

if TYPE_CHECKING:
    from oic_magic.report._build import Failure


def _run(tmp_path: Path, cells: list[str]) -> tuple[nbformat.NotebookNode, Failure | None]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source = tmp_path / "bad.ipynb"
    nbformat.write(nb, source)
    engine = load_report()
    with engine.pinned_kernel():
        executed: tuple[nbformat.NotebookNode, Failure | None] = engine.execute_notebook(
            source, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}
        )
    return executed


def _errors(cell: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [output for output in cell.outputs if output.output_type == "error"]


def test_a_usage_error_is_an_error_output(tmp_path: Path) -> None:
    """Finding: UsageErrors went to stderr only; papermill's log said nothing else."""
    nb, failure = _run(tmp_path, ["%load_ext oic_magic", "%oic GET connections --limit many"])
    errors = _errors(nb.cells[1])
    assert len(errors) == 1
    assert errors[0]["ename"] == "UsageError"
    assert "invalid int value: 'many'" in str(errors[0]["evalue"])
    assert errors[0]["traceback"] == [f"UsageError: {errors[0]['evalue']}"]
    assert failure is not None and "invalid int value: 'many'" in str(failure)


def test_a_bad_value_and_a_failed_call_are_error_outputs_too(tmp_path: Path) -> None:
    nb, _ = _run(
        tmp_path, ["%load_ext oic_magic", "%oic GET integrations --where status=configured"]
    )
    assert "Did you mean status=CONFIGURED?" in str(_errors(nb.cells[1])[0]["evalue"])
    nb, _ = _run(tmp_path, ["%load_ext oic_magic", "%oic GET connections"])
    error = _errors(nb.cells[1])[0]
    assert error["ename"] == "NotSignedInError" and "%oic_login" in str(error["evalue"])


def test_an_operations_magic_bad_argument_is_an_error_output(tmp_path: Path) -> None:
    """Finding: %oic_triage --by nosuch stopped the run with an empty papermill message."""
    nb, failure = _run(tmp_path, ["%load_ext oic_magic", "%oic_triage --by nosuch"])
    errors = _errors(nb.cells[1])
    assert len(errors) == 1 and errors[0]["ename"] == "UsageError"
    assert "invalid choice: 'nosuch'" in str(errors[0]["evalue"])
    assert failure is not None and "invalid choice: 'nosuch'" in str(failure)
