"""The JWT user assertion (RFC 7523): automation signs in as a user without a password.

The assertion is a short-lived JWT signed with RS256 by a private key whose certificate
is imported in the identity domain's application (its alias is the ``kid``):

- ``iss``: the client id; ``sub``: the user name; ``aud``: the identity domain
  (``https://identity.oraclecloud.com/`` for OCI IAM, else ``assertion_audience``);
- ``iat``, ``exp`` (five minutes on), a random ``jti`` so it cannot be replayed.

It is sent as ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=...``.
The key comes from ``private_key_file`` (``OIC_PRIVATE_KEY_FILE``) or the keyring, never
from a magic argument. Signing needs the optional extra ``oic_magic[jwt]`` (pyjwt with
cryptography), imported only here and only when an assertion is made.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from ..exceptions import ConfigurationError
from ._secret import Secret
from ._settings import Settings

__all__ = ["ASSERTION_LIFETIME", "JWT_GRANT", "OCI_AUDIENCE", "assertion_form", "user_assertion"]

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
OCI_AUDIENCE = "https://identity.oraclecloud.com/"
ASSERTION_LIFETIME = 300.0

KeyLoader = Callable[[Settings], str | Secret | None]


def _read_key(settings: Settings, keyring: KeyLoader | None) -> Secret:
    if settings.private_key_file:
        try:
            path = Path(settings.private_key_file).expanduser()
        except RuntimeError:  # '~someone' of an unknown user
            raise ConfigurationError(
                [f"private_key_file {settings.private_key_file!r}: its '~' names no home folder"]
            ) from None
        try:
            return Secret(path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or "not a PEM text file"
            raise ConfigurationError([f"private_key_file {str(path)!r}: {reason}"]) from None
    key = keyring(settings) if keyring is not None else None
    if not key:
        raise ConfigurationError(
            ["private_key_file is missing (OIC_PRIVATE_KEY_FILE, or a key in the keyring)"]
        )
    return Secret(key)


def user_assertion(
    settings: Settings, *, clock: Callable[[], float] = time.time, keyring: KeyLoader | None = None
) -> Secret:
    """A signed user assertion for ``settings.username``, valid for five minutes."""
    try:
        import jwt
    except ImportError:
        raise ConfigurationError(
            ["the jwt grant needs the optional extra: pip install 'oic_magic[jwt]'"]
        ) from None
    if not (settings.username and settings.client_id and settings.key_id):
        raise ConfigurationError(["the jwt grant needs username, client_id and key_id"])
    key = _read_key(settings, keyring)
    now = int(clock())
    claims = {
        "iss": settings.client_id,
        "sub": settings.username,
        "aud": settings.assertion_audience or OCI_AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + int(ASSERTION_LIFETIME),
        "jti": f"{uuid.uuid4()}-{secrets.token_hex(4)}",
    }
    try:
        # The key is unwrapped for the signing call only; the assertion is a secret too.
        signed = Secret(
            jwt.encode(claims, key.reveal(), algorithm="RS256", headers={"kid": settings.key_id})
        )
    except (ValueError, TypeError, jwt.PyJWTError):
        raise ConfigurationError(
            ["the private key cannot sign RS256 assertions (a PEM RSA private key is needed)"]
        ) from None
    return signed


def assertion_form(assertion: str | Secret, scope: str) -> dict[str, str | Secret]:
    """The token request of the jwt-bearer grant."""
    return {"grant_type": JWT_GRANT, "assertion": assertion, "scope": scope}
