"""Tab completion of ``%oic`` in a real JupyterLab, typed into Chromium like a person.

No frontend extension: JupyterLab asks the kernel (IPython's completer) and shows what
the magics' matcher answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._lab import JupyterLab, cell, open_notebook, run_cell


def _editor(page: Any, index: int) -> Any:
    return cell(page, index).locator(".jp-InputArea-editor .cm-content")


def _tab_at_the_end(page: Any, index: int) -> None:
    _editor(page, index).click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Tab")


def _offered(completer: Any) -> list[str]:
    matches = completer.locator(".jp-Completer-item .jp-Completer-match")
    return [text.strip() for text in matches.all_inner_texts()]


def test_tab_completes_resources_of_the_catalogue(
    page: Any, lab: JupyterLab, screenshots: Path
) -> None:
    lab.write_notebook("completion.ipynb", ["%load_ext oic_magic", "%oic GET con", "%oic GET c"])
    open_notebook(page, lab, "completion.ipynb")
    run_cell(page, 0)

    # Tab after `%oic GET con` offers `connections` (a path), and Enter writes it in.
    _tab_at_the_end(page, 1)
    completer = page.locator(".jp-Completer")
    completer.wait_for()
    assert _offered(completer) == ["connections"]
    page.screenshot(path=str(screenshots / "completion-connections.png"))
    page.keyboard.press("Enter")
    editor = _editor(page, 1)
    for _ in range(100):
        if "connections" in editor.inner_text():
            break
        page.wait_for_timeout(100)
    assert editor.inner_text().strip() == "%oic GET connections"

    # Several: the list shows them, and nothing of Python or other magics.
    _tab_at_the_end(page, 2)
    completer.wait_for()
    page.screenshot(path=str(screenshots / "completion-list.png"))
    assert _offered(completer) == ["certificates", "connections"]
    page.keyboard.press("Escape")
