"""Token: unverified claims, expiry maths on an injected clock, hidden secrets."""

from __future__ import annotations

from oic_magic import Token
from oic_magic.core._token import decode_claims

from ._core_fake import jwt


def _token(ttl: int = 3600, **extra: object) -> Token:
    access = jwt({"sub": "ada", "scope": "s", "exp": 10 + ttl, "iat": 10})
    return Token.from_response({"access_token": access, "expires_in": ttl, **extra}, now=1000.0)


def test_claims_decoded_without_verification() -> None:
    """User and scope come from the JWT payload; garbage decodes to no claims."""
    token = _token()
    assert token.user == "ada" and token.scope == "s"
    assert decode_claims("not-a-jwt") == {} and decode_claims("a.!!!.c") == {}


def test_expiry_from_expires_in_and_local_clock() -> None:
    """Expiry is receipt time plus expires_in, whatever the server's clock says."""
    token = _token(ttl=3600)
    assert token.expires_at == 4600.0 and token.expires_in(1600.0) == 3000.0
    assert not token.is_expired(4599.0) and token.is_expired(4600.0)


def test_refresh_margin_capped_by_lifetime() -> None:
    """Refresh a minute early for long tokens, a tenth of the life for short ones."""
    assert _token(ttl=3600).refresh_margin == 60.0
    short = _token(ttl=100)
    assert short.refresh_margin == 10.0
    assert not short.needs_refresh(1089.0) and short.needs_refresh(1090.0)


def test_previous_refresh_token_kept_when_not_rotated() -> None:
    """An answer without a refresh token keeps the previous one; a new one replaces it."""
    access = jwt({"sub": "ada"})
    kept = Token.from_response({"access_token": access}, now=0, previous_refresh_token="old")
    rotated = Token.from_response(
        {"access_token": access, "refresh_token": "new"}, now=0, previous_refresh_token="old"
    )
    assert (kept.refresh_token, rotated.refresh_token) == ("old", "new")


def test_repr_hides_tokens() -> None:
    """Neither token string appears in repr or str."""
    token = _token(refresh_token="refresh-secret-value")
    for text in (repr(token), str(token)):
        assert token.access_token not in text and "refresh-secret-value" not in text


def test_lifetime_falls_back_to_claims() -> None:
    """Without expires_in, exp minus iat gives the lifetime."""
    access = jwt({"sub": "ada", "exp": 700, "iat": 100})
    assert Token.from_response({"access_token": access}, now=0).lifetime == 600.0
