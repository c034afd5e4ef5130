"""Single sign-on users in a real JupyterLab: the device code, the browser, and Run All waiting.

(a) The device code: the cell shows the link and the code; the test clicks the link, the
emulator's verification page opens in a new tab, it types the code and the federated user's
credentials and approves; the notebook says signed in and the next cell's table appears.
(b) The browser: the link opens the identity domain's sign-in page; signing in there sends
the browser to the kernel's one-shot listener on 127.0.0.1; the notebook says signed in.
(c) Run All over a notebook whose form is filled while the run waits at ``%oic_login``.

The kernels use the public demo client (no secret), as a "Mobile Application" would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ._lab import JupyterLab, cell, free_port, open_notebook, run_cell, save_notebook, start_cell

PUBLIC = "oic-magic-public-client"
SIGNED_IN = re.compile(r"^Signed in as")


def _demo() -> Any:
    from oic_magic.emulator import DEMO

    return DEMO


@pytest.fixture(autouse=True)
def _fresh_kernels(lab: JupyterLab) -> Any:
    """Each test starts without kernels left by the one before."""
    lab.shutdown_kernels()
    yield


def _public_client(*extra: str) -> str:
    lines = ["import os", f"os.environ['OIC_CLIENT_ID'] = {PUBLIC!r}", *extra]
    return "\n".join([*lines, "%load_ext oic_magic"])


def _outcome(page: Any, index: int) -> Any:
    found = cell(page, index).locator(".widget-html-content").filter(has_text=SIGNED_IN).first
    found.wait_for()
    return found


def _table(page: Any, index: int) -> Any:
    table = run_cell(page, index).locator(".jp-OutputArea table.dataframe").first
    table.wait_for()
    return table


def test_device_code_through_the_verification_page(
    page: Any, lab: JupyterLab, screenshots: Path
) -> None:
    """Link clicked, code typed on the page with the SSO user's password, approved: a table."""
    demo = _demo()
    name = "device.ipynb"
    path = lab.write_notebook(
        name, [_public_client(), "%oic_login --grant device", "%oic GET connections"]
    )
    open_notebook(page, lab, name)
    run_cell(page, 0)
    start_cell(page, 1)
    code = cell(page, 1).locator(".oic-user-code")
    code.wait_for()
    user_code = code.inner_text().strip()
    assert re.fullmatch(r"[A-Z]{8}", user_code), user_code
    assert "valid for" in cell(page, 1).inner_text()
    cell(page, 1).locator(".jp-OutputArea").screenshot(path=str(screenshots / "device-code.png"))

    with page.context.expect_page() as opened:
        cell(page, 1).locator("a[href*='/ui/v1/device']").click()
    device = opened.value
    device.wait_for_load_state()
    device.get_by_label("Code").fill(user_code)
    device.get_by_label("User name").fill("sso.user")
    device.get_by_label("Password").fill(demo.password)
    device.screenshot(path=str(screenshots / "device-verification-page.png"))
    device.get_by_role("button", name="Approve").click()
    device.get_by_text("Done: return to your device.").wait_for()
    device.close()

    text = _outcome(page, 1).inner_text()
    assert text.startswith("Signed in as Federated User (sso.user)"), text
    assert cell(page, 1).locator(".oic-user-code").count() == 0  # gone once used
    table = _table(page, 2)
    assert table.locator("tbody tr").count() >= 10
    page.screenshot(path=str(screenshots / "device-signed-in-then-connections.png"))
    save_notebook(page, path)
    assert user_code not in path.read_text(encoding="utf-8")


def test_cancel_in_the_device_panel_stops_the_cell(
    page: Any, lab: JupyterLab, screenshots: Path
) -> None:
    """Cancel is clicked while the kernel polls: the cell fails at once, saying so."""
    name = "device-cancel.ipynb"
    lab.write_notebook(name, [_public_client(), "%oic_login --grant device", "1 + 1"])
    open_notebook(page, lab, name)
    run_cell(page, 0)
    start_cell(page, 1)
    cell(page, 1).locator(".oic-user-code").wait_for()
    cell(page, 1).get_by_role("button", name="Cancel").click()
    cell(page, 1).get_by_text("SignInCancelledError").first.wait_for()
    assert "[2]" in cell(page, 1).locator(".jp-InputArea-prompt").inner_text()
    assert cell(page, 1).locator(".oic-user-code").count() == 0
    cell(page, 1).locator(".jp-OutputArea").screenshot(
        path=str(screenshots / "device-cancelled.png")
    )


def test_browser_sign_in_through_the_loopback_redirect(
    page: Any, lab: JupyterLab, browser_emulator: Any, screenshots: Path
) -> None:
    """The sign-in page, then the redirect to the kernel's listener: signed in, a table."""
    demo = _demo()
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    browser_emulator.control.set_redirect_uris(PUBLIC, [redirect])
    name = "browser.ipynb"
    setup = _public_client(f"os.environ['OIC_REDIRECT_URI'] = {redirect!r}")
    lab.write_notebook(name, [setup, "%oic_login --grant browser", "%oic GET connections"])
    open_notebook(page, lab, name)
    run_cell(page, 0)
    start_cell(page, 1)
    link = cell(page, 1).get_by_role("link", name="Sign in with your browser")
    link.wait_for()
    with page.context.expect_page() as opened:
        link.click()
    sign_in = opened.value
    sign_in.wait_for_load_state()
    sign_in.get_by_label("User name").fill("sso.user")
    sign_in.get_by_label("Password").fill(demo.password)
    sign_in.screenshot(path=str(screenshots / "browser-sign-in-page.png"))
    sign_in.get_by_role("button", name="Sign In").click()
    sign_in.get_by_text("Sign-in received.").wait_for()
    assert sign_in.url.startswith(redirect + "?code=")
    sign_in.screenshot(path=str(screenshots / "browser-redirect-answered.png"))
    sign_in.close()

    text = _outcome(page, 1).inner_text()
    assert text.startswith("Signed in as Federated User (sso.user)"), text
    assert _table(page, 2).locator("tbody tr").count() >= 10
    page.screenshot(path=str(screenshots / "browser-signed-in-then-connections.png"))


def _run_all(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    page.get_by_role("button", name="Log in").wait_for()


def test_run_all_stops_at_a_cancelled_form(page: Any, lab: JupyterLab) -> None:
    """Cancel on the waiting form: the cell fails and the cells after it do not run."""
    name = "run-all-cancel.ipynb"
    lab.write_notebook(name, ["%load_ext oic_magic", "%oic_login", "print('ran' + 'after')"])
    open_notebook(page, lab, name)
    _run_all(page)
    cell(page, 1).get_by_role("button", name="Cancel").click()
    cell(page, 1).get_by_text("SignInCancelledError").first.wait_for()
    page.wait_for_timeout(2000)
    assert "ranafter" not in cell(page, 2).inner_text()


def test_run_all_waits_for_the_form(page: Any, lab: JupyterLab, screenshots: Path) -> None:
    """Run All: the run stops at the form; filled and logged in, the next cell runs signed in."""
    demo = _demo()
    name = "run-all.ipynb"
    lab.write_notebook(name, ["%load_ext oic_magic", "%oic_login", "%oic GET connections"])
    open_notebook(page, lab, name)
    _run_all(page)
    page.wait_for_timeout(1500)  # the run is waiting: the next cell has not run
    assert cell(page, 2).locator("table.dataframe").count() == 0
    assert "[*]" in cell(page, 2).locator(".jp-InputArea-prompt").inner_text()
    page.screenshot(path=str(screenshots / "run-all-waiting-at-the-form.png"))

    page.get_by_label("User name", exact=True).fill(demo.username)
    page.get_by_label("Password", exact=True).press_sequentially(demo.password)
    page.get_by_label("Client secret", exact=True).press_sequentially(demo.client_secret)
    page.get_by_role("button", name="Log in").click()
    assert _outcome(page, 1).inner_text().startswith("Signed in as Ada Lovelace")
    table = cell(page, 2).locator(".jp-OutputArea table.dataframe").first
    table.wait_for()
    assert table.locator("tbody tr").count() >= 10
    page.screenshot(path=str(screenshots / "run-all-signed-in-then-connections.png"))
