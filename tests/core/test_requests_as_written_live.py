"""Requests as users write them, against the emulator over real sockets: a q in the path
with where conditions, paths with and without slashes, pasted URLs, the timeout, the 412
hints and the monitoring cap's advice."""

from __future__ import annotations

import random
from typing import Any

import pytest
from _emulated import api_requests, demo_settings

from oic_magic import (
    APIStatusError,
    OICClient,
    ResponseFormatError,
    Session,
    TransportError,
    WindowedListing,
)
from oic_magic.emulator import Emulator

API = "/ic/api/integration/v1"


def _client(emu: Emulator, **changes: Any) -> OICClient:
    return OICClient.sign_in(
        demo_settings(emu, **changes), rng=random.Random(7), sleep=lambda _s: None
    )


def _ids(items: Any) -> list[str]:
    return [item["id"] for item in items]


def _q_values(entry: dict[str, Any]) -> list[str]:
    return [part for part in entry["query"].split("&") if part.startswith("q=")]


# -- 1. one q filter -------------------------------------------------------------------------


def test_q_in_the_path_and_where_conditions_filter_together(emu: Emulator) -> None:
    """q={status:...} in the path and where=[name~Bank] are both applied, sent as one q."""
    with _client(emu) as client:
        configured = client.paginate("connections", where=["status=CONFIGURED"])
        emu.control.clear_requests()
        merged = client.paginate("connections?q={status:'CONFIGURED'}", where=["name~Bank"])
        both = client.paginate("connections", where=["status=CONFIGURED", "name~Bank"])
    assert 0 < len(merged) < len(configured)
    assert _ids(merged) == _ids(both)
    assert all(item["status"] == "CONFIGURED" and "bank" in item["name"].lower() for item in merged)
    assert all(len(_q_values(entry)) == 1 for entry in api_requests(emu))


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("connections", ["status=ACTIVATED", "status=CONFIGURED"]),
        ("connections?q={status:'CONFIGURED'}", ["status=ACTIVATED"]),
    ],
)
def test_a_key_given_twice_is_refused_before_sending(
    emu: Emulator, path: str, where: list[str]
) -> None:
    """OIC's q holds one value per key: a repeated key is named, and nothing is sent."""
    with _client(emu) as client:
        emu.control.clear_requests()
        with pytest.raises(ValueError, match="'status' twice") as caught:
            client.paginate(path, where=where)
    text = str(caught.value)
    assert "ANDs" in text and "one value per key" in text and "one call per value" in text
    assert api_requests(emu) == []


def test_a_path_q_that_is_not_an_object_cannot_take_where(emu: Emulator) -> None:
    """A q that is not {key:value} cannot be merged: the error says to write it one way."""
    with _client(emu) as client:
        emu.control.clear_requests()
        with pytest.raises(ValueError, match="Write the filter one way"):
            client.paginate("connections?q=Bank", where=["status=CONFIGURED"])
    assert api_requests(emu) == []


# -- 2. paths and pasted URLs ------------------------------------------------------------------


def test_api_path_without_its_leading_slash(emu: Emulator) -> None:
    """ic/api/integration/v1/connections is the list, not the prefix added twice."""
    with _client(emu) as client:
        listing = client.paginate("ic/api/integration/v1/connections")
    assert listing.total == len(listing) == 300
    assert {entry["path"] for entry in api_requests(emu)} == {f"{API}/connections"}


def test_trailing_slash_is_the_list(emu: Emulator) -> None:
    """connections/ reads the list; integrations/ID/ reads the one integration."""
    with _client(emu) as client:
        listing = client.paginate("connections/")
        first = client.get(f"integrations/{client.paginate('integrations', limit=1)[0]['id']}/")
    assert listing.total == len(listing) == 300
    assert "|" in first["id"]


def test_a_pasted_href_of_the_session_is_called(emu: Emulator) -> None:
    """links[].href, and a list URL with its query, work as paths on the same OIC."""
    with _client(emu) as client:
        item = client.get("connections", params={"limit": 1})["items"][0]
        again = client.get(item["links"][0]["href"])
        listing = client.paginate(f"{emu.design_url}{API}/connections?q={{status:'CONFIGURED'}}")
    assert again["id"] == item["id"]
    assert listing.total == len(listing) and {i["status"] for i in listing} == {"CONFIGURED"}
    assert listing.url.startswith(emu.design_url + API + "/connections?q=")


def test_a_runtime_url_goes_to_the_design_host(emu: Emulator) -> None:
    """A URL on the configured runtime origin is sent where the client sends calls."""
    with _client(emu, runtime_url=emu.runtime_url) as client:
        assert client.get(f"{emu.runtime_url}{API}/connections?limit=2")["items"]
    assert api_requests(emu, "runtime") == [] and len(api_requests(emu, "design")) == 1


def test_the_learned_design_origin_is_the_sessions_own(emu: Emulator) -> None:
    """Runtime URL only: a design-host URL is accepted once the 307 has shown that host."""
    href = f"{emu.design_url}{API}/connections?limit=1"
    with _client(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(emu.design_url,)
    ) as client:
        with pytest.raises(ValueError, match="is not this session's OIC"):
            client.get(href)
        client.get("connections", params={"limit": 1})  # follows OIC's 307 to the design host
        assert client.get(href)["items"]


def test_a_url_of_another_host_is_refused_before_sending(emu: Emulator) -> None:
    """Another origin gets no request and no token; the error names both hosts."""
    foreign = emu.foreign_url.replace("://", "://ada:S3cret-pw@")
    with _client(emu) as client:
        emu.control.clear_requests()
        with pytest.raises(ValueError) as caught:
            client.get(f"{foreign}{API}/connections")
        token = client.session.token.access_token
    text = str(caught.value)
    assert emu.foreign_url in text and emu.design_url in text
    assert "nothing was sent" in text
    assert "S3cret-pw" not in text and token not in text
    assert emu.control.foreign_received() == [] and api_requests(emu) == []


def test_a_pasted_url_with_credentials_never_shows_them(emu: Emulator) -> None:
    """A user:password@ in a URL of this OIC is dropped: not sent, not in any message."""
    with _client(emu) as client:
        url = emu.design_url.replace("://", "://ada:S3cret-pw@") + f"{API}/connections"
        emu.control.inject_fault("malformed", count=1, origin="design")
        with pytest.raises(ResponseFormatError) as caught:
            client.get(url)
    assert "S3cret-pw" not in str(caught.value) and f"GET {API}/connections" in str(caught.value)
    assert [e["path"] for e in api_requests(emu)] == [f"{API}/connections"]


# -- 3. timeout ------------------------------------------------------------------------------


def test_client_timeout_overrides_the_sessions(emu: Emulator) -> None:
    """OICClient(timeout=) waits less than the session's 10 s, and the error says how long
    it waited and where the timeout is set."""
    session = Session.sign_in(demo_settings(emu, timeout=10.0))
    emu.control.inject_fault("slow", count=1, origin="design", seconds=3)
    with (
        OICClient(session, timeout=0.3, retries=0, owns_session=True) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.get("connections")
    text = str(caught.value)
    assert "within 0.3 s: timed out (ReadTimeout)" in text
    assert "timeout setting" in text and "OIC_TIMEOUT" in text
    assert session.token.access_token not in text
    assert client.timeout == 0.3 and session.settings.timeout == 10.0


def test_without_timeout_the_sessions_setting_applies(emu: Emulator) -> None:
    """No timeout= keeps settings.timeout: the same slow answer is waited for."""
    session = Session.sign_in(demo_settings(emu, timeout=10.0))
    emu.control.inject_fault("slow", count=1, origin="design", seconds=0.5)
    with OICClient(session, retries=0, owns_session=True) as client:
        assert client.get("connections")["items"] and client.timeout == 10.0


@pytest.mark.parametrize("timeout", [0, -1.0])
def test_a_timeout_that_is_not_positive_is_refused(emu: Emulator, timeout: float) -> None:
    """timeout= must be a positive number of seconds."""
    session = Session.sign_in(demo_settings(emu))
    with pytest.raises(ValueError, match="positive number of seconds"):
        OICClient(session, timeout=timeout)
    session.close()


# -- 4. the 412 hints --------------------------------------------------------------------------


def test_412_for_a_locked_connection_says_unlock(emu: Emulator) -> None:
    """PATCH of a locked connection: OIC's 412 names the lock, the hint says unlock it."""
    with _client(emu) as client:
        locked = next(c for c in client.paginate("connections") if c["lockedFlag"])
        with pytest.raises(APIStatusError) as caught:
            client.request("PATCH", f"connections/{locked['id']}", json={"description": "x"})
    assert caught.value.status == 412 and "locked" in caught.value.server_message
    assert caught.value.hint == "The resource is locked; unlock it in OIC and try again."


def test_412_for_an_unfinished_integration_says_finish_it(emu: Emulator) -> None:
    """Activating an unfinished integration: the hint says to finish it, not to unlock it."""
    with _client(emu) as client:
        draft = next(i for i in client.paginate("integrations") if i["percentageComplete"] < 100)
        with pytest.raises(APIStatusError) as caught:
            client.activate(draft["id"])
    hint = caught.value.hint or ""
    assert caught.value.status == 412 and "not complete" in caught.value.server_message
    assert "designer" in hint and "activate it" in hint and "lock" not in hint


# -- 5. the monitoring cap ---------------------------------------------------------------------


def test_monitoring_day_past_the_cap_is_whole_and_a_limit_cuts_it(emu: Emulator) -> None:
    """A day of instances (796) passes the cap and still arrives whole, in sub-windows; a
    limit of at most 500 reads the first records of the one window."""
    with _client(emu) as client:
        whole = client.paginate("monitoring/instances", where=["timewindow=1d"])
        limited = client.paginate("monitoring/instances", where=["timewindow=1d"], limit=500)
    # The window read is the server's day widened to whole seconds: the emulator's own
    # records of that window, every one (796 on the demo data, one more on a boundary).
    assert isinstance(whole, WindowedListing)
    assert whole.window_start is not None and whole.window_end is not None
    low, high = whole.window_start.timestamp(), whole.window_end.timestamp()
    own = {r["id"] for r in emu.backend.data.instances if low <= r["_created"] <= high}
    assert len(whole) == len(set(_ids(whole))) and set(_ids(whole)) == own
    assert whole.status == "complete" and len(own) > 550
    assert len(limited) == 500 and limited.status == "limited"
    assert limited.total is not None and limited.total > 550
    assert set(_ids(limited)) <= set(_ids(whole))
