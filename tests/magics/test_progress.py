"""The pages bar: a label beside it that is never clipped, one quiet line when done."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from oic_magic.notebook._progress import PageBar, page_progress

from .conftest import TestingShell as Shell


class Kernel:
    """What the headless test asks of a kernel: the current request's allow_stdin."""

    def __init__(self, *, allow_stdin: bool) -> None:
        self.allow_stdin = allow_stdin

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": self.allow_stdin}}


@pytest.fixture
def person(signed_in: Shell, monkeypatch: pytest.MonkeyPatch) -> Shell:
    """The notebook's shell (display() publishes through it) with a person at it."""
    monkeypatch.setattr(InteractiveShell, "_instance", signed_in)
    signed_in.kernel = Kernel(allow_stdin=True)
    return signed_in


def test_the_label_is_not_the_clipped_description(
    person: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: the label was clipped at two-digit pages (`21/21 pag…`)."""
    bar = page_progress(person, page_size=100)
    assert isinstance(bar, PageBar)
    bar(1, 21)
    bar(21, 21)
    assert bar.bar.description == ""  # ipywidgets cuts a description at ~8 letters
    assert bar.label.value == "21/21 pages, about 2,100 rows"
    assert bar.label.layout.width == "auto" and bar.box.children == (bar.bar, bar.label)
    bar.finish(rows=2050, pages=21, elapsed=1.25)
    said = capsys.readouterr().out
    assert said.rstrip().endswith("Read 2,050 rows, 21 pages in 1.2 s.")
    assert bar.box.comm is None  # closed: gone from the notebook


def test_a_list_read_by_a_person_ends_in_one_quiet_line(
    person: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: the bar stayed above every table after it finished."""
    person.run_cell("%config OICMagics.page_size = 50")
    frame = person.run_cell("%oic GET connections -o c").result
    assert frame is None
    said = capsys.readouterr().out.splitlines()
    pages = -(-len(person.user_ns["c"]) // 50)
    assert said[0].startswith("HBox(")  # the bar, displayed once
    assert said[-1].startswith(f"Read {len(person.user_ns['c']):,} rows, {pages} pages in ")


def test_a_failed_read_leaves_no_bar(person: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    bar = page_progress(person, page_size=50)
    assert bar is not None
    bar(1, 6)
    bar(2, 6)
    bar.abandon()  # what the magic does when a page fails
    said = capsys.readouterr().out.splitlines()
    assert said[0].startswith("HBox(") and said[-1] == ""
    assert bar.box.comm is None


def test_nothing_in_headless_runs(signed_in: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    signed_in.kernel = Kernel(allow_stdin=False)
    assert page_progress(signed_in) is None
    signed_in.run_cell("%config OICMagics.page_size = 50")
    signed_in.run_cell("%oic GET connections -o c")
    assert capsys.readouterr().out == ""


def test_one_page_shows_nothing(person: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    person.run_cell("%oic GET connections --limit 5 -o c")
    said = capsys.readouterr().out
    assert "HBox" not in said and "Read " not in said  # only --limit's own line
