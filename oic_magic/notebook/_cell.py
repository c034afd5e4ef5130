"""The body of a ``%%oic`` cell: optional header lines, a blank line, a JSON body.

::

    %%oic POST integrations/{iid}
    X-HTTP-Method-Override: PATCH

    {"status": "{status}"}

- Header lines come first, one ``Name: value`` per line, ended by a blank line.
  A body that starts with ``{`` or ``[`` may come without headers. A cell of header
  lines only, one of them named like a JSON field rather than an HTTP header
  (``status: ACTIVATED``), is refused: it was meant as the body.
- ``{name}`` expands a Python variable of the notebook.  Inside a JSON string the
  value is inserted as escaped text (``"{status}"`` with ``status = 'a"b'`` gives
  ``"a\\"b"``); outside a string it is inserted as JSON (numbers, lists, dicts,
  ``true``/``null``), so a body never breaks because of what a variable holds.
  Inside strings ``{{`` and ``}}`` stand for literal braces.  Only plain names (and dotted
  attributes) expand: JSON's own braces are never mistaken for a variable.
- A body that is not valid JSON is refused before anything is sent, with the
  line and column in the cell (line 1 is the ``%%oic`` line itself). So are
  ``NaN``/``Infinity`` (Python's ``json`` reads them, JSON has none), a body nested
  deeper than :data:`MAX_DEPTH`, a value that JSON cannot hold (a list that contains
  itself, a dict with tuple keys), and a header that HTTP cannot carry (see
  :func:`oic_magic.core._query.header_problem`).
- numpy scalars (``np.int64``, ``np.float64``, ``np.bool_``) and arrays go in as
  JSON numbers, booleans and lists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from IPython.core.error import UsageError

from ..core._query import header_problem

__all__ = ["MAX_DEPTH", "CellRequest", "parse_cell"]

#: Levels of nesting a body may have: OIC's bodies have a handful; deeper is a mistake
#: (and past Python's recursion limit, a crash of the JSON reader and writer).
MAX_DEPTH = 100

_HEADER = re.compile(r"^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\}")
_MISSING = object()
# Line numbers in messages count the %%oic line as line 1, as the notebook shows them.
_MAGIC_LINE = 1


@dataclass(frozen=True)
class CellRequest:
    """What a cell adds to the request: headers and an optional parsed JSON body."""

    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False


def parse_cell(cell: str, namespace: Mapping[str, Any]) -> CellRequest:
    """Split a cell into headers and body, expand variables, and parse the JSON."""
    lines = cell.splitlines()
    first_body_line, headers = _read_headers(lines, namespace)
    text = "\n".join(lines[first_body_line:])
    if not text.strip():
        _check_not_a_body(lines[:first_body_line])
        return CellRequest(headers=headers)
    expanded = _expand_json(text, namespace, first_body_line)
    return CellRequest(headers=headers, body=_load_json(expanded, first_body_line), has_body=True)


def _read_headers(lines: list[str], namespace: Mapping[str, Any]) -> tuple[int, dict[str, str]]:
    """Headers up to the first blank line; none when the cell opens with JSON."""
    start = _first_non_blank(lines)
    if start == len(lines) or lines[start].lstrip()[:1] in {"{", "[", '"'}:
        return start, {}
    headers: dict[str, str] = {}
    for number in range(start, len(lines)):
        line = lines[number]
        where = f"cell line {number + 1 + _MAGIC_LINE}"
        if not line.strip():
            return number + 1, headers
        match = _HEADER.match(line.strip())
        if match is None:
            raise UsageError(
                f"{where}: expected a header 'Name: value', then a blank line, then the JSON body"
            )
        value = _expand_text(match[2].strip(), namespace, where)
        problem = header_problem(match[1], value)
        if problem is not None:
            raise UsageError(f"{where}: {problem}")
        headers[match[1]] = value
    return len(lines), headers


# HTTP request headers whose names are one word; any other header has a hyphen in it.
_ONE_WORD_HEADERS = frozenset({
    "accept", "authorization", "connection", "cookie", "date", "dnt", "expect",
    "forwarded", "from", "host", "origin", "pragma", "prefer", "range", "referer", "te",
    "priority", "upgrade", "via", "warning",
})  # fmt: skip


def _check_not_a_body(lines: list[str]) -> None:
    """Header lines with no body after them: refuse JSON fields among them."""
    for number, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if match and "-" not in match[1] and match[1].lower() not in _ONE_WORD_HEADERS:
            # The value is not repeated: a cell line may hold anything.
            raise UsageError(
                f"cell line {number + 1 + _MAGIC_LINE}: '{match[1]}: ...' would be sent as an "
                "HTTP header and the request would have no body. Write the body as JSON: "
                f'{{"{match[1]}": ...}} (header lines, such as X-HTTP-Method-Override: '
                "PATCH, go above a blank line before it)"
            )


def _first_non_blank(lines: list[str]) -> int:
    for number, line in enumerate(lines):
        if line.strip():
            return number
    return len(lines)


def _expand_json(text: str, namespace: Mapping[str, Any], offset: int) -> str:
    """Expand placeholders, quoting each value for where it stands in the JSON text.

    One pass: whether a placeholder stands inside a string is carried from the one
    before, so a body with many placeholders costs no more than its length.
    """
    out: list[str] = []
    position = scanned = 0
    inside = escaped = False
    for match in _PLACEHOLDER.finditer(text):
        for char in text[scanned : match.start()]:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = inside
            elif char == '"':
                inside = not inside
        scanned = match.start()
        out.append(text[position : match.start()])
        out.append(_json_value(match, namespace, inside=inside, offset=offset, text=text))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _json_value(
    match: re.Match[str], namespace: Mapping[str, Any], *, inside: bool, offset: int, text: str
) -> str:
    if match[0] in {"{{", "}}"}:
        # Outside strings "}}" is ordinary JSON (nested objects closing): leave it alone.
        return match[0][0] if inside else match[0]

    def where() -> str:
        line = offset + text.count("\n", 0, match.start()) + 1 + _MAGIC_LINE
        return f"cell line {line}: {{{match[1]}}}"

    value = _lookup(match[1], namespace, where)
    if value is _MISSING:
        raise UsageError(f"{where()} names no variable of the notebook")
    if inside:
        # Inside a string the surrounding quotes are the user's: keep only the escaped text.
        return json.dumps(_text(value, where))[1:-1]
    return _encode(value, where)


def _encode(value: Any, where: Any) -> str:
    """*value* as JSON text, or a UsageError saying why JSON cannot hold it."""
    try:
        return json.dumps(value, default=_jsonable, allow_nan=False)
    except RecursionError:
        problem = f"is nested too deeply to be written as JSON (at most {MAX_DEPTH} levels)"
    except ValueError as error:
        if "Circular reference" in str(error):
            problem = "holds itself (a list or dict inside itself): JSON cannot write that"
        else:
            problem = (
                "holds NaN or an infinity, which JSON has no way to write: "
                'use None (null) or a string such as "NaN"'
            )
    except TypeError as error:
        problem = f"cannot be written as JSON: {error}"
    raise UsageError(f"{where()} {problem}")


def _jsonable(value: Any) -> Any:
    """What JSON writes for a value it does not know: numpy's as Python's, else the text."""
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()  # scalars (np.int64, np.bool_) and arrays alike
    return str(value)


def _text(value: Any, where: Any) -> str:
    try:
        return str(value)
    except Exception as error:  # a notebook object whose __str__ fails
        raise UsageError(f"{where()} cannot be written as text: {type(error).__name__}") from None


def _expand_text(text: str, namespace: Mapping[str, Any], line: str) -> str:
    """Expand ``{name}`` in plain text (header values); a missing name is refused."""

    def plain(match: re.Match[str]) -> str:
        if match[0] in {"{{", "}}"}:
            return match[0][0]

        def where() -> str:
            return f"{line}: {{{match[1]}}}"

        value = _lookup(match[1], namespace, where)
        if value is _MISSING:
            raise UsageError(f"{where()} names no variable of the notebook")
        return _text(value, where)

    return _PLACEHOLDER.sub(plain, text)


def _lookup(dotted: str, namespace: Mapping[str, Any], where: Any) -> Any:
    """A variable or an attribute path of one (``{row.id}``); never arbitrary code."""
    head, *rest = dotted.split(".")
    value = namespace.get(head, _MISSING)
    for name in rest:
        if value is _MISSING:
            break
        try:
            value = getattr(value, name, _MISSING)
        except Exception as error:  # a property of the notebook's that raised
            raise UsageError(f"{where()}: reading .{name} raised {type(error).__name__}") from None
    return value


class _NotJSON(ValueError):
    """A constant Python's json reads but JSON has not (NaN, Infinity)."""


def _refuse_constant(name: str) -> Any:
    raise _NotJSON(name)


def _load_json(text: str, offset: int) -> Any:
    try:
        body = json.loads(text, parse_constant=_refuse_constant)
    except _NotJSON as error:
        raise UsageError(
            f"the cell body holds {error}, which is not JSON (OIC would refuse it): "
            f'write null, or the text "{error}" in quotes'
        ) from None
    except json.JSONDecodeError as error:
        raise UsageError(
            f"the cell body is not valid JSON: {error.msg} "
            f"at cell line {error.lineno + offset + _MAGIC_LINE}, column {error.colno}"
        ) from None
    except RecursionError:
        body = None
        deepest = MAX_DEPTH + 1
    else:
        deepest = _depth(body)
    if deepest > MAX_DEPTH:
        raise UsageError(
            f"the cell body is nested more than {MAX_DEPTH} levels deep: "
            "no OIC body is; check the brackets"
        )
    return body


def _depth(value: Any) -> int:
    """How many levels of lists and objects *value* has (counted without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, dict | list):
            continue
        children = item.values() if isinstance(item, dict) else item
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest
