"""Activation waited to the end, against the emulator over real sockets, without sleeping.

The client's clock and sleep are one ``EmulatorTime``: a wait of *s* seconds moves the
client's clock and the emulator's by *s*, so the emulator's activation delay passes
exactly as the client waits for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from _emulated import api_requests, demo_settings

from oic_magic import (
    Activation,
    ActivationError,
    ActivationFailedError,
    ActivationTimeoutError,
    OICClient,
    OICError,
    Session,
)
from oic_magic.emulator import Emulator


class EmulatorTime:
    """A client clock that moves only when the client sleeps, taking the emulator's along."""

    def __init__(self, emu: Emulator) -> None:
        self._emu = emu
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self._emu.control.advance_clock(seconds)


@pytest.fixture
def shared_time(emu: Emulator) -> EmulatorTime:
    """Time shared by the client and the (reset) emulator."""
    return EmulatorTime(emu)


@pytest.fixture
def client(emu: Emulator, shared_time: EmulatorTime) -> Iterator[OICClient]:
    """A client of the demo user whose waits are moves of the emulator clock."""
    session = Session.sign_in(demo_settings(emu))
    with OICClient(
        session, clock=shared_time, sleep=shared_time.sleep, owns_session=True
    ) as signed_in:
        yield signed_in


def _integrations(emu: Emulator) -> dict[str, dict[str, Any]]:
    return emu.backend.data.integrations


def _replacing(emu: Emulator) -> tuple[str, str]:
    """A complete, configured version and an active sibling of the same major version."""
    records = _integrations(emu)
    for ident, record in sorted(records.items()):
        if record["status"] != "CONFIGURED" or record["percentageComplete"] < 100:
            continue
        for other, sibling in sorted(records.items()):
            if (
                other != ident
                and sibling["code"] == record["code"]
                and sibling["version"][:2] == record["version"][:2]
                and sibling["status"] == "ACTIVATED"
            ):
                return ident, other
    raise AssertionError("the seeded data has no version that replaces an active one")


def _with_status(emu: Emulator, status: str) -> str:
    return min(
        i
        for i, r in _integrations(emu).items()
        if r["status"] == status and r["percentageComplete"] == 100
    )


def _statuses(activation: Activation) -> list[str]:
    return [status for _elapsed, status in activation.observed]


def test_activate_polls_until_activated(
    emu: Emulator, client: OICClient, shared_time: EmulatorTime
) -> None:
    """activate() polls every interval on the injected clock until ACTIVATED, and says so."""
    target, _sibling = _replacing(emu)
    emu.control.set_activation_delay(3.0)
    activation = client.activate(target, interval=1.0)
    assert activation.id == target and activation.wanted == "ACTIVATED"
    assert activation.status == "ACTIVATED" and activation.done
    assert _statuses(activation) == [
        "ACTIVATION_INPROGRESS",
        *["ACTIVATION_INPROGRESS"] * 3,
        "ACTIVATED",
    ]
    assert [elapsed for elapsed, _ in activation.observed] == [0.0, 0.0, 1.0, 2.0, 3.0]
    assert activation.polls == 4 and activation.elapsed == 3.0
    assert shared_time.sleeps == [1.0, 1.0, 1.0]
    assert _integrations(emu)[target]["status"] == "ACTIVATED"


def test_activation_deactivates_the_same_major_version(emu: Emulator, client: OICClient) -> None:
    """Once activated, the version that was active in the same major version is CONFIGURED."""
    target, sibling = _replacing(emu)
    emu.control.set_activation_delay(2.0)
    client.activate(target)
    code = target.split("|")[0]
    versions = {
        r["id"]: r["status"] for r in client.paginate("integrations", where=[f"code={code}"])
    }
    assert versions[target] == "ACTIVATED"
    assert versions[sibling] == "CONFIGURED"


def test_failed_activation_raises_a_typed_error(emu: Emulator, client: OICClient) -> None:
    """FAILEDACTIVATION ends the wait with ActivationFailedError carrying what was seen."""
    target = _with_status(emu, "FAILEDACTIVATION")
    emu.control.set_activation_delay(2.0)
    with pytest.raises(ActivationFailedError) as caught:
        client.activate(target)
    error = caught.value
    assert isinstance(error, ActivationError) and isinstance(error, OICError)
    assert error.integration_id == target and error.status == "FAILEDACTIVATION"
    assert error.activation.polls == 3 and _statuses(error.activation)[-1] == "FAILEDACTIVATION"
    assert f"activation of {target} failed" in str(error)
    assert "open the integration in OIC" in str(error)


def test_timeout_raises_and_says_how_to_check(
    emu: Emulator, client: OICClient, shared_time: EmulatorTime
) -> None:
    """A wait that runs out raises ActivationTimeoutError; the activation may still finish."""
    target, _sibling = _replacing(emu)
    emu.control.set_activation_delay(10.0)
    with pytest.raises(ActivationTimeoutError) as caught:
        client.activate(target, timeout=2.5, interval=1.0)
    error = caught.value
    assert shared_time.sleeps == [1.0, 1.0, 0.5]  # the last wait is cut to the timeout
    assert error.status == "ACTIVATION_INPROGRESS" and error.activation.elapsed == 2.5
    assert "may still complete" in str(error)
    assert f"%oic GET integrations/{target}/activationStatus" in str(error)
    later = client.wait_for_activation(target, timeout=60.0)
    assert later.status == "ACTIVATED" and later.elapsed == 8.0


def test_deactivate_finished_at_once_polls_nothing(
    emu: Emulator, client: OICClient, shared_time: EmulatorTime
) -> None:
    """A deactivation OIC completes before answering returns CONFIGURED with no poll."""
    target = _with_status(emu, "ACTIVATED")
    emu.control.clear_requests()
    activation = client.deactivate(target)
    assert activation.status == "CONFIGURED" and activation.wanted == "CONFIGURED"
    assert activation.polls == 0 and _statuses(activation) == ["CONFIGURED"]
    assert shared_time.sleeps == []
    assert [e["method"] for e in api_requests(emu)] == ["POST"]
    assert _integrations(emu)[target]["status"] == "CONFIGURED"


def test_activate_without_wait_then_wait_later(emu: Emulator, client: OICClient) -> None:
    """wait=False returns OIC's first answer; wait_for_activation() finishes the job."""
    target, _sibling = _replacing(emu)
    emu.control.set_activation_delay(2.0)
    started = client.activate(target, wait=False)
    assert started.status == "ACTIVATION_INPROGRESS" and started.polls == 0
    assert not started.done
    finished = client.wait_for_activation(target, interval=0.5)
    assert finished.status == "ACTIVATED" and finished.polls == 5


def test_bad_integration_id_is_refused_before_sending(emu: Emulator, client: OICClient) -> None:
    """An id that would reach another resource (a slash, a query) is refused locally."""
    emu.control.clear_requests()
    for bad in ("", "HELLO|01.00.0000/archive", "connections?x=1"):
        with pytest.raises(ValueError, match="integration id"):
            client.activate(bad)
    assert api_requests(emu) == []
