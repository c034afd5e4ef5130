"""Sign-in, refresh and the token store against the emulator over real sockets."""

from __future__ import annotations

import pytest
from _emulated import api_requests, burst, demo_settings, token_requests

from oic_magic import (
    BadCredentialsError,
    FederatedUserError,
    InvalidClientError,
    InvalidScopeError,
    LockedUserError,
    OICClient,
    Session,
    SessionExpiredError,
    SignInError,
    TokenEndpointError,
)
from oic_magic.emulator import DEMO, Emulator

from ._core_fake import Clock


def test_password_sign_in(emu: Emulator) -> None:
    """The password grant signs the demo user in and the token opens the Developer API."""
    with OICClient.sign_in(demo_settings(emu)) as client:
        assert client.session.user == DEMO.username
        assert client.get("connections")["items"]
    (entry,) = token_requests(emu)
    assert entry["grant_type"] == "password" and entry["status"] == 200


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"password": "wrong-password"}, BadCredentialsError),
        ({"username": "locked.user"}, LockedUserError),
        ({"username": "sso.user"}, FederatedUserError),
        ({"client_secret": "not-the-secret"}, InvalidClientError),
        ({"audience": "https://other.integration.example.com:443"}, InvalidScopeError),
    ],
)
def test_sign_in_errors(emu: Emulator, changes: dict[str, str], kind: type[SignInError]) -> None:
    """Each refusal of the emulator's identity domain arrives as its typed error."""
    with pytest.raises(kind) as caught:
        OICClient.sign_in(demo_settings(emu, **changes))
    assert caught.value.hint


def test_refresh_rotation_and_consumed_token(emu: Emulator) -> None:
    """Refresh tokens rotate; a consumed one is refused, and the session then expires."""
    session = Session.sign_in(demo_settings(emu))
    first = session.token.refresh_token
    session.refresh()
    second = session.token.refresh_token
    assert first and second and first != second
    with pytest.raises(SignInError) as caught:
        session.endpoint.refresh(first)
    assert caught.value.error == "invalid_grant" and "consumed" in str(caught.value)
    session.endpoint.refresh(second)  # someone else used the current one
    with pytest.raises(SessionExpiredError, match="sign in again"):
        session.refresh()
    session.close()


def test_consumed_token_with_held_password_signs_in_again(emu: Emulator) -> None:
    """With the password held, a refused refresh token leads to a fresh password sign-in."""
    session = Session.sign_in(demo_settings(emu), keep_password=True)
    assert session.token.refresh_token
    session.endpoint.refresh(session.token.refresh_token)
    session.refresh()
    grants = [entry["grant_type"] for entry in token_requests(emu)]
    assert grants == ["password", "refresh_token", "refresh_token", "password"]
    session.close()


def test_client_without_refresh_grant(emu: Emulator) -> None:
    """A client without the refresh grant gets no refresh token; the held password renews."""
    norefresh = next(c for c in DEMO.clients if "norefresh" in c.client_id)
    s = demo_settings(emu, client_id=norefresh.client_id, client_secret=norefresh.client_secret)
    session = Session.sign_in(s, keep_password=True)
    assert session.token.refresh_token is None
    session.refresh()
    assert [e["grant_type"] for e in token_requests(emu)] == ["password", "password"]
    session.close()
    with pytest.raises(SessionExpiredError, match="without a refresh token"):
        Session.sign_in(s).refresh()


def _hammer(client: OICClient) -> list[BaseException]:
    return burst(lambda: client.get("connections", params={"limit": 1}))


def test_32_threads_expired_token_one_refresh(emu: Emulator) -> None:
    """32 threads holding a locally expired token cause exactly one token request."""
    clock = Clock(now=1_000_000.0)
    with OICClient.sign_in(demo_settings(emu), clock=clock, concurrency=32) as client:
        clock.advance(7200)
        emu.control.clear_requests()
        assert _hammer(client) == []
    assert len(token_requests(emu)) == 1
    assert len(api_requests(emu)) == 32


def test_32_threads_401_one_refresh(emu: Emulator) -> None:
    """32 threads refused with 401 (server-side expiry) renew the token once."""
    with OICClient.sign_in(demo_settings(emu), concurrency=32) as client:
        emu.control.advance_clock(7200)
        emu.control.clear_requests()
        assert _hammer(client) == []
    assert len(token_requests(emu, "refresh_token")) == 1
    assert len(token_requests(emu)) == 1


def test_revoked_tokens_recovered(emu: Emulator) -> None:
    """After revocation the next call renews the token and succeeds."""
    with OICClient.sign_in(demo_settings(emu)) as client:
        emu.control.revoke_tokens()
        assert client.get("connections")["items"]
    assert [e["grant_type"] for e in token_requests(emu)] == ["password", "refresh_token"]


def test_token_endpoint_throttling_retried(emu: Emulator) -> None:
    """A throttled token endpoint (429) is retried and the sign-in succeeds."""
    emu.control.inject_fault("429", count=2, origin="identity", retry_after=1)
    sleeps: list[float] = []
    with OICClient.sign_in(demo_settings(emu), sleep=sleeps.append) as client:
        assert client.session.user == DEMO.username
    assert sleeps == [1.0, 1.0] and len(token_requests(emu)) == 3


def test_token_endpoint_redirect_not_followed(emu: Emulator) -> None:
    """A token endpoint that redirects is not followed: one request, nothing re-sent."""
    s = demo_settings(emu, token_url=emu.runtime_url + "/ic/api/integration/v1/token")
    emu.control.redirect_runtime("foreign", 307)
    with pytest.raises(TokenEndpointError, match="not followed"):
        OICClient.sign_in(s)
    log = emu.control.requests()
    assert [(e["origin"], e["status"]) for e in log] == [("runtime", 307)]
    assert emu.control.foreign_received() == []


def test_fresh_emulator_fixture_works(emulator: Emulator) -> None:
    """The per-test emulator answers a sign-in too (fixture sanity for the suite)."""
    with OICClient.sign_in(demo_settings(emulator)) as client:
        assert client.session.expires_in() > 0
