"""The sign-in form in a real JupyterLab, driven by a person's gestures in Chromium.

Each test writes its own notebook (``%load_ext oic_magic``, ``%oic_login``,
``%oic GET connections``) into the server's root, opens it, and types into the form.
The server's kernels inherit the emulator's non-secret settings from ``OIC_*``
variables, so the form comes up prefilled and asks only for the user name, the
password and the client secret.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from _jupyter import history_text, secrets_in, secrets_in_files

from ._lab import JupyterLab, cell, open_notebook, run_cell, save_notebook, start_cell

OUTCOME = re.compile(r"^(Signed in as|Sign-in failed)")
CELLS = ["%load_ext oic_magic", "%oic_login", "%oic GET connections"]
LABELS = [
    "URL (design-time or runtime)", "Identity domain host", "Client ID", "Client secret",
    "Scope or audience", "Integration instance", "User name", "Password", "Session name",
    "Remember me (keyring)",
]  # fmt: skip


def _demo() -> Any:
    from oic_magic.emulator import DEMO

    return DEMO


def show_form(page: Any, lab: JupyterLab, name: str) -> Path:
    """Write and open a notebook, run the first two cells; the form is on screen.

    The form's cell keeps running until the sign-in is done (Run All waits for it).
    """
    path = lab.write_notebook(name, CELLS)
    open_notebook(page, lab, name)
    run_cell(page, 0)
    start_cell(page, 1)
    page.get_by_role("button", name="Log in").wait_for()
    return path


def field(page: Any, label: str) -> Any:
    return page.get_by_label(label, exact=True)


def submit(page: Any, *, username: str, password: str, client_secret: str) -> Any:
    """Type the credentials like a person and click "Log in"; the form's outcome line."""
    field(page, "User name").fill(username)
    field(page, "Password").press_sequentially(password)
    field(page, "Client secret").press_sequentially(client_secret)
    page.get_by_role("button", name="Log in").click()
    outcome = cell(page, 1).locator(".widget-html-content").filter(has_text=OUTCOME).first
    outcome.wait_for()
    return outcome


def form_output(page: Any) -> Any:
    return cell(page, 1).locator(".jp-OutputArea").first


def test_form_shows_every_field_and_signs_in(
    page: Any, lab: JupyterLab, browser_emulator: Any, screenshots: Path
) -> None:
    """The form shows each field, prefilled from OIC_*; the demo user signs in; a table follows."""
    demo = _demo()
    show_form(page, lab, "sign-in.ipynb")
    for label in LABELS:
        assert field(page, label).count() == 1, label
    assert field(page, "Client ID").input_value() == demo.client_id
    assert field(page, "Identity domain host").input_value() == browser_emulator.identity_url
    assert field(page, "Integration instance").input_value() == browser_emulator.instance
    assert field(page, "Password").input_value() == ""
    form_output(page).screenshot(path=str(screenshots / "login-form-empty.png"))

    outcome = submit(
        page, username=demo.username, password=demo.password, client_secret=demo.client_secret
    )
    text = outcome.inner_text()
    assert text.startswith("Signed in as Ada Lovelace (ada.lovelace)"), text
    assert browser_emulator.instance in text
    assert field(page, "Password").input_value() == ""
    assert field(page, "Client secret").input_value() == ""
    form_output(page).screenshot(path=str(screenshots / "login-form-signed-in.png"))

    table = run_cell(page, 2).locator(".jp-OutputArea table.dataframe").first
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert {"id", "adapterType.displayName", "status"} <= set(headers)
    assert table.locator("tbody tr").count() >= 10
    assert "300 rows" in cell(page, 2).locator(".jp-OutputArea").inner_text()
    page.screenshot(path=str(screenshots / "login-then-connections.png"))


def test_wrong_password_says_so_and_empties_the_field(
    page: Any, lab: JupyterLab, screenshots: Path
) -> None:
    """A wrong password gives a plain-words error in the form, with the password emptied."""
    demo = _demo()
    show_form(page, lab, "wrong-password.ipynb")
    outcome = submit(
        page,
        username=demo.username,
        password="not-the-password-1",
        client_secret=demo.client_secret,
    )
    text = outcome.inner_text()
    assert text.startswith("Sign-in failed"), text
    assert "wrong user name or password" in text
    assert field(page, "Password").input_value() == ""
    assert field(page, "Client secret").input_value() == ""
    assert field(page, "User name").input_value() == demo.username
    form_output(page).screenshot(path=str(screenshots / "login-form-error.png"))


def test_saved_notebook_and_history_hold_no_secret(page: Any, lab: JupyterLab) -> None:
    """With widget-state saving on, the saved .ipynb and the history database hold no secret."""
    demo = _demo()
    path = show_form(page, lab, "saved.ipynb")
    outcome = submit(
        page, username=demo.username, password=demo.password, client_secret=demo.client_secret
    )
    assert outcome.inner_text().startswith("Signed in as")
    run_cell(page, 2).locator("table.dataframe").first.wait_for()
    save_notebook(page, path)

    text = path.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-state+json" in text  # saving was really on
    assert "ada.lovelace" in text  # the widget state is there, user name included
    assert secrets_in_files([path]) == []

    # IPython writes history from a background thread: wait until the last cell is in,
    # then stop the kernel so nothing is left unwritten, and search what is on disk.
    deadline = time.monotonic() + 60
    while "GET connections" not in history_text(lab.ipython_dir):
        assert time.monotonic() < deadline, "the kernel's history database never filled"
        time.sleep(0.2)
    lab.shutdown_kernels()
    history = history_text(lab.ipython_dir)
    assert "oic_login" in history  # the right database
    assert secrets_in(history) == []


@pytest.fixture(autouse=True)
def _fresh_kernels(lab: JupyterLab) -> Any:
    """Each test starts without kernels left by the one before."""
    lab.shutdown_kernels()
    yield


def test_secrets_typed_while_the_kernel_is_busy_arrive_whole(page: Any, lab: JupyterLab) -> None:
    """Typing the secrets and clicking at once, while the kernel runs a cell, still signs in.

    ipywidgets holds back a field's key-by-key updates while an earlier one is
    unanswered, but sends a click at once: a busy kernel would see the click before
    the last characters typed. The form's fields send their value when left instead.
    """
    demo = _demo()
    lab.write_notebook("busy.ipynb", [*CELLS, "import time; time.sleep(4)"])
    open_notebook(page, lab, "busy.ipynb")
    run_cell(page, 0)
    start_cell(page, 1)
    page.get_by_role("button", name="Log in").wait_for()

    busy = cell(page, 3)
    busy.locator(".jp-InputArea-editor .cm-content").click()
    page.keyboard.press("Control+Enter")
    busy.locator(".jp-InputArea-prompt").get_by_text("[*]").wait_for()
    outcome = submit(
        page, username=demo.username, password=demo.password, client_secret=demo.client_secret
    )
    assert outcome.inner_text().startswith("Signed in as Ada Lovelace"), outcome.inner_text()
