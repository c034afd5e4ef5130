"""Fixtures shared by the whole suite: emulators on real loopback sockets."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from oic_magic.emulator import ANSWERS, Emulator

# The suite never touches the developer's own keyring: the default backend is the one that
# refuses everything (kernels started by the tests inherit this too). Tests that need a
# keyring hand an in-memory backend to RememberedTokens, or set one inside their kernel.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


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


#: The emulated instances of the tests across sessions: different seeds, different data.
INSTANCES = {"dev": 7, "test": 8, "prod": 9}


@pytest.fixture(scope="session")
def shared_instances() -> Iterator[dict[str, Emulator]]:
    """Three emulators side by side (dev, test, prod), for the session; reset before use."""
    emulators = {
        name: Emulator(seed=seed, connections=40, instance=f"oic-{name}")
        for name, seed in INSTANCES.items()
    }
    for each in emulators.values():
        each.start()
    try:
        yield emulators
    finally:
        for each in emulators.values():
            each.stop()


@pytest.fixture
def instances(shared_instances: dict[str, Emulator]) -> dict[str, Emulator]:
    """dev, test and prod emulators, each reset to its starting state."""
    for each in shared_instances.values():
        each.control.reset()
    return shared_instances


@pytest.fixture(scope="session")
def shared_estate() -> Iterator[dict[str, Emulator]]:
    """dev and prod of one estate: the same seed, prod with planted differences."""
    emulators = {
        "dev": Emulator(seed=11, connections=40, instance="oic-dev"),
        "prod": Emulator(seed=11, connections=40, instance="oic-prod", variant="prod"),
    }
    for each in emulators.values():
        each.start()
    try:
        yield emulators
    finally:
        for each in emulators.values():
            each.stop()


@pytest.fixture
def estate(shared_estate: dict[str, Emulator]) -> dict[str, Emulator]:
    """dev and prod of one estate, reset (prod's planted differences planted again)."""
    for each in shared_estate.values():
        each.control.reset()
    return shared_estate


@pytest.fixture(scope="session", params=sorted(ANSWERS), ids=str)
def answers_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """One emulator per way the real OIC may answer (``oic_magic.emulator.ANSWERS``)."""
    with Emulator(answers=request.param) as emu:
        yield emu


@pytest.fixture
def answers_emu(answers_emulator: Emulator) -> Emulator:
    """The variant's emulator, reset to its starting state."""
    answers_emulator.control.reset()
    return answers_emulator
