"""The notebooks' sources: each ``NN-name.py`` (py:percent) and its paired ``.ipynb``.

People edit either file (the .py in an editor, either one in JupyterLab with jupytext);
``jupytext --sync`` carries the edit to the other. These tests keep the pairs equal, the
committed notebooks free of outputs, and the cells every notebook shares identical. They
start no kernel.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from _jupyter import NOTEBOOKS

COMMENTED_MAGIC = re.compile(r"^\s*#\s*(?:\w+\s*=\s*)?%", re.MULTILINE)
SUMMARY_OPENING = "from oic_magic.report import summary\n\nnumbers = {\n"
SUMMARY_LINE = "summary(numbers)"  # handed to the report, shown in no page
KNOBS = ["PROFILE", "DEMO", "TIME_WINDOW", "EXPORT_DIR"]  # every notebook's parameters, first


def _sources() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.py"))


def _read(path: Path) -> Any:
    import jupytext

    return jupytext.read(path)


def _cells(nb: Any) -> list[tuple[str, str, list[str]]]:
    """What a pair must agree on: each cell's type, source and tags."""
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def _jupytext(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The jupytext command line, as a user runs it (the one installed with this Python)."""
    script = Path(sys.executable).with_name("jupytext")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "jupytext"]
    done = subprocess.run([*command, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _copy(tmp_path: Path) -> Path:
    """The pairs and jupytext.toml of notebooks/, copied (times kept) under tmp_path."""
    copy = tmp_path / "notebooks"
    copy.mkdir()
    for path in [*_sources(), *NOTEBOOKS.glob("*.ipynb"), NOTEBOOKS / "jupytext.toml"]:
        shutil.copy2(path, copy / path.name)
    return copy


def _newer(path: Path) -> None:
    """Make path the newer file of its pair, as saving it in an editor would."""
    stamp = max(p.stat().st_mtime for p in path.parent.iterdir()) + 10
    os.utime(path, (stamp, stamp))


def _role(nb: Any, role: str) -> Any:
    """The shared cell playing ``role`` in nb (exactly one)."""
    found = [c for c in nb.cells if _plays(c, role)]
    assert len(found) == 1, f"{len(found)} cells play {role!r}"
    return found[0]


def _plays(cell: Any, role: str) -> bool:
    code: bool = cell.cell_type == "code"
    text: str = cell.source
    return {
        "sign-in": code and text.startswith("%load_ext oic_magic"),
        "sign-in note": not code and text.startswith("The cell above is the notebook's only"),
        "set-up": code and text.startswith("from pathlib import Path\n"),
        "summary heading": not code and text.startswith("## In numbers"),
    }[role]


def test_every_notebook_has_its_source() -> None:
    """notebooks/ holds pairs: each .ipynb has its .py source and the reverse."""
    notebooks = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    sources = {p.stem for p in _sources()}
    assert notebooks == sources
    assert len(sources) >= 3 and sources >= {"01-quickstart", "02-connection-inventory"}


def test_jupytext_pairs_the_two_formats() -> None:
    """jupytext.toml pairs .ipynb with py:percent, so JupyterLab keeps both up to date."""
    import tomllib

    config = tomllib.loads((NOTEBOOKS / "jupytext.toml").read_text(encoding="utf-8"))
    assert config["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.name)
def test_notebook_matches_its_source(source: Path) -> None:
    """Each .ipynb has the very cells of its .py: types, sources and tags."""
    assert _cells(_read(source.with_suffix(".ipynb"))) == _cells(_read(source))


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.name)
def test_source_keeps_the_papermill_tag(source: Path) -> None:
    """The parameters cell is tagged in the text source too (papermill reads the tag)."""
    assert '# %% tags=["parameters"]\n' in source.read_text(encoding="utf-8")


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.name)
def test_every_magic_survives_the_round_trip(source: Path) -> None:
    """No magic stays commented out in a notebook read from its source.

    jupytext writes ``x = %oic ...`` inside an indented block as a comment and does not read
    it back as a magic: there, ``%oic ... -o x`` stores the result instead.
    """
    for cell in _read(source).cells:
        if cell.cell_type == "code":
            assert not COMMENTED_MAGIC.findall(cell.source), (source.name, cell.source)


def test_stored_notebooks_have_stable_ids() -> None:
    """Committed notebooks are valid, with one fixed id per cell (a diff shows moved cells)."""
    import nbformat

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        ids = [c.id for c in nb.cells]
        assert ids == [f"{path.name[:2]}-{i:02d}" for i in range(len(ids))], path.name
        assert nb.metadata.kernelspec.name == "python3", path.name


def test_shared_cells_are_the_same_everywhere() -> None:
    """Parameters, sign-in, its note, the set-up and the summary are alike in each notebook."""
    notebooks = {p.name: _read(p) for p in _sources()}
    for role in ("sign-in", "sign-in note", "set-up", "summary heading"):
        texts = {name: _role(nb, role).source for name, nb in notebooks.items()}
        assert len(set(texts.values())) == 1, (role, texts)
    knobs = set()
    for name, nb in notebooks.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        # papermill injects its values after the first cell tagged "parameters"
        assert code[0].metadata.get("tags") == ["parameters"], name
        lines = code[0].source.splitlines()[: len(KNOBS)]
        assert [line.split(" = ")[0] for line in lines] == KNOBS, name
        knobs.add(tuple(lines))
        assert code[1].source == _role(nb, "sign-in").source, name
        after_sign_in = nb.cells[nb.cells.index(_role(nb, "sign-in")) + 1]
        assert after_sign_in.source == _role(nb, "sign-in note").source, name
        assert nb.cells[-2].source == _role(nb, "summary heading").source, name
        closing = nb.cells[-1].source
        assert closing.startswith(SUMMARY_OPENING), name
        assert closing.endswith("\n" + SUMMARY_LINE), name
    assert len(knobs) == 1, knobs  # the four knobs read alike, comments included


def test_sync_follows_an_edited_source(tmp_path: Path) -> None:
    """Edit the .py, run jupytext --sync: the .ipynb gets the edit, keeps ids, no outputs."""
    import nbformat

    copy = _copy(tmp_path)
    source, notebook = copy / "02-connection-inventory.py", copy / "02-connection-inventory.ipynb"
    before = nbformat.read(notebook, as_version=4)
    text = source.read_text(encoding="utf-8")
    text = text.replace("# # Connection inventory\n", "# # Connection inventory, edited\n")
    text += '\n# %% tags=["extra"]\nprint("a cell added in the source")\n'
    source.write_text(text, encoding="utf-8")
    _newer(source)

    _jupytext("--sync", source)

    after = nbformat.read(notebook, as_version=4)
    assert after.cells[0].source.startswith("# Connection inventory, edited\n\nWhich adapters")
    assert after.cells[-1].source == 'print("a cell added in the source")'
    assert after.cells[-1].metadata["tags"] == ["extra"]
    assert [c.id for c in after.cells[:-1]] == [c.id for c in before.cells]
    assert all(not c.get("outputs") for c in after.cells)
    assert _cells(after) == _cells(_read(source))


def test_sync_follows_an_edited_notebook(tmp_path: Path) -> None:
    """Edit the .ipynb (as JupyterLab saves it), run jupytext --sync: the .py follows."""
    import nbformat

    copy = _copy(tmp_path)
    source, notebook = copy / "03-integration-health.py", copy / "03-integration-health.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    first_code.source += '\nACTIVATE = "HELLO|01.00.0000"'
    nb.cells[-2].source = "## In numbers, edited"
    nb.cells[-2].metadata["tags"] = ["summary"]
    nbformat.write(nb, notebook)
    _newer(notebook)

    _jupytext("--sync", notebook)

    text = source.read_text(encoding="utf-8")
    assert '\nACTIVATE = "HELLO|01.00.0000"\n' in text
    assert '# %% [markdown] tags=["summary"]\n# ## In numbers, edited\n' in text
    assert _cells(_read(source)) == _cells(nbformat.read(notebook, as_version=4))


@pytest.mark.parametrize("newer", [".py", ".ipynb"])
def test_sync_of_the_committed_pairs_changes_nothing(tmp_path: Path, newer: str) -> None:
    """jupytext --sync rewrites neither file of a committed pair, whichever is newer."""
    copy = _copy(tmp_path)
    sources = sorted(copy.glob("[0-9][0-9]-*.py"))
    for source in sources:
        _newer(source.with_suffix(newer))
    _jupytext("--sync", *sources)
    for path in sorted(copy.iterdir()):
        assert path.read_bytes() == (NOTEBOOKS / path.name).read_bytes(), path.name


def test_saving_in_jupyterlab_writes_both_files(tmp_path: Path) -> None:
    """jupytext's contents manager (JupyterLab's) saves an opened .py to both files of the pair."""
    import nbformat
    from jupytext import TextFileContentsManager

    copy = _copy(tmp_path)
    _newer(copy / "01-quickstart.py")  # as after an edit in an editor: the .py is the newer
    contents = TextFileContentsManager(root_dir=str(copy))
    model = contents.get("01-quickstart.py")
    model["content"].cells[0].source = "# Quickstart, saved from JupyterLab"
    contents.save(model, "01-quickstart.py")

    nb = nbformat.read(copy / "01-quickstart.ipynb", as_version=4)
    assert nb.cells[0].source == "# Quickstart, saved from JupyterLab"
    assert [c.id for c in nb.cells] == [f"01-{i:02d}" for i in range(len(nb.cells))]
    assert "\n# # Quickstart, saved from JupyterLab\n\n# %%" in (
        copy / "01-quickstart.py"
    ).read_text(encoding="utf-8")
