"""Monitoring lists past OIC's offset cap, read whole in sub-windows, against the emulator.

The count is checked against the emulator's own records of the window the listing
reports (``window_start``..``window_end``, both ends included), the ids against its ids.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote_plus

import pytest
from _emulated import api_requests

from oic_magic import IncompleteResultError, Listing, RequestError
from oic_magic.core._windows import READABLE, WindowedListing
from oic_magic.emulator import Emulator

from ._windows_live import item_ids, own_ids, windows_client

DAY = 86400.0


def _windowed(listing: Listing) -> WindowedListing:
    """*listing*, read in monitoring windows as every timewindow listing here is."""
    assert isinstance(listing, WindowedListing), type(listing).__name__
    return listing


def test_a_day_of_demo_instances_is_whole(emu: Emulator) -> None:
    """timewindow=1d on the demo data (more than the 550 one window shows): every record."""
    with windows_client(emu) as client:
        listing = client.paginate("monitoring/instances", where=["timewindow=1d"])
    assert isinstance(listing, WindowedListing) and listing.status == "complete"
    ids = item_ids(listing)
    own = own_ids(emu, listing)
    assert len(own) > READABLE
    assert len(ids) == len(set(ids)) == len(own) and set(ids) == own
    assert listing.window_start is not None and listing.window_end is not None
    assert listing.window_end - listing.window_start == timedelta(days=1, seconds=1)
    assert listing.windows >= 2
    # Newest update first, as OIC orders them.
    tracked = [item["lastTrackedTime"] for item in listing]
    assert tracked == sorted(tracked, reverse=True)


def test_requests_stay_within_the_caps_and_near_the_minimum(emu: Emulator) -> None:
    """Every page asks limit <= 50, offset <= 500, with startdate/enddate in OIC's format."""
    with windows_client(emu) as client:
        emu.control.clear_requests()
        listing = _windowed(client.paginate("monitoring/instances", where=["timewindow=1d"]))
    sent = [e for e in api_requests(emu) if e["path"].endswith("/monitoring/instances")]
    assert len(sent) == listing.requests
    for entry in sent:
        query = dict(part.split("=", 1) for part in entry["query"].split("&"))
        assert int(query["limit"]) <= 50 and int(query["offset"]) <= 500
    dated = [e for e in sent if "startdate" in e["query"]]
    assert dated, "sub-windows name their dates"
    q = unquote_plus(dated[0]["query"])
    assert re.search(r"startdate:'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d'", q)
    assert "timewindow:'1d'" in q  # the user's window is kept beside the dates
    minimum = -(-len(listing) // 50)
    assert minimum <= listing.requests <= minimum * 1.25


def test_faults_injected_mid_way_are_retried_and_the_day_is_whole(emu: Emulator) -> None:
    """503s, 429s, a malformed body and a dropped connection after the read has started."""
    injected = False

    def progress(done: int, total: int | None) -> None:
        nonlocal injected
        if done >= 4 and not injected:
            injected = True
            for kind in (503, 429, "malformed", "drop", 502):
                emu.control.inject_fault(kind, count=2, pattern="monitoring/instances")

    with windows_client(emu) as client:
        listing = _windowed(
            client.paginate("monitoring/instances", where=["timewindow=1d"], progress=progress)
        )
    assert injected and listing.status == "complete"
    ids = item_ids(listing)
    assert len(ids) == len(set(ids)) and set(ids) == own_ids(emu, listing)
    statuses = {e["status"] for e in api_requests(emu)}
    assert {503, 429} <= statuses  # the faults did happen


def test_a_lasting_failure_says_what_arrived(emu: Emulator) -> None:
    """A sub-window that keeps failing: IncompleteResultError with the records that came."""
    started = False

    def progress(done: int, total: int | None) -> None:
        nonlocal started
        if done >= 3 and not started:
            started = True
            emu.control.inject_fault(500, pattern="monitoring/instances")

    with windows_client(emu, retries=1) as client, pytest.raises(IncompleteResultError) as caught:
        client.paginate("monitoring/instances", where=["timewindow=1d"], progress=progress)
    error = caught.value
    ids = item_ids(error.items)
    assert 0 < error.received == len(ids) == len(set(ids)) < (error.expected or 0)
    assert "sub-window" in str(error) and "items arrived" in str(error)


def test_one_hundred_thousand_instances_in_a_day(emu: Emulator) -> None:
    """A busy day: 100,000 more instances in the last 24 hours, every one read."""
    emu.control.add_instances(100_000)
    with windows_client(emu, concurrency=8) as client:
        listing = _windowed(client.paginate("monitoring/instances", where=["timewindow=1d"]))
    ids = item_ids(listing)
    own = own_ids(emu, listing)
    assert len(own) > 100_000
    assert len(ids) == len(set(ids)) == len(own) and set(ids) == own
    assert listing.requests <= 1.1 * -(-len(ids) // 50)


def test_explicit_start_and_end(emu: Emulator) -> None:
    """start=/end= (aware datetimes) set the window; the errors list has one too."""
    now = datetime.fromtimestamp(emu.backend.clock.now(), UTC)
    start, end = now - timedelta(hours=30), now - timedelta(hours=2)
    with windows_client(emu) as client:
        listing = client.paginate("monitoring/instances", start=start, end=end)
        errors = client.paginate("monitoring/errors", start=start, end=end)
    assert isinstance(listing, WindowedListing) and isinstance(errors, WindowedListing)
    assert listing.window_start == start.replace(microsecond=0)
    assert set(item_ids(listing)) == own_ids(emu, listing)
    assert set(item_ids(errors)) == own_ids(emu, errors, status="FAILED")


def test_status_filter_and_dates_in_q(emu: Emulator) -> None:
    """startdate/enddate written in the filter are the window; other keys stay."""
    now = datetime.fromtimestamp(emu.backend.clock.now(), UTC).replace(microsecond=0)
    start = (now - timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    with windows_client(emu) as client:
        listing = client.paginate(
            "monitoring/instances", where=["status=COMPLETED", f"startdate={start}"]
        )
    assert isinstance(listing, WindowedListing)
    assert listing.window_start == now - timedelta(days=2)
    assert set(item_ids(listing)) == own_ids(emu, listing, status="COMPLETED")


@pytest.mark.parametrize(
    ("where", "start", "message"),
    [
        (["startdate=2026-01-01 00:00:00"], datetime(2026, 1, 1, tzinfo=UTC), "twice"),
        (["startdate=yesterday"], None, "not a date"),
        (["timewindow=5d"], None, "timewindow"),
        ([], datetime(2026, 1, 1), "time zone"),
    ],
)
def test_a_window_that_cannot_be_read_is_refused(
    emu: Emulator, where: list[str], start: datetime | None, message: str
) -> None:
    with windows_client(emu) as client, pytest.raises(RequestError, match=message):
        client.paginate("monitoring/instances", where=where, start=start)


def test_a_window_is_for_monitoring_lists_only(emu: Emulator) -> None:
    with windows_client(emu) as client, pytest.raises(RequestError, match="monitoring/instances"):
        client.paginate("connections", start=datetime.now(UTC) - timedelta(hours=1))


def test_a_small_limit_is_one_request(emu: Emulator) -> None:
    """--limit 10 of a day: the first page asked for is the limit, and nothing more."""
    with windows_client(emu) as client:
        emu.control.clear_requests()
        listing = client.paginate("monitoring/instances", where=["timewindow=1d"], limit=10)
    sent = [e for e in api_requests(emu) if e["path"].endswith("/monitoring/instances")]
    assert len(listing) == 10 and listing.status == "limited"
    assert len(sent) == 1 and "limit=10" in sent[0]["query"]


def test_without_the_caps_pages_are_the_clients_size() -> None:
    """A server without OIC's caps (the emulator built so): one window, pages of 100."""
    with Emulator(connections=100, monitoring_caps=False) as emu:
        with windows_client(emu, monitoring_caps=False, page_size=100) as client:
            emu.control.clear_requests()
            listing = _windowed(client.paginate("monitoring/instances", where=["timewindow=3d"]))
        sent = [e for e in api_requests(emu) if e["path"].endswith("/monitoring/instances")]
        assert listing.window_start is not None
        start = listing.window_start.timestamp()
        own = [r for r in emu.backend.data.instances if r["_created"] >= start]
    assert len(listing) == len(own) > 550
    assert all("limit=100" in e["query"] for e in sent) and len(sent) == -(-len(own) // 100)
