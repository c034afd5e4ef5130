"""Inputs a notebook can hand the magics that no request can carry: each a clear UsageError.

Every case runs in a real shell signed in to the emulator, and the emulator's request
log proves that nothing was sent: the error comes before the request, not after a
failed one. The seed corpus of ``test_input_properties.py`` holds every case here too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from IPython.core.error import UsageError

from oic_magic.emulator import Emulator
from oic_magic.notebook._cell import MAX_DEPTH, parse_cell

from .conftest import TestingShell as Shell


def _circular() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def _circular_dict() -> dict[str, Any]:
    loop: dict[str, Any] = {}
    loop["me"] = loop
    return loop


def _deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


@dataclass(frozen=True)
class Refused:
    cell: str
    message: str
    namespace: dict[str, Any] = field(default_factory=dict)


TOO_LONG = "x" * 300 + ".csv"
DEEP_TEXT = "[" * 100_000 + "]" * 100_000

REFUSED = {
    # -- control characters in a path -------------------------------------------------
    "NUL in the path": Refused(
        "%oic GET {p}",
        r"the path 'conn\\x00s' holds a control character \(U\+0000\)",
        {"p": "conn\0s"},
    ),
    "escape in the path": Refused(
        "%oic GET {p}", r"control character \(U\+001B\)", {"p": "integrations/\x1b[31mA|01"}
    ),
    "DEL in a cell's path": Refused(
        '%%oic POST {p}\n{"a": 1}', r"control character \(U\+007F\)", {"p": "integrations/A\x7f"}
    ),
    "C1 control in an instance id": Refused(
        "%oic_activity {p}", r"control character \(U\+009B\)", {"p": "abc\x9b"}
    ),
    "NUL in --save": Refused(
        "%oic GET connections --save {p}",
        r"--save 'out\\x00.csv' holds a control",
        {"p": "out\0.csv"},
    ),
    "NUL in --file": Refused(
        "%oic POST integrations/archive --file {p}", "control character", {"p": "a\0.iar"}
    ),
    "NUL in an import path": Refused("%oic_import default {p} --yes", "control", {"p": "b\0"}),
    "NUL in an export folder": Refused("%oic_export default {p}", "control", {"p": "b\0"}),
    "escape in --archives": Refused("%oic_deps default --archives {p}", "control", {"p": "b\x1b"}),
    # -- bodies that are not JSON, or that JSON cannot hold -----------------------------
    "deeply nested JSON": Refused(
        "%%oic POST integrations\n" + DEEP_TEXT, f"nested more than {MAX_DEPTH} levels deep"
    ),
    "nested just past the limit": Refused(
        "%%oic POST integrations\n" + json.dumps(_deep(MAX_DEPTH + 1)),
        f"nested more than {MAX_DEPTH} levels",
    ),
    "deeply nested variable": Refused(
        '%%oic POST integrations\n{"a": {v}}',
        "line 2: \\{v\\} is nested too deeply",
        {"v": _deep(100_000)},
    ),  # fmt: skip
    "circular variable": Refused(
        '%%oic POST integrations\n{"a": {loop}}', r"\{loop\} holds itself", {"loop": _circular()}
    ),
    "circular dict": Refused(
        '%%oic POST integrations\n{"a": {d}}', r"\{d\} holds itself", {"d": _circular_dict()}
    ),
    "tuple-keyed variable": Refused(
        '%%oic POST integrations\n{"a": {t}}',
        r"\{t\} cannot be written as JSON: keys must be str",
        {"t": {(1, 2): 3}},
    ),
    "NaN in the body": Refused(
        '%%oic POST integrations\n{"a": NaN}', "holds NaN, which is not JSON.*write null"
    ),
    "Infinity in the body": Refused("%%oic POST integrations\n[-Infinity]", "holds -Infinity"),
    "NaN variable": Refused(
        '%%oic POST integrations\n{"a": {x}}', r"\{x\} holds NaN or an infinity", {"x": np.nan}
    ),
    "infinite numpy variable": Refused(
        '%%oic POST integrations\n{"a": {x}}', "NaN or an infinity", {"x": np.float32("inf")}
    ),
    # -- headers HTTP cannot carry -----------------------------------------------------
    "non-ASCII header name": Refused(
        "%%oic GET connections\nX-Caf\u00e9: 1\n", "cell line 2: expected a header"
    ),
    "non-ASCII header value": Refused(
        "%%oic GET connections\nX-Note: caf\u00e9\n",
        r"cell line 2: the value of the X-Note header holds a non-ASCII character \(U\+00E9\)",
    ),
    "CRLF in a header value": Refused(
        "%%oic GET connections/{c}\nX-Note: {v}\n",
        r"X-Note header holds a line break \(U\+000D\)",
        {"c": "X", "v": "a\r\nInjected: 1"},
    ),
    "NUL in a header value": Refused(
        "%%oic GET connections\nX-Note: a\0b\n", r"control character \(U\+0000\)"
    ),
    "missing variable in a header": Refused(
        "%%oic GET connections\nX-Note: {nowhere}\n", r"line 2: \{nowhere\} names no variable"
    ),
    "wrong Content-Length": Refused(
        '%%oic POST integrations\nContent-Length: 5\n\n{"a": 1}',
        "the Content-Length header is written from the request itself",
    ),
    "Transfer-Encoding": Refused(
        '%%oic POST integrations\nTransfer-Encoding: chunked\n\n{"a": 1}', "Transfer-Encoding"
    ),
    # -- --save where nothing can be written -------------------------------------------
    "save under /proc": Refused(
        "%oic GET connections --save /proc/oic-no-such.csv", "cannot be written.*nothing was"
    ),
    "save with a name too long": Refused(
        f"%oic GET connections --save {TOO_LONG}", "--save x+\\.csv: .*name too long"
    ),
    "save into a folder too long": Refused(
        f"%oic GET connections --save {TOO_LONG}/c.csv", "name too long"
    ),
    "save to a home that does not exist": Refused(
        "%oic GET connections --save ~no-such-user-here/c.csv", "no such home folder"
    ),
    "save onto a device": Refused(
        "%oic GET integrations/A|01/archive --save /dev/null", "not a regular file"
    ),
    # -- names that would break the namespace ------------------------------------------
    "-o __builtins__": Refused("%oic GET connections -o __builtins__", "one of Python's own"),
    "-o In": Refused("%oic GET connections -o In", "IPython keeps"),
    "-o _": Refused("%oic GET connections -o _", "IPython keeps"),
    "-o _i3": Refused("%oic GET connections -o _i3", "IPython keeps"),
    "-o get_ipython": Refused("%oic GET connections -o get_ipython", "IPython keeps"),
    "-o print": Refused("%oic GET connections -o print", "built-in print"),
    "-o class": Refused("%oic GET connections -o class", "a Python keyword"),
    "triage -o __name__": Refused("%oic_triage --since 1h -o __name__", "Python's own"),
    "drift -o Out": Refused("%oic_drift default default -o Out", "IPython keeps"),
    "sweep -o list": Refused("%oic_sweep default -o list", "built-in list"),
    # -- found by the property tests ---------------------------------------------------
    "a span past any date": Refused(
        "%oic GET monitoring/instances --since 99999999d", "reaches back past any date"
    ),
    "triage past any date": Refused("%oic_triage --since 9999999999w", "past any date"),
    # -- placeholders IPython left as written ------------------------------------------
    "--where name={missing}": Refused(
        "%oic GET connections --where name={missing}",
        r"\{missing\} in --where name=\{missing\}: no variable of that name",
    ),
    "export --where": Refused(
        "%oic_export default out --where code~{gone}", r"\{gone\} in --where"
    ),
    "sweep --only": Refused("%oic_sweep default --only {ids}", r"\{ids\} in --only"),
    "resubmit ids": Refused("%oic_resubmit {failed} --yes", r"\{failed\} in ids"),
}


def _sent(emu: Emulator) -> list[str]:
    return [f"{e['method']} {e['path']}" for e in emu.control.requests()]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder to work in (the shell's own files are beside it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def shell(signed_in: Shell, emu: Emulator, work: Path) -> Shell:
    """Signed in, in a folder of its own, the request log emptied."""
    signed_in.run_cell("%config OICMagics.retries = 0")
    emu.control.clear_requests()
    return signed_in


#: Names a case must not have replaced (the -o cases).
KEPT = ("__builtins__", "__name__", "In", "Out", "_", "get_ipython", "print", "list", "class")


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_refused_before_anything_is_sent(
    case: Refused, shell: Shell, emu: Emulator, work: Path
) -> None:
    """A UsageError that says what is wrong; the emulator saw no request; no file left."""
    shell.user_ns.update(case.namespace)
    kept = {name: id(shell.user_ns.get(name)) for name in KEPT}

    with pytest.raises(UsageError, match=case.message):
        shell.run_cell(case.cell)

    assert _sent(emu) == []
    assert list(work.iterdir()) == []  # no probe file, folder or partial save left
    assert {name: id(shell.user_ns.get(name)) for name in KEPT} == kept
    shell.run_cell("x = len([1])")  # the namespace still works
    assert shell.user_ns["x"] == 1


def test_save_to_a_read_only_folder(shell: Shell, emu: Emulator) -> None:
    """A folder nobody may write in (root included: permission bits would not stop root)."""
    target = Path("/proc/self/oic.csv")
    with pytest.raises(UsageError, match=f"--save {target}: it cannot be written"):
        shell.run_cell(f"%oic GET connections --save {target}")
    assert _sent(emu) == []


def test_a_saved_file_that_exists_is_kept_until_the_answer_comes(shell: Shell, work: Path) -> None:
    """The writability probe neither empties an existing file nor removes it."""
    (work / "c.csv").write_text("old")
    with pytest.raises(UsageError, match="no variable"):
        shell.run_cell("%oic GET connections --where name={nope} --save c.csv")
    assert (work / "c.csv").read_text() == "old"
    shell.run_cell("%oic GET connections --save c.csv -o conns")
    assert (work / "c.csv").read_text().startswith("id,")


def test_header_lines_go_with_every_page_of_a_list(shell: Shell, emu: Emulator) -> None:
    """Header lines in a list GET's cell are sent with each page, not dropped."""
    shell.run_cell("%config OICMagics.page_size = 2")
    shell.user_ns["trace"] = "run-42"
    shell.run_cell("%%oic GET connections -o conns\nX-Trace-Id: {trace}\n")
    pages = [e for e in emu.control.requests() if e["path"].endswith("/connections")]
    assert len(pages) >= 2 and len(shell.user_ns["conns"]) > 2
    assert [e["x_headers"].get("x-trace-id") for e in pages] == ["run-42"] * len(pages)


def test_header_lines_go_with_a_monitoring_window(shell: Shell, emu: Emulator) -> None:
    """The windowed reader (monitoring lists) sends them too."""
    shell.run_cell("%%oic GET monitoring/instances --since 1h -o rows\nX-Trace-Id: w\n")
    pages = [e for e in emu.control.requests() if e["path"].endswith("/monitoring/instances")]
    assert pages and all(e["x_headers"].get("x-trace-id") == "w" for e in pages)


def test_numpy_scalars_are_json_numbers_and_booleans() -> None:
    """np.int64, np.float64, np.bool_ and arrays go in as JSON values, not as strings."""
    namespace = {
        "n": np.int64(7), "f": np.float64(1.5), "g": np.float32(0.5), "b": np.bool_(True),
        "a": np.array([1, 2]), "s": np.str_("x"),
    }  # fmt: skip
    body = parse_cell('{"n": {n}, "f": {f}, "g": {g}, "b": {b}, "a": {a}, "s": {s}}', namespace)
    assert body.body == {"n": 7, "f": 1.5, "g": 0.5, "b": True, "a": [1, 2], "s": "x"}
    assert [type(body.body[k]) for k in "nfgb"] == [int, float, float, bool]
    inside = parse_cell('{"text": "{n} and {b}"}', namespace).body
    assert inside == {"text": "7 and True"}


def test_numpy_values_reach_the_wire_as_numbers(
    shell: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """The curl script (the request %%oic would send) carries 7 and false, not strings."""
    shell.user_ns.update(n=np.int64(7), b=np.bool_(False))
    shell.run_cell('%%oic POST integrations --curl\n{"n": {n}, "b": {b}}')
    assert """--data '{"n": 7, "b": false}'""" in capsys.readouterr().out
    assert _sent(emu) == []


def test_many_placeholders_expand() -> None:
    """16,000 placeholders in one body: every one expanded, in place (in one pass)."""
    values = {f"v{i}": i for i in range(16_000)}
    text = "[" + ", ".join(f'{{v{i}}}, "{{v{i}}}"' for i in range(16_000)) + "]"
    body = parse_cell(text, values).body
    assert body[:4] == [0, "0", 1, "1"] and body[-1] == "15999" and len(body) == 32_000


def test_a_body_at_the_depth_limit_is_kept() -> None:
    """MAX_DEPTH levels is still a body: the limit refuses only what is past it."""
    assert parse_cell(json.dumps(_deep(MAX_DEPTH)), {}).body == _deep(MAX_DEPTH)


def test_the_core_refuses_the_same_headers() -> None:
    """Plain Python gets the check too: route() raises RequestError, nothing sent."""
    from oic_magic.core._query import route
    from oic_magic.exceptions import RequestError

    for headers in ({"X-A": "a\r\nb"}, {"Content-Length": "9"}, {"X-\u00e9": "1"}):
        with pytest.raises(RequestError, match="header"):
            route("GET", "connections", instance="i", headers=headers)
    assert route("GET", "connections", instance="i", headers={"X-A": "a\tb"}).headers
