"""Renewals fail single-flight too: counted with the emulator's log of token requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from _emulated import burst, token_requests

from oic_magic import (
    OICClient,
    RenewalLostError,
    SessionExpiredError,
    TokenEndpointError,
)
from oic_magic.emulator import DEMO, Emulator

from ._hardening import Sleeps, settings_for

THREADS = 24


class Clock:
    """The client's clock, moved by hand (the emulator keeps its own)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _client(emu: Emulator, clock: Clock, **changes: Any) -> OICClient:
    keep = changes.pop("keep_password", False)
    return OICClient.sign_in(
        settings_for(emu, **changes), keep_password=keep, clock=clock, sleep=Sleeps()
    )


def _need_renewal(emu: Emulator, clock: Clock, how: str) -> None:
    """Make every thread's next call need a renewal: expired on the clock, or a 401."""
    if how == "expired":
        clock.now += 7200
    else:
        emu.control.revoke_tokens()


def _call(client: OICClient, how: str) -> Callable[[], Any]:
    if how == "expired":
        return client.session.valid_token
    return lambda: client.get("connections", params={"limit": 1})


def _messages(errors: list[BaseException]) -> set[str]:
    return {f"{type(e).__name__}: {e}" for e in errors}


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_refused_refresh_one_refresh_one_password_grant(emu: Emulator, how: str) -> None:
    """24 threads on a refused refresh: 1 refresh, 1 password grant, every thread served."""
    clock = Clock()
    client = _client(emu, clock, keep_password=True)
    emu.control.revoke_refresh_tokens()
    _need_renewal(emu, clock, how)
    emu.control.clear_requests()
    errors = burst(_call(client, how), THREADS)
    assert errors == []
    assert len(token_requests(emu, "refresh_token")) == 1
    assert len(token_requests(emu, "password")) == 1
    assert client.session.token.refresh_token  # the new sign-in's own
    client.close()


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_changed_password_one_failed_grant_in_all(emu: Emulator, how: str) -> None:
    """A held password changed since: 1 refresh, 1 failed password grant, ever; one error."""
    clock = Clock()
    client = _client(emu, clock, keep_password=True)
    emu.control.revoke_refresh_tokens()
    emu.control.set_password(DEMO.username, "Changed#Since-2026")
    _need_renewal(emu, clock, how)
    emu.control.clear_requests()
    errors = burst(_call(client, how), THREADS)
    later = burst(_call(client, how), THREADS)  # every later call: still no token request
    assert len(errors) == THREADS and len(later) == THREADS
    assert all(isinstance(e, SessionExpiredError) for e in errors + later)
    assert len(_messages(errors + later)) == 1  # the one error, for every waiter
    assert "held password" in str(errors[0]) and "%oic_login" in str(errors[0])
    assert len(token_requests(emu, "refresh_token")) == 1
    assert len(token_requests(emu, "password")) == 1
    assert client.session.settings.password is None  # dropped: never sent again
    assert client.session.token.refresh_token is None
    client.close()


def test_refused_refresh_without_password_is_final(emu: Emulator) -> None:
    """No password held: 1 refresh for 24 threads, then no token request at all."""
    clock = Clock()
    client = _client(emu, clock)
    emu.control.revoke_refresh_tokens()
    emu.control.revoke_tokens()
    emu.control.clear_requests()
    errors = burst(_call(client, "revoked"), THREADS)
    errors += burst(client.session.refresh, THREADS)
    assert len(errors) == 2 * THREADS
    assert {type(e) for e in errors} == {SessionExpiredError}
    assert "the refresh token was refused" in str(errors[0])
    assert len(token_requests(emu)) == 1
    client.close()


@pytest.mark.parametrize("fault", ["drop", "slow"])
def test_lost_refresh_answer_no_more_token_requests(emu: Emulator, fault: str) -> None:
    """A refresh whose answer is lost: marked, no token request until a new sign-in, which works."""
    clock = Clock()
    client = _client(emu, clock, keep_password=True, timeout=0.5)
    emu.control.inject_fault(fault, count=1, pattern="/oauth2/v1/token", seconds=2.0)
    emu.control.clear_requests()
    with pytest.raises(RenewalLostError, match="sign in again with %oic_login") as lost:
        client.session.refresh()
    assert isinstance(lost.value, SessionExpiredError)
    assert len(token_requests(emu)) == 1  # the refresh itself, processed by the domain
    emu.control.revoke_tokens()  # every call now needs a renewal
    errors = burst(_call(client, "revoked"), 8)
    for _ in range(20):
        with pytest.raises(RenewalLostError):
            client.get("connections")
    assert len(errors) == 8 and all(isinstance(e, RenewalLostError) for e in errors)
    assert len(token_requests(emu)) == 1  # nothing more, however many calls
    client.close()
    again = _client(emu, clock)  # the user acts: signs in again
    assert again.get("connections", params={"limit": 1})["items"]
    again.close()


def test_transient_failure_shared_by_waiters_then_retried(emu: Emulator) -> None:
    """A 503 of the token endpoint reaches every waiter of that renewal; the next call renews."""
    clock = Clock()
    client = _client(emu, clock)
    clock.now += 7200
    emu.control.set_latency(0.5, pattern="/oauth2/v1/token")  # every thread joins the flight
    emu.control.inject_fault("503", count=1, pattern="/oauth2/v1/token")
    emu.control.clear_requests()
    errors = burst(client.session.valid_token, THREADS)
    assert len(errors) == THREADS and all(isinstance(e, TokenEndpointError) for e in errors)
    assert len(_messages(errors)) == 1
    assert len(token_requests(emu)) == 1
    emu.control.set_latency(0.0)
    assert client.session.valid_token().expires_in(clock()) > 0  # not final: renewed now
    assert len(token_requests(emu, "refresh_token")) == 2
    client.close()
