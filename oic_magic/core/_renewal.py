"""How a session renews: one renewal at a time, its outcome for all, tokens shared by kernels.

- :class:`Flight` is one renewal in progress. Threads that need a token while it runs wait
  for it and get its token, or its error (a copy each, from :func:`shared_error`); none
  starts a renewal of its own.
- :func:`refresh_token_grant` runs the refresh grant. An answer lost after the request was
  sent (the connection dropped, no answer in time) is :class:`RenewalLostError`: the domain
  may have rotated the token, and a second use of the old one can revoke the sign-in. A
  refusal is :class:`Refused`, for the session to drop the token and decide what follows.
- :class:`SharedRefreshTokens` keeps the refresh token of a remembered sign-in
  (``--remember``) in step with other kernels that use the same keyring entry. The keyring
  has no atomic compare-and-set, so each write or delete re-reads the entry first: a value
  there that this session did not put is a newer token another kernel stored, and it is
  adopted (used for the refresh) instead of being overwritten or deleted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx

from ..exceptions import RenewalLostError, SignInError, TransportError
from ._auth import TokenEndpoint
from ._keyring import RememberedTokens
from ._secret import Secret
from ._settings import Settings
from ._token import Token

__all__ = [
    "ELSEWHERE",
    "Flight",
    "Refused",
    "SharedRefreshTokens",
    "refresh_token_grant",
    "shared_error",
]

#: The words of every error whose cause is another kernel's renewal.
ELSEWHERE = "another kernel renewed it"

#: How long a refused kernel watches the keyring for the token a racing kernel is storing.
SETTLE = 1.0
_POLL = 0.05
#: Tokens tried in one renewal: the held one and at most two newer ones from the keyring.
_MAX_TRIES = 3
#: httpx errors raised after the request went out: its answer, if any, is lost.
_AFTER_SENDING = (
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.WriteError,
    httpx.WriteTimeout,
)


def shared_error(exc: BaseException) -> BaseException:
    """A copy of *exc* for another thread to raise: same type, message and attributes."""
    try:
        clone = type(exc).__new__(type(exc), *exc.args)
        clone.args = exc.args
        clone.__dict__.update(vars(exc))
    except Exception:  # an exception type that cannot be copied is shared as it is
        return exc
    clone.__cause__ = exc.__cause__
    clone.__suppress_context__ = True
    return clone


class Flight:
    """One renewal in progress, and its outcome for the threads that waited on it."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._token: Token | None = None
        self._error: BaseException | None = None

    def succeed(self, token: Token) -> None:
        """The renewal gave *token*."""
        self._token = token
        self._done.set()

    def fail(self, error: BaseException) -> None:
        """The renewal failed with *error*: every waiter raises it."""
        self._error = error
        self._done.set()

    def abandon(self) -> None:
        """The renewing thread was interrupted: waiters try again themselves."""
        self._done.set()

    def wait(self) -> Token | None:
        """The token, or ``None`` when abandoned; raises (a copy of) the failure."""
        self._done.wait()
        if self._error is not None:
            raise shared_error(self._error)
        return self._token


class Refused(Exception):
    """The refresh token was refused (``invalid_grant``); ``elsewhere`` when another kernel
    sharing the keyring entry renewed it (a newer token appeared there)."""

    def __init__(self, error: SignInError, *, elsewhere: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.elsewhere = elsewhere

    def sign_in_error(self) -> SignInError:
        """The error to raise from a sign-in, saying when another kernel is the cause."""
        if not self.elsewhere:
            return self.error
        return SignInError(
            f"the remembered refresh token was refused: {ELSEWHERE}, and the newer token "
            "it stored was refused too.",
            hint="Sign in again with the password, or --grant device/browser.",
            error=self.error.error,
            description=self.error.description,
            status=self.error.status,
        )


class SharedRefreshTokens:
    """A session's refresh token in a remembered keyring entry other kernels may share."""

    def __init__(
        self,
        remembered: RememberedTokens,
        settings: Settings,
        *,
        settle: float = SETTLE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.remembered = remembered
        self._settings = settings
        self._settle = settle
        self._sleep = sleep
        #: True while the token this session holds is the one the entry holds.
        self.in_keyring = False
        #: True once a token another kernel stored was seen during this renewal.
        self.changed = False

    def saved(self, used: str | Secret | None, new: str | Secret | None) -> None:
        """Keep *new*, obtained with *used* (``None``: a new sign-in, which overwrites)."""
        if not new:
            return
        if used is None:
            self.remembered.save_refresh_token(self._settings, new)
            self.in_keyring = True
        elif new != used:
            self.in_keyring = self.remembered.replace_refresh_token(self._settings, used, new)

    def candidate(self, held: str | Secret) -> str | Secret:
        """The token to refresh with: *held*, or the newer one another kernel put in its place."""
        self.changed = False
        if not self.in_keyring:
            return held
        stored = self.remembered.peek_refresh_token(self._settings)
        if stored is not None and stored != held:
            self.changed = True
            return stored
        return held

    def discard(self, refused: str | Secret) -> None:
        """Delete the entry if it still holds *refused* (never a newer token)."""
        self.remembered.discard_refresh_token(self._settings, refused)

    def newer(self, refused: str | Secret, tried: list[str | Secret]) -> str | Secret | None:
        """After *refused*: a token not yet *tried* that another kernel stored, if one appears.

        While the entry still holds the refused token, it is watched a moment (a kernel that
        won the race may be storing its new one), then deleted if it still holds it.
        """
        deadline = time.monotonic() + (0.0 if self.remembered.memory_only else self._settle)
        while True:
            stored = self.remembered.peek_refresh_token(self._settings)
            if stored is not None and stored != refused:
                break
            if stored is None or time.monotonic() >= deadline:
                stored = self.remembered.discard_refresh_token(self._settings, refused)
                break
            self._sleep(_POLL)
        if stored is None or stored in tried:
            return None
        self.changed = True
        return stored


def refresh_token_grant(
    endpoint: TokenEndpoint,
    held: str | Secret,
    *,
    scope: str | None,
    shared: SharedRefreshTokens | None,
    lost_is_final: bool = True,
) -> Token:
    """Refresh with *held* (or the newer token of *shared*) asking for *scope* again.

    Raises :class:`Refused` when every token tried was refused, :class:`RenewalLostError`
    when the answer was lost after sending (with *lost_is_final*), else what the endpoint
    raised.
    """
    candidate = shared.candidate(held) if shared is not None else held
    tried = [candidate]
    while True:
        try:
            token = endpoint.refresh(candidate, scope=scope)
        except SignInError as exc:
            if exc.error != "invalid_grant":
                raise
            newer = None
            if shared is not None and len(tried) < _MAX_TRIES:
                newer = shared.newer(candidate, tried)
            elif shared is not None:
                shared.discard(candidate)
            if newer is None:
                raise Refused(exc, elsewhere=shared is not None and shared.changed) from exc
            candidate = newer
            tried.append(newer)
            continue
        except TransportError as exc:
            if lost_is_final and isinstance(exc.__cause__, _AFTER_SENDING):
                raise RenewalLostError(exc.message) from exc
            raise
        if shared is not None:
            shared.saved(candidate, token.refresh_token)
        return token
