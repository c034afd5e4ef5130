"""Token: one answer of the token endpoint, with expiry maths on an injected clock.

The access token's JWT claims are decoded without verifying the signature: they
are only shown to the user (who, which scope, until when) and never trusted for
a security decision. Expiry is computed from ``expires_in`` and the local clock
at receipt, so a skewed server clock cannot make a fresh token look stale; when the
access token is a JWT whose ``exp`` comes sooner (``exp - iat``), that wins.

What the server says is checked before it is used: ``expires_in`` may be a number or a
decimal string; one that is not a positive number of seconds (NaN, ``"²"``, negative, a
boolean) or a ``token_type`` other than Bearer is a :class:`TokenEndpointError`, and a
lifetime longer than :data:`MAX_LIFETIME` is cut to it.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from ..exceptions import TokenEndpointError, trim
from ._secret import Secret, reveal

__all__ = ["Token", "decode_claims"]

# Refresh this long before expiry at most; short-lived tokens use a tenth of their life.
REFRESH_MARGIN = 60.0
#: The longest lifetime believed: a longer (or absurd, 1e12) promise is renewed after a day.
MAX_LIFETIME = 86_400.0
#: Neither ``expires_in`` nor the JWT says: OIC's default hour (a 401 renews it anyway).
DEFAULT_LIFETIME = 3600.0

_DECIMAL = re.compile(r"[0-9]{1,12}(\.[0-9]{1,9})?")
_HINT = "The identity domain's answer is not a usable token; check identity_url/token_url."


def decode_claims(jwt: str) -> dict[str, Any]:
    """The payload of a JWT-shaped *jwt*, unverified; ``{}`` when it is not one."""
    parts = jwt.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error, RecursionError):
        return {}
    return claims if isinstance(claims, dict) else {}


@dataclasses.dataclass(frozen=True, kw_only=True, init=False)
class Token:
    """An access token (and maybe a refresh token) with the moment it was received.

    Times are seconds on the clock the session uses (``time.time`` unless a test
    injects another). Neither token appears in ``repr``/``str``: both are held as
    :class:`~oic_magic.core._secret.Secret` values (``access``, ``refresh``); the
    ``access_token``/``refresh_token`` properties give the plain text.
    """

    access: Secret = dataclasses.field(repr=False)
    refresh: Secret | None = dataclasses.field(default=None, repr=False)
    token_type: str = "Bearer"
    issued_at: float
    expires_at: float
    scope: str | None = None
    user: str | None = None
    claims: Mapping[str, Any] = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def __init__(
        self,
        *,
        access_token: str | Secret | None = None,
        refresh_token: str | Secret | None = None,
        token_type: str = "Bearer",
        issued_at: float,
        expires_at: float,
        scope: str | None = None,
        user: str | None = None,
        claims: Mapping[str, Any] | None = None,
        access: str | Secret | None = None,
        refresh: str | Secret | None = None,
    ) -> None:
        # Plain text or Secret under either name (``access`` is what dataclasses.replace uses).
        given = access if access is not None else access_token
        if given is None:
            raise TypeError("Token needs an access_token")
        setattr_ = object.__setattr__
        setattr_(self, "access", Secret(given))
        setattr_(self, "refresh", Secret.of(refresh if refresh is not None else refresh_token))
        setattr_(self, "token_type", token_type)
        setattr_(self, "issued_at", issued_at)
        setattr_(self, "expires_at", expires_at)
        setattr_(self, "scope", scope)
        setattr_(self, "user", user)
        setattr_(self, "claims", {} if claims is None else claims)

    def __str__(self) -> str:
        return repr(self)

    @property
    def access_token(self) -> str:
        """The access token's plain text."""
        return self.access.reveal()

    @property
    def refresh_token(self) -> str | None:
        """The refresh token's plain text, when there is one."""
        return self.refresh.reveal() if self.refresh else None

    @classmethod
    def from_response(
        cls,
        payload: Mapping[str, Any],
        *,
        now: float,
        previous_refresh_token: str | Secret | None = None,
    ) -> Token:
        """Build from the token endpoint's JSON received at *now*.

        When the answer carries no refresh token, the previous one is kept: some
        identity providers only rotate it sometimes.
        """
        access = _access_token(payload.get("access_token"))
        claims = decode_claims(access.reveal())
        return cls(
            access=access,
            refresh=_refresh_token(payload.get("refresh_token"))
            or Secret.of(previous_refresh_token),
            token_type=_token_type(payload.get("token_type")),
            issued_at=now,
            expires_at=now + _lifetime(payload, claims, now),
            scope=_text(payload.get("scope")) or _text(claims.get("scope")),
            user=_text(claims.get("sub")) or _text(claims.get("user_displayname")),
            claims=claims,
        )

    @property
    def lifetime(self) -> float:
        """Seconds between receipt and expiry."""
        return self.expires_at - self.issued_at

    @property
    def refresh_margin(self) -> float:
        """How early to refresh: a minute, or a tenth of the lifetime when that is shorter."""
        return min(REFRESH_MARGIN, max(self.lifetime, 0.0) / 10)

    def expires_in(self, now: float) -> float:
        """Seconds left at *now* (negative once expired)."""
        return self.expires_at - now

    def is_expired(self, now: float) -> bool:
        """True once the token is past its expiry."""
        return now >= self.expires_at

    def needs_refresh(self, now: float) -> bool:
        """True within the refresh margin of expiry, or after it."""
        return now >= self.expires_at - self.refresh_margin

    @property
    def authorization(self) -> str:
        """The ``Authorization`` header value."""
        return f"Bearer {self.access.reveal()}"


def _refused(what: str) -> TokenEndpointError:
    return TokenEndpointError(f"the token endpoint answered {what}.", hint=_HINT, status=200)


def _shown(value: object) -> str:
    """A server value quoted for a message (never a token: only for non-secret fields)."""
    return trim(repr(value), 40)


def _access_token(given: object) -> Secret:
    # RFC 6750's b64token: visible ASCII only, or the Authorization header cannot carry it.
    value = reveal(given) if isinstance(given, Secret) else given
    if not isinstance(value, str) or not value or not value.isascii() or not value.isprintable():
        raise _refused("an access token that is not a usable string")
    if any(c.isspace() for c in value):
        raise _refused("an access token that is not a usable string")
    return Secret(value)


def _refresh_token(given: object) -> Secret | None:
    value = reveal(given) if isinstance(given, Secret) else given
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not value.isprintable():
        raise _refused("a refresh token that is not a usable string")
    return Secret(value)


def _token_type(value: object) -> str:
    if value is None or value == "":
        return "Bearer"
    if isinstance(value, str) and value.strip().lower() == "bearer":
        return "Bearer"
    raise _refused(f"a token of type {_shown(value)} where Bearer was expected")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _seconds(value: object) -> float | None:
    """``expires_in`` as a positive number of seconds (at most MAX_LIFETIME); None if absent."""
    if value is None:
        return None
    number = math.nan
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an int too large for a float
            number = math.inf
    elif isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = float(value.strip())
    if math.isnan(number) or number <= 0:
        raise _refused(f"an expires_in of {_shown(value)}, not a positive number of seconds")
    return min(number, MAX_LIFETIME)


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None


def _jwt_lifetime(claims: Mapping[str, Any], now: float) -> float | None:
    """What the JWT's ``exp`` leaves (from ``iat`` when given, else from *now*); None if unsaid."""
    exp, iat = _number(claims.get("exp")), _number(claims.get("iat"))
    if exp is None:
        return None
    life = exp - (iat if iat is not None else now)
    return min(life, MAX_LIFETIME) if life > 0 else None  # a skewed clock: ignore it


def _lifetime(payload: Mapping[str, Any], claims: Mapping[str, Any], now: float) -> float:
    said = [
        life
        for life in (_seconds(payload.get("expires_in")), _jwt_lifetime(claims, now))
        if life is not None
    ]
    return min(said) if said else DEFAULT_LIFETIME
