"""The sub-windows of a monitoring window, read on one pool until each is whole.

Each sub-window's first page decides how the rest is read. Its total is trusted only
when it can be the window's count: more than the page holds, or the page ends the list
(``hasMore: false`` or empty). A trusted total over what one window shows cuts the
sub-window at once, into parts of about :data:`TARGET` records; a trusted total within
it plans the pages up to it, fetched concurrently. No total, a total that counts the
page (``totalRecordsCount`` equal to a page that goes on), or one below the page's
length plans nothing: the pages are read one after another.

Whatever was planned, what arrived decides: the pages must follow one another from
offset 0, and a sub-window is whole only when its list ended (``hasMore: false``, an
empty page, or its trusted total reached on a short page). One that has not ended is
read on; one that reaches offset 500 without an end holds more than the caps show and
is cut by what arrived: the span its records' dates cover says how dense it is. A
total too high or too low therefore costs a few requests, never records. A sub-window
whose pages disagree (two totals, items twice, items after the end) is read again on
its own by :func:`~oic_magic.core._paging.paginate`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..exceptions import IncompleteResultError, ListChangedError, OICError, RowLimitError
from ._catalogue import MONITORING_LIMIT, MONITORING_MAX_OFFSET
from ._paging import Progress, paginate
from ._totals import diagnose, per_page
from ._window_pages import Fetch, Page, dedupe, fetch_page, readable, stamp

__all__ = ["TARGET", "Leaf", "Split", "merged"]

#: Records a sub-window is cut to hold, below what one window shows so an uneven hour
#: rarely splits again.
TARGET = 400
#: The most parts one sub-window is cut into at once.
_MOST_PARTS = 256
#: The most parts the older rest of a full window is cut into on the density seen.
_OLDER_PARTS = 64


# -- the split read ---------------------------------------------------------------------------


@dataclasses.dataclass(eq=False)
class _Cut:
    """A sub-window that was cut: its first page's ids, and how many parts answered them."""

    ids: tuple[Any, ...]
    parts: int
    same: int = 0


@dataclasses.dataclass(eq=False)
class Leaf:
    """A sub-window and its pages by offset; ``root`` when it is the whole window uncut."""

    start: int
    end: int
    q: str
    pages: dict[int, Page] = dataclasses.field(default_factory=dict)
    total: int | None = None  # the first page's total, when trusted
    stride: int = MONITORING_LIMIT
    pending: int = 0
    late: int = 0  # items on pages after the list had ended
    root: bool = False
    repeated: bool = False  # a page repeated the one before it: the server ignores offset
    parent: _Cut | None = None

    def run(self) -> list[Page]:
        """The pages that follow one another from offset 0, up to the end of the list."""
        run: list[Page] = []
        for page in sorted(self.pages.values(), key=lambda p: p.offset):
            if run and run[-1].last:
                self.late += len(page.items)
                del self.pages[page.offset]
            elif run and page.items == run[-1].items:
                self.repeated = True
                del self.pages[page.offset]
            elif page.offset == (run[-1].end if run else 0):
                run.append(page)
            else:  # a gap after a short page: read on from the short page's end
                del self.pages[page.offset]
        return run

    def ended(self, run: list[Page]) -> bool:
        """The list of this sub-window ended within what arrived."""
        if run[-1].last or self.repeated:
            return True
        count = sum(len(page.items) for page in run)
        return count == self.total and len(run[-1].items) < self.stride

    def items(self) -> list[Any]:
        return [item for page in self.run() for item in page.items]


class Split:
    """Sub-windows probed, cut again where too full, and their pages, on one pool."""

    def __init__(
        self,
        fetch: Fetch,
        q_of: Callable[[int, int], str],
        *,
        concurrency: int,
        progress: Progress | None,
        retries: int,
        total: int | None,
        max_rows: int,
    ) -> None:
        self._fetch, self._q_of = fetch, q_of
        self._concurrency = max(1, concurrency)
        self._progress, self._retries = progress, retries
        self._total, self._max_rows = total, max_rows
        self.requests = 1  # the probe
        self.extra: list[Any] = []  # records of windows that were cut again
        self._estimate = 1 + math.ceil((total or 0) / MONITORING_LIMIT)
        self._leaves: list[Leaf] = []
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pending: dict[concurrent.futures.Future[Page], Leaf] = {}

    def read(self, root: Leaf, probe: Page) -> list[Leaf]:
        """Every sub-window whole, from the whole window *root* and its first page."""
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self._concurrency, thread_name_prefix="oic-window"
        )
        try:
            self._first(root, probe)
            while self._pending:
                done, _ = concurrent.futures.wait(
                    self._pending, return_when=concurrent.futures.FIRST_COMPLETED
                )
                for future in done:
                    leaf = self._pending.pop(future)
                    page = future.result()
                    self.requests += 1
                    leaf.pending -= 1
                    if not leaf.pages:
                        self._first(leaf, page)
                    else:
                        leaf.pages[page.offset] = page
                        if leaf.pending == 0:
                            self._advance(leaf)
                    self._report()
        except OICError as exc:
            self._pool.shutdown(wait=True, cancel_futures=True)
            if isinstance(exc, IncompleteResultError | RowLimitError):
                raise
            raise IncompleteResultError(
                f"a sub-window of the monitoring list failed because {exc.message}",
                items=self.arrived(),
                expected=self._total,
                hint=exc.hint or "Run the call again.",
            ) from exc
        except BaseException:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise
        self._pool.shutdown(wait=True)
        if self._progress is not None:
            self._progress(self.requests, self.requests)
        return sorted(self._leaves, key=lambda leaf: leaf.start)

    def arrived(self) -> list[Any]:
        """Every record that arrived so far, each once."""
        return dedupe([*self.extra, *(i for leaf in self._leaves for i in leaf.items())])

    # -- decisions --------------------------------------------------------------------------

    def _first(self, leaf: Leaf, page: Page) -> None:
        """A sub-window's first page: cut it on a trusted total, plan its pages, or read on."""
        leaf.pages[0] = page
        leaf.stride = len(page.items) or MONITORING_LIMIT
        cut = leaf.parent
        if cut is not None and page.items and _ids(page.items) == cut.ids:
            cut.same += 1
            if cut.same == cut.parts:
                raise self._undated(leaf)
        if page.trusted:
            leaf.total = page.total
            assert page.total is not None
            if page.total > readable(leaf.stride):
                parts = math.ceil(page.total / TARGET)
                self._cut(leaf, page.items, _even(leaf.start, leaf.end, parts))
                return
        self._leaves.append(leaf)
        if leaf.total is not None and not page.last:
            for offset in range(leaf.stride, leaf.total, leaf.stride):
                if offset <= MONITORING_MAX_OFFSET:
                    self._submit(leaf, offset)
            if leaf.pending:
                self._estimate += leaf.pending
                return
        self._advance(leaf)

    def _advance(self, leaf: Leaf) -> None:
        """All planned pages of *leaf* are in: done, read on, or cut by what arrived."""
        run = leaf.run()
        if leaf.ended(run):
            self._check_rows()
            return
        offset = run[-1].end
        if offset <= MONITORING_MAX_OFFSET:
            self._estimate += 1
            self._submit(leaf, offset)
            return
        self._leaves.remove(leaf)
        items = [item for page in run for item in page.items]
        self._cut(leaf, items, _by_arrival(items, leaf.start, leaf.end))

    def _cut(self, leaf: Leaf, items: list[Any], edges: list[int]) -> None:
        """Read *leaf* again as the sub-windows between *edges*; what arrived is kept."""
        if leaf.end - leaf.start <= 1:
            raise self._too_dense(leaf, leaf.total, items)
        self.extra.extend(items)
        cut = _Cut(_ids(leaf.pages[0].items), len(edges) - 1)
        for low, high in zip(edges, edges[1:], strict=False):
            self._estimate += 1
            self._submit(Leaf(low, high, self._q_of(low, high), parent=cut), 0)

    def _submit(self, leaf: Leaf, offset: int) -> None:
        assert self._pool is not None
        leaf.pending += 1
        future = self._pool.submit(fetch_page, self._fetch, leaf.q, offset, self._retries)
        self._pending[future] = leaf

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(self.requests, max(self._estimate, self.requests))

    def _check_rows(self) -> None:
        count = sum(len(page.items) for leaf in self._leaves for page in leaf.pages.values())
        if count > self._max_rows:
            raise RowLimitError(
                items=self.arrived()[: self._max_rows],
                expected=self._total,
                max_rows=self._max_rows,
            )

    def _too_dense(self, leaf: Leaf, total: int | None, items: list[Any]) -> IncompleteResultError:
        holds = f"{total} records" if total is not None else f"more than {len(items)} records"
        return IncompleteResultError(
            f"one second ({stamp(leaf.start)} UTC) holds {holds}, "
            f"more than the {readable(leaf.stride)} OIC shows of a window",
            items=dedupe([*self.extra, *items, *(i for x in self._leaves for i in x.items())]),
            expected=self._total,
            hint="Add a filter (--where status=FAILED, code=..., primaryValue=...) so "
            "fewer records match each second.",
        )

    def _undated(self, leaf: Leaf) -> IncompleteResultError:
        return IncompleteResultError(
            f"every part of the window {stamp(leaf.start)} to {stamp(leaf.end)} UTC and "
            "beyond answered the same records: the server does not narrow the list by "
            "startdate/enddate, so past the monitoring cap it cannot be read whole",
            items=self.arrived(),
            expected=self._total,
            hint="Narrow the list with a filter (--where status=FAILED, code=...) so that "
            "at most 500 records match, or read the first records with a limit of at most 500.",
        )


def _ids(items: list[Any]) -> tuple[Any, ...]:
    return tuple(item.get("id") if isinstance(item, dict) else item for item in items)


def _even(start: int, end: int, parts: int) -> list[int]:
    """The edges of *start*..*end* cut in *parts* (at least 2, at most 256) equal spans."""
    parts = max(2, min(parts, _MOST_PARTS))
    return sorted({start + round(i * (end - start) / parts) for i in range(parts + 1)})


def _by_arrival(items: list[Any], start: int, end: int) -> list[int]:
    """Where to cut a window that reached the cap, from the dates of the records that came.

    OIC shows the newest records of a full window first: the span their creation dates
    cover (from the oldest of them to the window's end) is cut to hold what came, and
    the older rest is cut by the density seen, at most :data:`_OLDER_PARTS` parts.
    Without readable dates (or records in another order) the window is cut evenly.
    """
    stamps = [s for s in map(_seconds, items) if s is not None and start - 1 <= s <= end + 1]
    if len(stamps) < len(items) // 2:
        return _even(start, end, 4)
    oldest = max(start, math.floor(min(stamps)))
    newer = _even(oldest, end, math.ceil(len(items) / TARGET))
    if oldest - start < 1 or (end - oldest) * 2 > end - start:
        # The records came from all over the window (another order): even halves or more.
        return _even(start, end, math.ceil(len(items) / TARGET))
    density = len(items) / max(1, end - oldest)
    older = math.ceil(density * (oldest - start) / TARGET)
    return sorted({*_even(start, oldest, min(older, _OLDER_PARTS)), *newer})


def _seconds(item: Any) -> float | None:
    value = item.get("creationDate") if isinstance(item, dict) else None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


# -- merging ----------------------------------------------------------------------------------


def merged(
    split: Split,
    leaves: list[Leaf],
    fetch: Fetch,
    url: str,
    rereads: int,
    retries: int,
) -> tuple[list[Any], list[str]]:
    """Every leaf checked steady (read again alone when its pages disagree), then merged.

    Also says, once, when totals disagreed with what arrived (warnings of the listing).
    """
    out: list[Any] = []
    odd: list[str] = []
    warnings: list[str] = []
    for leaf in leaves:
        run = leaf.run()
        if leaf.repeated and not warnings:
            warnings.append(
                f"a page of the window from {stamp(leaf.start)} UTC repeated the one before "
                "it (the server ignores offset): the window was taken to end there."
            )
        raw = [item for page in run for item in page.items]
        items = dedupe(raw)
        totals = {page.total for page in run if page.total is not None}
        if leaf.late or len(items) != len(raw) or (len(totals) > 1 and not per_page(run)):
            items = _reread(leaf, fetch, url, rereads, retries, done=[*split.extra, *out])
        else:
            note = diagnose(run, len(items))
            if note is not None:
                odd.append(note)
        out.extend(items)
    if len(leaves) == 1 and odd:
        warnings.append(odd[0])
    elif odd:
        warnings.append(
            f"in {len(odd)} of {len(leaves)} sub-window(s) the server's totals disagreed "
            f"with what arrived; each was read to its end (e.g. {odd[0]})"
        )
    return dedupe([*out, *split.extra]), warnings


def _reread(
    leaf: Leaf, fetch: Fetch, url: str, rereads: int, retries: int, *, done: list[Any]
) -> list[Any]:
    try:
        listing = paginate(
            lambda offset, size: fetch(leaf.q, offset, size).body,
            url=url,
            monitoring=True,
            page_size=MONITORING_LIMIT,
            concurrency=1,
            retries=retries,
            rereads=rereads,
        )
    except ListChangedError as exc:
        raise ListChangedError(
            f"the sub-window {stamp(leaf.start)} to {stamp(leaf.end)} UTC changed while "
            "it was read",
            items=dedupe([*done, *exc.items]),
            expected=None,
            reads=exc.reads,
            hint=exc.hint,
        ) from exc
    except IncompleteResultError as exc:
        raise IncompleteResultError(
            f"the sub-window {stamp(leaf.start)} UTC could not be read again because {exc.message}",
            items=dedupe([*done, *exc.items]),
            expected=None,
            hint=exc.hint,
        ) from exc
    return list(listing.items)
