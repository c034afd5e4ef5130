"""A real IPython shell for the magics, as the user types into it.

``TestingShell.run_cell`` re-raises what the cell raised, so a test reads like a
notebook: ``ip.run_cell("%oic GET connections")`` and then an assertion on the
result or on the error.  History is off and every IPython file lives in a
temporary directory, never in the user's home.
"""

from __future__ import annotations

import atexit
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from IPython.core.history import HistoryManager
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from ._environment import OIC_VARIABLES, emulator_environment


class Ran(Protocol):
    """What ``run_cell`` returns (IPython's ExecutionResult), with ``result`` typed as any value."""

    result: Any
    execution_count: int | None

    @property
    def success(self) -> bool: ...


class TestingShell(InteractiveShell):
    """An InteractiveShell whose ``run_cell`` raises the cell's error."""

    __test__ = False  # a helper, not a test class

    # Set by the tests that play a Jupyter kernel (ipykernel's shell has one; this one not).
    kernel: Any

    def run_cell(self, *args: Any, **kwargs: Any) -> Ran:
        # As in a notebook: each cell lands in In, _ih and (history on) history.sqlite.
        kwargs.setdefault("store_history", True)
        result = super().run_cell(*args, **kwargs)  # type: ignore[no-untyped-call]
        result.raise_error()
        ran: Ran = result
        return ran

    @property
    def history(self) -> HistoryManager:
        """The shell's history manager (IPython allows none; a started shell has one)."""
        manager = self.history_manager
        if not isinstance(manager, HistoryManager):
            raise TypeError(f"this shell has no history manager: {manager!r}")
        return manager

    @classmethod
    def for_tests(cls, directory: Path, *, history: bool = False) -> TestingShell:
        config = Config()
        config.HistoryManager.enabled = history
        config.HistoryManager.hist_file = str(directory / "history.sqlite")
        config.InteractiveShell.colors = "nocolor"
        shell = cls(config=config, ipython_dir=str(directory))
        shell.history.db_log_output = history
        return shell


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No OIC_* variable of the machine, no profile file of the user's home."""
    for name in OIC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OIC_PROFILE_FILE", str(tmp_path / "no-profiles.ini"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))


def _shell(tmp_path: Path, *, history: bool) -> Iterator[TestingShell]:
    directory = tmp_path / "ipython"
    directory.mkdir(exist_ok=True)
    shell = TestingShell.for_tests(directory, history=history)
    try:
        yield shell
    finally:
        _sign_out_everywhere()
        shell.history.end_session()
        saver = getattr(shell.history_manager, "save_thread", None)
        if saver is not None:
            saver.stop()
        TestingShell.clear_instance()
        InteractiveShell.clear_instance()
        # Each shell registers its exit work with atexit, which keeps the shell (and all
        # it computed) alive to the end, then runs a full gc.collect() per shell: twenty
        # seconds after the last test. Its history is ended above; nothing is left to do.
        atexit.unregister(shell.atexit_operations)


def _sign_out_everywhere() -> None:
    # Sessions live in the process-wide store (they must survive %reload_ext):
    # each test starts with none.
    from oic_magic import default_store

    default_store().clear()


@pytest.fixture
def ip(tmp_path: Path) -> Iterator[TestingShell]:
    """A fresh shell with history off."""
    yield from _shell(tmp_path, history=False)


@pytest.fixture
def ip_history(tmp_path: Path) -> Iterator[TestingShell]:
    """A fresh shell with history ON, in a temporary directory."""
    yield from _shell(tmp_path, history=True)


@pytest.fixture
def ext(ip: TestingShell) -> TestingShell:
    """A shell with ``%load_ext oic_magic`` done."""
    ip.run_cell("%load_ext oic_magic")
    return ip


@pytest.fixture
def oic_env(emu: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of a headless run against the (reset) shared emulator."""
    values = emulator_environment(emu)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def signed_in(ext: TestingShell, oic_env: dict[str, str]) -> TestingShell:
    """A shell signed in headless from the environment (session ``default``)."""
    ext.run_cell("%oic_login")
    return ext
