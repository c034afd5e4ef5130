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
  line and column in the cell (line 1 is the ``%%oic`` line itself).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from IPython.core.error import UsageError

__all__ = ["CellRequest", "expand_text", "parse_cell"]

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


def expand_text(text: str, namespace: Mapping[str, Any]) -> str:
    """Expand ``{name}`` in plain text (header values)."""
    return _PLACEHOLDER.sub(lambda m: _plain(m, namespace), text)


def _read_headers(lines: list[str], namespace: Mapping[str, Any]) -> tuple[int, dict[str, str]]:
    """Headers up to the first blank line; none when the cell opens with JSON."""
    start = _first_non_blank(lines)
    if start == len(lines) or lines[start].lstrip()[:1] in {"{", "[", '"'}:
        return start, {}
    headers: dict[str, str] = {}
    for number in range(start, len(lines)):
        line = lines[number]
        if not line.strip():
            return number + 1, headers
        match = _HEADER.match(line.strip())
        if match is None:
            raise UsageError(
                f"cell line {number + 1 + _MAGIC_LINE}: expected a header 'Name: value', "
                "then a blank line, then the JSON body"
            )
        headers[match[1]] = expand_text(match[2].strip(), namespace)
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
    """Expand placeholders, quoting each value for where it stands in the JSON text."""
    out: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(text[position : match.start()])
        inside = _inside_string(text, match.start())
        out.append(_json_value(match, namespace, inside=inside, offset=offset, text=text))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _inside_string(text: str, index: int) -> bool:
    """Whether ``index`` falls inside a JSON string literal (escapes respected)."""
    inside = escaped = False
    for char in text[:index]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = inside
        elif char == '"':
            inside = not inside
    return inside


def _json_value(
    match: re.Match[str], namespace: Mapping[str, Any], *, inside: bool, offset: int, text: str
) -> str:
    if match[0] in {"{{", "}}"}:
        # Outside strings "}}" is ordinary JSON (nested objects closing): leave it alone.
        return match[0][0] if inside else match[0]
    value = _lookup(match[1], namespace)
    if value is _MISSING:
        line = offset + text.count("\n", 0, match.start()) + 1 + _MAGIC_LINE
        raise UsageError(f"cell line {line}: {{{match[1]}}} names no variable of the notebook")
    encoded = json.dumps(value if not inside else str(value), default=str)
    # Inside a string the surrounding quotes are the user's: keep only the escaped text.
    return encoded[1:-1] if inside else encoded


def _plain(match: re.Match[str], namespace: Mapping[str, Any]) -> str:
    if match[0] in {"{{", "}}"}:
        return match[0][0]
    value = _lookup(match[1], namespace)
    return match[0] if value is _MISSING else str(value)


def _lookup(dotted: str, namespace: Mapping[str, Any]) -> Any:
    """A variable or an attribute path of one (``{row.id}``); never arbitrary code."""
    head, *rest = dotted.split(".")
    value = namespace.get(head, _MISSING)
    for name in rest:
        if value is _MISSING:
            break
        value = getattr(value, name, _MISSING)
    return value


def _load_json(text: str, offset: int) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"the cell body is not valid JSON: {error.msg} "
            f"at cell line {error.lineno + offset + _MAGIC_LINE}, column {error.colno}"
        ) from None
