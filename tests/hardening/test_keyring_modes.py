"""Keyring failure modes end to end: sign in with memory only, one notice, a bounded wait."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from _emulated import token_requests

from oic_magic import ConfigurationError, OICClient, RememberedTokens
from oic_magic.emulator import Emulator

from ._hardening import Sleeps, settings_for

BOUND = 0.2


class CountingKeyring:
    """A backend that counts its calls; subclasses decide how each call fails."""

    def __init__(self) -> None:
        self.calls = 0
        self.release = threading.Event()

    def _call(self) -> Any:
        self.calls += 1
        return None

    def get_password(self, service: str, username: str) -> str | None:
        return self._call()  # type: ignore[no-any-return]

    def set_password(self, service: str, username: str, password: str) -> None:
        self._call()

    def delete_password(self, service: str, username: str) -> None:
        self._call()


class RaisingKeyring(CountingKeyring):
    """Every call raises, as a locked or broken keyring does."""

    def _call(self) -> Any:
        super()._call()
        raise RuntimeError("the keyring is locked")


class HangingKeyring(CountingKeyring):
    """Every call blocks (a desktop keyring waiting on a prompt nobody answers)."""

    def _call(self) -> Any:
        super()._call()
        self.release.wait()


@pytest.fixture
def no_backend() -> Iterator[Any]:
    """The keyring package with its "no backend" backend, as on a headless server."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield None  # RememberedTokens(backend=None) looks the default up
    finally:
        keyring.set_keyring(previous)


def _backend(kind: str, request: pytest.FixtureRequest) -> Any:
    if kind == "none":
        return request.getfixturevalue("no_backend")
    return {"raising": RaisingKeyring, "hanging": HangingKeyring}[kind]()


@pytest.mark.parametrize("kind", ["none", "raising", "hanging"])
def test_sign_in_with_memory_only_and_one_notice(
    emu: Emulator, kind: str, request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> None:
    """Sign-in, refreshes and calls work; one WARNING; after it the backend is never asked."""
    caplog.set_level(logging.WARNING, logger="oic_magic.keyring")
    backend = _backend(kind, request)
    remembered = RememberedTokens(backend=backend, timeout=BOUND, remember_secret=True)
    try:
        with OICClient.sign_in(settings_for(emu), remembered=remembered, sleep=Sleeps()) as client:
            for _ in range(3):
                client.session.refresh()
            assert client.get("connections")["items"]
            newest = client.session.token.refresh_token
    finally:
        if backend is not None:
            backend.release.set()
    assert remembered.memory_only
    assert remembered.load_refresh_token(settings_for(emu)) == newest  # memory kept the newest
    notices = [r for r in caplog.records if r.name == "oic_magic.keyring"]
    assert len(notices) == 1 and "memory only" in notices[0].getMessage()
    if backend is not None:
        assert backend.calls == 1  # one bounded attempt, never a second wait
    assert len(token_requests(emu, "refresh_token")) == 3


@pytest.mark.parametrize("kind", ["none", "raising", "hanging"])
def test_restart_without_keyring_says_what_is_missing(
    emu: Emulator, kind: str, request: pytest.FixtureRequest
) -> None:
    """A new process asking the broken keyring for a refresh token gets a clear error, once."""
    backend = _backend(kind, request)
    remembered = RememberedTokens(backend=backend, timeout=BOUND)
    try:
        with pytest.raises(ConfigurationError, match="no refresh token is remembered"):
            OICClient.sign_in(
                settings_for(emu, password=None),
                grant="refresh_token",
                remembered=remembered,
                sleep=Sleeps(),
            )
    finally:
        if backend is not None:
            backend.release.set()
    assert remembered.memory_only and token_requests(emu) == []
    if backend is not None:
        assert backend.calls == 1
