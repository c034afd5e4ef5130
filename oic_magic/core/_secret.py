"""Secret: a string that never shows itself, unwrapped only where an HTTP request is built.

A password, a client secret, a refresh or access token, a device code, a PKCE verifier or a
JWT signing key travels through many frames between the place it is read (the environment,
a profile, the keyring, a form, the token endpoint's answer) and the place it is sent. Any
of those frames can be printed: ``%xmode Verbose`` shows the values of the names and
attributes on each line of a traceback, a debugger shows every local, a log formats what
it is given. Held as a :class:`Secret`, the value reads ``Secret('***')`` in all of them;
:meth:`Secret.reveal` hands out the plain text, and is called only in the expression that
builds the request's form body, Basic auth header or ``Authorization`` header (or that
writes the keyring), so no frame keeps the plain text in a local.

Public APIs keep accepting a plain ``str``: :func:`Secret.of` wraps at the boundary.
"""

from __future__ import annotations

import hmac
import threading
import weakref
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["REDACTED", "Secret", "redact", "redact_known", "reveal"]

#: What a secret looks like wherever it is shown.
REDACTED: Final = "***"


class Secret:
    """A string whose ``repr``/``str``/format are redacted; :meth:`reveal` gives it back.

    Equal to another :class:`Secret` or a ``str`` of the same text (compared in constant
    time), true when not empty, hashable. Not a ``str``: concatenating, formatting or
    JSON-encoding it shows ``***`` or fails, never the text.
    """

    __slots__ = ("__weakref__", "_value")
    _value: str

    def __init__(self, value: str | Secret) -> None:
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError(f"a secret is a str, not {type(value).__name__}")
        object.__setattr__(self, "_value", value)
        if value:
            with _KNOWN_LOCK:
                _KNOWN.add(self)

    @classmethod
    def of(cls, value: str | Secret | None) -> Secret | None:
        """*value* as a Secret (``None`` and ``""`` stay "no secret": ``None``)."""
        if value is None or isinstance(value, Secret):
            return value or None
        return cls(value) if value else None

    def reveal(self) -> str:
        """The plain text: only where the request (or the keyring entry) is built."""
        return self._value

    #: The name pydantic's ``SecretStr`` uses, for readers who know that one.
    get_secret_value = reveal

    def strip(self) -> Secret:
        """The secret without surrounding whitespace."""
        return Secret(self._value.strip())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Secret cannot be changed")

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return format(REDACTED, spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            other = other.reveal()
        if not isinstance(other, str):
            return NotImplemented
        # surrogatepass: an environment's undecodable bytes are lone surrogates; compare them too.
        return hmac.compare_digest(
            self._value.encode("utf-8", "surrogatepass"), other.encode("utf-8", "surrogatepass")
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret cannot be pickled")

    def __deepcopy__(self, memo: Any) -> Secret:
        return self

    def __copy__(self) -> Secret:
        return self


#: Every secret alive in this process, so that a traceback's messages can be redacted of them.
_KNOWN: weakref.WeakSet[Secret] = weakref.WeakSet()
_KNOWN_LOCK = threading.Lock()


def reveal(value: str | Secret | None) -> str | None:
    """The plain text of *value*, a Secret or a str (``None`` stays ``None``)."""
    return value.reveal() if isinstance(value, Secret) else value


def redact(text: str, secrets: Iterable[str | Secret | None]) -> str:
    """*text* with every occurrence of each secret (longest first) replaced by ``***``."""
    plain = sorted({s for s in map(reveal, secrets) if s}, key=len, reverse=True)
    for secret in plain:
        text = text.replace(secret, REDACTED)
    return text


def redact_known(text: str) -> str:
    """*text* redacted of every :class:`Secret` alive in this process."""
    with _KNOWN_LOCK:
        known = list(_KNOWN)
    return redact(text, known)
