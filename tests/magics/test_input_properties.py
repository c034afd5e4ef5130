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

import argparse
import json
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from IPython.core.error import UsageError

from oic_magic.emulator import Emulator
from oic_magic.exceptions import OICError
from oic_magic.notebook._lifecycle_magics import OICLifecycleMagics
from oic_magic.notebook._magics import OICMagics
from oic_magic.notebook._ops_magics import OICOperations

from .conftest import TestingShell as Shell
from .test_refused_inputs import REFUSED

#: What a magic may raise: a bad input, or the project's own errors. Anything else is a bug.
DOCUMENTED = (UsageError, OICError)
#: Seconds one example may take before it counts as a hang (the waits below are 2 s).
WATCHDOG = 30.0


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """Every line magic of the extension, by name, with its argument parser."""
    found: dict[str, argparse.ArgumentParser] = {}
    for cls in (OICMagics, OICOperations, OICLifecycleMagics):
        for name, method in cls.magics["line"].items():
            found[name] = getattr(cls, method).parser
    return found


PARSERS = _parsers()


def _circular() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _deep(levels: int) -> Any:
    value: Any = 0
    for _ in range(levels):
        value = [value]
    return value


#: Variables of the notebook that the placeholders name: each holds something awkward.
VARIABLES: dict[str, Any] = {
    "nul": "a\0b", "esc": "\x1b[31m", "crlf": "v\r\nInjected: 1", "cafe": "caf\u00e9",
    "loop": _circular(), "nan": float("nan"), "inf": np.float64("inf"), "n64": np.int64(3),
    "f64": np.float64(2.5), "yes": np.bool_(True), "arr": np.array([1, 2]),
    "tuple_keys": {(1, 2): 3}, "deep": _deep(5000), "ids": ["a", "b"], "empty": "",
    "spaced": "a b", "quote": 'say "hi"', "iid": "HELLO|01.00.0000", "big": 10**30,
    "obj": object(),
}  # fmt: skip
PLACEHOLDERS = [f"{{{name}}}" for name in VARIABLES] + ["{missing}", "{iid.code}"]

# Random text: no braces or dollars (IPython would evaluate them as Python), no slash or
# tilde (a file name must stay in the test's folder: absolute paths come from the lists).
# A line holds no line break: those that str.splitlines knows are left out of its words.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="{}$/~\\" + _BREAKS),
    max_size=14,
)
#: Values a notebook would write: most examples use only these, so the calls get through.
GOOD: dict[str, list[str]] = {
    "method": ["GET", "GET", "GET", "POST", "PATCH", "PUT", "DELETE"],
    "path": [
        "connections", "integrations", "integrations/{iid}", "connections/{conn}",
        "integrations/{iid}/archive", "monitoring/instances", "monitoring/errors",
        "lookups", "packages", "projects", "/ic/api/integration/v1/connections",
    ],
    "session": ["default"], "left": ["default"], "right": ["default"],
    "where": ["status=CONFIGURED", "name~E", "code~H", "status=ACTIVATED"],
    "since": ["1h", "24h", "2d"], "between": ["2026-12-01", "2026-12-02"],
    "output": ["result", "r2", "conns"], "columns": ["all", "id,name"],
    "kinds": ["integrations", "connections,lookups"],
    "integration": ["{iid}", "HELLO"], "connection": ["{conn}"], "uses": ["{conn}"],
    "ids": ["abc", "ids"], "instance": ["abc"], "profile": ["p"],
    "only": ["{iid}", "{conn}"], "integrations": ["{iid}"],
    "limit": ["1", "3"], "concurrency": ["2"], "payload_limit": ["100"],
    "save": ["out.csv", "out.json", "out.html", "out.iar", "c.xlsx"],
    "file": ["out.csv", "out.iar"], "folder": ["backup1", "backup2"], "archives": ["backup1"],
}  # fmt: skip
_FILES = [
    "out", "..", ".", "missing/c.csv", "x" * 300, "~no-such-user/x", "/proc/oic.csv",
    "/dev/null", "", "c.parquet",
]  # fmt: skip
_INTEGERS = ["-1", "0", "many", "99999999999999999999", "1e3"]
#: Values a notebook may hand over by mistake.
BAD: dict[str, list[str]] = {
    "method": ["get", "FETCH", "HEAD"],
    "path": [
        "https://[::1/x", "https://ex\uff41mple.com/ic/api/integration/v1/connections",
        "connections?limit=5", "connections?q={status:'X'}", "conections",
        "integrations/A%7C01", "connections/", "x" * 300, "https://ada:pw@h.example/ic/x",
    ],
    "session": ["dev", "default,default", "a,b", ",", "default,nope"],
    "where": ["status", "st atus=X", "name='A B'", "name=", "=x", "name~/", "status=A"],
    "since": ["1w", "2026-12-01", "soon", "0h", "-1h", "99999999d"],
    "between": ["2026-12-01T12:00Z", "later", "2027-01-01", "1999-01-01"],
    "output": ["__builtins__", "In", "_", "print", "class", "1st", "x-y", "_i1"],
    "columns": [",", "nope"], "kinds": ["nope", ","], "integration": ["NOPE|9"],
    "connection": ["NOPE"], "ids": ["a,b", "['a',", "'b']"], "only": ["a,b", ",,"],
    "limit": _INTEGERS, "concurrency": _INTEGERS, "payload_limit": _INTEGERS,
    "save": _FILES, "file": _FILES, "folder": _FILES, "archives": _FILES,
}  # fmt: skip
#: %oic_import's path is a file too; %oic's is an API path.
FILE_PATHS = {"oic_import"}
#: Starts a whole emulator in the kernel per example: run once in the seeds instead.
LEFT_OUT = {"--demo"}
_NAME = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)


def _value(dest: str, *, clean: bool) -> st.SearchStrategy[str]:
    good = GOOD.get(dest)
    if clean:
        return st.sampled_from(good) if good else _NAME
    bad = BAD.get(dest, [])
    choices = [
        _TEXT,
        st.sampled_from(PLACEHOLDERS),
        *(st.sampled_from(v) for v in (good, bad) if v),
    ]
    word = st.one_of(choices)
    # Sometimes quoted whole, as a value with spaces must be; sometimes two words unquoted.
    return st.one_of(word, word.map(lambda w: f'"{w}"'), word.map(lambda w: f"{w} {w}"))


_ODD = st.sampled_from(PLACEHOLDERS)


@st.composite
def lines(draw: st.DrawFn, magic: str) -> str:
    """One line for *magic*, from its parser: positionals, options, values, noise.

    A third of the lines are clean (good values, no noise), so calls reach the emulator;
    a third are clean but for one argument, which holds a placeholder of an awkward
    variable or a bad value; in the rest each value may be bad, random, a placeholder
    or badly quoted.
    """
    parser = PARSERS[magic]
    actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]
    mode = draw(st.sampled_from(["clean", "one", "dirty"]))
    odd = draw(st.integers(0, len(actions) - 1)) if mode == "one" and actions else -1
    words: list[str] = []
    for index, action in enumerate(actions):
        clean = mode == "clean" or (mode == "one" and index != odd)
        dest = "file" if action.dest == "path" and magic in FILE_PATHS else action.dest

        awkward = st.one_of(_ODD, st.sampled_from(BAD.get(dest) or PLACEHOLDERS))
        values = awkward if index == odd else _value(dest, clean=clean)

        if not action.option_strings:  # a positional: there, sometimes more or fewer
            least = 1 if (clean or index == odd) and action.nargs in ("?", "*") else 0
            counts: dict[Any, int] = {None: 1, "?": draw(st.integers(least, 1))}
            count = counts.get(action.nargs, draw(st.integers(least, 2)))
            if mode == "dirty" and draw(st.integers(0, 9)) == 0:
                count = 0
            words += [draw(values) for _ in range(count)]
            continue
        option = draw(st.sampled_from(action.option_strings))
        # Each option now and then: a clean line has few (most pairs of them conflict).
        chosen = index == odd or draw(st.integers(0, 9 if clean else 3)) == 0
        if option in LEFT_OUT or not chosen:
            continue
        if action.nargs == 0:
            words.append(option)
        elif action.choices:
            choice = st.sampled_from(sorted(action.choices))
            words += [option, draw(choice if clean else st.one_of(choice, _TEXT))]
        else:
            words += [option, *(draw(values) for _ in range(2 if action.nargs == 2 else 1))]
    if mode == "dirty" and draw(st.integers(0, 4)) == 0:
        words.insert(draw(st.integers(0, len(words))), draw(_TEXT))
    return " ".join(words)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TEXT, children, max_size=3),
    max_leaves=8,
)
_HEADER_NAMES = ["X-Trace-Id", "Accept", "Content-Length", "Transfer-Encoding", "Host",
                 "X-HTTP-Method-Override", "status", "X-Caf\u00e9", "Bad Name"]  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """A cell body: JSON, with placeholders, NaN, breakage and depth mixed in."""
    text = json.dumps(draw(_JSON))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        insert = draw(
            st.one_of(
                st.sampled_from(PLACEHOLDERS),
                st.sampled_from(PLACEHOLDERS).map(lambda p: f'"{p}"'),
                st.sampled_from(["NaN", "Infinity", "-Infinity", "{{", "}}", '"', "\\", ","]),
            )
        )
        text = text[:at] + insert + text[at:]
    if draw(st.integers(0, 9)) == 0:
        depth = draw(st.sampled_from([99, 100, 101, 5000]))
        text = "[" * depth + text + "]" * depth
    return text


#: Placeholders of values JSON can hold, for the clean cells.
_FINE = ["{n64}", "{f64}", "{yes}", "{arr}", "{iid}", "{ids}", "{big}", "{empty}"]
_GOOD_HEADERS = ["X-Trace-Id: t-1", "Accept: application/json", "X-Note: {iid}"]


@st.composite
def clean_bodies(draw: st.DrawFn) -> str:
    """Valid JSON whose values are sometimes placeholders, in or out of strings."""
    fields = draw(
        st.dictionaries(
            _NAME,
            st.one_of(_JSON, st.sampled_from(_FINE).map(lambda p: f"@@{p}@@")),
            max_size=4,
        )
    )
    if draw(st.booleans()):
        fields["status"] = draw(st.sampled_from(["ACTIVATED", "CONFIGURED"]))
    text = json.dumps(fields)
    for placeholder in _FINE:  # unquoted (a JSON value) or kept in its quotes (a string)
        quoted = draw(st.booleans())
        text = text.replace(f'"@@{placeholder}@@"', f'"{placeholder}"' if quoted else placeholder)
    return text


@st.composite
def cells(draw: st.DrawFn) -> str:
    """A whole ``%%oic`` cell: its line, header lines, a blank line, a body.

    Half are clean (good headers, valid JSON, good placeholders), half anything.
    """
    line = draw(lines("oic"))
    if draw(st.booleans()):
        headers = draw(st.lists(st.sampled_from(_GOOD_HEADERS), max_size=2, unique=True))
        body = draw(st.one_of(clean_bodies(), st.just("")))
        headers = headers if headers or body else _GOOD_HEADERS[:1]
        return "\n".join([f"%%oic {line}", *headers, *([""] if headers else []), body])
    count = draw(st.integers(0, 3))
    names = st.one_of(st.sampled_from(_HEADER_NAMES), _TEXT)
    values = st.one_of(_TEXT, st.sampled_from(PLACEHOLDERS), st.just("PATCH"))
    headers = [f"{draw(names)}: {draw(values)}" for _ in range(count)]
    body = draw(st.one_of(bodies(), st.just(""), _TEXT))
    blank = [""] if draw(st.integers(0, 5)) > 0 and headers else []
    return "\n".join([f"%%oic {line}", *headers, *blank, body])


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
