"""A listing and its pages: what paginate() reads and returns, and how pages are joined.

A page is decoded as it arrives into a :class:`_Page` (its offset, items, total and
``hasMore``); the pages of a read are joined in offset order and each item with an ``id``
kept once (:func:`_dedupe`). :class:`Listing` is what the caller gets.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from typing import Any, Literal, overload

from ..exceptions import ResponseFormatError

__all__ = ["Listing", "PageBounds"]

logger = logging.getLogger("oic_magic.paging")


@dataclasses.dataclass(frozen=True, kw_only=True, repr=False)
class Listing(Sequence[Any]):
    """The items of a list endpoint and the facts of how they were read.

    ``status`` is ``"complete"``, or ``"limited"`` when the caller's ``limit``
    stopped reading early. ``total`` is the count of a complete list; of a limited
    one, the server's total when nothing contradicted it, else None. ``url`` is the
    list's URL without offset and limit; ``warnings`` say what was odd about the read
    (a reread, duplicates, a total that disagreed with what arrived).
    """

    items: tuple[Any, ...]
    total: int | None
    pages: int
    elapsed: float
    url: str
    status: Literal["complete", "limited"] = "complete"
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return (
            f"Listing({len(self.items)} items, total={self.total}, pages={self.pages}, "
            f"status={self.status!r})"
        )

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


class PageBounds:
    """Where a page stands in its list; for the page dataclasses of lists and windows."""

    offset: int
    items: list[Any]
    has_more: bool | None

    @property
    def end(self) -> int:
        """The offset just after this page."""
        return self.offset + len(self.items)

    @property
    def last(self) -> bool:
        """The server says the list ends here: an empty page, or hasMore false."""
        return not self.items or self.has_more is False


@dataclasses.dataclass(frozen=True)
class _Page(PageBounds):
    offset: int
    items: list[Any]
    total: int | None
    has_more: bool | None


def _parse(body: Any, *, offset: int) -> _Page:
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise ResponseFormatError(
            "the answer is not a list ('items' is missing or not a list).",
            hint="This endpoint may return one object: read it with get(), or with "
            "%oic GET and neither --limit nor --where.",
        )
    total = body.get("totalResults", body.get("totalRecordsCount"))
    has_more = body.get("hasMore")
    return _Page(
        offset=offset,
        items=body["items"],
        total=total if isinstance(total, int) and not isinstance(total, bool) else None,
        has_more=has_more if isinstance(has_more, bool) else None,
    )


def _flat(pages: Sequence[_Page]) -> list[Any]:
    return [item for page in sorted(pages, key=lambda p: p.offset) for item in page.items]


def _next_offset(pages: Sequence[_Page]) -> int:
    return max((page.offset + len(page.items) for page in pages), default=0)


def _dedupe(pages: Sequence[_Page]) -> tuple[list[Any], list[str]]:
    seen: set[Any] = set()
    items: list[Any] = []
    twice = 0
    for item in _flat(pages):
        key = item.get("id") if isinstance(item, dict) else None
        if isinstance(key, str | int):
            if key in seen:
                twice += 1
                continue
            seen.add(key)
        items.append(item)
    warnings = []
    if twice:
        warnings.append(
            f"{twice} item(s) appeared on two pages because the list changed while "
            "it was read; each is kept once."
        )
        logger.warning("oic_magic: %s", warnings[0])
    return items, warnings
