"""From what the user writes to what OIC expects: paths, ids, methods and ``q`` filters.

- ``connections`` means ``/ic/api/integration/v1/connections``; a path that starts
  with ``/ic/`` (or ``ic/``) is taken as it is. A trailing ``/`` is dropped, so
  ``connections/`` is the list.
- A full URL (``https://host/ic/...``, as in ``links[].href``) is split by
  :func:`oic_magic.core._urls.split_origin`; the client decides whether its origin may be called.
- Integration ids ``CODE|VERSION`` are sent as ``CODE%7CVERSION``.
- ``PATCH`` is sent as ``POST`` with ``X-HTTP-Method-Override: PATCH``.
- ``--where key=value`` (exact) and ``--where key~text`` (contains) become
  ``q={key:'value', key:/text/}`` with OIC's quoting (not JSON). OIC reads one ``q``
  only, so a ``q={...}`` written in the path and the where conditions are merged into
  one object; OIC ANDs its terms and holds one value per key, so a key given twice is
  refused (``RequestError``, a ``ValueError``) rather than sent to match nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from urllib.parse import unquote

from ..exceptions import RequestError
from ._catalogue import API_PREFIX

__all__ = [
    "Route",
    "api_path",
    "build_q",
    "check_headers",
    "header_problem",
    "is_monitoring",
    "merge_q",
    "route",
    "split_path",
]

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def api_path(path: str) -> str:
    """The absolute request path for *path*, with ``|`` encoded as ``%7C``.

    ``connections``, ``/connections`` and ``connections/`` all mean the Developer API's
    ``/ic/api/integration/v1/connections``; ``/ic/...`` and ``ic/...`` are kept as written.
    """
    path = path.strip().lstrip("/")
    path = "/" + path if path.startswith("ic/") else API_PREFIX + path
    # A trailing slash is the same list to the user, but a 404 ("not found: ") to OIC.
    path = path.rstrip("/")
    # httpx leaves "|" as is; OIC wants integration ids CODE|VERSION percent-encoded.
    return path.replace("|", "%7C")


def split_path(path: str) -> tuple[str, list[tuple[str, str]]]:
    """Separate a query string written into *path* (``connections?limit=5``).

    The query is read as a person types it, not as a form encodes it: ``+`` is a
    plus, and ``&`` or ``#`` inside a ``{...}`` filter belongs to the filter
    (``q={name:/C++/}``, ``q={name:'A&B'}``). ``%XX`` escapes are decoded.
    """
    bare, _, query = path.partition("?")
    if not query:
        return bare, []
    return bare, [_pair(part) for part in _query_parts(query) if part]


def _query_parts(query: str) -> list[str]:
    """The ``name=value`` parts of a query: split at ``&`` outside braces only."""
    parts: list[str] = []
    start = depth = 0
    for index, char in enumerate(query):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == "&" and depth == 0:
            parts.append(query[start:index])
            start = index + 1
    parts.append(query[start:])
    return parts


def _pair(part: str) -> tuple[str, str]:
    name, _, value = part.partition("=")
    return unquote(name), unquote(value)


def is_monitoring(path: str) -> bool:
    """True for the monitoring endpoints, whose paging is capped (limit 50, offset 500)."""
    return "/monitoring/" in api_path(path) + "/"


class Route:
    """One request as OIC expects it: wire method, path, headers and query parameters."""

    __slots__ = ("method", "wire_method", "path", "params", "headers")

    def __init__(
        self,
        *,
        method: str,
        wire_method: str,
        path: str,
        params: list[tuple[str, str]],
        headers: dict[str, str],
    ) -> None:
        self.method = method
        self.wire_method = wire_method
        self.path = path
        self.params = params
        self.headers = headers

    def __repr__(self) -> str:
        return f"Route({self.method} {self.path})"

    @property
    def idempotent(self) -> bool:
        """True when repeating the request cannot do something twice."""
        return self.method in IDEMPOTENT

    @property
    def display(self) -> str:
        """Path and query for messages (they never carry a secret)."""
        if not self.params:
            return self.path
        query = "&".join(f"{key}={value}" for key, value in self.params)
        return f"{self.path}?{query}"


def route(
    method: str,
    path: str,
    *,
    instance: str | None,
    params: Params = None,
    headers: Mapping[str, str] | None = None,
) -> Route:
    """Build the :class:`Route` for *method* and *path*, adding ``integrationInstance``.

    Several ``q`` filters (one in the path, one in *params*) become one, as OIC reads
    only one: see :func:`merge_q`, which raises ``RequestError`` when they cannot be merged.
    """
    method = method.upper()
    check_headers(headers or {})
    bare, query = split_path(path)
    query = _one_q(query + _pairs(params))
    if instance and not any(key == "integrationInstance" for key, _ in query):
        query.append(("integrationInstance", instance))
    extra = dict(headers or {})
    wire = method
    if method == "PATCH":
        wire = "POST"
        extra["X-HTTP-Method-Override"] = "PATCH"
    elif extra.get("X-HTTP-Method-Override", "").upper() == "PATCH":
        method = "PATCH"
    return Route(method=method, wire_method=wire, path=api_path(bare), params=query, headers=extra)


Params = Mapping[str, object] | Iterable[tuple[str, object]] | None

_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
#: Written by the HTTP client from the request itself: one given as well can only disagree
#: (a wrong Content-Length is a request the connection cannot send).
_WRITTEN_BY_THE_CLIENT = frozenset({"content-length", "transfer-encoding", "host"})


def header_problem(name: str, value: str) -> str | None:
    """Why a request header cannot be sent as given, or None when it can.

    A name is an HTTP token (ASCII letters, digits and ``!#$%&'*+.^_`|~-``); a value is
    one line of printable ASCII (tabs allowed). ``Content-Length``, ``Transfer-Encoding``
    and ``Host`` are the HTTP client's to write. The value is never repeated (it may
    hold anything); its first bad character is named by its code point.
    """
    if not isinstance(name, str) or not _TOKEN.fullmatch(name):
        return (
            f"{name!r} is not an HTTP header name: use ASCII letters, digits and - "
            "(such as X-HTTP-Method-Override)"
        )
    if name.lower() in _WRITTEN_BY_THE_CLIENT:
        return f"the {name} header is written from the request itself: leave it out"
    if not isinstance(value, str):
        return f"the value of the {name} header is a {type(value).__name__}, not text"
    for char in value:
        if char == "\t" or " " <= char <= "~":
            continue
        what = "a non-ASCII character" if char > "\x7f" else "a control character"
        what = "a line break" if char in "\r\n" else what
        return (
            f"the value of the {name} header holds {what} (U+{ord(char):04X}); a header "
            "value is one line of ASCII text: percent-encode it, or send it in the body"
        )
    return None


def check_headers(headers: Mapping[str, str]) -> None:
    """Raise ``RequestError`` (nothing sent) for the first header that cannot be sent."""
    for name, value in headers.items():
        problem = header_problem(name, value)
        if problem is not None:
            raise RequestError(problem)


def _pairs(params: Params) -> list[tuple[str, str]]:
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    return [(str(key), str(value)) for key, value in items if value is not None]


def _one_q(query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """*query* with every ``q`` merged into the first one's place (OIC reads only one)."""
    filters = [value for key, value in query if key == "q"]
    if len(filters) < 2:
        return query
    merged = merge_q(filters)
    first = next(index for index, (key, _) in enumerate(query) if key == "q")
    rest = [(key, value) for key, value in query if key != "q"]
    return [*rest[:first], ("q", merged), *rest[first:]]


def build_q(conditions: Iterable[str], *, monitoring: bool = False) -> str:
    """``["status=CONFIGURED", "name~ERP_"]`` -> ``{status:'CONFIGURED', name:/ERP_/}``.

    ``=`` is an exact match, ``~`` a contains match. On *monitoring* endpoints a
    multi-word value is double-quoted inside the single quotes, as OIC wants there.
    Raises ``RequestError`` for a condition that has neither operator, and for a key
    given twice (the terms are ANDed, one value per key).
    """
    terms = [_term(condition, monitoring=monitoring) for condition in conditions]
    return _join(terms)


def merge_q(filters: Iterable[str]) -> str:
    """Several ``q`` objects as the one OIC reads: ``{a:'1'}`` + ``{b:/2/}`` -> ``{a:'1', b:/2/}``.

    Each filter must be a ``{key:'value', key:/text/}`` object, and each key may appear
    once in all of them; else ``RequestError`` says how to write the filter instead.
    """
    terms: list[_Term] = []
    for text in filters:
        terms += _parse_q(text)
    return _join(terms)


class _Term(NamedTuple):
    """One ``key:value`` of a q object, the value as written (quotes and all)."""

    key: str
    text: str


def _join(terms: list[_Term]) -> str:
    _one_value_per_key(terms)
    return "{" + ", ".join(term.text for term in terms) + "}"


def _one_value_per_key(terms: list[_Term]) -> None:
    """Refuse a key given twice: OIC would match nothing, or keep only the last value."""
    seen: dict[str, _Term] = {}
    for term in terms:
        earlier = seen.setdefault(term.key, term)
        if earlier is not term:
            raise RequestError(
                f"the filter gives {term.key!r} twice ({earlier.text} and {term.text}): "
                "OIC ANDs the terms of its q filter and holds one value per key, so this "
                "would match nothing or only the last value. Give each key once; for "
                "several values, run one call per value."
            )


_KEY = re.compile(r"\s*([A-Za-z_][\w.-]*)\s*:\s*")


def _parse_q(text: str) -> list[_Term]:
    """The terms of a q object such as ``{status:'CONFIGURED', name:/Bank/}``."""
    body = text.strip()
    if not (body.startswith("{") and body.endswith("}")):
        raise _not_an_object(text)
    body, position, terms = body[1:-1], 0, []
    while body[position:].strip():
        match = _KEY.match(body, position)
        if match is None:
            raise _not_an_object(text)
        end = _value_end(body, match.end())
        if end is None:
            raise _not_an_object(text)
        terms.append(_Term(match.group(1), match.group(1) + ":" + body[match.end() : end]))
        rest = body[end:].lstrip()
        if rest and not rest.startswith(","):
            raise _not_an_object(text)
        position = len(body) - len(rest) + (1 if rest else 0)
    return terms


def _value_end(body: str, start: int) -> int | None:
    """Where the quoted ('...') or slashed (/.../) value at *start* ends, or None."""
    if start >= len(body) or body[start] not in "'/":
        return None
    quote, index = body[start], start + 1
    while index < len(body):
        if body[index] == "\\":
            index += 2
            continue
        if body[index] == quote:
            return index + 1
        index += 1
    return None


def _not_an_object(text: str) -> RequestError:
    return RequestError(
        f"q={text} cannot be combined with another filter (where conditions, or a second "
        "q): it is not an object such as {status:'CONFIGURED', name:/Bank/}. Write the "
        "filter one way: all of it in q={...}, or all of it as where conditions."
    )


def _term(condition: str, *, monitoring: bool) -> _Term:
    positions = [i for i in (condition.find("="), condition.find("~")) if i > 0]
    if not positions:
        raise RequestError(f"--where {condition!r}: write key=value (exact) or key~text (contains)")
    cut = min(positions)
    key, operator, value = condition[:cut].strip(), condition[cut], condition[cut + 1 :].strip()
    if not key.replace("_", "").replace(".", "").isalnum():
        raise RequestError(f"--where {condition!r}: {key!r} is not a field name")
    if operator == "~":
        return _Term(key, f"{key}:/{value.replace('/', chr(92) + '/')}/")
    return _Term(key, f"{key}:'{_quote(value, monitoring=monitoring)}'")


def _quote(value: str, *, monitoring: bool) -> str:
    value = value.replace("\\", "\\\\").replace("'", "\\'")
    # Monitoring reads a multi-word value as two unless it is double-quoted inside the quotes.
    if monitoring and " " in value and not (value.startswith('"') and value.endswith('"')):
        value = f'"{value}"'
    return value
