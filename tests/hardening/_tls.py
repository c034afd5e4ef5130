"""A test certificate authority (trustme) for the https emulator and the client's CA bundle."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

import trustme


@dataclass(frozen=True)
class Authority:
    """A test certificate authority: its PEM bundle on disk and a server context for loopback."""

    bundle: Path
    server_context: ssl.SSLContext


def new_authority(directory: Path) -> Authority:
    ca = trustme.CA()
    bundle = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return Authority(bundle, context)
