"""Fail when a notebook holds outputs: notebooks are committed without them.

    python tools/check_notebook_outputs.py notebooks/*.ipynb

Prints one line per notebook with outputs (which cells) and exits 1; exits 0 when every
notebook given is clean. An output may hold a token or a password typed into a cell, and
outputs make every diff noisy; `jupyter nbconvert --clear-output --inplace NB.ipynb` (or
JupyterLab's "Clear Outputs of All Cells", then save) removes them.

Standard library only, so the pre-commit hook runs it with any Python.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def cells_with_outputs(notebook: dict[str, Any]) -> list[int]:
    """Indexes of the code cells that have outputs or an execution count."""
    return [
        index
        for index, cell in enumerate(notebook.get("cells", []))
        if cell.get("cell_type") == "code"
        and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]


def problem(path: Path) -> str | None:
    """What is wrong with the notebook at ``path``, or None when it has no output."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return f"{path}: not a readable notebook ({exc.__class__.__name__}: {exc})"
    if not isinstance(notebook, dict):
        return f"{path}: not a notebook (its JSON is not an object)"
    cells = cells_with_outputs(notebook)
    if not cells:
        return None
    listed = ", ".join(str(i) for i in cells[:10]) + (", ..." if len(cells) > 10 else "")
    return f"{path}: {len(cells)} code cell(s) with outputs (cells {listed}); clear them"


def main(argv: list[str]) -> int:
    found = [p for p in (problem(Path(arg)) for arg in argv) if p is not None]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
