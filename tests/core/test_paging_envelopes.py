"""paginate() across every list envelope a real OIC endpoint may send.

What OIC's lists carry is only partly known: a total that counts the list, the page,
or neither, or is simply wrong; ``hasMore`` present or absent; pages capped below what
was asked. Every combination must give the whole list, exactly ``limit`` items, or an
error carrying what arrived — never a list silently short or long.
"""

from __future__ import annotations

import itertools
import math
import threading
from dataclasses import dataclass
from typing import Any

import pytest

from oic_magic import APIStatusError, IncompleteResultError, ListChangedError
from oic_magic.core._paging import paginate

TOTALS = ("exact", "page", "absent", "high", "low")
PAGE_SIZE = 100


@dataclass(frozen=True)
class Envelope:
    """How a fake endpoint shapes its pages."""

    total: str = "exact"  # one of TOTALS
    has_more: bool = True  # whether pages carry hasMore
    cap: int | None = None  # the server's page size, below what was asked

    def __str__(self) -> str:
        more = "hasMore" if self.has_more else "noHasMore"
        return f"{self.total}-{more}-cap{self.cap or 'none'}"


ENVELOPES = [
    Envelope(total=total, has_more=has_more, cap=cap)
    for total, has_more, cap in itertools.product(TOTALS, (True, False), (None, 30))
]


class Endpoint:
    """A list endpoint in memory that answers in one envelope; records every fetch."""

    def __init__(self, count: int, envelope: Envelope) -> None:
        self.items = [{"id": f"I{i:05d}"} for i in range(count)]
        self.envelope = envelope
        self.calls: list[tuple[int, int]] = []
        self.failures: dict[int, Exception] = {}
        self.lock = threading.Lock()

    def __call__(self, offset: int, limit: int) -> dict[str, Any]:
        with self.lock:
            self.calls.append((offset, limit))
            if offset in self.failures:
                raise self.failures.pop(offset)
        size = min(limit, self.envelope.cap or limit)
        page = self.items[offset : offset + size]
        body: dict[str, Any] = {"items": page}
        if self.envelope.has_more:
            body["hasMore"] = offset + len(page) < len(self.items)
        total = {
            "exact": len(self.items),
            "page": len(page),
            "absent": None,
            "high": len(self.items) + 63,
            "low": len(self.items) // 2,
        }[self.envelope.total]
        if total is not None:
            body["totalResults"] = total
        return body


@pytest.fixture(params=ENVELOPES, ids=str)
def envelope(request: pytest.FixtureRequest) -> Envelope:
    """Each envelope in turn."""
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("count", [0, 1, 30, 37, 100, 237, 1000])
def test_the_whole_list_arrives(envelope: Envelope, count: int) -> None:
    """Without a limit: every item, once, in order, whatever the envelope says of itself."""
    endpoint = Endpoint(count, envelope)
    listing = paginate(endpoint, url="u", page_size=PAGE_SIZE, concurrency=4)
    assert list(listing) == endpoint.items
    assert listing.status == "complete" and listing.total == count


@pytest.mark.parametrize("count", [37, 149, 150, 151, 237, 1000])
@pytest.mark.parametrize("limit", [1, 50, 150])
def test_a_limit_gives_exactly_that_many(envelope: Envelope, count: int, limit: int) -> None:
    """With a limit: exactly min(limit, list) items, the first ones, marked limited when cut."""
    endpoint = Endpoint(count, envelope)
    listing = paginate(endpoint, url="u", page_size=PAGE_SIZE, limit=limit, concurrency=4)
    assert list(listing) == endpoint.items[:limit]
    if count > limit:
        assert listing.status == "limited"
    elif count < limit:
        assert listing.status == "complete"


@pytest.mark.parametrize("count", [237, 1000])
def test_a_total_that_lies_is_diagnosed_not_blamed_on_a_change(
    envelope: Envelope, count: int, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong or per-page total is said as such on the listing, and the list is read once."""
    endpoint = Endpoint(count, envelope)
    listing = paginate(endpoint, url="u", page_size=PAGE_SIZE, concurrency=4)
    firsts = sum(1 for offset, _ in endpoint.calls if offset == 0)
    assert firsts == 1 and not any("changed" in note for note in listing.warnings)
    notes = " ".join(listing.warnings)
    if envelope.total == "high":
        assert f"announced {count + 63} items but the list ended after {count}" in notes
        assert "too high" in notes
    elif envelope.total == "low":
        assert f"announced {count // 2} items" in notes and "too low" in notes
    elif envelope.total == "page":
        assert "count each page, not the list" in notes and f"{count} items" in notes
    else:
        assert listing.warnings == ()


def test_every_offset_follows_the_last_page(envelope: Envelope) -> None:
    """No page skips items: each page read starts where the kept ones end."""
    endpoint = Endpoint(237, envelope)
    paginate(endpoint, url="u", page_size=PAGE_SIZE, concurrency=1)
    stride = envelope.cap or PAGE_SIZE
    assert {offset for offset, _ in endpoint.calls} >= set(range(0, 237, stride))


def test_a_failing_page_carries_what_arrived(envelope: Envelope) -> None:
    """A page that fails for good is an IncompleteResultError with the items before it."""
    endpoint = Endpoint(500, envelope)
    stride = envelope.cap or PAGE_SIZE
    endpoint.failures[2 * stride] = APIStatusError(status=500, method="GET", path="/x")
    with pytest.raises(IncompleteResultError) as caught:
        paginate(endpoint, url="u", page_size=PAGE_SIZE, concurrency=1, retries=0)
    assert caught.value.items[: 2 * stride] == endpoint.items[: 2 * stride]
    assert "arrived" in str(caught.value)


@pytest.mark.parametrize(
    "envelope", [e for e in ENVELOPES if e.total == "exact"], ids=str
)  # only a total that counts the list shows a deletion
def test_a_deletion_with_exact_totals_is_a_changed_list(envelope: Envelope) -> None:
    """When totals count the list, a deletion between pages is seen and read again."""
    endpoint = Endpoint(250, envelope)
    calls = [0]

    def shrinking(offset: int, limit: int) -> dict[str, Any]:
        calls[0] += 1
        if calls[0] == 2:
            del endpoint.items[0]
        return endpoint(offset, limit)

    listing = paginate(shrinking, url="u", page_size=PAGE_SIZE, concurrency=1)
    assert list(listing) == endpoint.items and "changed" in listing.warnings[0]


def test_a_list_that_changes_every_time_is_a_changed_list_error(envelope: Envelope) -> None:
    """Items seen twice on every read: ListChangedError with the last read's items."""
    endpoint = Endpoint(300, envelope)
    stride = envelope.cap or PAGE_SIZE

    def shifting(offset: int, limit: int) -> dict[str, Any]:
        body = endpoint(offset, limit)
        if offset == stride:  # the last item of page 1 slid onto page 2
            body["items"] = [endpoint.items[stride - 1], *body["items"][1:]]
        return body

    with pytest.raises(ListChangedError, match="appeared on two pages") as caught:
        paginate(shifting, url="u", page_size=PAGE_SIZE, concurrency=1)
    assert caught.value.received == 299 and caught.value.reads == 3


@dataclass(frozen=True)
class _Trusted:
    envelope: Envelope
    requests: int


@pytest.mark.parametrize(
    "case",
    [
        _Trusted(Envelope("exact", True, None), 10),
        _Trusted(Envelope("exact", True, 30), math.ceil(1000 / 30)),
        _Trusted(Envelope("exact", False, None), 11),  # one empty page proves the end
    ],
    ids=lambda case: str(case.envelope),
)
def test_a_trustworthy_total_is_read_concurrently(case: _Trusted) -> None:
    """A total the pages confirm costs no extra request, and the pages overlap in time."""
    endpoint = Endpoint(1000, case.envelope)
    in_flight, peak = [0], [0]
    lock, gate = threading.Lock(), threading.Barrier(2, timeout=5)
    original = endpoint.__call__

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        if offset in (2 * (case.envelope.cap or PAGE_SIZE), 3 * (case.envelope.cap or PAGE_SIZE)):
            gate.wait()  # two pages in flight at once, or the barrier times out
        try:
            return original(offset, limit)
        finally:
            with lock:
                in_flight[0] -= 1

    listing = paginate(fetch, url="u", page_size=PAGE_SIZE, concurrency=4)
    assert list(listing) == endpoint.items and listing.warnings == ()
    assert len(endpoint.calls) == case.requests and peak[0] >= 2


@pytest.mark.parametrize("has_more", [True, False])
def test_a_server_that_ignores_offset_is_not_read_forever(has_more: bool) -> None:
    """The same page at every offset: read twice, taken as the whole list, and said so."""
    calls: list[int] = []

    def same(offset: int, limit: int) -> dict[str, Any]:
        calls.append(offset)
        body: dict[str, Any] = {"items": [{"id": 1}, {"id": 2}], "totalResults": 2}
        if has_more:
            body["hasMore"] = True
        return body

    listing = paginate(same, url="u", page_size=2)
    assert list(listing) == [{"id": 1}, {"id": 2}] and calls == [0, 2]
    assert "ignores offset" in listing.warnings[0]


class _Inflated(Endpoint):
    """An endpoint whose total claims far more than the list holds (a server's bug)."""

    def __init__(self, count: int, claimed: int) -> None:
        super().__init__(count, Envelope(total="exact"))
        self.claimed = claimed

    def __call__(self, offset: int, limit: int) -> dict[str, Any]:
        page = super().__call__(offset, limit)
        return {**page, "totalResults": self.claimed}


@pytest.mark.parametrize("claimed", [1_000, 100_000])
def test_a_total_far_too_high_stops_planned_reads_at_the_end(claimed: int) -> None:
    """Once a page ends the list, the pages a lying total planned beyond it are not read.

    120 items under a total of 100,000 used to cost 1,000 requests at page size 100.
    """
    endpoint = _Inflated(120, claimed)
    listing = paginate(endpoint, url="u", page_size=PAGE_SIZE, concurrency=4, max_rows=10**6)
    assert [item["id"] for item in listing.items] == [f"I{i:05d}" for i in range(120)]
    assert listing.status == "complete"
    assert "too high" in " ".join(listing.warnings)
    # The first page, the page that ends the list, and those already in flight then.
    assert len(endpoint.calls) <= 1 + 2 * 4, len(endpoint.calls)
