"""Build the report: run the documentation notebooks headless and render them, code-free.

``oic-report`` (an installed command), ``python -m oic_magic.report`` and
``python3 dev.py report`` all run :func:`main`::

    oic-report                                  # every notebook, the built-in emulator
    oic-report --profile prod                   # a real instance: [prod] of the profile file
    oic-report --environment                    # a real instance from the OIC_* variables
    oic-report --notebooks my-notebooks/ --out my-report/
    oic-report notebooks/02-*.ipynb -p TIME_WINDOW 6h

What it does, in order:

1. Pins the kernel: a private kernel spec named ``python3`` whose interpreter is the one
   running the command, found first through ``JUPYTER_PATH``. A ``python3`` spec in the
   user's home that points at another Python can therefore never run the report, and
   nothing is installed anywhere.
2. Executes each notebook top to bottom with nbclient in a fresh kernel, working directory
   the output folder (so the notebooks' CSV exports land in ``<out>/exports/``), the
   kernel's ``IPYTHONDIR`` in a private temporary directory. Papermill's parameter
   injection applies ``-p NAME VALUE`` pairs (and ``--profile``/``--environment``, which
   set ``DEMO`` and ``PROFILE``) to the cell tagged ``parameters``. With the emulator
   (the default) the kernels see no ``OIC_*`` variable of this machine.
3. Writes the executed notebooks to ``<out>/executed/`` and renders each to
   ``<out>/<name>.html`` without its code (see :mod:`oic_magic.report._pages`), with
   ``<out>/index.html`` showing the headline numbers and linking the pages and exports.
4. Searches every file it wrote, and the kernel's history database, for the secrets in use
   (the demo password and client secret, ``OIC_PASSWORD`` and ``OIC_CLIENT_SECRET`` when
   set) and for anything shaped like an access token (a JWT). Findings are named, never
   printed.

The notebooks are those shipped with the package (``oic_magic/report/notebooks``), or a
source checkout's ``notebooks/``, or the folder given with ``--notebooks``.

Exit status: 0 when every cell ran and nothing secret was found; 1 when a cell failed
(the notebook, the cell number and the error are printed; the other notebooks still
run and render); 2 when a secret was found; 3 for bad arguments.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from . import read_summary
from ._pages import headline, index_page, notebook_title, render_html
from ._secrets import find_secrets, history_text, known_secrets, scan_files

__all__ = [
    "Failure", "Outcome", "build_report", "default_notebooks", "execute_notebook",
    "find_secrets", "first_error", "history_text", "known_secrets", "main", "pinned_kernel",
    "scan_files",
]  # fmt: skip

PACKAGED = Path(__file__).resolve().parent / "notebooks"
#: A source checkout's notebooks (the package sits in the checkout's root).
CHECKOUT = Path(__file__).resolve().parents[2] / "notebooks"
ROOT = CHECKOUT.parent
DEFAULT_OUT = Path("report")
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600


@dataclass(frozen=True)
class Failure:
    """Where a notebook stopped: the cell (1-based among all cells) and the error."""

    notebook: str
    cell: int
    execution_count: int | None
    ename: str
    evalue: str

    def __str__(self) -> str:
        count = "" if self.execution_count is None else f" [{self.execution_count}]"
        return f"{self.notebook}: cell {self.cell}{count} failed: {self.ename}: {self.evalue}"


@dataclass(frozen=True)
class Outcome:
    """One notebook's run: where its executed copy and HTML are, and whether it failed."""

    source: Path
    executed: Path
    html: Path
    seconds: float
    failure: Failure | None


# --------------------------------------------------------------------------- kernel


def kernel_spec(python: str) -> dict[str, Any]:
    """The kernel spec that runs ipykernel with the given interpreter."""
    return {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": True},
    }


@contextmanager
def pinned_kernel(python: str = sys.executable) -> Iterator[Path]:
    """Make kernel name ``python3`` mean ``python`` for this process, then undo it."""
    previous = os.environ.get("JUPYTER_PATH")
    with tempfile.TemporaryDirectory(prefix="oic-report-kernel-") as tmp:
        spec_dir = Path(tmp, "kernels", KERNEL_NAME)
        spec_dir.mkdir(parents=True)
        (spec_dir / "kernel.json").write_text(json.dumps(kernel_spec(python), indent=1))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [tmp, previous]))
        try:
            yield Path(tmp)
        finally:
            if previous is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = previous


# --------------------------------------------------------------------------- execution


def parameterize(nb: nbformat.NotebookNode, parameters: Mapping[str, Any]) -> None:
    """Inject papermill parameters after the cell tagged ``parameters`` (in place)."""
    if not parameters:
        return
    from papermill.parameterize import parameterize_notebook

    nb.metadata.setdefault("papermill", {})  # where papermill records what it injected
    for cell in nb.cells:  # papermill expects every cell to carry a tag list
        cell.metadata.setdefault("tags", [])
    updated = parameterize_notebook(
        nb, dict(parameters), kernel_name=KERNEL_NAME, language="python"
    )
    nb.cells = updated.cells


def first_error(nb: nbformat.NotebookNode, name: str) -> Failure | None:
    """The first code cell whose outputs hold an error, as a ``Failure``."""
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return Failure(
                    name, index, cell.get("execution_count"), output["ename"], output["evalue"]
                )
    return None


def execute_notebook(
    source: Path,
    *,
    cwd: Path,
    parameters: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: int = CELL_TIMEOUT,
) -> tuple[nbformat.NotebookNode, Failure | None]:
    """Run ``source`` in a fresh ``python3`` kernel; return the executed notebook.

    The kernel gets ``env`` as its whole environment (default: this process's). Widget
    state is stored in the result, as a person saving in JupyterLab with saving on would.
    A failing cell stops the run; the failure says which cell, and the notebook holds
    every output up to it.
    """
    nb = nbformat.read(source, as_version=4)
    parameterize(nb, parameters or {})
    with tempfile.TemporaryDirectory(prefix="oic-kernel-") as sockets:
        client = NotebookClient(
            nb,
            kernel_name=KERNEL_NAME,
            timeout=timeout,
            startup_timeout=120,
            store_widget_state=True,
            resources={"metadata": {"path": str(cwd)}},
            config=local_transport(Path(sockets)),
        )
        try:
            client.execute(env=dict(env if env is not None else os.environ))
        except CellExecutionError as error:
            found = first_error(nb, source.name)
            return nb, found or Failure(source.name, 0, None, error.ename, error.evalue)
    return nb, None


def local_transport(directory: Path) -> Config:
    """Kernel channels as Unix sockets in ``directory``, readable by this user only.

    Over TCP, any local user can reach a kernel's ports (ipykernel warns so on every
    start); Unix sockets in a private directory keep the traffic to this user.
    """
    if os.name != "posix":
        return Config()
    directory.chmod(0o700)
    return Config({"KernelManager": {"transport": "ipc", "ip": str(directory / "kernel")}})


# --------------------------------------------------------------------------- driver


def run_one(
    source: Path, out: Path, parameters: Mapping[str, Any], env: Mapping[str, str], timeout: int
) -> tuple[Outcome, str]:
    """Execute, save and render one notebook; return its outcome and title."""
    started = time.monotonic()
    nb, failure = execute_notebook(source, cwd=out, parameters=parameters, env=env, timeout=timeout)
    executed = out / "executed" / source.name
    nbformat.write(nb, executed)
    page = out / f"{source.stem}.html"
    render_html(nb, page)
    outcome = Outcome(source, executed, page, time.monotonic() - started, failure)
    return outcome, notebook_title(nb, source.stem)


def default_notebooks() -> list[Path]:
    """The notebooks shipped with the package, else those of a source checkout."""
    for folder in (PACKAGED, CHECKOUT):
        found = sorted(folder.glob("*.ipynb"))
        if found:
            return found
    return []


def build_report(
    notebooks: Sequence[Path],
    out: Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    timeout: int = CELL_TIMEOUT,
    environ: Mapping[str, str] | None = None,
    log: Any = print,
) -> tuple[list[Outcome], list[str]]:
    """Run every notebook into ``out``; return the outcomes and the secret findings.

    The kernels get ``environ`` (default: this process's environment) with a private
    ``IPYTHONDIR``, whose history database is searched too.
    """
    (out / "executed").mkdir(parents=True, exist_ok=True)
    rows: list[tuple[Outcome, str]] = []
    environ = os.environ if environ is None else environ
    with tempfile.TemporaryDirectory(prefix="oic-report-ipython-") as ipython_dir:
        env = {**environ, "IPYTHONDIR": ipython_dir}
        with pinned_kernel():
            for source in notebooks:
                shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source.name
                log(f"running {shown}")
                outcome, title = run_one(source, out, parameters or {}, env, timeout)
                log(f"  {'FAILED: ' + str(outcome.failure) if outcome.failure else 'ok'}")
                rows.append((outcome, title))
        exports = sorted(p for p in (out / "exports").rglob("*") if p.is_file())
        summaries = [read_summary(o.executed) or {} for o, _ in rows]
        front = index_page(rows, exports, out, headline(summaries))
        (out / "index.html").write_text(front, encoding="utf-8")
        written = [out / "index.html", *(o.html for o, _ in rows), *(o.executed for o, _ in rows)]
        secrets = known_secrets(environ)
        problems = scan_files([*written, *exports], secrets)
        history = find_secrets(history_text(Path(ipython_dir)), secrets)
        if history:
            problems.append(f"the kernel's IPython history: {', '.join(history)}")
    return [o for o, _ in rows], problems


def literal(text: str) -> Any:
    """A ``-p`` value: a Python literal when it parses as one, else the string itself."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line: notebooks, where to run them, output folder, parameters."""
    parser = argparse.ArgumentParser(
        prog="oic-report", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "notebooks", nargs="*", type=Path, help="default: the notebooks shipped with oic_magic"
    )
    parser.add_argument(
        "--notebooks", dest="folder", type=Path, metavar="DIR", help="run DIR/*.ipynb"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: ./report/")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--profile", metavar="NAME", help="a real instance: this section of the profile file"
    )
    where.add_argument(
        "--environment",
        action="store_true",
        help="a real instance from the OIC_* variables (secrets there or in the keyring)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter for every notebook, e.g. -p TIME_WINDOW 6h",
    )
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the report; the exit status says whether it is complete and clean."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.folder is not None:
        notebooks = sorted(args.folder.resolve().glob("*.ipynb"))
    else:
        notebooks = [p.resolve() for p in args.notebooks] or default_notebooks()
    missing = [str(p) for p in notebooks if not p.is_file()]
    if not notebooks or missing:
        print(f"oic-report: no notebook to run {missing or ''}", file=sys.stderr)
        return 3
    out = args.out.resolve()
    for stale in ("executed", "exports"):
        shutil.rmtree(out / stale, ignore_errors=True)
    parameters = {name: literal(value) for name, value in args.parameter}
    live = args.profile is not None or args.environment
    if live:
        parameters.update(DEMO=False, PROFILE=args.profile)
    # The emulator's run must not pick up this machine's instance; a real one needs it.
    environ = (
        dict(os.environ)
        if live
        else {k: v for k, v in os.environ.items() if not k.startswith("OIC_")}
    )
    outcomes, problems = build_report(
        notebooks, out, parameters=parameters, timeout=args.timeout, environ=environ
    )
    failures = [o.failure for o in outcomes if o.failure]
    print(f"\noic-report: {out / 'index.html'}")
    for failure in failures:
        print(f"oic-report: {failure}", file=sys.stderr)
    for problem in problems:
        print(f"oic-report: SECRET FOUND in {problem}", file=sys.stderr)
    if problems:
        return 2
    return 1 if failures else 0
