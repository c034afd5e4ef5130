"""Token: one answer of the token endpoint, with expiry maths on an injected clock.

The access token's JWT claims are decoded without verifying the signature: they
are only shown to the user (who, which scope, until when) and never trusted for
a security decision. Expiry is computed from ``expires_in`` and the local clock
at receipt, so a skewed server clock cannot make a fresh token look stale.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from ._secret import Secret

__all__ = ["Token", "decode_claims"]

# Refresh this long before expiry at most; short-lived tokens use a tenth of their life.
REFRESH_MARGIN = 60.0


def decode_claims(jwt: str) -> dict[str, Any]:
    """The payload of a JWT-shaped *jwt*, unverified; ``{}`` when it is not one."""
    parts = jwt.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error):
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
        access = Secret(payload["access_token"])
        claims = decode_claims(access.reveal())
        fresh = payload.get("refresh_token")
        return cls(
            access=access,
            refresh=Secret.of(fresh if isinstance(fresh, str | Secret) else None)
            or Secret.of(previous_refresh_token),
            token_type=str(payload.get("token_type") or "Bearer"),
            issued_at=now,
            expires_at=now + _lifetime(payload, claims),
            scope=payload.get("scope") or claims.get("scope"),
            user=claims.get("sub") or claims.get("user_displayname"),
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


def _lifetime(payload: Mapping[str, Any], claims: Mapping[str, Any]) -> float:
    expires_in = payload.get("expires_in")
    if isinstance(expires_in, str) and expires_in.isdigit():
        expires_in = int(expires_in)
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        return float(expires_in)
    if isinstance(claims.get("exp"), int | float) and isinstance(claims.get("iat"), int | float):
        return float(claims["exp"] - claims["iat"])
    # Neither said: assume OIC's default hour; a 401 will trigger a refresh anyway.
    return 3600.0
