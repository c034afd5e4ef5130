"""Session: one sign-in and its self-refreshing token (SessionStore is in ``_store.py``).

A session refreshes its access token a little before expiry, single-flight for success
and failure alike: threads that need a token while a renewal runs wait for it and get its
token or its error (see ``_renewal.py``), so N threads holding an expired token cause one
token request. After a 401 it renews only if the token that failed is still the current
one. It always keeps the newest refresh token (they rotate and are single use), and asks
for the sign-in's scope again with it. When the refresh token is refused it is dropped
and the session signs in again with the password if the process was allowed to keep it,
else raises :class:`~oic_magic.exceptions.SessionExpiredError`; a refused password is
dropped too. Either end, and an answer to a refresh that was lost after it was sent
(:class:`~oic_magic.exceptions.RenewalLostError`), is final: the session sends no more
token requests and every later renewal raises the same error. A token that came without
a refresh token (client credentials, or no ``offline_access``) is re-obtained with the
grant that produced it.

With a remembered sign-in (``--remember``) other kernels may share the keyring entry: a
newer token another kernel stored there is adopted, never overwritten or deleted
(:class:`~oic_magic.exceptions.RenewedElsewhereError` when even that fails).

The device (``device``) and browser (``browser``) sign-ins need a person: a
:class:`~oic_magic.core._interactive.Prompt` shows them the code or the address. Their
sessions renew with the refresh token and, once it is refused, raise
:class:`SessionExpiredError` (no password to fall back on). A ``jwt`` session signs a new
user assertion whenever it needs a token and has no refresh token left.
"""

from __future__ import annotations

import dataclasses
import logging
import ssl
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Unpack

import httpx

from ..exceptions import (
    ConfigurationError,
    GrantNotAllowedError,
    RenewedElsewhereError,
    SessionExpiredError,
    SignInError,
    clause,
)
from ._auth import BearerAuth, TokenEndpoint
from ._keyring import RememberedTokens
from ._renewal import Flight, Refused, SharedRefreshTokens, refresh_token_grant, shared_error
from ._retry import Backoff
from ._secret import Secret
from ._settings import Settings
from ._sign_in_options import Grant as Grant
from ._sign_in_options import SignInOptions as SignInOptions
from ._store import SessionStore, default_store

if TYPE_CHECKING:
    from ._interactive import Prompt
from ._token import Token

__all__ = ["Grant", "Session", "SessionStore", "SignInOptions", "default_store", "tls_verify"]

logger = logging.getLogger("oic_magic.session")

Clock = Callable[[], float]


def tls_verify(settings: Settings) -> ssl.SSLContext | bool:
    """What httpx's ``verify`` gets: an SSL context with the CA bundle, or the flag."""
    if not settings.verify:
        return False
    if settings.ca_bundle:
        try:
            return ssl.create_default_context(cafile=settings.ca_bundle)
        except (OSError, ssl.SSLError):
            raise ConfigurationError(
                [f"the CA bundle {settings.ca_bundle!r} cannot be read as PEM certificates"]
            ) from None
    return True


class Session:
    """One sign-in: settings, the current token, and how to get the next one.

    Build it with :meth:`sign_in`. ``settings.password`` is kept only when the
    sign-in was told ``keep_password=True``.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        endpoint: TokenEndpoint,
        token: Token,
        grant: Grant,
        clock: Clock = time.time,
        remembered: RememberedTokens | None = None,
        name: str = "default",
        shared: SharedRefreshTokens | None = None,
    ) -> None:
        self.settings = settings
        self.endpoint = endpoint
        self.grant = grant
        self.name = name
        self._token = token
        self._clock = clock
        self._remembered = remembered
        self._lock = threading.Lock()  # guards _token, _flight and _final; held briefly
        self._flight: Flight | None = None  # the renewal in progress
        self._final: BaseException | None = None  # why this session cannot renew any more
        self._private_key: str | Secret | None = None  # a JWT signing key from no file
        self.auth = BearerAuth(self)
        if shared is None and remembered is not None:
            shared = SharedRefreshTokens(remembered, settings)
            shared.saved(None, token.refresh_token)  # a new sign-in: its token is the newest
        self._shared = shared

    @classmethod
    def sign_in(
        cls,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.time,
        backoff: Backoff | None = None,
        **options: Unpack[SignInOptions],
    ) -> Session:
        """Obtain a first token with *grant* and return the session holding it.

        *options* are :class:`SignInOptions`. For ``grant="refresh_token"`` the token comes
        from *refresh_token* or, failing that, from *remembered* (the keyring). The password
        is dropped from the session's settings unless *keep_password*. ``device`` and
        ``browser`` show their code or address through *prompt* (a :class:`ConsolePrompt`
        when none is given); ``jwt`` signs a user assertion with ``settings.private_key_file``
        (or *private_key*, a PEM text, or the key *remembered* holds) and ``key_id``.
        """
        unknown = sorted(options.keys() - SignInOptions.__optional_keys__)
        if unknown:
            raise TypeError(f"Session.sign_in() got unexpected keyword arguments: {unknown}")
        grant = options.get("grant", "password")
        refresh_token = options.get("refresh_token")
        remembered = options.get("remembered")
        private_key = options.get("private_key")
        prompt = options.get("prompt")
        if remembered is not None and not settings.client_secret:
            secret = remembered.load_client_secret(settings)
            settings = settings.replace(client_secret=secret) if secret else settings
        if grant == "refresh_token" and refresh_token is None and remembered is not None:
            refresh_token = remembered.load_refresh_token(settings)
        if grant == "jwt" and private_key is None and remembered is not None:
            private_key = (
                None if settings.private_key_file else remembered.load_private_key(settings)
            )
        settings.validate(grant=grant)
        if grant == "refresh_token" and not refresh_token:
            raise ConfigurationError(["no refresh token is remembered for this user and client"])
        endpoint = cls._endpoint(settings, transport=transport, clock=clock, backoff=backoff)
        shared = None
        if remembered is not None and grant == "refresh_token":
            shared = SharedRefreshTokens(remembered, settings)
        try:
            if shared is not None:
                assert refresh_token
                token = _remembered_token(endpoint, settings, refresh_token, shared)
            else:
                token = cls._first_token(
                    endpoint,
                    settings,
                    grant,
                    refresh_token,
                    prompt=prompt,
                    clock=clock,
                    key=private_key,
                )
        except BaseException:
            endpoint.close()
            raise
        if remembered is not None:
            remembered.save_client_secret(settings)
        kept = settings if options.get("keep_password", False) else settings.without_password()
        session = cls(
            settings=kept,
            endpoint=endpoint,
            token=token,
            grant=grant,
            clock=clock,
            remembered=remembered,
            name=options.get("name", "default"),
            shared=shared,
        )
        session._private_key = private_key
        return session

    @staticmethod
    def _endpoint(
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None,
        clock: Clock,
        backoff: Backoff | None,
    ) -> TokenEndpoint:
        assert settings.resolved_token_url and settings.client_id
        return TokenEndpoint(
            url=settings.resolved_token_url,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            timeout=settings.timeout,
            verify=tls_verify(settings),
            ca_bundle=settings.ca_bundle,
            transport=transport,
            clock=clock,
            backoff=backoff,
        )

    @staticmethod
    def _first_token(
        endpoint: TokenEndpoint,
        settings: Settings,
        grant: Grant,
        refresh_token: str | Secret | None,
        *,
        prompt: Prompt | None = None,
        clock: Clock = time.time,
        key: str | Secret | None = None,
    ) -> Token:
        if grant in ("device", "browser"):
            from ._interactive import ConsolePrompt, browser_token, device_token

            run = device_token if grant == "device" else browser_token
            return run(endpoint, settings, prompt or ConsolePrompt(), clock=clock)
        if grant == "jwt":
            return _jwt_token(endpoint, settings, clock, key)
        if grant == "refresh_token":
            assert refresh_token
            return endpoint.refresh(refresh_token, scope=settings.resolved_scope)
        scope = settings.resolved_scope or ""
        if grant == "client_credentials":
            return endpoint.client_credentials(scope=scope)
        assert settings.username and settings.password
        return endpoint.password(
            username=settings.username, password=settings.password, scope=scope
        )

    def __repr__(self) -> str:
        token = self._token
        left = token.expires_in(self._clock())
        return (
            f"Session(name={self.name!r}, user={token.user!r}, instance={self.settings.instance!r},"
            f" grant={self.grant!r}, expires_in={left:.0f}s)"
        )

    # -- what the notebook shows -------------------------------------------------

    @property
    def token(self) -> Token:
        """The current token (possibly close to expiry; see :meth:`valid_token`)."""
        return self._token

    @property
    def remembered(self) -> bool:
        """True when this session keeps its refresh tokens in the keyring ("remember me").

        False when the keyring was given up for memory only: nothing outlives the kernel.
        """
        return self._remembered is not None and not self._remembered.memory_only

    @property
    def user(self) -> str | None:
        """The user the token was issued to, from its claims."""
        return self._token.user or self.settings.username

    def expires_in(self) -> float:
        """Seconds until the current access token expires."""
        return self._token.expires_in(self._clock())

    # -- TokenSource -------------------------------------------------------------

    def valid_token(self) -> Token:
        """The current token, refreshed first when it is within its margin of expiry."""
        token = self._token
        if not token.needs_refresh(self._clock()):
            return token
        return self._renewed(lambda current: current.needs_refresh(self._clock()))

    def renew(self, failed: Token) -> Token:
        """After a 401 with *failed*: renew only if it is still the current token."""
        return self._renewed(lambda current: current.access_token == failed.access_token)

    def refresh(self) -> Token:
        """Renew the access token now, whatever its expiry."""
        return self._renewed(lambda current: True)

    def forget_password(self) -> None:
        """Drop the password: from now on an expired refresh token ends the session."""
        self.settings = self.settings.without_password()

    def close(self) -> None:
        """Close the token endpoint's connections; the tokens become unreachable."""
        self.endpoint.close()

    # -- renewal -----------------------------------------------------------------

    def _renewed(self, needed: Callable[[Token], bool]) -> Token:
        """Join the renewal in progress, or start one if *needed* by the current token."""
        while True:
            with self._lock:
                flight = self._flight
                if flight is None:
                    if not needed(self._token):
                        return self._token
                    if self._final is not None:
                        raise shared_error(self._final)
                    flight = self._flight = Flight()
                    leading = True
                else:
                    leading = False
            if leading:
                return self._lead(flight)
            token = flight.wait()  # raises the renewal's error, as the renewing thread does
            if token is not None:
                return token

    def _lead(self, flight: Flight) -> Token:
        try:
            token = self._next_token()
        except Exception as exc:
            with self._lock:
                self._flight = None
                if isinstance(exc, SessionExpiredError):  # final: no more token requests
                    self._final = exc
            flight.fail(exc)
            raise
        except BaseException:  # interrupted: a waiter renews instead
            with self._lock:
                self._flight = None
            flight.abandon()
            raise
        with self._lock:
            self._token = token
            self._flight = None
        flight.succeed(token)
        return token

    def _remember(self, token: Token, used: str | None) -> None:
        if self._shared is not None:
            self._shared.saved(used, token.refresh_token)

    def _next_token(self) -> Token:
        held = self._token.refresh_token
        elsewhere = False
        if held:
            try:
                return refresh_token_grant(
                    self.endpoint, held, scope=self.settings.resolved_scope, shared=self._shared
                )
            except GrantNotAllowedError as exc:
                reason = f"the refresh grant is not allowed: {exc.error}"
            except Refused as refused:
                with self._lock:  # never sent again
                    self._token = dataclasses.replace(self._token, refresh=None)
                reason, elsewhere = "the refresh token was refused", refused.elsewhere
        else:
            reason = "the token came without a refresh token"
        token = self._sign_in_again(reason, elsewhere=elsewhere)
        self._remember(token, used=held)
        return token

    def _sign_in_again(self, reason: str, *, elsewhere: bool = False) -> Token:
        settings = self.settings
        scope = settings.resolved_scope or ""
        if self.grant == "client_credentials":
            logger.debug("renewing with client credentials: %s", reason)
            return self.endpoint.client_credentials(scope=scope)
        if self.grant == "jwt":
            logger.debug("signing a new user assertion: %s", reason)
            return _jwt_token(self.endpoint, settings, self._clock, self._private_key)
        if settings.username and settings.password:
            logger.debug("signing in again with the held password: %s", reason)
            try:
                return self.endpoint.password(
                    username=settings.username, password=settings.password, scope=scope
                )
            except SignInError as exc:
                if exc.error != "invalid_grant":
                    raise
                self.forget_password()  # never sent again: a lockout counts each try
                raise SessionExpiredError(
                    f"{reason}, and so was the held password: {clause(exc.message)}; "
                    "the session no longer holds it"
                ) from exc
        if elsewhere:
            raise RenewedElsewhereError(reason)
        raise SessionExpiredError(reason)


def _remembered_token(
    endpoint: TokenEndpoint,
    settings: Settings,
    refresh_token: str | Secret,
    shared: SharedRefreshTokens,
) -> Token:
    """The first token of a sign-in from a remembered refresh token (or a newer one stored)."""
    try:
        return refresh_token_grant(
            endpoint,
            refresh_token,
            scope=settings.resolved_scope,
            shared=shared,
            lost_is_final=False,
        )
    except Refused as refused:
        raise refused.sign_in_error() from refused.error


def _jwt_token(
    endpoint: TokenEndpoint, settings: Settings, clock: Clock, key: str | Secret | None = None
) -> Token:
    from ._assertion import assertion_form, user_assertion

    assertion = user_assertion(settings, clock=clock, keyring=(lambda _s: key) if key else None)
    return endpoint.grant(assertion_form(assertion, settings.resolved_scope or ""), grant="jwt")
