"""The installed command: oic-report (and python -m oic_magic.report) on a folder of notebooks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from oic_magic.report import read_summary

CELLS = [
    ("PROFILE = None\nDEMO = True", ["parameters"]),
    ("# Where it ran", None),
    ("from oic_magic.report import summary\n\nsummary({'demo': DEMO, 'profile': PROFILE})", None),
]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    for source, tags in CELLS:
        if source.startswith("#"):
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if tags:
                cell.metadata["tags"] = tags
            nb.cells.append(cell)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "where.ipynb")
    return folder


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*args], capture_output=True, text=True, cwd=cwd, timeout=300, check=False
    )


def test_the_installed_command_builds_a_report_of_a_folder(tmp_path: Path) -> None:
    command = shutil.which("oic-report", path=str(Path(sys.executable).parent))
    assert command, "oic-report is installed with the package"
    done = _run(command, "--notebooks", str(_folder(tmp_path)), "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "out" / "index.html").is_file()
    assert read_summary(tmp_path / "out" / "executed" / "where.ipynb") == {
        "demo": True,
        "profile": None,
    }


def test_profile_means_a_real_instance(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    done = _run(
        sys.executable, "-m", "oic_magic.report", "--notebooks", str(folder),
        "--out", "out", "--profile", "prod", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = read_summary(tmp_path / "out" / "executed" / "where.ipynb")
    assert found == {"demo": False, "profile": "prod"}


def test_bad_arguments_say_so(tmp_path: Path) -> None:
    done = _run(
        sys.executable, "-m", "oic_magic.report", "--notebooks", str(tmp_path), cwd=tmp_path
    )
    assert done.returncode == 3 and "no notebook to run" in done.stderr
    done = _run(
        sys.executable, "-m", "oic_magic.report", "--profile", "a", "--environment", cwd=tmp_path
    )
    assert done.returncode == 2 and "not allowed with argument" in done.stderr
