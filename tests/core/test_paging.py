"""paginate() with a fake fetch: complete, concurrent, deduplicated, capped, or an error."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from oic_magic import (
    APIStatusError,
    IncompleteResultError,
    ListChangedError,
    ResponseFormatError,
    RowLimitError,
)
from oic_magic.core._paging import paginate


class Source:
    """A list endpoint in memory; records (offset, limit) of every fetch."""

    def __init__(
        self,
        count: int,
        *,
        total_key: str | None = "totalResults",
        max_limit: int = 1000,
        caps: tuple[int, int] | None = None,
    ) -> None:
        self.items = [{"id": f"I{i:05d}"} for i in range(count)]
        self.total_key, self.max_limit, self.caps = total_key, max_limit, caps
        self.calls: list[tuple[int, int]] = []
        self.failures: dict[int, Exception] = {}
        self.lock = threading.Lock()

    def __call__(self, offset: int, limit: int) -> dict[str, Any]:
        with self.lock:
            self.calls.append((offset, limit))
            if offset in self.failures:
                raise self.failures.pop(offset)
        if self.caps and (limit > self.caps[0] or offset > self.caps[1]):
            raise AssertionError(f"cap exceeded: offset={offset} limit={limit}")
        page = self.items[offset : offset + min(limit, self.max_limit)]
        body: dict[str, Any] = {"items": page, "hasMore": offset + len(page) < len(self.items)}
        if self.total_key:
            body[self.total_key] = len(self.items)
        return body


def test_total_known_reads_rest_concurrently() -> None:
    """With a total, every page is read and the items come back in order."""
    source = Source(1234)
    seen: list[tuple[int, int | None]] = []
    listing = paginate(
        source, url="u", page_size=100, concurrency=4, progress=lambda d, t: seen.append((d, t))
    )
    assert list(listing) == source.items and listing.total == 1234 and listing.pages == 13
    assert listing.status == "complete" and listing.warnings == ()
    assert sorted(source.calls) == [(o, 100) for o in range(0, 1300, 100)]
    assert seen[0] == (1, 13) and seen[-1] == (13, 13) and len(seen) == 13


def test_has_more_read_sequentially() -> None:
    """Without a total, pages are read one after another while hasMore says so."""
    source = Source(250, total_key=None)
    listing = paginate(source, url="u", page_size=100)
    assert list(listing) == source.items and listing.total == 250  # a whole list is counted
    assert source.calls == [(0, 100), (100, 100), (200, 100)]


def test_server_page_cap_sets_stride() -> None:
    """A server that returns fewer items than asked sets the offsets, so nothing is skipped."""
    source = Source(330, max_limit=50)
    assert list(paginate(source, url="u", page_size=100)) == source.items


def test_duplicates_dropped_with_warning(caplog: pytest.LogCaptureFixture) -> None:
    """An item that shifted onto two pages is kept once, with a warning."""
    source = Source(300)
    original = source.__call__

    def shifting(offset: int, limit: int) -> dict[str, Any]:
        body = original(offset, limit)
        if offset == 100:  # the first item of page 2 slid back onto page 1's last slot
            body["items"] = [source.items[99], *body["items"][1:]]
        return body

    with pytest.raises(IncompleteResultError) as caught:
        paginate(shifting, url="u", page_size=100)
    assert caught.value.received == 299 and caught.value.expected == 300
    assert "299 of 300" in str(caught.value)
    assert "appeared on two pages" in caplog.text


def _growing(source: Source, position: int) -> Any:
    calls = [0]

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        calls[0] += 1
        if calls[0] == 2:  # one item is added after the first page was read
            source.items.insert(position, {"id": "NEW"})
        return source(offset, limit)

    return fetch


def test_items_appended_while_reading_are_an_error_carrying_them_all() -> None:
    """A grown total is an error (an append looks like delete+insert); the tail is still read."""
    source = Source(200)
    with pytest.raises(ListChangedError, match="totals of 200, 201") as caught:
        paginate(_growing(source, 200), url="u", page_size=100, concurrency=1, rereads=0)
    assert caught.value.items == source.items and caught.value.expected == 201
    assert caught.value.reads == 1


def test_item_inserted_before_read_pages_is_an_error() -> None:
    """An item inserted in front of pages already read is missed: that is an error, not silence."""
    source = Source(200)
    with pytest.raises(ListChangedError, match="changed while it was read") as caught:
        paginate(_growing(source, 0), url="u", page_size=100, concurrency=1, rereads=0)
    assert caught.value.received == 200 and caught.value.expected == 201


def _shrinking(source: Source, position: int) -> Any:
    calls = [0]

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        calls[0] += 1
        if calls[0] == 2:  # one item is deleted after the first page was read
            del source.items[position]
        return source(offset, limit)

    return fetch


@pytest.mark.parametrize("concurrency", [1, 4])
def test_item_deleted_after_first_page_is_an_error(concurrency: int) -> None:
    """A deletion shifts later pages left and skips an item while the count matches: an error."""
    source = Source(250)
    with pytest.raises(IncompleteResultError, match="changed while it was read") as caught:
        paginate(_shrinking(source, 0), url="u", page_size=100, concurrency=concurrency, rereads=0)
    error = caught.value
    assert "totals of 249, 250" in str(error) and error.received == 249
    assert {"id": "I00100"} not in error.items  # the skipped item, as the error shows


def test_item_deleted_inside_a_limited_read_is_an_error() -> None:
    """A caller's limit does not hide an item skipped inside the part that was read."""
    source = Source(500)
    with pytest.raises(ListChangedError, match="changed while it was read"):
        paginate(_shrinking(source, 0), url="u", page_size=100, limit=250, concurrency=1, rereads=0)


@pytest.mark.parametrize("change", ["append", "insert", "delete"])
@pytest.mark.parametrize("concurrency", [1, 4])
def test_a_list_that_changed_once_is_read_again_and_whole(
    change: str, concurrency: int, caplog: pytest.LogCaptureFixture
) -> None:
    """One change during the read: the list is read again, and the second read is all of it."""
    source = Source(250)
    fetch = {
        "append": _growing(source, 250),
        "insert": _growing(source, 0),
        "delete": _shrinking(source, 0),
    }[change]
    listing = paginate(fetch, url="u", page_size=100, concurrency=concurrency)
    assert list(listing) == source.items and listing.status == "complete"
    assert listing.total == len(source.items) and listing.pages == 3
    assert listing.warnings[0].startswith("read 1 of at most 3: the list changed")
    assert sum(1 for offset, _ in source.calls if offset == 0) == 2
    assert "Reading it again" in caplog.text


def test_a_list_that_changes_during_every_read_raises_after_the_rereads() -> None:
    """Changed during each read: read 1 + rereads times, then ListChangedError with the last."""
    source = Source(450)

    def busy(offset: int, limit: int) -> dict[str, Any]:
        if offset == 200:  # every read deletes one item once its first pages are in
            del source.items[0]
        return source(offset, limit)

    with pytest.raises(ListChangedError, match="during each of 3 reads") as caught:
        paginate(busy, url="u", page_size=100, concurrency=1, rereads=2)
    assert caught.value.reads == 3 and caught.value.expected == 447
    assert sum(1 for offset, _ in source.calls if offset == 0) == 3
    assert isinstance(caught.value, IncompleteResultError)


def test_malformed_page_retried_with_steady_total_is_complete() -> None:
    """Retrying a garbled page reports the same total again, which is no change."""
    source = Source(300)
    source.failures[100] = ResponseFormatError("malformed JSON")
    listing = paginate(source, url="u", page_size=100, concurrency=2)
    assert list(listing) == source.items and listing.status == "complete"
    assert source.calls.count((100, 100)) == 2


def test_ctrl_c_cancels_queued_pages() -> None:
    """A KeyboardInterrupt during a concurrent read cancels the queued pages, not reads them."""
    source = Source(2000)  # 200 pages of 10
    released = threading.Event()
    calls = [0]
    lock = threading.Lock()

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        with lock:
            calls[0] += 1
            call = calls[0]
        if call == 3:
            raise KeyboardInterrupt
        if call > 3 and not released.wait(timeout=2):
            released.set()  # without the fix paginate waits on us: let the rest through
        return source(offset, limit)

    with pytest.raises(KeyboardInterrupt):
        paginate(fetch, url="u", page_size=10, concurrency=4)
    during = calls[0]
    released.set()
    for thread in threading.enumerate():  # let the requests in flight finish
        if thread.name.startswith("oic-page"):
            thread.join()
    assert during <= 3 + 4 and calls[0] <= 3 + 4


def test_page_failure_carries_items() -> None:
    """A page that fails for good ends in IncompleteResultError carrying what arrived."""
    source = Source(500)
    source.failures[300] = APIStatusError(status=500, method="GET", path="/x")
    with pytest.raises(IncompleteResultError) as caught:
        paginate(source, url="u", page_size=100, concurrency=1)
    error = caught.value
    assert error.expected == 500 and error.received >= 100
    assert error.items[:100] == source.items[:100]
    assert "of 500 items arrived" in str(error)


def test_malformed_page_read_again() -> None:
    """A garbled page is read again rather than failing the listing."""
    source = Source(300)
    source.failures[200] = ResponseFormatError("malformed JSON")
    assert list(paginate(source, url="u", page_size=100)) == source.items


def test_monitoring_caps_respected() -> None:
    """Monitoring lists are read with limit <= 50 and offset <= 500."""
    source = Source(520, total_key="totalRecordsCount", caps=(50, 500))
    listing = paginate(source, url="u", monitoring=True, page_size=100)
    assert list(listing) == source.items and listing.total == 520


def test_monitoring_cap_hiding_records_says_narrow() -> None:
    """When the offset cap hides records the error carries them and says to narrow the window."""
    source = Source(800, total_key="totalRecordsCount", caps=(50, 500))
    with pytest.raises(IncompleteResultError) as caught:
        paginate(source, url="u", monitoring=True)
    assert caught.value.received == 550 and caught.value.expected == 800
    assert "narrow the time window" in str(caught.value)


def test_monitoring_cap_without_total() -> None:
    """Without a total the cap also ends in an explained error, not a silent stop."""
    source = Source(800, total_key=None, caps=(50, 500))
    with pytest.raises(IncompleteResultError, match="narrow the time window"):
        paginate(source, url="u", monitoring=True)


def test_row_cap_with_total_fails_fast() -> None:
    """A total above max_rows raises RowLimitError after one page."""
    source = Source(500)
    with pytest.raises(RowLimitError) as caught:
        paginate(source, url="u", page_size=100, max_rows=300)
    assert len(source.calls) == 1 and caught.value.max_rows == 300
    assert "raise max_rows" in str(caught.value)


def test_row_cap_without_total() -> None:
    """Without a total, passing max_rows raises RowLimitError carrying the items."""
    source = Source(500, total_key=None)
    with pytest.raises(RowLimitError) as caught:
        paginate(source, url="u", page_size=100, max_rows=200)
    assert caught.value.received == 200


def test_limit_returns_first_items_flagged() -> None:
    """A caller's limit returns that many items, marked limited."""
    source = Source(500)
    listing = paginate(source, url="u", page_size=100, limit=150)
    assert list(listing) == source.items[:150] and listing.status == "limited"
    assert paginate(Source(20), url="u", limit=150).status == "complete"


def test_single_object_is_not_a_list() -> None:
    """An answer without items is a format error that suggests get()."""
    with pytest.raises(ResponseFormatError, match="read it with get"):
        paginate(lambda offset, size: {"id": "x"}, url="u", retries=0)


def test_empty_list() -> None:
    """An empty list is complete after one request."""
    listing = paginate(Source(0), url="u")
    assert len(listing) == 0 and listing.pages == 1 and listing.status == "complete"
