"""Whole monitoring lists past OIC's offset cap: a time window read as sub-windows.

OIC serves ``monitoring/instances`` and ``monitoring/errors`` 50 records a page and no
page past offset 500, so one window shows at most 550 of its records. When the first
page's ``totalRecordsCount`` says the window holds more, the window is cut into
sub-windows by ``startdate``/``enddate`` (UTC, ``2025-02-24 07:34:37``, inside ``q``),
each aimed at :data:`TARGET` records; a sub-window that still holds more than 550 is cut
again, down to one second. A total is only a plan: when there is none, or it counts the
page, or it is wrong, the window is read until its list ends, and one that reaches
offset 500 without an end is cut by what arrived (see
:mod:`~oic_magic.core._window_reads`). Every page of every sub-window is fetched on one
pool of ``concurrency`` threads; the records are deduplicated by id (a record on a
boundary second may be in two sub-windows) and put back in the order OIC gave.

The window itself: ``startdate``/``enddate`` when the caller gave them (in ``q``, or as
*start*/*end* datetimes), else ``timewindow`` (``1h`` by default) counted back from the
server's own clock (the first answer's ``Date`` header; this machine's clock when it has
none), widened to whole seconds. The user's ``timewindow`` stays in every request, so a
server that reads it beside the dates narrows nothing.

The promise of :func:`~oic_magic.core._paging.paginate` holds: every record of the
window, or :class:`~oic_magic.exceptions.IncompleteResultError` with what arrived. A
sub-window whose pages disagree is read again on its own by ``paginate`` (its rereads).
"""

from __future__ import annotations

import dataclasses
import email.utils
import math
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from ..exceptions import RequestError, RowLimitError
from ._catalogue import MONITORING_LIMIT, MONITORING_MAX_OFFSET
from ._paging import Listing, Progress, paginate
from ._query import merge_q
from ._window_pages import Answer, Fetch, fetch_page, readable
from ._window_reads import TARGET, Leaf, Split, merged

__all__ = [
    "READABLE",
    "TARGET",
    "Answer",
    "WindowedListing",
    "covering_timewindow",
    "oic_date",
    "read_window",
    "server_time",
    "windowed",
]

#: Records one window shows within the caps: offsets 0..500, 50 a page.
READABLE = MONITORING_MAX_OFFSET + MONITORING_LIMIT
SPANS = {
    "1h": 3600,
    "6h": 6 * 3600,
    "1d": 86400,
    "2d": 2 * 86400,
    "3d": 3 * 86400,
    # OIC keeps instances for its retention period (days, set per instance): read far back.
    "retentionperiod": 186 * 86400,
}
_WINDOW_KEYS = ("timewindow", "startdate", "enddate")
_ORDER_FIELDS = {
    "lastupdateddate": "lastTrackedTime",
    "creationdate": "creationDate",
    "executiontime": "duration",
}


@dataclasses.dataclass(frozen=True, kw_only=True, repr=False)
class WindowedListing(Listing):
    """A :class:`Listing` of a monitoring window, with the window and how it was read.

    ``window_start``/``window_end`` bound the records (UTC, both ends included);
    ``windows`` counts the sub-windows read, ``requests`` the pages fetched.
    """

    window_start: datetime | None = None
    window_end: datetime | None = None
    windows: int = 1
    requests: int = 0


def oic_date(moment: datetime) -> str:
    """*moment* as OIC's ``startdate``/``enddate`` want it: ``2025-02-24 07:34:37`` in UTC."""
    return _utc(moment).strftime("%Y-%m-%d %H:%M:%S")


def server_time(date_header: str | None) -> float | None:
    """The epoch seconds of an HTTP ``Date`` header, or None when absent or unreadable."""
    if not date_header:
        return None
    try:
        seconds = email.utils.parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError, OverflowError, OSError, IndexError):
        return None
    # A date before 1970 or after 2999 is no clock (a window ending in the year 10000
    # cannot even be written): the caller's own clock is used instead.
    return seconds if 0 <= seconds < _YEAR_3000 else None


_YEAR_3000 = 32_503_680_000.0


def windowed(path: str) -> bool:
    """True for the monitoring lists that have a time window (instances and errors)."""
    return path.rstrip("/").endswith(("/monitoring/instances", "/monitoring/errors"))


def covering_timewindow(seconds: float) -> str:
    """The narrowest OIC ``timewindow`` that reaches *seconds* back."""
    for name, span in SPANS.items():
        if seconds <= span:
            return name.upper() if name == "retentionperiod" else name
    return "RETENTIONPERIOD"


def read_window(
    fetch: Fetch,
    *,
    q: str | None,
    url: str,
    start: datetime | None = None,
    end: datetime | None = None,
    capped: bool = True,
    order: str | None = None,
    limit: int | None = None,
    concurrency: int = 8,
    max_rows: int = 1_000_000,
    progress: Progress | None = None,
    clock: Callable[[], float] = time.monotonic,
    wall: Callable[[], float] = time.time,
    retries: int = 2,
    rereads: int = 2,
    page_size: int = MONITORING_LIMIT,
) -> WindowedListing:
    """Every record of a monitoring window, read past the offset cap (module docstring).

    *page_size* is the page asked for where the caps are off (``capped=False``).
    """
    started = clock()
    window = _Window.of(q, start=start, end=end, wall=wall)
    # The caller's own q as written, unless start/end were given beside it.
    probe_q = q if q and start is None and end is None else window.q()
    size = MONITORING_LIMIT if capped else max(1, page_size)
    size = size if limit is None else max(1, min(size, limit))
    probe = fetch_page(fetch, probe_q, 0, retries, size=size)
    window.settle(probe.server_time)
    stride = len(probe.items) or size
    if not capped or (limit is not None and limit <= readable(stride)):
        return _plain(
            fetch,
            {0: probe.body},
            probe_q,
            window,
            capped,
            size,
            url,
            limit,
            concurrency,
            max_rows,
            progress,
            clock,
            started,
            retries,
            rereads,
            requests=1,
        )
    total = probe.total if probe.trusted else None
    if total is not None and total > max_rows:
        raise RowLimitError(items=probe.items, expected=total, max_rows=max_rows)
    assert window.start is not None and window.end is not None
    reader = Split(
        fetch,
        window.q,
        concurrency=concurrency,
        progress=progress,
        retries=retries,
        total=total,
        max_rows=max_rows,
    )
    root = Leaf(window.start, window.end, probe_q, root=True)
    leaves = reader.read(root, probe)
    items, warnings = merged(reader, leaves, fetch, url, rereads, retries)
    if leaves != [root]:  # one window uncut keeps the order OIC gave
        items = _ordered(items, order)
    status = "complete"
    if limit is not None and len(items) > limit:
        items, status = items[:limit], "limited"
    return WindowedListing(
        items=tuple(items),
        total=len(items) if status == "complete" else total,
        pages=reader.requests,
        elapsed=clock() - started,
        url=url,
        status=status,  # type: ignore[arg-type]
        warnings=tuple(warnings),
        window_start=_from_epoch(window.start),
        window_end=_from_epoch(window.end),
        windows=len(leaves),
        requests=reader.requests,
    )


# -- the window ---------------------------------------------------------------------------


class _Window:
    """The caller's q split into its time keys and the rest, and the bounds found for it."""

    def __init__(
        self,
        terms: list[str],
        timewindow: str | None,
        start: int | None,
        end: int | None,
        wall: Callable[[], float],
    ) -> None:
        self.terms, self.timewindow = terms, timewindow
        self.start, self.end = start, end
        self._wall = wall

    @classmethod
    def of(
        cls,
        q: str | None,
        *,
        start: datetime | None,
        end: datetime | None,
        wall: Callable[[], float],
    ) -> _Window:
        terms, found = _split_q(q)
        if (start is not None and "startdate" in found) or (end is not None and "enddate" in found):
            raise RequestError(
                "the time window is given twice (startdate/enddate in the filter and as "
                "--since/--between or start=/end=): give it one way."
            )
        if start is not None and end is not None and _utc(end) < _utc(start):
            raise RequestError(
                f"the window ends ({oic_date(end)}) before it starts ({oic_date(start)})."
            )
        low = _parse_date(found["startdate"]) if "startdate" in found else start
        high = _parse_date(found["enddate"]) if "enddate" in found else end
        timewindow = found.get("timewindow")
        if timewindow is None and low is not None:
            timewindow = covering_timewindow(wall() - _utc(low).timestamp())
        if timewindow is not None and timewindow.lower() not in SPANS:
            raise RequestError(
                f"timewindow {timewindow!r} is not one of OIC's: "
                "1h, 6h, 1d, 2d, 3d, RETENTIONPERIOD."
            )
        return cls(
            terms,
            timewindow,
            None if low is None else math.floor(_utc(low).timestamp()),
            None if high is None else math.ceil(_utc(high).timestamp()),
            wall,
        )

    def settle(self, now: float | None) -> None:
        """Fix the bounds the caller left open, on the server's clock *now*."""
        now = self._wall() if now is None else now
        if self.end is None:
            self.end = math.floor(now) + 1
        if self.start is None:
            span = SPANS[(self.timewindow or "1h").lower()]
            self.start = math.floor(now) - span

    def q(self, start: int | None = None, end: int | None = None) -> str:
        """The q of this window, or of its sub-window *start*..*end* (epoch seconds)."""
        start = self.start if start is None else start
        end = self.end if end is None else end
        terms = list(self.terms)
        if self.timewindow is not None:
            terms.append(f"timewindow:'{self.timewindow}'")
        if start is not None:
            terms.append(f"startdate:'{oic_date(_from_epoch(start))}'")
        if end is not None:
            terms.append(f"enddate:'{oic_date(_from_epoch(end))}'")
        return "{" + ", ".join(terms) + "}"


def _split_q(q: str | None) -> tuple[list[str], dict[str, str]]:
    """The terms of *q* other than the time keys (as written), and the time keys' values."""
    if not q:
        return [], {}
    merged = merge_q([q])  # validates: an object of key:value terms, each key once
    body = merged[1:-1]
    terms: list[str] = []
    found: dict[str, str] = {}
    for text in _terms(body):
        key, _, value = text.partition(":")
        key = key.strip()
        if key.lower() in _WINDOW_KEYS:
            found[key.lower()] = _unquote(value.strip())
        else:
            terms.append(text.strip())
    return terms, found


def _terms(body: str) -> Iterable[str]:
    """Split ``a:'x, y', b:/z/`` at the commas between terms (merge_q wrote it)."""
    start, quote, index = 0, "", 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in "'/":
            quote = char
        elif char == ",":
            yield body[start:index]
            start = index + 1
        index += 1
    if body[start:].strip():
        yield body[start:]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'/":
        value = value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value.replace("\\'", "'")


def _parse_date(text: str) -> datetime:
    """``2025-02-24 07:34:37`` (UTC, as OIC writes it) or an ISO timestamp."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise RequestError(
            f"{text!r} is not a date OIC reads: write startdate/enddate as "
            "'2025-02-24 07:34:37' (UTC)."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise RequestError(
            f"{moment.isoformat()} has no time zone: give it one (datetime(..., tzinfo=UTC), "
            "or .astimezone() for this machine's)."
        )
    return moment.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# -- within the caps --------------------------------------------------------------------------


def _plain(
    fetch: Fetch,
    cached: dict[int, Any],
    q: str,
    window: _Window,
    capped: bool,
    size: int,
    url: str,
    limit: int | None,
    concurrency: int,
    max_rows: int,
    progress: Progress | None,
    clock: Callable[[], float],
    started: float,
    retries: int,
    rereads: int,
    requests: int = 0,
) -> WindowedListing:
    """A window within the caps: paginate() reads it, the pages already read from *cached*.

    *cached* maps offsets to bodies already fetched (each used once, so a reread asks
    again); *requests* counts the pages fetched before.
    """
    fetched = 0

    def page(offset: int, asked: int) -> Any:
        nonlocal fetched
        if asked == size and offset in cached:
            return cached.pop(offset)
        fetched += 1
        return fetch(q, offset, asked).body

    listing = paginate(
        page,
        url=url,
        monitoring=capped,
        page_size=size,
        limit=limit,
        concurrency=concurrency,
        max_rows=max_rows,
        progress=progress,
        clock=clock,
        retries=retries,
        rereads=rereads,
    )
    return WindowedListing(
        items=listing.items,
        total=listing.total,
        pages=requests + fetched,
        elapsed=clock() - started,
        url=url,
        status=listing.status,
        warnings=listing.warnings,
        window_start=None if window.start is None else _from_epoch(window.start),
        window_end=None if window.end is None else _from_epoch(window.end),
        windows=1,
        requests=requests + fetched,
    )


def _ordered(items: list[Any], order: str | None) -> list[Any]:
    """Newest (or longest) first by the field OIC orders by; the id breaks ties."""
    field = _ORDER_FIELDS.get((order or "lastupdateddate").lower(), "lastTrackedTime")

    def key(item: Any) -> tuple[bool, Any, str]:
        value = item.get(field) if isinstance(item, dict) else None
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value).timestamp()
            except ValueError:
                value = None
        if not isinstance(value, int | float) or isinstance(value, bool):
            return (False, 0, str(item.get("id", "")) if isinstance(item, dict) else "")
        return (True, value, str(item.get("id", "")))

    return sorted(items, key=key, reverse=True)
