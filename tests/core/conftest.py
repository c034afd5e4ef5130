"""Fixtures of the core tests: a hand-moved clock and the in-process fake OIC."""

from __future__ import annotations

import pytest

from ._core_fake import Clock, FakeOIC


@pytest.fixture
def clock() -> Clock:
    """A clock that only moves when the test says so."""
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> FakeOIC:
    """A fresh fake OIC on the test's clock."""
    return FakeOIC(clock=clock)


class Sleeps(list[float]):
    """Records the waits a client asked for, instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    """A sleep function that records and returns at once."""
    return Sleeps()
