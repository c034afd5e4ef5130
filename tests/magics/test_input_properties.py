"""Any line, any cell: every magic ends in its result, a UsageError or an OICError, in bounded time.

Lines are drawn from each magic's own argument parser (every option, every positional),
with values that a notebook can produce: known good ones, known bad ones, random text,
and ``{name}`` placeholders of variables that hold what JSON and HTTP cannot carry
(control characters, CRLF, NaN, circular lists, tuple keys, numpy scalars). ``%%oic``
cells get header lines and JSON bodies, mutated. Each example runs in a real IPython
shell signed in to the emulator, under a watchdog, with short timeouts on every wait.

The seed corpus (``test_seed_corpus``) runs every case of ``test_refused_inputs.py``
and the issue's other inputs the same way, whatever hypothesis draws.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from IPython.core.error import UsageError

from oic_magic.emulator import Emulator
from oic_magic.exceptions import OICError
from oic_magic.notebook._magics import OICMagics

from ._input_strategies import PARSERS, VARIABLES, cells, lines
from .conftest import TestingShell as Shell
from .test_refused_inputs import REFUSED

#: What a magic may raise: a bad input, or the project's own errors. Anything else is a bug.
DOCUMENTED = (UsageError, OICError)
#: Seconds one example may take before it counts as a hang (the waits below are 2 s).
WATCHDOG = 30.0


class Hung(Exception):
    """An example outran the watchdog."""


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise Hung in the test's thread if the block runs longer than *seconds*."""

    def expire(_signal: int, _frame: FrameType | None) -> None:
        raise Hung(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(shell: Shell, cell: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Run *cell*: its result, or a documented error's name; anything else fails."""
    capsys.readouterr()  # what an earlier, failed example printed is not this one's
    try:
        with watchdog(WATCHDOG):
            shell.run_cell(cell, store_history=False)
        outcome = "ok"
    except DOCUMENTED as error:
        outcome = type(error).__name__
    if currently_in_test_context():
        event(outcome)  # --hypothesis-show-statistics shows how the examples ended
    output = capsys.readouterr()
    # A failure IPython swallows (a formatter's) still prints a traceback.
    assert "Traceback (most recent call last)" not in output.out + output.err, cell
    return outcome


@pytest.fixture
def shell(signed_in: Shell, work: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Shell:
    """Signed in, with every wait short, in an empty folder, home moved beside it."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for setting in (
        "OICMagics.timeout = 5", "OICMagics.retries = 0", "OICMagics.progress = False",
        "OICMagics.activation_timeout = 2", "OICMagics.activation_interval = 0.05",
        "OICMagics.sign_in_timeout = 2", "OICOperations.recovery_timeout = 2",
        "OICOperations.recovery_interval = 0.05",
    ):  # fmt: skip
        signed_in.run_cell(f"%config {setting}")
    signed_in.user_ns.update(VARIABLES)
    signed_in.run_cell("%oic GET connections --limit 1 --raw -o first")
    signed_in.user_ns["conn"] = signed_in.user_ns.pop("first")[0]["id"]
    return signed_in


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


#: OIC_FUZZ_SCALE=20 runs twenty times the examples, with new random ones each run (a
#: longer search by hand); the suite runs the same few every time.
SCALE = int(os.environ.get("OIC_FUZZ_SCALE", "1"))


def _examples(count: int) -> Callable[[Any], Any]:
    return settings(
        max_examples=count * SCALE,
        deadline=None,
        derandomize=SCALE == 1,  # the same examples in every run: the suite cannot flake
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


def test_every_magic_is_covered() -> None:
    """The parsers found are the extension's magics, all of them."""
    expected = {
        "oic", "oic_login", "oic_status", "oic_logout", "oic_triage", "oic_resubmit",
        "oic_discard", "oic_activity", "oic_drift", "oic_export", "oic_import", "oic_sweep",
        "oic_deps",
    }  # fmt: skip
    assert expected <= set(PARSERS)
    assert set(OICMagics.magics["cell"]) == {"oic"}


#: Magics that read a whole instance per example: fewer examples.
HEAVY = {"oic_export", "oic_drift", "oic_sweep", "oic_deps"}


def _any_line(magic: str, data: st.DataObject, shell: Shell, capsys: Any) -> None:
    line = data.draw(lines(magic), label="line")
    outcome = run(shell, f"%{magic} {line}", capsys)
    assert outcome in {"ok", *(c.__name__ for c in _error_classes())}
    assert callable(shell.user_ns["get_ipython"]) and shell.user_ns["__builtins__"]


@pytest.mark.parametrize("magic", sorted(set(PARSERS) - HEAVY - {"oic"}))
@given(data=st.data())
@_examples(15)
def test_any_line(
    magic: str, data: st.DataObject, shell: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whatever the line, the magic answers or raises a documented error, in bounded time."""
    _any_line(magic, data, shell, capsys)


@pytest.mark.parametrize("magic", sorted(HEAVY))
@given(data=st.data())
@_examples(8)
def test_any_line_of_a_reading_magic(
    magic: str, data: st.DataObject, shell: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same for the magics that read a whole instance (fewer examples)."""
    _any_line(magic, data, shell, capsys)


@given(data=st.data())
@_examples(60)
def test_any_oic_line(
    data: st.DataObject, shell: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """``%oic``, the magic with the most options, gets the most examples."""
    _any_line("oic", data, shell, capsys)


@given(cell=cells())
@_examples(60)
def test_any_cell(cell: str, shell: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever the cell, ``%%oic`` answers or raises a documented error, in bounded time."""
    outcome = run(shell, cell, capsys)
    assert outcome in {"ok", *(c.__name__ for c in _error_classes())}
    assert shell.user_ns["__builtins__"] is not None and callable(shell.user_ns["get_ipython"])


def _error_classes() -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    todo: list[type[BaseException]] = [*DOCUMENTED]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo += cls.__subclasses__()
    return found


#: The issue's inputs beyond those of test_refused_inputs.py, each a whole cell.
SEEDS = {
    **{name: (case.cell, case.namespace) for name, case in REFUSED.items()},
    "pasted URL with a bracket": ("%oic GET https://[oops/ic/api/integration/v1/connections", {}),
    "pasted URL with NFKC letters": ("%oic GET https://ex\uff41mple.com/ic/api/x", {}),
    "16k placeholders": (
        "%%oic POST integrations --curl\n[" + ",".join(["{n64}"] * 16_000) + "]",
        {},
    ),
    "list GET with a header line": ("%%oic GET connections -o c\nX-Trace-Id: 1\n", {}),
    "numpy values": ('%%oic POST integrations --curl\n{"a": {n64}, "b": {yes}}', {}),
    "where with a missing variable, cell form": (
        "%%oic GET integrations --where code={missing}\n",
        {},
    ),
    "login with an unknown profile": ("%oic_login --profile nope --session other", {}),
    "login headless device": ("%oic_login --grant device --session other", {}),
    "import /dev/null": ("%oic_import default /dev/null --yes", {}),
    "export into /proc": ("%oic_export default /proc/oic-backup", {}),
    "activity with a huge payload limit": ("%oic_activity x --payload-limit 99999999999", {}),
    "sweep at a huge concurrency": ("%oic_sweep default --concurrency 100000 --only A", {}),
    "login in the emulator": ("%oic_login --demo --session seeded", {}),
    "logout everything": ("%oic_logout --all --forget", {}),
}


def test_seed_corpus(shell: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]) -> None:
    """Each hand-picked input of the issue: a documented error or a result, nothing else.

    One shell runs them all, in order (the sign-outs last); the refused ones must be
    UsageErrors, as ``test_refused_inputs.py`` checks one by one with the request log.
    """
    refused = {case.cell for case in REFUSED.values()}
    outcomes: dict[str, str] = {}
    for name, (cell, namespace) in SEEDS.items():
        shell.user_ns.update(namespace)
        outcomes[name] = run(shell, cell, capsys)
    documented = {"ok", *(c.__name__ for c in _error_classes())}
    assert {name: o for name, o in outcomes.items() if o not in documented} == {}
    wrong = {n: o for n, o in outcomes.items() if SEEDS[n][0] in refused and o != "UsageError"}
    assert wrong == {}
    assert len(outcomes) == len(SEEDS) >= 55
