"""The identity domain: demo users and clients, the token endpoint's rules, token checks.

Access tokens are JWT-shaped and HS256-signed with a key private to one emulator, so a
token from another emulator (or from before a reset) is unknown here. Refresh tokens are
opaque, rotate on every use and are single use. All expiry follows the emulator clock.
"""

from __future__ import annotations

import base64
import binascii
import collections
import dataclasses
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ._clock import Clock
from ._signin import DEVICE_GRANT, JWT_GRANT, SignIn

OIC_SUFFIXES = ("urn:opc:resource:consumer::all", "/ic/api/")
DEVELOPER_ROLES = frozenset({"ServiceDeveloper", "ServiceAdministrator"})
READER_ROLES = DEVELOPER_ROLES | {"ServiceUser"}


@dataclass(frozen=True)
class DemoUser:
    """A user of the emulated identity domain."""

    username: str
    password: str = field(repr=False)
    display_name: str
    roles: tuple[str, ...]
    locked: bool = False
    federated: bool = False


@dataclass(frozen=True)
class DemoClient:
    """An application registered in the emulated identity domain (public: no secret)."""

    client_id: str
    client_secret: str | None = field(repr=False)
    grants: tuple[str, ...]
    roles: tuple[str, ...] = ("ServiceDeveloper",)
    redirect_uris: tuple[str, ...] = ()


#: The browser sign-in's default redirect URI, registered for both demo applications.
DEMO_REDIRECT_URI = "http://127.0.0.1:8765/callback"
_USER_GRANTS = ("authorization_code", DEVICE_GRANT, JWT_GRANT)


_PASSWORD = "Welcome#Demo-2026"


@dataclass(frozen=True)
class Demo:
    """The emulator's fixed demo identities (documented, public by design)."""

    client_id: str = "oic-magic-demo-client"
    client_secret: str = field(default="demo-Cl1ent-s3cret-9f4e", repr=False)
    username: str = "ada.lovelace"
    password: str = field(default=_PASSWORD, repr=False)
    users: tuple[DemoUser, ...] = (
        DemoUser("ada.lovelace", _PASSWORD, "Ada Lovelace", ("ServiceDeveloper",)),
        DemoUser("grace.hopper", _PASSWORD, "Grace Hopper", ("ServiceUser",)),
        DemoUser("alan.turing", _PASSWORD, "Alan Turing", ("ServiceInvoker",)),
        DemoUser("locked.user", _PASSWORD, "Locked User", ("ServiceDeveloper",), locked=True),
        DemoUser("sso.user", _PASSWORD, "Federated User", ("ServiceDeveloper",), federated=True),
    )
    clients: tuple[DemoClient, ...] = (
        DemoClient(
            "oic-magic-demo-client",
            "demo-Cl1ent-s3cret-9f4e",
            ("password", "refresh_token", "client_credentials", *_USER_GRANTS),
            redirect_uris=(DEMO_REDIRECT_URI,),
        ),
        DemoClient(
            "oic-magic-norefresh-client",
            "noRefresh-s3cret-2b8d",
            ("password", "client_credentials"),
        ),
        # A "Mobile Application" (public client): no secret, browser and device sign-in.
        DemoClient(
            "oic-magic-public-client",
            None,
            ("refresh_token", "authorization_code", DEVICE_GRANT),
            redirect_uris=(DEMO_REDIRECT_URI,),
        ),
    )


DEMO = Demo()


class OAuthError(Exception):
    """An RFC 6749 error answer of the token endpoint."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(error)
        self.status, self.error, self.description = status, error, description


@dataclass(frozen=True)
class Principal:
    """Who a valid access token speaks for."""

    subject: str
    sub_type: str
    client_id: str
    roles: tuple[str, ...]
    scope: str


@dataclass
class _Refresh:
    client_id: str
    subject: str
    sub_type: str
    scope: str
    expires: float
    consumed: bool = False


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Identity:
    """Token endpoint rules and token verification for one emulated identity domain."""

    def __init__(
        self,
        *,
        clock: Clock,
        audience: str,
        access_ttl: float,
        refresh_ttl: float,
        demo: Demo = DEMO,
    ) -> None:
        self._clock, self._audience, self._demo = clock, audience, demo
        self._defaults = (access_ttl, refresh_ttl)
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._users = {u.username: u for u in demo.users}
        self._clients = {c.client_id: c for c in demo.clients}
        self._grants = {c.client_id: set(c.grants) for c in demo.clients}
        self._redirects = {c.client_id: list(c.redirect_uris) for c in demo.clients}
        self.signin = SignIn(self)
        self.token_url = ""
        self._issued: dict[str, Principal] = {}
        self._refresh: dict[str, _Refresh] = {}
        self._rate: float | None = None
        self._recent: collections.deque[float] = collections.deque()
        # Every token string handed out, for tests that search for leaks (bounded).
        self._handed_out: collections.deque[str] = collections.deque(maxlen=200_000)

    # -- control ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget every token, lifetime change and rate limit."""
        with self._lock:
            self._issued.clear()
            self._refresh.clear()
            self._recent.clear()
            self._handed_out.clear()
            self._rate = None
            self.access_ttl, self.refresh_ttl = self._defaults
            self._users = {u.username: u for u in self._demo.users}
            self._grants = {c.client_id: set(c.grants) for c in self._demo.clients}
            self._redirects = {c.client_id: list(c.redirect_uris) for c in self._demo.clients}
        self.signin.reset()

    def revoke_all(self) -> None:
        """Every access token issued so far stops working."""
        with self._lock:
            self._issued.clear()

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token issued so far is refused (invalid_grant) from now on."""
        with self._lock:
            self._refresh.clear()

    def refresh_token_live(self, token: str) -> bool:
        """Whether *token* would be accepted now (known, unconsumed, unexpired); for tests."""
        with self._lock:
            record = self._refresh.get(token)
            return record is not None and not record.consumed and self._clock.now() < record.expires

    def set_password(self, username: str, password: str) -> None:
        """Change a user's password (an administrator's reset): the old one is refused."""
        with self._lock:
            user = self._users.get(username)
            if user is None:
                raise KeyError(f"no user {username!r}")
            self._users[username] = dataclasses.replace(user, password=password)

    def issued_tokens(self) -> list[str]:
        """Every access and refresh token issued since the last reset (revoked ones too)."""
        return list(self._handed_out)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 to token requests beyond ``per_second`` (None: no limit)."""
        with self._lock:
            self._rate = per_second
            self._recent.clear()

    def set_grant(self, client_id: str, grant: str, allowed: bool) -> None:
        """Allow or refuse one grant type to one application."""
        if client_id not in self._clients:
            raise KeyError(f"no client {client_id!r}")
        with self._lock:
            (self._grants[client_id].add if allowed else self._grants[client_id].discard)(grant)

    def set_redirect_uris(self, client_id: str, uris: list[str]) -> None:
        """The redirect URIs registered for one application (exact matches)."""
        if client_id not in self._clients:
            raise KeyError(f"no client {client_id!r}")
        with self._lock:
            self._redirects[client_id] = list(uris)

    # -- what the sign-in flows use ----------------------------------------------------
    def now(self) -> float:
        """The emulator clock."""
        return self._clock.now()

    def client(self, client_id: str | None) -> DemoClient | None:
        """A registered application by id."""
        return self._clients.get(client_id or "")

    def user(self, username: str | None) -> DemoUser | None:
        """A demo user by name."""
        return self._users.get(username or "")

    def allows(self, client: DemoClient, grant: str) -> bool:
        """Whether the application may use *grant* now."""
        return grant in self._grants.get(client.client_id, ())

    def check_grant(self, client: DemoClient, grant: str) -> None:
        """Refuse with unauthorized_client when the application lacks *grant*."""
        if not self.allows(client, grant):
            raise OAuthError(
                400,
                "unauthorized_client",
                f"The client is not authorized to use the {grant} grant.",
            )

    def redirect_uris(self, client_id: str) -> list[str]:
        """The registered redirect URIs of an application."""
        return list(self._redirects.get(client_id, ()))

    def scope(self, requested: str | None) -> tuple[str, bool]:
        """An OIC scope checked (see ``_scope``)."""
        return self._scope(requested)

    def issue(self, principal: Principal, refresh: bool) -> dict[str, Any]:
        """Tokens for *principal* (a refresh token too when *refresh*)."""
        return self._issue(principal, refresh)

    def handed_out(self, secret: str) -> None:
        """Record a secret given to a client (device and authorization codes), for leak tests."""
        self._handed_out.append(secret)

    def device_authorization(
        self, form: dict[str, str], authorization: str | None, verification_uri: str
    ) -> dict[str, Any]:
        """``POST /oauth2/v1/device``; a confidential client may authenticate, need not."""
        self._check_rate()
        if authorization:
            form = form | {"client_id": self._authenticate(form, authorization).client_id}
        return self.signin.device_authorization(form, verification_uri)

    # -- token endpoint --------------------------------------------------------------------
    def grant(self, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        """Run one token request; raise OAuthError for an RFC 6749 error answer."""
        self._check_rate()
        client = self._authenticate(form, authorization)
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "The request is missing grant_type.")
        handler = {
            "password": self._password,
            "refresh_token": self._refresh_grant,
            "client_credentials": self._client_credentials,
            **self.signin.handlers(),
        }.get(grant_type)
        if handler is None:
            raise OAuthError(
                400, "unsupported_grant_type", f"The grant type {grant_type!r} is not supported."
            )
        self.check_grant(client, grant_type)
        return handler(client, form)

    def _check_rate(self) -> None:
        if self._rate is None:
            return
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self._rate:
                raise OAuthError(429, "too_many_requests", "Too many token requests; retry later.")
            self._recent.append(now)

    def _authenticate(self, form: dict[str, str], authorization: str | None) -> DemoClient:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization[:6].lower() == "basic ":
            try:
                client_id, _, secret = _unb64(authorization[6:].strip()).decode().partition(":")
            except (ValueError, binascii.Error, UnicodeDecodeError):
                client_id = None
        client = self._clients.get(client_id or "")
        if client is not None and client.client_secret is None and not secret:
            return client  # a public client identifies itself with client_id alone
        if client is None or not hmac.compare_digest(client.client_secret or "", secret or ""):
            raise OAuthError(401, "invalid_client", "Client authentication failed.")
        return client

    def _scope(self, requested: str | None) -> tuple[str, bool]:
        """Validate an OIC scope; answer (scope without offline_access, offline wanted)."""
        words = (requested or f"{self._audience}{OIC_SUFFIXES[0]}").split()
        offline = "offline_access" in words
        rest = [w for w in words if w != "offline_access"]
        if len(rest) != 1 or rest[0] not in {self._audience + s for s in OIC_SUFFIXES}:
            raise OAuthError(
                400, "invalid_scope", "The requested scope is invalid, unknown, or malformed."
            )
        return rest[0], offline

    def _password(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        username, password = form.get("username"), form.get("password")
        if not username or password is None:
            raise OAuthError(400, "invalid_request", "The request is missing username or password.")
        scope, offline = self._scope(form.get("scope"))
        user = self._users.get(username)
        if user is None or not hmac.compare_digest(user.password, password):
            raise OAuthError(400, "invalid_grant", "The user name or password is incorrect.")
        if user.federated:
            raise OAuthError(
                400,
                "invalid_grant",
                "Federated (SSO) users cannot use the "
                "resource owner password grant; use a local identity domain user.",
            )
        if user.locked:
            raise OAuthError(
                400, "invalid_grant", "The user is locked. Contact your administrator."
            )
        principal = Principal(user.username, "user", client.client_id, user.roles, scope)
        return self._issue(principal, offline and self.allows(client, "refresh_token"))

    def _client_credentials(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        scope, _ = self._scope(form.get("scope"))
        principal = Principal(client.client_id, "client", client.client_id, client.roles, scope)
        return self._issue(principal, False)  # no refresh token for this grant (RFC 6749 4.4.3)

    def _refresh_grant(self, client: DemoClient, form: dict[str, str]) -> dict[str, Any]:
        token = form.get("refresh_token")
        if not token:
            raise OAuthError(400, "invalid_request", "The request is missing refresh_token.")
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.client_id != client.client_id:
                raise OAuthError(400, "invalid_grant", "The refresh token is invalid.")
            if record.consumed:
                raise OAuthError(400, "invalid_grant", "The token has already been consumed.")
            if self._clock.now() >= record.expires:
                raise OAuthError(400, "invalid_grant", "The refresh token has expired.")
            record.consumed = True
        user = self._users.get(record.subject)
        roles = user.roles if user else client.roles
        principal = Principal(
            record.subject, record.sub_type, client.client_id, roles, record.scope
        )
        return self._issue(principal, True)

    def _issue(self, principal: Principal, refresh: bool) -> dict[str, Any]:
        now = self._clock.now()
        jti = secrets.token_hex(16)
        answer: dict[str, Any] = {
            "access_token": self._sign(principal, jti, now),
            "token_type": "Bearer",
            "expires_in": int(self.access_ttl),
        }
        with self._lock:
            self._issued[jti] = principal
            if refresh:
                token = "AQAg" + secrets.token_urlsafe(48)
                self._refresh[token] = _Refresh(
                    principal.client_id,
                    principal.subject,
                    principal.sub_type,
                    principal.scope,
                    now + self.refresh_ttl,
                )
                answer["refresh_token"] = token
            self._handed_out.append(answer["access_token"])
            if refresh:
                self._handed_out.append(answer["refresh_token"])
        return answer

    def _sign(self, principal: Principal, jti: str, now: float) -> str:
        user = self._users.get(principal.subject)
        claims = {
            "sub": principal.subject,
            "aud": [self._audience, "urn:opc:lbaas:logicalguid=oic-demo"],
            "scope": principal.scope[len(self._audience) :],
            "iss": "https://identity.oraclecloud.com/",
            "iat": int(now),
            "exp": int(now + self.access_ttl),
            "jti": jti,
            "client_id": principal.client_id,
            "sub_type": principal.sub_type,
            "user_displayname": user.display_name if user else principal.client_id,
            "tok_type": "AT",
        }
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "emulator"}).encode())
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self._key, f"{header}.{body}".encode(), hashlib.sha256).digest()
        return f"{header}.{body}.{_b64(signature)}"

    # -- resource side ---------------------------------------------------------------------
    def verify(self, authorization: str | None) -> Principal | None:
        """The principal behind a valid, unexpired, known Bearer token; else None."""
        if not authorization or authorization[:7].lower() != "bearer ":
            return None
        try:
            header, body, signature = authorization[7:].strip().split(".")
            expected = hmac.new(self._key, f"{header}.{body}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(signature)):
                return None
            claims = json.loads(_unb64(body))
        except (ValueError, binascii.Error):
            return None
        if self._clock.now() >= claims["exp"] or self._audience not in claims["aud"]:
            return None
        return self._issued.get(claims["jti"])
