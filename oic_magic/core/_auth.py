"""Talking to the identity domain, and attaching its tokens to API requests.

:class:`TokenEndpoint` runs the grants against ``/oauth2/v1/token``: form body, HTTP Basic
client authentication for a confidential application (a public one, with no secret, sends
its ``client_id`` in the form), **redirects never followed** (httpx would re-send the password or
refresh token to the new origin), 429 retried with backoff. RFC 6749 errors
become typed :class:`~oic_magic.exceptions.SignInError` subclasses with hints.

:class:`BearerAuth` is the ``httpx.Auth`` of a session: it asks its
:class:`TokenSource` for a fresh token, and on a 401 asks it to renew the token
that failed, then retries once.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from ..exceptions import (
    BadCredentialsError,
    FederatedUserError,
    GrantNotAllowedError,
    InvalidClientError,
    InvalidScopeError,
    LockedUserError,
    SignInError,
    TokenEndpointError,
    map_httpx_errors,
    trim,
)
from ._responses import load_json
from ._retry import Backoff
from ._secret import Secret, redact, redact_known, reveal
from ._token import Token

__all__ = ["BearerAuth", "TokenEndpoint", "TokenSource"]

logger = logging.getLogger("oic_magic.auth")

Clock = Callable[[], float]

_HINT_PASSWORD = "Check the user name and password (they are case-sensitive) and try again."
_HINT_LOCKED = "Ask an identity domain administrator to unlock the user, or wait for the lockout."
_HINT_FEDERATED = (
    "The password grant only works for local users of the identity domain, not for "
    "single sign-on (federated) users nor with MFA: sign in with your browser instead "
    "(%oic_login --grant browser, or --grant device when the browser is on another machine)."
)
_HINT_CLIENT = (
    "Check the client id and client secret of the confidential application "
    "(Integrated Applications > your app > OAuth configuration)."
)
_HINT_SCOPE = (
    "The scope must match the instance's primary audience: "
    "'<audience>urn:opc:resource:consumer::all offline_access'; set the audience or scope."
)
_HINT_GRANT = "Allow the {grant} grant type in the confidential application's OAuth configuration."


class TokenEndpoint:
    """The identity domain's token endpoint for one application (confidential or public)."""

    def __init__(
        self,
        *,
        url: str,
        client_id: str,
        client_secret: str | Secret | None,
        timeout: float = 30.0,
        verify: ssl.SSLContext | bool = True,
        ca_bundle: str | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = time.time,
        backoff: Backoff | None = None,
    ) -> None:
        self.url = url
        self.client_id = client_id
        # A public client (no secret) identifies itself in the form instead (RFC 6749 2.3.1).
        # The secret stays wrapped; the Basic header is built for each request only.
        self._secret = Secret.of(client_secret)
        self._ca_bundle = ca_bundle
        self._clock = clock
        self._backoff = backoff or Backoff()
        # follow_redirects=False is the point: a redirect must never carry the form away.
        # No kept-alive connections: a token request whose answer is lost was then sent on
        # a fresh connection, never on a stale reused one (see _renewal.py, lost answers).
        self._http = httpx.Client(
            transport=transport,
            timeout=timeout,
            verify=verify,
            follow_redirects=False,
            limits=httpx.Limits(max_keepalive_connections=0),
        )

    def __repr__(self) -> str:
        return f"TokenEndpoint(url={self.url!r}, client_id={self.client_id!r})"

    @property
    def public(self) -> bool:
        """True for a public client: no secret, ``client_id`` sent in the form."""
        return self._secret is None

    @property
    def host(self) -> str:
        """The identity domain host, for messages."""
        return urlsplit(self.url).netloc

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    # -- grants ----------------------------------------------------------------

    def password(self, *, username: str, password: str | Secret, scope: str) -> Token:
        """Resource-owner password grant."""
        password = Secret(password)  # wrapped at the boundary: this frame holds no plain text
        form: dict[str, str | Secret] = {
            "grant_type": "password",
            "username": username,
            "password": password,
        }
        return self._token(form | {"scope": scope}, grant="password")

    def refresh(self, refresh_token: str | Secret, *, scope: str | None = None) -> Token:
        """Refresh-token grant; the answer's (rotated) refresh token replaces the old one.

        *scope* is the sign-in's own, asked again so that the domain cannot narrow it.
        """
        refresh_token = Secret(refresh_token)  # wrapped at the boundary
        form: dict[str, str | Secret] = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
        }
        if scope:
            form["scope"] = scope
        return self._token(form, grant="refresh_token", previous=refresh_token)

    def client_credentials(self, *, scope: str) -> Token:
        """Client-credentials grant (no user; no refresh token is issued)."""
        # offline_access means nothing without a user, and some domains refuse it here.
        scope = " ".join(part for part in scope.split() if part != "offline_access")
        return self._token(
            {"grant_type": "client_credentials", "scope": scope}, grant="client_credentials"
        )

    def grant(self, form: Mapping[str, str | Secret], *, grant: str) -> Token:
        """Any other grant: *form* as the token endpoint expects it, *grant* for messages."""
        return self._token(form, grant=grant)

    def post_form(self, url: str, form: Mapping[str, str | Secret]) -> httpx.Response:
        """POST *form* to another endpoint of the domain, authenticated as a token request."""
        return self._post_with_retries(form, url=url)

    # -- one token request -----------------------------------------------------

    def _token(
        self,
        form: Mapping[str, str | Secret],
        *,
        grant: str,
        previous: str | Secret | None = None,
    ) -> Token:
        logger.debug("token request: grant=%s host=%s", grant, self.host)
        response = self._post_with_retries(form)
        if response.status_code != 200:
            raise self.error(response, grant=grant, secrets=form.values())
        token = Token.from_response(
            self._json(response), now=self._clock(), previous_refresh_token=previous
        )
        logger.debug(
            "token issued: grant=%s user=%s expires_in=%.0fs refresh_token=%s",
            grant,
            token.user,
            token.lifetime,
            "yes" if token.refresh_token else "no",
        )
        return token

    def _post_with_retries(
        self, form: Mapping[str, str | Secret], *, url: str = ""
    ) -> httpx.Response:
        if self._secret is None and "client_id" not in form:
            form = {**form, "client_id": self.client_id}
        attempt = 0
        while True:
            parts = urlsplit(url or self.url)
            tried = f"{parts.scheme}://{parts.netloc}{parts.path}"
            with map_httpx_errors(host=self.host, ca_bundle=self._ca_bundle, tried=tried):
                # The secrets are unwrapped here only, into the request's body and header.
                response = self._http.send(
                    self._request(url or self.url, form), auth=self._client_auth()
                )
            if response.status_code != 429 or attempt >= self._backoff.retries:
                return response
            waited = self._backoff.wait(attempt, response)
            logger.debug("token endpoint throttled (429); retrying after %.2fs", waited)
            attempt += 1

    def _request(self, url: str, form: Mapping[str, str | Secret]) -> httpx.Request:
        """The POST with the form body: the only place its secrets are plain text."""
        return self._http.build_request(
            "POST", url, data={key: reveal(value) for key, value in form.items()}
        )

    def _client_auth(self) -> httpx.BasicAuth | httpx._client.UseClientDefault:
        """HTTP Basic for a confidential client, built for one request only."""
        if self._secret is None:
            return httpx.USE_CLIENT_DEFAULT
        return httpx.BasicAuth(self.client_id, self._secret.reveal())

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            payload = load_json(response)
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("access_token"), str):
            raise TokenEndpointError(
                f"the token endpoint at {self.host} answered 200 without an access token.",
                hint="Check identity_url/token_url: it must be the identity domain's "
                "/oauth2/v1/token.",
                status=200,
            )
        # The tokens are wrapped as soon as they are read: no frame shows the answer's.
        for name in ("access_token", "refresh_token", "id_token"):
            if isinstance(payload.get(name), str):
                payload[name] = Secret(payload[name])
        return payload

    def error(
        self,
        response: httpx.Response,
        *,
        grant: str,
        secrets: Iterable[str | Secret | None] = (),
    ) -> SignInError:
        """The typed error for a refusal of this domain (token or device endpoint).

        Its text is redacted of the :class:`Secret` values among *secrets* (the form's),
        the client secret and every other secret alive in the process: a domain may echo
        what it was sent.
        """
        status = response.status_code
        if response.is_redirect:
            try:
                target = urlsplit(response.headers.get("Location", "")).netloc or "another URL"
            except ValueError:  # a Location that is not even a URL
                target = "an address that is not a valid URL"
            return TokenEndpointError(
                f"the token endpoint answered HTTP {status}, a redirect to {target}; it was "
                "not followed and nothing was re-sent.",
                hint="Set identity_url/token_url to the identity domain itself "
                "(https://<domain host>/oauth2/v1/token).",
                status=status,
            )
        error, description = _rfc6749_error(response)
        hidden = [s for s in (*secrets, self._secret) if isinstance(s, Secret)]
        error = error and redact_known(redact(error, hidden))
        description = description and redact_known(redact(description, hidden))
        return _typed_error(
            status=status, grant=grant, error=error, description=description, host=self.host
        )


def _rfc6749_error(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        body = load_json(response)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    error = body.get("error")
    description = body.get("error_description")
    return (
        error if isinstance(error, str) else None,
        trim(description) if isinstance(description, str) else None,
    )


def _typed_error(
    *, status: int, grant: str, error: str | None, description: str | None, host: str
) -> SignInError:
    said = f" ({error}" + (f": {description}" if description else "") + ")" if error else ""
    kind, message, hint = _classify(
        status=status, grant=grant, error=error, text=(description or "").lower(), host=host
    )
    return kind(
        message.format(said=said), hint=hint, error=error, description=description, status=status
    )


def _classify(
    *, status: int, grant: str, error: str | None, text: str, host: str
) -> tuple[type[SignInError], str, str]:
    if error == "invalid_grant" and grant == "password":
        if "lock" in text:
            return LockedUserError, "the user is locked{said}.", _HINT_LOCKED
        if any(word in text for word in ("federat", "sso", "single sign")):
            return (
                FederatedUserError,
                "a federated (single sign-on) user cannot use the password grant{said}.",
                _HINT_FEDERATED,
            )
        return BadCredentialsError, "wrong user name or password{said}.", _HINT_PASSWORD
    if error == "invalid_grant":
        again = "with the password" if grant in ("password", "refresh_token") else "(run it anew)"
        return SignInError, f"the {grant} grant was refused{{said}}.", f"Sign in again {again}."

    if error == "invalid_client":
        return InvalidClientError, "the client was refused{said}.", _HINT_CLIENT
    if error == "invalid_scope":
        return InvalidScopeError, "the scope was refused{said}.", _HINT_SCOPE
    if error in ("unauthorized_client", "unsupported_grant_type"):
        return (
            GrantNotAllowedError,
            f"the {grant} grant is not allowed for this client{{said}}.",
            _HINT_GRANT.format(grant=grant),
        )
    if status == 429:
        return (
            TokenEndpointError,
            f"the identity domain {host} is throttling token requests (HTTP 429){{said}}.",
            "Wait a minute and sign in again.",
        )
    return (
        TokenEndpointError,
        f"the token endpoint at {host} answered HTTP {status}{{said}}.",
        "Check identity_url/token_url, or try again later if the identity domain is down.",
    )


class TokenSource(Protocol):
    """What :class:`BearerAuth` needs from a session."""

    def valid_token(self) -> Token:
        """A token that is not about to expire (refreshing it first if needed)."""
        ...

    def renew(self, failed: Token) -> Token:
        """A token other than *failed*, renewing only if *failed* is still the current one."""
        ...


class BearerAuth(httpx.Auth):
    """Attach the session's bearer token; on 401 renew it once and retry once."""

    def __init__(self, source: TokenSource) -> None:
        self._source = source

    def __repr__(self) -> str:
        return "BearerAuth()"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._source.valid_token()
        request.headers["Authorization"] = token.authorization
        response = yield request
        if response.status_code != 401:
            return
        logger.debug("401 from %s; renewing the token and retrying once", request.url.host)
        request.headers["Authorization"] = self._source.renew(token).authorization
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> Any:  # pragma: no cover
        raise RuntimeError("oic_magic's BearerAuth works with httpx.Client only")
        yield request  # makes this an async generator, as httpx expects
