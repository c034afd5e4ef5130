"""A real JupyterLab server and the page gestures the browser tests use.

``JupyterLab`` starts ``jupyter lab`` from the venv as a subprocess with every Jupyter
and IPython directory in a private temporary tree, on loopback, a free port and a fixed
token, with widget-state saving switched on (the case where a password left in a
widget would be written into the .ipynb). The kernel it starts inherits the server's
environment: that is how the tests hand it ``OIC_*`` settings and an ``IPYTHONDIR``.

The page helpers follow ``BROWSER-TESTS.md``: wait for a connected kernel (debugger
button enabled and the status bar saying Idle) before pressing a key, run a cell with
Control+Enter in its editor, save from command mode and wait for the file to change.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

TOKEN = "oic-magic-browser-tests"
READY_TIMEOUT = 90.0
UI_TIMEOUT_MS = 60_000

WIDGET_SETTINGS = "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings"
NOTIFICATION_SETTINGS = "@jupyterlab/apputils-extension/notification.jupyterlab-settings"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class JupyterLab:
    """One JupyterLab server process rooted in ``base / "notebooks"``."""

    base: Path
    env_overrides: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def root(self) -> Path:
        return self.base / "notebooks"

    @property
    def ipython_dir(self) -> Path:
        return self.base / "ipython"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.base / "jupyterlab.log"

    def environment(self) -> dict[str, str]:
        """The server's (and so the kernel's) environment: isolated dirs, no OIC leftovers."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OIC_", "JUPYTER"))}
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        }
        env.update({name: str(self.base / sub) for name, sub in dirs.items()})
        env["HOME"] = str(self.base / "home")  # keyring files, ~/.oic profiles: all private
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        env.update(self.env_overrides)
        return env

    def write_settings(self) -> None:
        """Lab user settings: save widget state; no news or update checks."""
        settings = self.base / "settings"
        for relative, value in (
            (WIDGET_SETTINGS, {"saveState": True}),
            (NOTIFICATION_SETTINGS, {"fetchNews": "false", "checkForUpdates": False}),
        ):
            path = settings / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))

    def start(self) -> None:
        """Start the server and wait until ``/api/status`` answers."""
        for sub in ("notebooks", "config", "data", "runtime", "ipython", "home", "workspaces"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        self.write_settings()
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
            f"--port={self.port}", f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={self.root}", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--ServerApp.port_retries=0",
        ]  # fmt: skip
        if os.geteuid() == 0:
            command.append("--allow-root")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, cwd=self.root
        )
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early; see {self.log_path}")
            try:
                if self.api("GET", "/api/status") is not None:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer in {READY_TIMEOUT} s; see {self.log_path}")

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API with the token; the parsed JSON answer (or None)."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every kernel, so its history database is complete on disk."""
        for kernel in self.api("GET", "/api/kernels") or []:
            self.api("DELETE", f"/api/kernels/{kernel['id']}")
        deadline = time.monotonic() + 30
        while self.api("GET", "/api/kernels") and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop the server (its kernels with it) and wait for the process to end."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(urllib.error.URLError, OSError):
            self.shutdown_kernels()
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def write_notebook(self, name: str, cells: list[str]) -> Path:
        """Create ``name`` in the server's root with one code cell per source."""
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
        nb.metadata["kernelspec"] = {
            "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python",
        }  # fmt: skip
        path = self.root / name
        nbformat.write(nb, path)
        return path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={TOKEN}&reset"


# --------------------------------------------------------------------------- page gestures


def open_notebook(page: Any, lab: JupyterLab, name: str) -> None:
    """Open a notebook and wait until its kernel is connected and idle."""
    page.goto(lab.notebook_url(name), wait_until="domcontentloaded")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=UI_TIMEOUT_MS)
    wait_idle(page)


def wait_idle(page: Any) -> None:
    """Connected (debugger button enabled) and the status bar says Idle."""
    page.locator(".jp-DebuggerBugButton[aria-disabled='false']").first.wait_for(
        timeout=UI_TIMEOUT_MS
    )
    page.locator("#jp-main-statusbar").get_by_text("Idle").first.wait_for(timeout=UI_TIMEOUT_MS)


def cell(page: Any, index: int) -> Any:
    """The ``index``-th cell (0-based) of the open notebook."""
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def start_cell(page: Any, index: int) -> Any:
    """Run one cell with Control+Enter and wait only until it is running (``[*]``)."""
    target = cell(page, index)
    target.locator(".jp-InputArea-editor .cm-content").click()
    page.keyboard.press("Control+Enter")
    target.locator(".jp-InputArea-prompt").get_by_text("[*]").wait_for()
    return target


def run_cell(page: Any, index: int) -> Any:
    """Run one cell with Control+Enter and wait until its prompt shows a number."""
    target = cell(page, index)
    target.locator(".jp-InputArea-editor .cm-content").click()
    page.keyboard.press("Control+Enter")
    prompt = target.locator(".jp-InputArea-prompt")
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        text = prompt.inner_text().strip()
        if text.startswith("[") and text[1:-2].strip().isdigit():
            return target
        page.wait_for_timeout(100)
    raise AssertionError(f"cell {index} did not finish: prompt {prompt.inner_text()!r}")


def save_notebook(page: Any, path: Path) -> None:
    """Save from command mode and wait until the file on disk changes."""
    before = path.stat().st_mtime_ns
    page.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while path.stat().st_mtime_ns == before:
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} was not saved")
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # the write may land in more than one step
