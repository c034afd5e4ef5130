"""What a list's totals say, checked against the items that did arrive.

OIC's lists carry ``totalResults`` (``totalRecordsCount`` on monitoring), but whether
every endpoint counts the whole list or only the page is not published, and other
Oracle REST services count the page. A total therefore only plans the reading; once a
list has been read to its end (``hasMore: false`` or an empty page), these functions
say how its totals compare with what arrived, in words for the listing's warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["diagnose", "per_page"]


class Page(Protocol):
    """What a total is compared with: a page's items, its total and its hasMore."""

    @property
    def items(self) -> list[Any]: ...
    @property
    def total(self) -> int | None: ...
    @property
    def has_more(self) -> bool | None: ...


def per_page(pages: Sequence[Page]) -> bool:
    """Every page that tells a total tells its own length, and that is not the list's."""
    told = [page for page in pages if page.total is not None]
    if not told or any(page.total != len(page.items) for page in told):
        return False
    count = sum(len(page.items) for page in pages)
    return len({page.total for page in told}) > 1 or told[0].total != count


def diagnose(pages: Sequence[Page], count: int) -> str | None:
    """Why the totals of a list read to its end differ from its *count*; None if they agree."""
    totals = [page.total for page in pages if page.total is not None]
    if not totals:
        return None
    end = "hasMore false" if pages[-1].has_more is False else "an empty page"
    if per_page(pages):
        told = ", ".join(str(total) for total in sorted(set(totals)))
        return (
            f"the server's totals ({told}) count each page, not the list; the list was "
            f"read to its end ({end}): {count} items."
        )
    total = totals[-1]
    if total == count:
        return None
    wrong = "high" if total > count else "low"
    return (
        f"the server announced {total} items but the list ended after {count} ({end}): "
        f"its total is too {wrong}, and the {count} items are the whole list."
    )
