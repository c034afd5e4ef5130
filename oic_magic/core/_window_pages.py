"""The pages of a monitoring window: fetched, parsed, and what they say about the list.

A page's ``totalRecordsCount`` (or ``totalResults``) and ``hasMore`` are kept beside
its items; :attr:`Page.trusted` says whether a first page's total can be the count of
its window (see :mod:`~oic_magic.core._window_reads`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from ..exceptions import ResponseFormatError
from ._catalogue import MONITORING_LIMIT, MONITORING_MAX_OFFSET
from ._pages import PageBounds

__all__ = ["Answer", "Fetch", "Page", "dedupe", "fetch_page", "readable", "stamp"]


@dataclasses.dataclass(frozen=True)
class Answer:
    """One page as the server answered it: the parsed body and its ``Date``, if any."""

    body: Any
    server_time: float | None = None


Fetch = Callable[[str, int, int], Answer]
"""``fetch(q, offset, limit)``: one page of the list with this ``q``."""


def readable(stride: int) -> int:
    """Records one window shows at pages of *stride*: offsets 0..500, as OIC caps them."""
    stride = max(1, min(MONITORING_LIMIT, stride))
    return (MONITORING_MAX_OFFSET // stride + 1) * stride


def stamp(seconds: float) -> str:
    """Epoch *seconds* as OIC writes dates: ``2025-02-24 07:34:37`` (UTC)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclasses.dataclass(frozen=True)
class Page(PageBounds):
    """One page of a sub-window, as parsed."""

    offset: int
    items: list[Any]
    total: int | None
    server_time: float | None
    body: Any = None
    has_more: bool | None = None

    @property
    def trusted(self) -> bool:
        """As a first page: its total can be the list's count (module docstring)."""
        if self.total is None or self.total < len(self.items):
            return False
        return self.total > len(self.items) or self.last


def fetch_page(
    fetch: Fetch, q: str, offset: int, retries: int, *, size: int = MONITORING_LIMIT
) -> Page:
    """One page, read again when its body is garbled (a GET is safe to repeat)."""
    attempt = 0
    while True:
        try:
            return _parse(fetch(q, offset, size), offset)
        except ResponseFormatError:
            if attempt >= retries:
                raise
            attempt += 1


def _parse(answer: Answer, offset: int) -> Page:
    body = answer.body
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ResponseFormatError("the monitoring answer is not a list ('items' is missing).")
    total = body.get("totalRecordsCount", body.get("totalResults"))
    if not isinstance(total, int) or isinstance(total, bool):
        total = None
    has_more = body.get("hasMore")
    return Page(
        offset,
        body["items"],
        total,
        answer.server_time,
        body,
        has_more if isinstance(has_more, bool) else None,
    )


def dedupe(items: Iterable[Any]) -> list[Any]:
    """*items* with each id once, in their order (items without an id all kept)."""
    seen: set[Any] = set()
    out: list[Any] = []
    for item in items:
        key = item.get("id") if isinstance(item, dict) else None
        if isinstance(key, str | int):
            if key in seen:
                continue
            seen.add(key)
        out.append(item)
    return out
