"""What the property tests draw: each magic's lines from its own parser, and %%oic cells.

Values are good ones a notebook would write, bad ones it may hand over by mistake,
random text, and ``{name}`` placeholders of :data:`VARIABLES`, which hold what JSON and
HTTP cannot carry. Random text has no braces or dollars (IPython would evaluate them as
Python) and no slash or tilde (a file name stays in the test's folder).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import numpy as np
from hypothesis import strategies as st

from oic_magic.notebook._lifecycle_magics import OICLifecycleMagics
from oic_magic.notebook._magics import OICMagics
from oic_magic.notebook._ops_magics import OICOperations

__all__ = ["PARSERS", "VARIABLES", "cells", "lines"]


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
