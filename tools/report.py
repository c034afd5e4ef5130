"""Build the HTML report: run the documentation notebooks headless and render them.

This is the engine of the README's first command (``python3 dev.py report`` runs the
set-up, then this script with the venv's interpreter)::

    .venv/bin/python tools/report.py                      # every notebooks/*.ipynb, in order
    .venv/bin/python tools/report.py notebooks/02-*.ipynb # only some of them
    .venv/bin/python tools/report.py -p DEMO False -p PROFILE prod   # a real instance

What it does, in order:

1. Pins the kernel: a private kernel spec named ``python3`` whose interpreter is the one
   running this script (the venv's), found first through ``JUPYTER_PATH``. A ``python3``
   spec in the user's home that points at another Python can therefore never run the
   report, and nothing is installed anywhere.
2. Executes each notebook top to bottom with nbclient in a fresh kernel, working directory
   ``report/`` (so the notebooks' CSV exports land in ``report/exports/``), widget state
   stored, the kernel's ``IPYTHONDIR`` in a private temporary directory. Papermill's
   parameter injection applies ``-p NAME VALUE`` pairs to the cell tagged ``parameters``.
   The notebooks start nothing but what they ask for: with ``DEMO = True`` (the default)
   ``%oic_login --demo`` starts the built-in emulator inside the kernel.
3. Writes the executed notebooks to ``report/executed/`` and renders each to
   ``report/<name>.html`` (nbconvert, lab template, charts embedded as PNG), with
   ``report/index.html`` linking them and the exports.
4. Searches every file it wrote, and the kernel's history database, for the secrets in use
   (the demo password and client secret, ``OIC_PASSWORD`` and ``OIC_CLIENT_SECRET`` when
   set) and for anything shaped like an access token (a JWT). Findings are named, never
   printed.

Exit status: 0 when every cell ran and nothing secret was found; 1 when a cell failed
(the notebook, the cell number and the error are printed; the other notebooks still
run and render); 2 when a secret was found; 3 for bad arguments.
"""

from __future__ import annotations

import argparse
import ast
import html
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "report"
KERNEL_NAME = "python3"
CELL_TIMEOUT = 600

# An access token is a JWT: three base64url parts, the first a JSON header ("eyJ" = '{"').
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# A refresh token: OCI IAM's start with "AQAg" (so do the emulator's), or one written
# next to its name in a JSON document or a repr, whatever its shape.
REFRESH_PATTERNS = (
    re.compile(r"AQAg[A-Za-z0-9_+/=-]{20,}"),
    re.compile(r"""["']?refresh_token["']?\s*[:=]\s*["']([^"'\s]{8,})"""),
)
# Embedded images are long base64 runs: a token-shaped pattern would match them by chance.
EMBEDDED_DATA = re.compile(
    r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+|\"image/[\w+.-]+\":\s*\"[^\"]*\""
)
SECRET_VARIABLES = ("OIC_PASSWORD", "OIC_CLIENT_SECRET")


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


def render_html(nb: nbformat.NotebookNode, target: Path) -> None:
    """Render an executed notebook to a standalone HTML page (charts inline)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    target.write_text(body, encoding="utf-8")


# --------------------------------------------------------------------------- secrets


def known_secrets(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The secret values this run may have used, by a name that is safe to print."""
    from oic_magic.emulator import DEMO

    secrets = {"the demo password": DEMO.password, "the demo client secret": DEMO.client_secret}
    for variable in SECRET_VARIABLES:
        if environ.get(variable):
            secrets[f"the value of ${variable}"] = environ[variable]
    return secrets


def find_secrets(text: str, secrets: Mapping[str, str]) -> list[str]:
    """Name every secret, token or refresh token found in ``text`` (values not repeated)."""
    found = [label for label, value in secrets.items() if value and value in text]
    text = EMBEDDED_DATA.sub("", text)
    if JWT_PATTERN.search(text):
        found.append("an access token (JWT)")
    if any(pattern.search(text) for pattern in REFRESH_PATTERNS):
        found.append("a refresh token")
    return found


def history_text(ipython_dir: Path) -> str:
    """Every input and output line stored in the IPython history databases under a dir."""
    chunks: list[str] = []
    for database in ipython_dir.rglob("history.sqlite"):
        with sqlite3.connect(database) as connection:
            for table, columns in (("history", "source, source_raw"), ("output_history", "output")):
                try:
                    rows = connection.execute(f"SELECT {columns} FROM {table}").fetchall()
                except sqlite3.OperationalError:
                    continue
                chunks.extend(str(value) for row in rows for value in row)
    return "\n".join(chunks)


def scan_files(paths: Iterable[Path], secrets: Mapping[str, str]) -> list[str]:
    """One line per file that holds a secret: the file and what was found in it."""
    problems = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = find_secrets(text, secrets)
        if found:
            problems.append(f"{path}: {', '.join(found)}")
    return problems


# --------------------------------------------------------------------------- index page


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of a notebook, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    title: str = line.lstrip("#").strip()
                    return title
    return fallback


def index_page(rows: Sequence[tuple[Outcome, str]], exports: Sequence[Path], out: Path) -> str:
    """The report's front page: one line per notebook, then the exported files."""
    items = []
    for outcome, title in rows:
        state = f"failed — {html.escape(str(outcome.failure))}" if outcome.failure else "ran"
        href = html.escape(outcome.html.relative_to(out).as_posix())
        items.append(
            f'<li><a href="{href}">{html.escape(title)}</a> '
            f"<small>({html.escape(outcome.source.name)}, {state}, "
            f"{outcome.seconds:.0f} s)</small></li>"
        )
    files = "".join(
        f'<li><a href="{html.escape(p.relative_to(out).as_posix())}">'
        f"{html.escape(p.relative_to(out).as_posix())}</a></li>"
        for p in exports
    )
    stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>oic_magic report</title><style>body{font-family:sans-serif;max-width:50em;"
        "margin:2em auto;line-height:1.5}small{color:#555}</style></head><body>"
        "<h1>oic_magic report</h1>"
        f"<p>The documentation notebooks, executed headless on {html.escape(stamp)}.</p>"
        f"<h2>Notebooks</h2><ol>{''.join(items)}</ol>"
        + (f"<h2>Exported files</h2><ul>{files}</ul>" if files else "")
        + "</body></html>\n"
    )


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
                shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
                log(f"running {shown}")
                outcome, title = run_one(source, out, parameters or {}, env, timeout)
                log(f"  {'FAILED: ' + str(outcome.failure) if outcome.failure else 'ok'}")
                rows.append((outcome, title))
        exports = sorted(p for p in (out / "exports").rglob("*") if p.is_file())
        (out / "index.html").write_text(index_page(rows, exports, out), encoding="utf-8")
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
    """The command line: notebooks, output directory, parameters, cell timeout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="default: report/")
    parser.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="papermill parameter for every notebook, e.g. -p DEMO False -p PROFILE prod",
    )
    parser.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Build the report; the exit status says whether it is complete and clean."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    missing = [str(p) for p in notebooks if not p.is_file()]
    if not notebooks or missing:
        print(f"report: no notebook to run {missing or ''}", file=sys.stderr)
        return 3
    out = args.out.resolve()
    for stale in ("executed", "exports"):
        shutil.rmtree(out / stale, ignore_errors=True)
    parameters = {name: literal(value) for name, value in args.parameter}
    outcomes, problems = build_report(notebooks, out, parameters=parameters, timeout=args.timeout)
    failures = [o.failure for o in outcomes if o.failure]
    print(f"\nreport: {out / 'index.html'}")
    for failure in failures:
        print(f"report: {failure}", file=sys.stderr)
    for problem in problems:
        print(f"report: SECRET FOUND in {problem}", file=sys.stderr)
    if problems:
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
