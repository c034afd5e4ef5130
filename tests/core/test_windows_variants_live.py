"""Monitoring windows past OIC's offset cap, whole under every way the real OIC may answer.

Each emulator variant (``oic_magic.emulator.ANSWERS``) answers its monitoring lists with
totals exact, per page, absent, too high or too low, with or without ``hasMore``, and
with or without a page cap of its own. Whatever it sends, a day that holds more than one
window shows is read whole (the emulator's own count of the window the listing reports),
or the read ends in an error that carries what arrived; never silently short.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import pytest
from _emulated import api_requests

from oic_magic import IncompleteResultError
from oic_magic.core._windows import READABLE, WindowedListing
from oic_magic.emulator import Emulator

from ._windows_live import item_ids, own_ids, windows_client


def test_a_day_is_whole(answers_emu: Emulator) -> None:
    """timewindow=1d, more than one window shows: every record once, in OIC's order."""
    with windows_client(answers_emu) as client:
        answers_emu.control.clear_requests()
        listing = client.paginate("monitoring/instances", where=["timewindow=1d"])
    assert isinstance(listing, WindowedListing) and listing.status == "complete"
    ids, own = item_ids(listing), own_ids(answers_emu, listing)
    assert len(own) > READABLE
    assert len(ids) == len(set(ids)) == len(own) == listing.total and set(ids) == own
    assert listing.windows >= 2
    tracked = [item["lastTrackedTime"] for item in listing]
    assert tracked == sorted(tracked, reverse=True)
    sent = [e for e in api_requests(answers_emu) if e["path"].endswith("/monitoring/instances")]
    assert len(sent) == listing.requests
    for entry in sent:
        query = dict(part.split("=", 1) for part in entry["query"].split("&"))
        assert int(query["limit"]) <= 50 and int(query["offset"]) <= 500
    assert any(re.search(r"startdate:'[\d-]+ [\d:]+'", unquote_plus(e["query"])) for e in sent)


def test_the_errors_of_two_days_are_whole(answers_emu: Emulator) -> None:
    """monitoring/errors over 2d: every FAILED record of the window, each once."""
    with windows_client(answers_emu) as client:
        listing = client.paginate("monitoring/errors", where=["timewindow=2d"])
    assert isinstance(listing, WindowedListing) and listing.status == "complete"
    ids = item_ids(listing)
    assert len(ids) == len(set(ids)) and set(ids) == own_ids(answers_emu, listing, "FAILED")


def test_a_limit_past_the_cap_gives_exactly_that_many(answers_emu: Emulator) -> None:
    """limit=700 of a day that holds more: 700 records of the window, newest first."""
    with windows_client(answers_emu) as client:
        listing = client.paginate("monitoring/instances", where=["timewindow=1d"], limit=700)
    assert isinstance(listing, WindowedListing) and listing.status == "limited"
    ids = item_ids(listing)
    assert len(ids) == len(set(ids)) == 700 and set(ids) <= own_ids(answers_emu, listing)
    tracked = [item["lastTrackedTime"] for item in listing]
    assert tracked == sorted(tracked, reverse=True)


def test_the_totals_that_disagree_are_said(answers_emu: Emulator) -> None:
    """A total too high or too low is named in the warnings; an exact one is not."""
    with windows_client(answers_emu) as client:
        listing = client.paginate("monitoring/instances", where=["timewindow=1d"])
    said = [w for w in listing.warnings if "total" in w]
    if answers_emu.answers.totals in ("high", "low"):
        assert said, listing.warnings
    elif answers_emu.answers.totals == "exact":
        assert not said, listing.warnings
    assert not any("changed" in w for w in listing.warnings)


def test_a_lasting_failure_carries_what_arrived(answers_emu: Emulator) -> None:
    """Pages that keep failing mid-way: IncompleteResultError with the records that came."""
    started = False

    def progress(done: int, total: int | None) -> None:
        nonlocal started
        if done >= 3 and not started:
            started = True
            answers_emu.control.inject_fault(500, pattern="monitoring/instances")

    with (
        windows_client(answers_emu, retries=1) as client,
        pytest.raises(IncompleteResultError) as caught,
    ):
        client.paginate("monitoring/instances", where=["timewindow=1d"], progress=progress)
    ids = item_ids(caught.value.items)
    assert 0 < caught.value.received == len(ids) == len(set(ids))
    every = {r["id"] for r in answers_emu.backend.data.instances}
    assert set(ids) <= every
    assert "items arrived" in str(caught.value)


def test_one_second_past_the_cap_is_a_clear_error(answers_emu: Emulator) -> None:
    """1,200 records within half a second: no cut can show them; the error says so."""
    answers_emu.control.add_instances(1200, seconds=0.5)
    with windows_client(answers_emu) as client, pytest.raises(IncompleteResultError) as caught:
        client.paginate("monitoring/instances", where=["timewindow=1h"])
    error = caught.value
    ids = item_ids(error.items)
    assert 0 < error.received == len(ids) == len(set(ids))
    assert set(ids) <= {r["id"] for r in answers_emu.backend.data.instances}
    assert "one second" in str(error) and "Add a filter" in str(error)
