"""From what the user writes to what OIC expects: paths, ids, methods and ``q`` filters.

- ``connections`` means ``/ic/api/integration/v1/connections``; a path that starts
  with ``/ic/`` is taken as it is.
- Integration ids ``CODE|VERSION`` are sent as ``CODE%7CVERSION``.
- ``PATCH`` is sent as ``POST`` with ``X-HTTP-Method-Override: PATCH``.
- ``--where key=value`` (exact) and ``--where key~text`` (contains) become
  ``q={key:'value', key:/text/}`` with OIC's quoting (not JSON).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlsplit

__all__ = ["Route", "api_path", "build_q", "is_monitoring", "route", "split_path"]

API_PREFIX = "/ic/api/integration/v1/"
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def api_path(path: str) -> str:
    """The absolute request path for *path*, with ``|`` encoded as ``%7C``."""
    path = path.strip()
    if not path.startswith("/ic/"):
        path = API_PREFIX + path.lstrip("/")
    # httpx leaves "|" as is; OIC wants integration ids CODE|VERSION percent-encoded.
    return path.replace("|", "%7C")


def split_path(path: str) -> tuple[str, list[tuple[str, str]]]:
    """Separate a query string written into *path* (``connections?limit=5``)."""
    parts = urlsplit(path)
    if not parts.query:
        return path, []
    return path.split("?", 1)[0], parse_qsl(parts.query, keep_blank_values=True)


def is_monitoring(path: str) -> bool:
    """True for the monitoring endpoints, whose paging is capped (limit 50, offset 500)."""
    return "/monitoring/" in api_path(path) + "/"


class Route:
    """One request as OIC expects it: wire method, path, headers and query parameters."""

    __slots__ = ("method", "wire_method", "path", "params", "headers")

    def __init__(
        self, *, method: str, wire_method: str, path: str,
        params: list[tuple[str, str]], headers: dict[str, str],
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
    """Build the :class:`Route` for *method* and *path*, adding ``integrationInstance``."""
    method = method.upper()
    bare, query = split_path(path)
    query += _pairs(params)
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


def _pairs(params: Params) -> list[tuple[str, str]]:
    if params is None:
        return []
    items = params.items() if isinstance(params, Mapping) else params
    return [(str(key), str(value)) for key, value in items if value is not None]


def build_q(conditions: Iterable[str], *, monitoring: bool = False) -> str:
    """``["status=CONFIGURED", "name~ERP_"]`` -> ``{status:'CONFIGURED', name:/ERP_/}``.

    ``=`` is an exact match, ``~`` a contains match. On *monitoring* endpoints a
    multi-word value is double-quoted inside the single quotes, as OIC wants there.
    Raises ``ValueError`` for a condition that has neither operator.
    """
    terms = [_term(condition, monitoring=monitoring) for condition in conditions]
    return "{" + ", ".join(terms) + "}"


def _term(condition: str, *, monitoring: bool) -> str:
    positions = [i for i in (condition.find("="), condition.find("~")) if i > 0]
    if not positions:
        raise ValueError(f"--where {condition!r}: write key=value (exact) or key~text (contains)")
    cut = min(positions)
    key, operator, value = condition[:cut].strip(), condition[cut], condition[cut + 1 :].strip()
    if not key.replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"--where {condition!r}: {key!r} is not a field name")
    if operator == "~":
        return f"{key}:/{value.replace('/', chr(92) + '/')}/"
    return f"{key}:'{_quote(value, monitoring=monitoring)}'"


def _quote(value: str, *, monitoring: bool) -> str:
    value = value.replace("\\", "\\\\").replace("'", "\\'")
    # Monitoring reads a multi-word value as two unless it is double-quoted inside the quotes.
    if monitoring and " " in value and not (value.startswith('"') and value.endswith('"')):
        value = f'"{value}"'
    return value
