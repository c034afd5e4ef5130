"""Fixtures shared by the whole suite: emulators on real loopback sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oic_magic.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh, started emulator of its own, stopped after the test."""
    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="session")
def shared_emulator() -> Iterator[Emulator]:
    """One emulator for the session; reset it before use (or use the ``emu`` fixture)."""
    with Emulator() as emu:
        yield emu


@pytest.fixture
def emu(shared_emulator: Emulator) -> Emulator:
    """The session's emulator, reset to its starting state."""
    shared_emulator.control.reset()
    return shared_emulator
