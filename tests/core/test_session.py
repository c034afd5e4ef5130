"""Session: single-flight refresh, renewal after 401, rotation, fallbacks; SessionStore."""

from __future__ import annotations

import threading

import pytest

from oic_magic import (
    NotSignedInError,
    Session,
    SessionExpiredError,
    SessionStore,
    Token,
    default_store,
)

from ._core_fake import PASSWORD, Clock, FakeOIC, settings


def _session(fake: FakeOIC, clock: Clock, **kwargs: object) -> Session:
    grant = kwargs.pop("grant", "password")
    s = kwargs.pop("settings", settings())
    return Session.sign_in(s, grant=grant, transport=fake.transport(), clock=clock, **kwargs)  # type: ignore[arg-type]


def test_password_dropped_unless_kept(fake: FakeOIC, clock: Clock) -> None:
    """The session forgets the password unless told to keep it."""
    assert _session(fake, clock).settings.password is None
    assert _session(fake, clock, keep_password=True).settings.password == PASSWORD


def test_fresh_token_not_refreshed(fake: FakeOIC, clock: Clock) -> None:
    """Before the refresh margin, the current token is used as is."""
    session = _session(fake, clock)
    clock.advance(3600 - 61)
    assert session.valid_token() is session.token
    assert len(fake.token_requests()) == 1


def test_refreshed_within_margin_and_rotated(fake: FakeOIC, clock: Clock) -> None:
    """Inside the margin the token is refreshed and the newest refresh token kept."""
    session = _session(fake, clock)
    old = session.token
    clock.advance(3600 - 59)
    new = session.valid_token()
    assert new is not old and new.refresh_token != old.refresh_token
    assert new.refresh_token in fake.valid_refresh and old.refresh_token not in fake.valid_refresh
    assert len(fake.token_requests("refresh_token")) == 1


def test_thirty_two_threads_one_refresh(fake: FakeOIC, clock: Clock) -> None:
    """32 threads holding an expired token cause exactly one token request."""
    session = _session(fake, clock)
    clock.advance(7200)
    barrier = threading.Barrier(32)
    seen: list[Token] = []

    def work() -> None:
        barrier.wait()
        seen.append(session.valid_token())

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake.token_requests("refresh_token")) == 1
    assert len({id(token) for token in seen}) == 1


def test_renew_only_if_failed_token_is_current(fake: FakeOIC, clock: Clock) -> None:
    """After a 401, a token another thread already replaced is not renewed again."""
    session = _session(fake, clock)
    failed = session.token
    first = session.renew(failed)
    second = session.renew(failed)
    assert first is second is session.token and first is not failed
    assert len(fake.token_requests("refresh_token")) == 1


def test_consumed_refresh_token_falls_back_to_held_password(fake: FakeOIC, clock: Clock) -> None:
    """invalid_grant on refresh signs in again with the password when it is held."""
    session = _session(fake, clock, keep_password=True)
    fake.valid_refresh.clear()
    token = session.refresh()
    assert token.user == "ada"
    assert [r.content.decode().split("&")[0] for r in fake.token_requests()][-2:] == [
        "grant_type=refresh_token",
        "grant_type=password",
    ]


def test_consumed_refresh_token_without_password_expires(fake: FakeOIC, clock: Clock) -> None:
    """invalid_grant on refresh without a held password raises SessionExpiredError."""
    session = _session(fake, clock)
    fake.valid_refresh.clear()
    clock.advance(7200)
    with pytest.raises(SessionExpiredError, match="sign in again with %oic_login"):
        session.valid_token()


def test_token_without_refresh_token_regranted(fake: FakeOIC, clock: Clock) -> None:
    """Without a refresh token the same grant is used again when its secret is held."""
    fake.issue_refresh = False
    cc = _session(
        fake, clock, grant="client_credentials", settings=settings(username=None, password=None)
    )
    clock.advance(7200)
    cc.valid_token()
    assert len(fake.token_requests("client_credentials")) == 2
    pw = _session(fake, clock, keep_password=True)
    clock.advance(7200)
    pw.valid_token()
    assert len(fake.token_requests("password")) == 2
    no_pw = _session(fake, clock)
    clock.advance(7200)
    with pytest.raises(SessionExpiredError, match="without a refresh token"):
        no_pw.valid_token()


def test_sign_in_with_refresh_token(fake: FakeOIC, clock: Clock) -> None:
    """A session can start from a refresh token alone, without the password."""
    first = _session(fake, clock)
    refresh = first.token.refresh_token
    second = _session(
        fake, clock, grant="refresh_token", refresh_token=refresh, settings=settings(password=None)
    )
    assert second.user == "ada"


def test_session_repr_hides_secrets(fake: FakeOIC, clock: Clock) -> None:
    """A session's repr shows user and expiry, never a token or password."""
    session = _session(fake, clock, keep_password=True)
    text = repr(session)
    assert "ada" in text and "3600s" in text
    for secret in (PASSWORD, session.token.access_token, session.token.refresh_token):
        assert secret and secret not in text


def test_store_by_name(fake: FakeOIC, clock: Clock) -> None:
    """The store keeps sessions by name and says plainly when one is missing."""
    store = SessionStore()
    session = _session(fake, clock, name="prod")
    store.put(session)
    assert store.get("prod") is session and store.names() == ["prod"] and "prod" in store
    with pytest.raises(NotSignedInError, match="no session named 'default'"):
        store.get()
    assert store.remove("prod") is session and len(store) == 0


def test_default_store_is_one_per_process() -> None:
    """default_store() returns the same store every time."""
    assert default_store() is default_store()
