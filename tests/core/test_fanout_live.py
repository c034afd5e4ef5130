"""One call across several sessions: each emulator read at once, each completely or named."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pytest
from _instances import sign_in_all

from oic_magic import (
    Listing,
    NotSignedInError,
    OICClient,
    RequestError,
    ResponseFormatError,
    SessionsFailedError,
    across,
)
from oic_magic.core._fanout import paginate_across, session_names
from oic_magic.emulator import Emulator

TOKEN = "/oauth2/v1/token"


def _ids(listing: Listing) -> list[str]:
    return [item["id"] for item in listing.items]


def test_each_session_gets_its_own_instance_and_results_keep_the_order(
    instances: dict[str, Emulator],
) -> None:
    """A listing across three sessions equals each session's listing read alone."""
    store = sign_in_all(instances)
    together = paginate_across(["prod", "dev", "test"], "connections", store=store)
    assert list(together) == ["prod", "dev", "test"]
    for name in instances:
        with OICClient(store.get(name)) as client:
            alone = client.paginate("connections")
        assert _ids(together[name]) == _ids(alone)
        assert together[name].total == len(instances[name].backend.resources.data.connections)
    # Three different instances, three different inventories.
    assert set(_ids(together["dev"])) != set(_ids(together["prod"]))


def test_sessions_run_at_the_same_time(instances: dict[str, Emulator]) -> None:
    """Every session's call has started before any of them may finish."""
    store = sign_in_all(instances)
    barrier = threading.Barrier(3, timeout=10)

    def work(client: OICClient) -> str:
        barrier.wait()  # breaks (and fails the test) unless all three run concurrently
        return client.session.settings.instance or ""

    assert across("dev,test,prod", work, store=store) == {
        "dev": "oic-dev",
        "test": "oic-test",
        "prod": "oic-prod",
    }


def test_signs_nothing_new_and_an_unknown_session_stops_before_any_call(
    instances: dict[str, Emulator],
) -> None:
    store = sign_in_all({"dev": instances["dev"]})
    for emu in instances.values():
        emu.control.clear_requests()
    with pytest.raises(NotSignedInError, match="'prod'"):
        across("dev,prod", lambda client: client.paginate("connections"), store=store)
    assert instances["dev"].control.requests() == []
    across("dev", lambda client: client.paginate("connections"), store=store)
    assert not [e for e in instances["dev"].control.requests() if e["path"] == TOKEN]


def test_a_failing_session_is_named_and_the_others_results_are_kept(
    instances: dict[str, Emulator],
) -> None:
    store = sign_in_all(instances)
    instances["test"].control.inject_fault("malformed", pattern="connections")
    with pytest.raises(SessionsFailedError) as caught:
        paginate_across("dev,test,prod", "connections", store=store)
    error = caught.value
    assert list(error.errors) == ["test"]
    assert isinstance(error.errors["test"], ResponseFormatError)
    assert "in session 'test'" in str(error)
    assert list(error.results) == ["dev", "prod"]
    for name in ("dev", "prod"):  # complete, not partial
        expected = len(instances[name].backend.resources.data.connections)
        assert len(error.results[name].items) == expected


def test_every_session_failing_says_so(instances: dict[str, Emulator]) -> None:
    store = sign_in_all(instances)
    with pytest.raises(SessionsFailedError, match="No session succeeded") as caught:
        across("dev,prod", lambda client: client.get("connections/NO_SUCH"), store=store)
    assert set(caught.value.errors) == {"dev", "prod"}
    assert caught.value.results == {}


def test_a_bug_in_the_work_is_raised_as_it_is(instances: dict[str, Emulator]) -> None:
    store = sign_in_all(instances)
    with pytest.raises(ZeroDivisionError):
        across("dev,prod", lambda client: 1 / 0, store=store)


@pytest.mark.parametrize("names", ["", "dev,,prod", "dev, dev", ["a", " "]])
def test_bad_session_lists_are_refused(names: str | Iterable[str]) -> None:
    with pytest.raises(RequestError):
        session_names(names)
