"""List mechanics shared by every collection: OIC's ``q`` grammar, paging and caps.

The ``q`` value is a JavaScript-like object, not JSON: ``{name:/ERP_/, status:'CONFIGURED'}``.
Single quotes mean an exact match (``\\'`` escapes a quote), slashes mean "contains"
(case-insensitive), commas mean AND; ``'"two words"'`` is a quoted multi-word value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._answers import DEFAULT, Answers


class ApiError(Exception):
    """A Developer API error answer: status, title and a human detail."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


class BadRequest(ApiError):
    """A request the Developer API answers with 400 "Malformed parameters"."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, "Malformed parameters", detail)


def not_found(kind: str, ident: str) -> ApiError:
    """The 404 of an unknown id."""
    return ApiError(404, "Not Found", f"{kind} not found: {ident}")


@dataclass(frozen=True)
class Condition:
    """One ``key:value`` pair of a ``q`` filter."""

    key: str
    value: str
    contains: bool


_KEY = re.compile(r"\s*([A-Za-z_][\w.-]*)\s*:\s*")


def parse_q(text: str) -> list[Condition]:
    """Parse a ``q`` value; raise BadRequest when it is malformed."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        raise BadRequest("q must be an object such as {name:'value'}")
    body, position, conditions = text[1:-1], 0, []
    if not body.strip():
        return []
    while True:
        match = _KEY.match(body, position)
        if match is None:
            raise BadRequest(f"q: expected key: at position {position + 1}")
        value, contains, position = _value(body, match.end())
        conditions.append(Condition(match.group(1), value, contains))
        rest = body[position:].lstrip()
        if not rest:
            return conditions
        if rest[0] != ",":
            raise BadRequest(f"q: expected ',' at position {len(body) - len(rest) + 1}")
        position = len(body) - len(rest) + 1


def _value(body: str, start: int) -> tuple[str, bool, int]:
    """Read a quoted or slashed value starting at ``start``."""
    if start >= len(body) or body[start] not in "'/":
        raise BadRequest(f"q: a value must be in single quotes or slashes (position {start + 1})")
    quote, chars, index = body[start], [], start + 1
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            chars.append(body[index + 1])
            index += 2
            continue
        if char == quote:
            value = "".join(chars)
            if len(value) > 1 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value, quote == "/", index + 1
        chars.append(char)
        index += 1
    raise BadRequest("q: unterminated value")


Getter = Callable[[dict[str, Any]], Any]


def compile_filter(
    conditions: Sequence[Condition], fields: dict[str, Getter]
) -> Callable[[dict[str, Any]], bool]:
    """Turn conditions into a predicate over records; unknown keys are malformed."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    for cond in conditions:
        getter = fields.get(cond.key) or fields.get(cond.key.lower())
        if getter is None:
            raise BadRequest(f"q: unknown key {cond.key!r}; known: {', '.join(sorted(fields))}")
        tests.append(_test(getter, cond))
    return lambda record: all(test(record) for test in tests)


def _test(getter: Getter, cond: Condition) -> Callable[[dict[str, Any]], bool]:
    if cond.contains:
        needle = cond.value.lower()
        return lambda record: needle in str(getter(record) or "").lower()
    return lambda record: str(getter(record)) == cond.value


@dataclass(frozen=True)
class Page:
    """Validated ``offset``/``limit`` of a list request."""

    offset: int
    limit: int


def page_of(
    query: dict[str, str],
    *,
    default: int,
    maximum: int | None,
    max_offset: int | None,
    strict: bool,
) -> Page:
    """Read offset/limit; beyond a cap, either clamp or (``strict``) reject with 400."""
    offset, limit = _integer(query, "offset", 0), _integer(query, "limit", default)
    if limit < 1:
        raise BadRequest("limit must be a positive integer")
    if maximum is not None and limit > maximum:
        if strict:
            raise BadRequest(f"limit must not exceed {maximum}")
        limit = maximum
    if max_offset is not None and offset > max_offset:
        raise BadRequest(f"offset must not exceed {max_offset}")
    return Page(offset, limit)


def _integer(query: dict[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer") from None
    if value < 0:
        raise BadRequest(f"{name} must not be negative")
    return value


def envelope(
    items: list[Any],
    total: int,
    page: Page,
    *,
    total_key: str = "totalResults",
    answers: Answers = DEFAULT,
) -> dict[str, Any]:
    """OIC's list envelope ``{items, hasMore, totalResults}`` (seen; no limit or offset),
    shaped by the run's *answers* (items as dicts, or already encoded as bytes)."""
    return answers.envelope(items, total, page.offset, total_key=total_key)
