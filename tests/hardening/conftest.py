"""Fixtures of the hardening tests: emulators over http and https (a trustme CA)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from oic_magic.emulator import Emulator

from ._tls import Authority, new_authority


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """The CA that signs the https emulator's certificate."""
    return new_authority(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def other_authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """A second CA, unrelated to the first (a wrong CA bundle)."""
    return new_authority(tmp_path_factory.mktemp("other-ca"))


@pytest.fixture(scope="session")
def _shared_tls_emulator(authority: Authority) -> Iterator[Emulator]:
    with Emulator(ssl_context=authority.server_context) as emu:
        yield emu


@pytest.fixture
def tls_emu(_shared_tls_emulator: Emulator) -> Emulator:
    """An emulator serving https with the test CA's certificate, reset."""
    _shared_tls_emulator.control.reset()
    return _shared_tls_emulator
