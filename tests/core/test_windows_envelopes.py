"""read_window() against in-memory monitoring endpoints, every envelope, and broken servers.

A fake ``monitoring/instances`` holds records one per second (or denser) and answers
``startdate``/``enddate``, ``offset`` and ``limit`` with OIC's caps (``limit <= 50``,
``offset <= 500``), shaping its pages in each envelope: totals exact, per page, absent,
too high or too low, ``hasMore`` present or absent, a page cap of its own. The whole
window, or a clear error carrying what arrived; a server that ignores offset or the dates
is not read forever.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from oic_magic import IncompleteResultError, RequestError
from oic_magic.core._windows import Answer, read_window

TOTALS = ("exact", "page", "absent", "high", "low")
NOW = datetime(2025, 2, 24, 12, 0, 0, tzinfo=UTC).timestamp()
DAY = 86400


@dataclass(frozen=True)
class Envelope:
    """How the fake endpoint shapes its pages."""

    total: str = "exact"
    has_more: bool = True
    cap: int | None = None

    def __str__(self) -> str:
        more = "hasMore" if self.has_more else "noHasMore"
        return f"{self.total}-{more}-cap{self.cap or 'none'}"


ENVELOPES = [
    Envelope(total, has_more, cap)
    for total, has_more, cap in itertools.product(TOTALS, (True, False), (None, 30))
]


def _parse(q: str, key: str) -> float | None:
    found = re.search(key + r":'([\d-]+ [\d:]+)'", q)
    if found is None:
        return None
    return datetime.fromisoformat(found.group(1)).replace(tzinfo=UTC).timestamp()


class Monitoring:
    """Records newest first; every fetch recorded; caps enforced as OIC's 400s would be."""

    def __init__(
        self,
        created: list[float],
        envelope: Envelope,
        *,
        dates: bool = True,
        offsets: bool = True,
    ) -> None:
        ordered = sorted(enumerate(created), key=lambda pair: -pair[1])
        self.stamps = {f"R{i:06d}": t for i, t in ordered}
        self.records: list[dict[str, Any]] = [
            {"id": f"R{i:06d}", "creationDate": _iso(t)} for i, t in ordered
        ]
        self.envelope, self.dates, self.offsets = envelope, dates, offsets
        self.calls: list[tuple[str, int, int]] = []
        self.lock = threading.Lock()

    def __call__(self, q: str, offset: int, limit: int) -> Answer:
        with self.lock:
            self.calls.append((q, offset, limit))
        if limit > 50 or offset > 500:
            raise RequestError("a cap was passed")  # OIC answers 400
        low = _parse(q, "startdate") if self.dates else None
        high = _parse(q, "enddate") if self.dates else None
        matching = [
            r
            for r in self.records
            if (low is None or self.stamps[r["id"]] >= low)
            and (high is None or self.stamps[r["id"]] <= high)
        ]
        start = offset if self.offsets else 0
        size = min(limit, self.envelope.cap or limit)
        chunk = matching[start : start + size]
        body: dict[str, Any] = {"items": [dict(r) for r in chunk]}
        if self.envelope.has_more:
            body["hasMore"] = start + len(chunk) < len(matching)
        told = {
            "exact": len(matching),
            "page": len(chunk),
            "absent": None,
            "high": len(matching) + 17,
            "low": len(matching) // 2,
        }[self.envelope.total]
        if told is not None:
            body["totalRecordsCount"] = told
        return Answer(body, NOW)

    def within(self, start: datetime, end: datetime) -> set[str]:
        low, high = start.timestamp(), end.timestamp()
        return {ident for ident, t in self.stamps.items() if low <= t <= high}


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _read(server: Monitoring, **options: Any) -> Any:
    return read_window(
        server, q="{timewindow:'1d'}", url="u", wall=lambda: NOW, retries=0, **options
    )


@pytest.mark.parametrize("envelope", ENVELOPES, ids=str)
@pytest.mark.parametrize("count", [30, 549, 551, 3000])
def test_the_day_is_whole(envelope: Envelope, count: int) -> None:
    """Within and past the cap: every record of the window once, none outside it."""
    server = Monitoring([NOW - 1 - i * (DAY - 10) / count for i in range(count)], envelope)
    listing = _read(server, concurrency=4)
    assert listing.status == "complete"
    ids = [item["id"] for item in listing]
    assert len(ids) == len(set(ids)) == count == listing.total
    assert set(ids) == server.within(listing.window_start, listing.window_end)
    # Near the minimum of requests: a few probes and empty pages more, never a runaway.
    stride = min(50, envelope.cap or 50)
    assert len(server.calls) == listing.requests <= 3 * (count // stride) + 12


PLANNED = [e for e in ENVELOPES if e.total == "exact" and e.has_more]


@pytest.mark.parametrize("envelope", PLANNED, ids=str)
def test_exact_totals_plan_everything_at_once(envelope: Envelope) -> None:
    """With exact totals and hasMore no page is read in vain: probes, cuts, pages."""
    count = 3000
    server = Monitoring([NOW - 1 - i * (DAY - 10) / count for i in range(count)], envelope)
    listing = _read(server, concurrency=4)
    stride = min(50, envelope.cap or 50)
    assert len(listing) == count
    # The pages of records, plus one probe of the day and one partial page per window.
    assert listing.requests <= count // stride + 2 * listing.windows + 1


@pytest.mark.parametrize("envelope", ENVELOPES, ids=str)
def test_a_dense_second_is_a_clear_error(envelope: Envelope) -> None:
    """700 records in one second: IncompleteResultError with what arrived, in bounds."""
    server = Monitoring([NOW - 100.5] * 700 + [NOW - 5000 - i for i in range(100)], envelope)
    with pytest.raises(IncompleteResultError) as caught:
        _read(server)
    ids = [item["id"] for item in caught.value.items]
    assert 0 < len(ids) == len(set(ids)) < 800
    assert "one second" in str(caught.value)
    assert len(server.calls) < 500


@pytest.mark.parametrize("envelope", ENVELOPES, ids=str)
def test_a_server_that_ignores_offset_is_not_read_forever(envelope: Envelope) -> None:
    """The same page at every offset: the window is taken to end there, and said so."""
    server = Monitoring([NOW - 1 - i * 60 for i in range(1000)], envelope, offsets=False)
    listing = _read(server)
    ids = [item["id"] for item in listing]
    assert ids and len(ids) == len(set(ids))
    assert set(ids) <= server.within(listing.window_start, listing.window_end)
    assert any("ignores offset" in warning for warning in listing.warnings)
    assert len(server.calls) <= 40


@pytest.mark.parametrize("envelope", ENVELOPES, ids=str)
def test_a_server_that_ignores_the_dates_is_a_clear_error(envelope: Envelope) -> None:
    """Sub-windows answered with the whole list: an error after one cut, not a runaway."""
    server = Monitoring([NOW - 1 - i * 60 for i in range(1000)], envelope, dates=False)
    with pytest.raises(IncompleteResultError) as caught:
        _read(server)
    assert "startdate/enddate" in str(caught.value)
    ids = [item["id"] for item in caught.value.items]
    assert 0 < len(ids) == len(set(ids))
    assert len(server.calls) < 60
