"""Sign-in with a person or a key: device codes, authorization codes with PKCE, JWT assertions.

The rules the identity domain applies (RFC 8628, RFC 6749 4.1 with RFC 7636, RFC 7523):

- device codes: ``expires_in`` 300 s, no ``interval`` sent (OCI documents none) unless a test
  sets one; a poll sooner than the interval answers ``slow_down`` and the interval grows by
  5 s; ``authorization_pending`` until the page approves, ``access_denied`` once it denies,
  ``expired_token`` after expiry, ``invalid_grant`` once used;
- authorization codes: single use, 60 s, bound to the client, the redirect URI and the PKCE
  challenge (S256 or plain); a public client must send a challenge;
- JWT assertions: RS256 with a registered key (by ``kid``), ``iss`` the client, ``sub`` a
  user, ``aud`` the identity domain, unexpired on the emulator clock, each ``jti`` once.

The pages (``_pages.py``) stand in for the domain's sign-in UI, single sign-on included:
there the federated user signs in with the demo password, which the password grant refuses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._identity import DemoClient, DemoUser, Identity

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
DEVICE_TTL = 300.0
CODE_TTL = 60.0
USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
AUDIENCES = ("https://identity.oraclecloud.com/",)


class PageError(ValueError):
    """A sign-in page that cannot go on (shown to the person, never redirected)."""


@dataclass
class _Device:
    client_id: str
    user_code: str
    scope: str
    offline: bool
    expires: float
    interval: float | None
    last_poll: float | None = None
    subject: str | None = None
    denied: bool = False
    used: bool = False


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str | None
    method: str
    subject: str
    scope: str
    offline: bool
    expires: float
    used: bool = False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def normalise_user_code(text: str) -> str:
    """What the person typed, as the code is stored: capitals, no dashes or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class SignIn:
    """Device codes, authorization codes and assertion keys of one identity domain."""

    def __init__(self, identity: Identity) -> None:
        self._identity = identity
        self._lock = threading.Lock()
        self._devices: dict[str, _Device] = {}
        self._codes: dict[str, _Code] = {}
        self._keys: dict[str, Any] = {}
        self._jtis: set[str] = set()
        self.device_interval: float | None = None

    def reset(self) -> None:
        """Forget every code, key and used assertion."""
        with self._lock:
            self._devices.clear()
            self._codes.clear()
            self._keys.clear()
            self._jtis.clear()
            self.device_interval = None

    def handlers(self) -> dict[str, Callable[[DemoClient, dict[str, str]], dict[str, Any]]]:
        """Token-endpoint handlers by grant type."""
        return {
            DEVICE_GRANT: self._device_grant,
            "authorization_code": self._code_grant,
            JWT_GRANT: self._jwt_grant,
        }

    # -- device codes ----------------------------------------------------------------------
    def device_authorization(self, form: dict[str, str], verification_uri: str) -> dict[str, Any]:
        """``POST /oauth2/v1/device``: a device code and a user code."""
        from ._identity import OAuthError

        if form.get("response_type", "device_code") != "device_code":
            raise OAuthError(400, "invalid_request", "response_type must be device_code.")
        client = self._identity.client(form.get("client_id"))
        if client is None:
            raise OAuthError(401, "invalid_client", "Client authentication failed.")
        self._identity.check_grant(client, DEVICE_GRANT)
        scope, offline = self._identity.scope(form.get("scope"))
        device_code = secrets.token_urlsafe(32)
        user_code = "".join(secrets.choice(USER_CODE_LETTERS) for _ in range(8))
        now = self._identity.now()
        with self._lock:
            self._devices[device_code] = _Device(
                client.client_id, user_code, scope, offline, now + DEVICE_TTL, self.device_interval
            )
        answer: dict[str, Any] = {
            "expires_in": int(DEVICE_TTL),
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verification_uri,
        }
        if self.device_interval is not None:
            answer["interval"] = int(self.device_interval)
        self._identity.handed_out(device_code)
        self._identity.handed_out(user_code)
        return answer

    def decide_device(self, user_code: str, *, username: str | None, approve: bool) -> None:
        """The verification page's (or a test's) answer for *user_code*."""
        code = normalise_user_code(user_code)
        with self._lock:
            found = [d for d in self._devices.values() if d.user_code == code and not d.used]
            if not found or found[0].expires <= self._identity.now():
                raise PageError("That code is not valid (mistyped or expired).")
            device = found[0]
            if device.subject is not None or device.denied:
                raise PageError("That code has already been answered.")
            if approve:
                device.subject = username
            else:
                device.denied = True

    def pending_user_codes(self) -> list[str]:
        """User codes still waiting for an answer (never a device code)."""
        now = self._identity.now()
        with self._lock:
            return [
                d.user_code
                for d in self._devices.values()
                if d.subject is None and not d.denied and not d.used and d.expires > now
            ]

    def _device_grant(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        from ._identity import OAuthError, Principal

        now = self._identity.now()
        with self._lock:
            device = self._devices.get(form.get("device_code", ""))
            if device is None or device.client_id != client.client_id or device.used:
                raise OAuthError(400, "invalid_grant", "The device code is invalid.")
            if now >= device.expires:
                raise OAuthError(400, "expired_token", "The device code has expired.")
            if device.denied:
                raise OAuthError(400, "access_denied", "The user denied the request.")
            interval = device.interval if device.interval is not None else 5.0
            if device.last_poll is not None and now - device.last_poll < interval:
                device.last_poll = now
                device.interval = interval + 5.0
                raise OAuthError(400, "slow_down", "Polling too fast; slow down.")
            device.last_poll = now
            if device.subject is None:
                raise OAuthError(400, "authorization_pending", "The user has not yet answered.")
            device.used = True
        user = self._identity.user(device.subject)
        roles = user.roles if user else ()
        principal = Principal(device.subject, "user", client.client_id, roles, device.scope)
        return self._identity.issue(principal, device.offline and self._refreshes(client))

    # -- authorization codes ---------------------------------------------------------------
    def check_authorize(self, query: dict[str, str]) -> DemoClient:
        """The checks made before anything is redirected (RFC 6749 4.1.2.1)."""
        client = self._identity.client(query.get("client_id"))
        if client is None:
            raise PageError("Unknown client_id: this application is not registered.")
        if query.get("redirect_uri") not in self._identity.redirect_uris(client.client_id):
            raise PageError("The redirect_uri is not registered for this application.")
        return client

    def authorize_error(self, client: DemoClient, query: dict[str, str]) -> str | None:
        """An error to send back to the redirect URI, or None when the request is good."""
        from ._identity import OAuthError

        if query.get("response_type") != "code":
            return "unsupported_response_type"
        if not self._identity.allows(client, "authorization_code"):
            return "unauthorized_client"
        method = query.get("code_challenge_method", "plain")
        if query.get("code_challenge") and method not in ("S256", "plain"):
            return "invalid_request"
        if client.client_secret is None and not query.get("code_challenge"):
            return "invalid_request"  # a public client must use PKCE
        try:
            self._identity.scope(query.get("scope"))
        except OAuthError:
            return "invalid_scope"
        return None

    def issue_code(self, client: DemoClient, query: dict[str, str], subject: str) -> str:
        """A single-use authorization code for *subject*."""
        scope, offline = self._identity.scope(query.get("scope"))
        code = secrets.token_urlsafe(32)
        if query.get("state"):
            self._identity.handed_out(query["state"])
        with self._lock:
            self._codes[code] = _Code(
                client.client_id,
                query["redirect_uri"],
                query.get("code_challenge") or None,
                query.get("code_challenge_method", "plain"),
                subject,
                scope,
                offline,
                self._identity.now() + CODE_TTL,
            )
        self._identity.handed_out(code)
        return code

    def _code_grant(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        from ._identity import OAuthError, Principal

        if form.get("code_verifier"):
            self._identity.handed_out(form["code_verifier"])  # the client's secret, for leak tests

        with self._lock:
            code = self._codes.get(form.get("code", ""))
            if code is None or code.client_id != client.client_id:
                raise OAuthError(400, "invalid_grant", "The authorization code is invalid.")
            if code.used:
                raise OAuthError(400, "invalid_grant", "The authorization code was already used.")
            code.used = True  # one attempt per code, good or bad
        if self._identity.now() >= code.expires:
            raise OAuthError(400, "invalid_grant", "The authorization code has expired.")
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthError(400, "invalid_grant", "The redirect_uri does not match.")
        if not _pkce_ok(code, form.get("code_verifier")):
            raise OAuthError(400, "invalid_grant", "PKCE verification failed.")
        user = self._identity.user(code.subject)
        roles = user.roles if user else ()
        principal = Principal(code.subject, "user", client.client_id, roles, code.scope)
        return self._identity.issue(principal, code.offline and self._refreshes(client))

    # -- JWT user assertions ---------------------------------------------------------------
    def new_key(self, kid: str = "oic-magic-demo-key") -> dict[str, str]:
        """Make an RSA key, register its public half under *kid*; answer the private PEM."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        with self._lock:
            self._keys[kid] = key.public_key()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return {"kid": kid, "private_key": pem.decode()}

    def _jwt_grant(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        from ._identity import OAuthError, Principal

        if form.get("assertion"):
            self._identity.handed_out(form["assertion"])
        claims = self._verified_claims(form.get("assertion", ""), client)
        user = self._identity.user(str(claims.get("sub")))
        if user is None or user.locked:
            raise OAuthError(400, "invalid_grant", "The assertion's subject cannot sign in.")
        scope, offline = self._identity.scope(form.get("scope"))
        principal = Principal(user.username, "user", client.client_id, user.roles, scope)
        return self._identity.issue(principal, offline and self._refreshes(client))

    def _verified_claims(self, assertion: str, client: DemoClient) -> dict[str, Any]:
        import jwt

        from ._identity import OAuthError

        def refuse(why: str) -> OAuthError:
            return OAuthError(400, "invalid_grant", f"The assertion is invalid: {why}.")

        try:
            kid = jwt.get_unverified_header(assertion).get("kid")
            key = self._keys.get(kid or "")
            if key is None:
                raise refuse("unknown key id")
            claims: dict[str, Any] = jwt.decode(
                assertion,
                key,
                algorithms=["RS256"],
                audience=[*AUDIENCES, self._identity.token_url],
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as exc:
            raise refuse(type(exc).__name__) from None
        now = self._identity.now()
        if claims.get("iss") != client.client_id:
            raise refuse("iss is not the client")
        if not isinstance(claims.get("exp"), int | float) or now >= claims["exp"]:
            raise refuse("expired")
        jti = claims.get("jti")
        with self._lock:
            if not jti or jti in self._jtis:
                raise refuse("jti missing or already used")
            self._jtis.add(str(jti))
        return claims

    def _refreshes(self, client: DemoClient) -> bool:
        return self._identity.allows(client, "refresh_token")


def _pkce_ok(code: _Code, verifier: str | None) -> bool:
    if code.challenge is None:
        return True  # a confidential client that sent no challenge
    if not verifier:
        return False
    if code.method == "S256":
        derived = _b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    else:
        derived = verifier
    return hmac.compare_digest(derived, code.challenge)


def check_user(user: DemoUser | None, password: str) -> str:
    """The sign-in page's check (single sign-on stands behind it: federated users pass)."""
    if user is None or not hmac.compare_digest(user.password, password):
        raise PageError("The user name or password is incorrect.")
    if user.locked:
        raise PageError("The user is locked. Contact your administrator.")
    return user.username
