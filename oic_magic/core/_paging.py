"""paginate(): a whole OIC list, complete or an error — never a silent partial list.

Only an empty page or ``hasMore: false`` ends a list: a page shorter than asked does
not (a server may cap its pages), and a total is not trusted to say where the list
ends (whether each endpoint's ``totalResults`` counts the list or the page is not
published). The first page is read alone. When its total announces more than it
holds (``totalResults``, or ``totalRecordsCount`` on monitoring), the pages up to that
total are fetched concurrently (``concurrency`` threads on the caller's pooled client)
at the stride of the first page; the pages must then follow one another without a
gap, and a list that has not ended where its total said is read on page by page
until it does. Otherwise pages are read one after another. A total that disagrees
with a list read to its end (too high, too low, counting each page) is said in the
listing's ``warnings``; the items are the whole list and ``total`` their count.

Items that shift between pages (seen twice) and a total that changes between pages
mean the read cannot be trusted: a deletion shifts later pages left, so one item is
skipped while the count still matches the new total. The list is then read again
from the start (``rereads`` times, 2 by default), and only a list that changes
during every read raises :class:`~oic_magic.exceptions.ListChangedError`, with
the last read's items. Monitoring lists are read with
``limit <= 50`` and ``offset <= 500``; when that cap hides records the error says
to narrow the time window, that its ``items`` hold what arrived, and that a limit of
at most 500 reads the first records without an error. More than ``max_rows`` items raise
:class:`~oic_magic.exceptions.RowLimitError` (the user raises the cap or
narrows the query) rather than returning a truncated listing that looks whole.

Pages are fetched through a ``fetch(offset, limit)`` callable, so the paging
rules are tested without HTTP.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from ..exceptions import (
    IncompleteResultError,
    ListChangedError,
    OICError,
    ResponseFormatError,
    RowLimitError,
)
from ._catalogue import MONITORING_LIMIT, MONITORING_MAX_OFFSET
from ._pages import Listing, _dedupe, _flat, _next_offset, _Page, _parse
from ._totals import diagnose, per_page

__all__ = ["Listing", "Progress", "paginate"]

logger = logging.getLogger("oic_magic.paging")

Progress = Callable[[int, int | None], None]
"""Called after each page with (pages done, pages in all — None while unknown)."""
Fetch = Callable[[int, int], Any]

_NARROW = (
    "Monitoring lists stop at offset 500: narrow the time window "
    "(--where timewindow=1h, or startdate/enddate) so fewer records match. "
    "The items that did arrive are on this error's .items; a limit of at most 500 "
    "reads the first records (up to 500) without an error."
)


def paginate(
    fetch: Fetch,
    *,
    url: str,
    monitoring: bool = False,
    page_size: int = 100,
    limit: int | None = None,
    concurrency: int = 8,
    max_rows: int = 1_000_000,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    retries: int = 2,
    rereads: int = 2,
) -> Listing:
    """Read the list behind *fetch* completely; see the module docstring for the rules."""
    started = clock()
    notes: list[str] = []
    reads = 1 + max(0, rereads)
    for read in range(1, reads + 1):
        reader = _Reader(
            fetch,
            monitoring=monitoring,
            page_size=page_size,
            limit=limit,
            concurrency=concurrency,
            max_rows=max_rows,
            progress=progress,
            retries=retries,
            read=read,
            reads=reads,
        )
        pages = reader.read()
        items, warnings = _dedupe(pages)
        try:
            status = reader.check(items, pages)
        except ListChangedError as changed:
            if read == reads:
                raise
            note = f"read {read} of at most {reads}: {changed.message} Reading it again."
            logger.warning("%s", note)
            notes.append(note)
            continue
        break
    if status == "limited" and limit is not None:
        items = items[:limit]
    return Listing(
        items=tuple(items),
        total=reader.total,
        pages=len(pages),
        elapsed=clock() - started,
        url=url,
        status=status,
        warnings=(*notes, *reader.notes, *warnings),
    )


class _Reader:
    """The reading of one listing: which pages, in what order, and when to stop.

    Only an empty page or ``hasMore: false`` ends a list; a page shorter than asked does
    not (a server may cap its pages). A total plans the pages to read concurrently, and
    what arrives is then checked against it: the pages must follow one another without
    a gap, and a list that has not ended where the total said is read on page by page.
    """

    def __init__(
        self,
        fetch: Fetch,
        *,
        monitoring: bool,
        page_size: int,
        limit: int | None,
        concurrency: int,
        max_rows: int,
        progress: Progress | None,
        retries: int,
        read: int = 1,
        reads: int = 1,
    ) -> None:
        self._fetch = fetch
        self._monitoring = monitoring
        self._size = max(1, min(page_size, MONITORING_LIMIT) if monitoring else page_size)
        if limit is not None:
            self._size = max(1, min(self._size, limit))
        self._limit = limit
        self._concurrency = max(1, concurrency)
        self._max_rows = max_rows
        self._progress = progress
        self._retries = retries
        self._read, self._reads = read, reads
        self.total: int | None = None
        self.totals: set[int] = set()
        self._totals_lock = threading.Lock()
        self.capped = False
        self.notes: list[str] = []
        self._late: int = 0  # items on pages after the list had ended

    # -- reading --------------------------------------------------------------------

    def read(self) -> list[_Page]:
        first = self._page(0)
        offsets = self._planned(first)
        self._report(1, 1 + len(offsets) if offsets else None)
        pages = [first]
        if offsets:
            planned = self._concurrently(offsets, done=[first], count=1 + len(offsets))
            pages = self._contiguous([first, *planned])
        return self._read_sequential(pages)

    def _planned(self, first: _Page) -> list[int]:
        """The offsets a total plans, at the stride of the first page (a server cap)."""
        total, stride = first.total, len(first.items)
        # A total that the first page already contradicts plans nothing.
        if total is None or first.last or total <= stride:
            return []
        wanted = total if self._limit is None else min(total, self._limit)
        if wanted > self._max_rows:
            raise RowLimitError(items=first.items, expected=total, max_rows=self._max_rows)
        offsets = range(stride, wanted, stride)
        if self._monitoring:
            return [offset for offset in offsets if offset <= MONITORING_MAX_OFFSET]
        return list(offsets)

    def _contiguous(self, pages: list[_Page]) -> list[_Page]:
        """The pages that follow one another from offset 0, up to the end of the list.

        A short page leaves a gap before the next planned one: the pages after it are
        dropped and read again one by one. Items on a page after the end are counted,
        as they say the list changed.
        """
        kept: list[_Page] = []
        for page in pages:
            if kept and kept[-1].last:
                self._late += len(page.items)
            elif page.offset == (kept[-1].end if kept else 0):
                kept.append(page)
            else:
                break
        return kept

    def _read_sequential(self, pages: list[_Page]) -> list[_Page]:
        count = sum(len(page.items) for page in pages)
        while True:
            if count > self._max_rows and (self._limit is None or self._limit > self._max_rows):
                raise RowLimitError(
                    items=_flat(pages)[: self._max_rows],
                    expected=self.total,
                    max_rows=self._max_rows,
                )
            if pages[-1].last or (self._limit is not None and count >= self._limit):
                return pages
            offset = pages[-1].end
            if self._monitoring and offset > MONITORING_MAX_OFFSET:
                self.capped = True
                return pages
            page = self._guarded(offset, pages)
            if page.items == pages[-1].items:
                # A server that ignores offset answers the same page forever.
                note = (
                    f"the page at offset {offset} repeated the one before it (the server "
                    "ignores offset): the list was taken to end there."
                )
                logger.warning("oic_magic: %s", note)
                self.notes.append(note)
                return pages
            pages.append(page)
            count += len(page.items)
            self._report(len(pages), None)

    def _concurrently(self, offsets: list[int], *, done: list[_Page], count: int) -> list[_Page]:
        """The pages at *offsets*, read by ``concurrency`` threads, never past the list's end.

        Once a page ends the list, a thread skips the offsets a (too high) total planned
        beyond it instead of requesting them.
        """
        if not offsets:
            return []
        results: dict[int, _Page] = {}
        end: list[int] = []  # the offset of the earliest page that ended the list, once seen
        lock = threading.Lock()

        def read(offset: int) -> _Page | None:
            with lock:
                if end and offset > end[0]:
                    return None
            page = self._page(offset)
            if page.last:
                with lock:
                    end[:] = [min([offset, *end])]
            return page

        # No ``with``: its exit waits for every queued page, which a Ctrl-C must not do.
        pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=min(self._concurrency, len(offsets)), thread_name_prefix="oic-page"
        )
        futures = {pool.submit(read, offset): offset for offset in offsets}
        try:
            for future in concurrent.futures.as_completed(futures):
                page = future.result()
                if page is not None:
                    results[futures[future]] = page
                    self._report(1 + len(results), count)
        except OICError as exc:
            pool.shutdown(wait=True, cancel_futures=True)
            arrived = done + [results[offset] for offset in sorted(results)]
            raise self._incomplete(exc, arrived) from exc
        except BaseException:
            # Ctrl-C (or any other abort) drops the queued pages and leaves the few
            # requests in flight to finish on their own, so the interrupt surfaces now.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return [results[offset] for offset in offsets if offset in results]

    def _guarded(self, offset: int, pages: list[_Page]) -> _Page:
        try:
            return self._page(offset)
        except OICError as exc:
            raise self._incomplete(exc, pages) from exc

    def _page(self, offset: int) -> _Page:
        attempt = 0
        while True:
            try:
                page = _parse(self._fetch(offset, self._size), offset=offset)
                break
            except ResponseFormatError:
                # A garbled page of a GET is safe to read again.
                if attempt >= self._retries:
                    raise
                attempt += 1
                logger.debug("page at offset %d was malformed; reading it again", offset)
        if page.total is not None:
            self._record_total(page.total)
        return page

    def _record_total(self, total: int) -> None:
        # Every total is kept, not just the last: pages run in threads, and a
        # deletion is only visible as two totals that differ.
        with self._totals_lock:
            self.total = total
            self.totals.add(total)

    # -- decisions ------------------------------------------------------------------

    def _report(self, done: int, count: int | None) -> None:
        if self._progress is not None:
            self._progress(done, count)

    def _incomplete(self, exc: OICError, pages: list[_Page]) -> IncompleteResultError:
        return IncompleteResultError(
            f"the listing stopped at offset {_next_offset(pages)} because {exc.message}",
            items=_flat(pages),
            expected=self.total,
            hint=exc.hint or "Run the call again.",
        )

    def check(self, items: list[Any], pages: list[_Page]) -> Literal["complete", "limited"]:
        """Raise unless *items* are the whole list, or as much of it as the caller's limit.

        Afterwards ``total`` is what the listing reports: the count of a whole list, the
        server's total of a limited read when nothing contradicts it, else None.
        """
        # Before the limit: a shifted page can hide an item inside the limited prefix too.
        self._check_steady(items, pages)
        ended = pages[-1].last
        if self._limit is not None and len(items) >= self._limit:
            if ended and len(items) == self._limit:
                self.total = len(items)
                return "complete"
            if per_page(pages) or (self.total is not None and self.total < len(items)):
                self.total = None
            return "limited"
        if self.capped:
            expected = None if per_page(pages) else self.total
            raise IncompleteResultError(
                "the monitoring cap hides records", items=items, expected=expected, hint=_NARROW
            )
        note = diagnose(pages, len(items))
        if note is not None:
            logger.log(logging.INFO if per_page(pages) else logging.WARNING, "oic_magic: %s", note)
            self.notes.append(note)
        self.total = len(items)
        return "complete"

    def _check_steady(self, items: list[Any], pages: list[_Page]) -> None:
        if len(self.totals) > 1 and not per_page(pages):
            totals = ", ".join(map(str, sorted(self.totals)))
            raise self._changed(items, reason=f" (pages reported totals of {totals})")
        if self._late:
            raise self._changed(
                items, reason=f" ({self._late} item(s) arrived on pages after its end)"
            )
        twice = sum(len(page.items) for page in pages) - len(items)
        if twice:
            raise self._changed(items, reason=f" ({twice} item(s) appeared on two pages)")

    def _changed(self, items: list[Any], *, reason: str = "") -> ListChangedError:
        each = f", and during each of {self._read} reads" if self._read > 1 else ""
        return ListChangedError(
            f"the list changed while it was read{reason}{each}",
            items=items,
            expected=self.total,
            reads=self._read,
            hint="Run the call again when the instance is quieter; a --where filter "
            "(or a narrower time window) gives a steadier list.",
        )
