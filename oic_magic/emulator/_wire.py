"""Requests and responses as the app layer sees them, and the Developer API error body."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._answers import DEFAULT, Answers
from ._listing import ApiError


@dataclass
class Request:
    """One HTTP request as the server read it."""

    origin: str
    method: str
    path: str
    raw_query: str
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        """First value of each query parameter."""
        pairs = urllib.parse.parse_qsl(self.raw_query, keep_blank_values=True)
        return {k: v for k, v in reversed(pairs)}


@dataclass
class Response:
    """What to send back, how long to wait first, and whether to drop the connection."""

    status: int
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False


def encode(payload: Any) -> bytes:
    """Compact JSON, as every answer is sent."""
    return json.dumps(payload, separators=(",", ":")).encode()


def json_response(status: int, payload: Any, **headers: str) -> Response:
    """A JSON answer."""
    return Response(status, encode(payload), headers=dict(headers))


def json_list(body: dict[str, Any]) -> Response:
    """A 200 list answer whose ``items`` are already encoded: joined, not encoded again.

    The bytes are those ``json_response`` gives for the same envelope with decoded items;
    pages are served this way because encoding their items was most of a page's cost.
    """
    head = b'{"items":['
    rest = encode({"items": [], **{k: v for k, v in body.items() if k != "items"}})
    return Response(200, head + b",".join(body["items"]) + rest[len(head) :])


def api_error(error: ApiError, answers: Answers = DEFAULT) -> Response:
    """The Developer API's error body, in the run's shape (not published for OIC: Oracle's
    REST error body by default, doc)."""
    return json_response(error.status, answers.error_body(error.status, error.title, error.detail))
