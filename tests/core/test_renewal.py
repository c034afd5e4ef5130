"""The renewal's parts: a failure copied for each waiter, an interrupted renewal handed on."""

from __future__ import annotations

import threading

import httpx
import pytest

from oic_magic import (
    BadCredentialsError,
    ConfigurationError,
    OICError,
    RenewalLostError,
    Session,
    SessionExpiredError,
    Token,
)
from oic_magic.core._renewal import shared_error

from ._core_fake import Clock, FakeOIC, settings


@pytest.mark.parametrize(
    "error",
    [
        BadCredentialsError("wrong user name or password.", hint="Check.", error="invalid_grant"),
        ConfigurationError(["a", "b"]),
        SessionExpiredError("the refresh token was refused"),
        RenewalLostError("no answer from idcs: timed out"),
        ValueError("internal"),
    ],
)
def test_shared_error_is_the_same_error(error: Exception) -> None:
    """Each waiter raises a copy: same type, same words, same attributes; not the object."""
    copy = shared_error(error)
    assert copy is not error and type(copy) is type(error) and str(copy) == str(error)
    assert vars(copy) == vars(error)
    if isinstance(error, OICError):
        assert isinstance(copy, OICError) and copy.message == error.message


def test_interrupted_renewal_is_taken_over_by_a_waiter(fake: FakeOIC, clock: Clock) -> None:
    """Ctrl-C in the renewing thread: waiters do not get KeyboardInterrupt, one renews."""
    session = Session.sign_in(settings(), transport=fake.transport(), clock=clock)
    clock.advance(7200)
    entered, release = threading.Event(), threading.Event()
    first = True

    def interrupt_once(request: httpx.Request) -> bool:
        nonlocal first
        if request.url.path != "/oauth2/v1/token" or not first:
            return False
        first = False
        entered.set()
        release.wait(5)
        raise KeyboardInterrupt

    fake.inject(httpx.Response(500), when=interrupt_once)
    leader_saw: list[BaseException] = []
    tokens: list[Token] = []

    def lead() -> None:
        try:
            session.valid_token()
        except BaseException as exc:  # the interrupt, in the renewing thread only
            leader_saw.append(exc)

    leader = threading.Thread(target=lead)
    leader.start()
    assert entered.wait(5)
    waiters = [
        threading.Thread(target=lambda: tokens.append(session.valid_token())) for _ in range(8)
    ]
    for waiter in waiters:
        waiter.start()
    release.set()
    leader.join()
    for waiter in waiters:
        waiter.join()
    assert [type(e) for e in leader_saw] == [KeyboardInterrupt]
    assert len(tokens) == 8 and len({t.access_token for t in tokens}) == 1
    assert len(fake.token_requests("refresh_token")) == 2  # the interrupted one, then one more
