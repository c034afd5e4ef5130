"""Fixtures of the hardening tests: emulators over http and https (a trustme CA)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from oic_magic.emulator import Emulator


@dataclass(frozen=True)
class Authority:
    """A test certificate authority: its PEM bundle on disk and a server context for loopback."""

    bundle: Path
    server_context: ssl.SSLContext


def _authority(directory: Path) -> Authority:
    ca = trustme.CA()
    bundle = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return Authority(bundle, context)


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """The CA that signs the https emulator's certificate."""
    return _authority(tmp_path_factory.mktemp("ca"))


@pytest.fixture(scope="session")
def other_authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """A second CA, unrelated to the first (a wrong CA bundle)."""
    return _authority(tmp_path_factory.mktemp("other-ca"))


@pytest.fixture(scope="session")
def _shared_tls_emulator(authority: Authority) -> Iterator[Emulator]:
    with Emulator(ssl_context=authority.server_context) as emu:
        yield emu


@pytest.fixture
def tls_emu(_shared_tls_emulator: Emulator) -> Emulator:
    """An emulator serving https with the test CA's certificate, reset."""
    _shared_tls_emulator.control.reset()
    return _shared_tls_emulator
