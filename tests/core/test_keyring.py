"""RememberedTokens: opt-in keyring with an in-memory backend, and its fallbacks."""

from __future__ import annotations

import logging

import pytest
from _emulated import BrokenKeyring, HangingKeyring, MemoryKeyring

from oic_magic import OICClient, RememberedTokens

from ._core_fake import CLIENT_SECRET, Clock, FakeOIC, settings


def test_key_names_domain_client_and_user() -> None:
    """The key is made of identity domain, client id and user; no secret in it."""
    key = RememberedTokens.key(settings())
    assert key == "refresh_token:idcs-test.identity.oraclecloud.com|test-client|ada"


def test_new_kernel_signs_in_from_remembered_refresh_token(fake: FakeOIC, clock: Clock) -> None:
    """A second process with the same keyring signs in without the password."""
    backend = MemoryKeyring()
    first = OICClient.sign_in(
        settings(),
        transport=fake.transport(),
        clock=clock,
        remembered=RememberedTokens(backend=backend),
    )
    stored = backend.entries[("oic_magic", RememberedTokens.key(settings()))]
    assert stored == first.session.token.refresh_token
    second = OICClient.sign_in(
        settings(password=None),
        grant="refresh_token",
        transport=fake.transport(),
        clock=clock,
        remembered=RememberedTokens(backend=backend),
    )
    newest = second.session.token.refresh_token
    assert backend.entries[("oic_magic", RememberedTokens.key(settings()))] == newest
    first.close()
    second.close()


def test_client_secret_remembered_only_when_asked(fake: FakeOIC, clock: Clock) -> None:
    """The client secret is stored only with remember_secret=True."""
    plain, asked = MemoryKeyring(), MemoryKeyring()
    for backend, flag in ((plain, False), (asked, True)):
        remembered = RememberedTokens(backend=backend, remember_secret=flag)
        OICClient.sign_in(
            settings(), transport=fake.transport(), clock=clock, remembered=remembered
        ).close()
    assert CLIENT_SECRET not in plain.entries.values()
    assert CLIENT_SECRET in asked.entries.values()
    again = RememberedTokens(backend=asked, remember_secret=True)
    client = OICClient.sign_in(
        settings(client_secret=None), transport=fake.transport(), clock=clock, remembered=again
    )
    assert client.session.user == "ada"
    client.close()


def test_forget_removes_everything() -> None:
    """forget() removes the refresh token and the secret."""
    backend = MemoryKeyring()
    remembered = RememberedTokens(backend=backend, remember_secret=True)
    remembered.save_refresh_token(settings(), "r")
    remembered.save_client_secret(settings())
    remembered.forget(settings())
    assert backend.entries == {} and remembered.load_refresh_token(settings()) is None


def test_failing_backend_memory_only_one_notice(caplog: pytest.LogCaptureFixture) -> None:
    """A raising backend falls back to memory with exactly one notice."""
    remembered = RememberedTokens(backend=BrokenKeyring())
    remembered.save_refresh_token(settings(), "r1")
    remembered.save_refresh_token(settings(), "r2")
    assert remembered.load_refresh_token(settings()) == "r2"
    assert remembered.memory_only
    notices = [r for r in caplog.records if r.name == "oic_magic.keyring"]
    assert len(notices) == 1 and "memory only" in notices[0].getMessage()
    assert "r2" not in caplog.text


def test_hanging_backend_bounded_wait(caplog: pytest.LogCaptureFixture) -> None:
    """A backend that hangs is given up after the timeout, with one notice."""
    backend = HangingKeyring()
    remembered = RememberedTokens(backend=backend, timeout=0.05)
    try:
        remembered.save_refresh_token(settings(), "r1")
        remembered.save_refresh_token(settings(), "r2")
    finally:
        backend.release.set()
    assert remembered.memory_only and remembered.load_refresh_token(settings()) == "r2"
    assert "did not answer within 0.05 s" in (remembered.notice or "")
    assert len([r for r in caplog.records if r.name == "oic_magic.keyring"]) == 1


def test_no_backend_memory_only() -> None:
    """The keyring package's "no backend" backend means memory only."""
    from keyring.backends import fail

    remembered = RememberedTokens(backend=fail.Keyring())
    remembered.save_refresh_token(settings(), "r")
    assert remembered.memory_only and remembered.load_refresh_token(settings()) == "r"


def test_failed_lookup_alone_is_quiet_until_something_is_remembered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A look-up on a broken backend logs no warning; the first save then warns once."""
    caplog.set_level(logging.DEBUG, logger="oic_magic.keyring")
    remembered = RememberedTokens(backend=BrokenKeyring())
    assert remembered.load_refresh_token(settings()) is None
    assert remembered.memory_only
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    remembered.save_refresh_token(settings(), "r1")
    remembered.save_refresh_token(settings(), "r2")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "memory only" in warnings[0].getMessage()
