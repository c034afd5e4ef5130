"""Run a notebook in a real kernel (nbclient, widget state stored) and collect what it left.

The kernel runs this interpreter, with IPYTHONDIR in a temporary directory (history saved,
outputs included), its stdout and stderr in files, and the package's DEBUG logs in a file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL = "python3"
HISTORY_CONFIG = "c.HistoryManager.enabled = True\nc.HistoryManager.db_log_output = True\n"


@dataclass(frozen=True)
class Cell:
    """A code cell and the error it is meant to raise (None: it must succeed)."""

    source: str
    raises: str | None = None


@dataclass(frozen=True)
class Ran:
    """What a run left behind, as text, by surface."""

    notebook: nbformat.NotebookNode
    surfaces: dict[str, str]

    def errors(self) -> list[str | None]:
        """The error name of each code cell (None when it raised nothing)."""
        names: list[str | None] = []
        for cell in self.notebook.cells:
            if cell.cell_type == "code":
                found = [o["ename"] for o in cell.outputs if o.get("output_type") == "error"]
                names.append(found[0] if found else None)
        return names


@contextmanager
def _pinned_kernel(directory: Path) -> Iterator[None]:
    """Kernel name ``python3`` means this interpreter, for this process only."""
    spec = directory / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3",
                "language": "python",
            }
        )
    )
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(directory), previous]))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = previous


def history_text(ipython_dir: Path) -> str:
    """Every input and output the IPython history databases under *ipython_dir* hold."""
    chunks: list[str] = []
    for database in ipython_dir.rglob("history.sqlite"):
        with sqlite3.connect(database) as connection:
            for table, columns in (("history", "source, source_raw"), ("output_history", "output")):
                rows = connection.execute(f"SELECT {columns} FROM {table}").fetchall()
                chunks.extend(str(value) for row in rows for value in row)
    return "\n".join(chunks)


def run_notebook(cells: Sequence[Cell], directory: Path, env: Mapping[str, str]) -> Ran:
    """Execute *cells* in a fresh kernel; every error is kept in the notebook, none stops it."""
    ipython_dir = directory / "ipython"
    for name in ("ipython_config.py", "ipython_kernel_config.py"):
        (ipython_dir / "profile_default").mkdir(parents=True, exist_ok=True)
        (ipython_dir / "profile_default" / name).write_text(HISTORY_CONFIG)
    log, out, err = directory / "debug.log", directory / "kernel.out", directory / "kernel.err"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell.source) for cell in cells]
    kernel_env = {k: v for k, v in os.environ.items() if not k.startswith("OIC_")}
    kernel_env.update(env, IPYTHONDIR=str(ipython_dir), HARDENING_LOG=str(log))
    client = NotebookClient(
        nb,
        kernel_name=KERNEL,
        timeout=120,
        startup_timeout=120,
        allow_errors=True,
        store_widget_state=True,
        # nbclient keeps history in memory unless told a file: a
        # person's kernel writes one, so this run does too.
        ipython_hist_file=str(ipython_dir / "profile_default" / "history.sqlite"),
        resources={"metadata": {"path": str(directory)}},
    )
    with _pinned_kernel(directory / "jupyter"), out.open("wb") as stdout, err.open("wb") as stderr:
        client.execute(env=kernel_env, stdout=stdout, stderr=stderr)
    saved = directory / "saved.ipynb"
    nbformat.write(nb, saved)
    surfaces = {
        "saved notebook (outputs and widget state)": saved.read_text(encoding="utf-8"),
        "IPython history database": history_text(ipython_dir),
        "DEBUG log": log.read_text(encoding="utf-8", errors="replace") if log.exists() else "",
        "kernel stdout": out.read_text(encoding="utf-8", errors="replace"),
        "kernel stderr": err.read_text(encoding="utf-8", errors="replace"),
    }
    return Ran(nb, surfaces)
