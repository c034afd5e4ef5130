"""The activation wait on its own: scripted statuses, a hand-moved clock, no sockets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from oic_magic.core._activation import Activation, Target, wait_for
from oic_magic.exceptions import ActivationTimeoutError

from ._core_fake import Clock


def _script(statuses: Iterable[str]) -> Callable[[], str]:
    answers = iter(statuses)
    return lambda: next(answers)


def _wait(
    clock: Clock,
    statuses: Iterable[str],
    *,
    wanted: Target = "ACTIVATED",
    answered: str | None = None,
    timeout: float = 300.0,
    **options: Any,
) -> Activation:
    return wait_for(
        _script(statuses),
        integration_id="HELLO|01.00.0000",
        wanted=wanted,
        answered=answered,
        started=clock(),
        clock=clock,
        sleep=clock.advance,
        timeout=timeout,
        interval=1.0,
        **options,
    )


def test_deactivation_that_takes_time_is_polled(clock: Clock) -> None:
    """A deactivation not finished when answered is polled until CONFIGURED."""
    done = _wait(
        clock, ["ACTIVATED", "CONFIGURED"], wanted="CONFIGURED", answered="DEACTIVATION_INPROGRESS"
    )
    assert done.status == "CONFIGURED" and done.polls == 2 and done.elapsed == 1.0
    assert [s for _, s in done.observed] == ["DEACTIVATION_INPROGRESS", "ACTIVATED", "CONFIGURED"]


def test_a_passing_configured_does_not_end_an_activation(clock: Clock) -> None:
    """CONFIGURED seen before OIC picks the activation up means keep waiting, not failure."""
    done = _wait(clock, ["CONFIGURED", "INPROGRESS", "ACTIVATED"])
    assert done.status == "ACTIVATED" and done.polls == 3


def test_progress_hears_every_poll(clock: Clock) -> None:
    """The progress callback gets each polled status with the elapsed seconds."""
    heard: list[tuple[str, float]] = []
    _wait(
        clock,
        ["INPROGRESS", "ACTIVATED"],
        answered="ACTIVATION_INPROGRESS",
        progress=lambda status, elapsed: heard.append((status, elapsed)),
    )
    assert heard == [("INPROGRESS", 0.0), ("ACTIVATED", 1.0)]


def test_zero_timeout_polls_once_and_never_sleeps(clock: Clock) -> None:
    """timeout=0 reads the status once and raises at once if it is not final."""
    start = clock()
    with pytest.raises(ActivationTimeoutError, match="not finished after 0s"):
        _wait(clock, ["ACTIVATION_INPROGRESS"], timeout=0)
    assert clock() == start


def test_nonsense_timing_is_refused(clock: Clock) -> None:
    """A negative timeout or a non-positive interval is a ValueError, before any poll."""
    with pytest.raises(ValueError, match="interval"):
        wait_for(
            _script([]),
            integration_id="X|01.00.0000",
            wanted="ACTIVATED",
            answered=None,
            started=0.0,
            clock=clock,
            sleep=clock.advance,
            timeout=1.0,
            interval=0.0,
        )
    with pytest.raises(ValueError, match="timeout"):
        _wait(clock, [], timeout=-1.0)
