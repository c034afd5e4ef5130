"""A plain IPython shell run cell by cell for the leak search, every surface kept."""

from __future__ import annotations

import atexit
import contextlib
import io
import secrets as random_secrets
import signal
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from IPython.core.history import HistoryManager
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from oic_magic import default_store
from oic_magic.core._secret import redact
from oic_magic.emulator import DEMO, Emulator
from oic_magic.notebook import _login

from ._hardening import hits, secrets_of

__all__ = [
    "MODES",
    "SETTING_VARIABLES",
    "WRONG_PASSWORD",
    "WRONG_SECRET",
    "Kernel",
    "Notebook",
    "environment_of",
    "open_notebook",
]

MODES = ("Plain", "Context", "Verbose", "Minimal")
WRONG_PASSWORD = "Wrong-" + random_secrets.token_urlsafe(12)
WRONG_SECRET = "Refused-" + random_secrets.token_urlsafe(12)
SETTING_VARIABLES = (
    "OIC_DESIGN_URL", "OIC_IDENTITY_URL", "OIC_CLIENT_ID", "OIC_SCOPE", "OIC_INSTANCE",
    "OIC_USERNAME",
)  # fmt: skip
#: Every variable the credential chain reads: none of the machine's may leak in.
OIC_VARIABLES = (
    *SETTING_VARIABLES, "OIC_URL", "OIC_RUNTIME_URL", "OIC_TOKEN_URL", "OIC_CLIENT_SECRET",
    "OIC_AUDIENCE", "OIC_PASSWORD", "OIC_CA_BUNDLE", "OIC_TIMEOUT", "OIC_TRUSTED_HOSTS",
    "OIC_PROFILE", "OIC_GRANT", "OIC_PRIVATE_KEY_FILE", "OIC_KEY_ID", "OIC_REDIRECT_URI",
)  # fmt: skip


class Kernel:
    """What the magics ask of a kernel: may a person answer (JupyterLab says yes)."""

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": True}}


def environment_of(emu: Emulator) -> dict[str, str]:
    return {
        "OIC_DESIGN_URL": emu.design_url, "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id, "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_SCOPE": emu.scope, "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": DEMO.username, "OIC_PASSWORD": DEMO.password,
    }  # fmt: skip


@dataclass
class Notebook:
    """A shell run cell by cell, as a person would, every output kept for the search."""

    shell: InteractiveShell
    emu: Emulator
    env: pytest.MonkeyPatch
    outputs: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    #: Authorization codes the browser sign-ins were given (secrets too).
    codes: list[str] = field(default_factory=list)

    @property
    def magics(self) -> Any:
        return self.shell.magics_manager.registry["OICMagics"]

    def cell(self, source: str, raises: str | tuple[str, ...] | None = None) -> str:
        """Run *source*; it must fail with *raises* (an exception's class name) or not at all."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = self.shell.run_cell(source, store_history=True)  # type: ignore[no-untyped-call]
        printed = out.getvalue() + err.getvalue()
        self.outputs.append(printed)
        error = result.error_in_exec
        got = None if error is None else type(error).__name__
        wanted = (raises,) if isinstance(raises, str) or raises is None else raises
        shown = redact(printed, secrets_of([self.emu], WRONG_PASSWORD, WRONG_SECRET).values())
        assert got in wanted, f"{source!r} raised {got}, not {raises}:\n{shown}"
        if got is not None:
            self.failures[source] = got
        return printed

    def surfaces(self) -> dict[str, str]:
        """Everything a person, a saved notebook or the history keeps of the run."""
        ns = self.shell.user_ns
        manager = self.shell.history_manager
        assert isinstance(manager, HistoryManager)
        manager.writeout_cache()
        with contextlib.closing(sqlite3.connect(manager.hist_file)) as db:
            rows = db.execute("SELECT source_raw FROM history").fetchall()
            rows += db.execute("SELECT output FROM output_history").fetchall()
        return {
            "cell outputs": "\n".join(self.outputs),
            "In": "\n".join(ns["In"]),
            "Out": "\n".join(repr(value) for value in ns["Out"].values()),
            "output history": "\n".join(map(str, manager.output_hist_reprs.values())),
            "history database": "\n".join(str(row[0]) for row in rows),
        }

    def leaks(self, *extra: str) -> dict[str, list[str]]:
        """Where each secret was found (labels only, never a value)."""
        secrets = secrets_of([self.emu], WRONG_PASSWORD, WRONG_SECRET, *self.codes, *extra)
        found = {where: hits(text, secrets) for where, text in self.surfaces().items()}
        return {where: labels for where, labels in found.items() if labels}


def open_notebook(
    emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Notebook]:
    """A fresh shell (history and output logging on) with the extension loaded, signed out;
    ``_interrupt_in(seconds)`` in its namespace sends Ctrl-C to the running cell."""
    for name in OIC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment_of(emu).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OIC_PROFILE_FILE", str(tmp_path / "profiles.ini"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    (tmp_path / "ipython").mkdir()
    config = Config()
    config.HistoryManager.hist_file = str(tmp_path / "history.sqlite")
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell(config=config, ipython_dir=str(tmp_path / "ipython"))  # type: ignore[no-untyped-call]
    assert isinstance(shell.history_manager, HistoryManager)
    shell.history_manager.db_log_output = True
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as usual
    book = Notebook(shell, emu, monkeypatch)
    book.cell("%load_ext oic_magic")
    shell.user_ns["_interrupt_in"] = _interrupt_in
    try:
        yield book
    finally:
        signal.signal(signal.SIGINT, previous)
        default_store().clear()
        _login.stop_demo()
        shell.history_manager.end_session()
        saver = getattr(shell.history_manager, "save_thread", None)
        if saver is not None:
            saver.stop()
        InteractiveShell.clear_instance()
        atexit.unregister(shell.atexit_operations)


def _interrupt_in(seconds: float) -> threading.Timer:
    """Ctrl-C in the main thread after *seconds* (a real SIGINT: it breaks a blocked read)."""
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(seconds, signal.pthread_kill, (main, signal.SIGINT))
    timer.daemon = True
    timer.start()
    return timer
