"""Opt-in "remember me": the refresh token (and, if asked, the client secret) in the keyring.

Entries live under the service ``oic_magic`` with a key made of identity domain,
client id and user, so a restarted kernel can sign in without a password while
the refresh token lives. The keyring is never required: no backend, a backend
that raises, or one that hangs (each call waits at most ``timeout`` seconds on a
worker thread) turns this object into memory-only storage. The reason is kept in
:attr:`RememberedTokens.notice` and logged once at WARNING when something is to be
*remembered*; a failed look-up alone (every sign-in peeks for a remembered token) is
logged at DEBUG only, so users who never asked for the keyring are not nagged.

The ``keyring`` package is imported only when a backend is first needed.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol

from ._secret import Secret, reveal
from ._settings import Settings

__all__ = ["KeyringBackend", "RememberedTokens"]

logger = logging.getLogger("oic_magic.keyring")

SERVICE = "oic_magic"


class KeyringBackend(Protocol):
    """The three calls of the ``keyring`` API that are used."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


class _Unavailable(Exception):
    """The backend cannot be used; the text says why (never a secret)."""


class RememberedTokens:
    """Refresh tokens and client secrets kept across kernels, or in memory only.

    *backend* is any object with the keyring API; ``None`` means the ``keyring``
    package's default backend, looked up lazily.
    """

    def __init__(
        self,
        *,
        backend: KeyringBackend | None = None,
        timeout: float = 3.0,
        remember_secret: bool = False,
        service: str = SERVICE,
    ) -> None:
        self._backend: Any = backend
        self._timeout = timeout
        self.remember_secret = remember_secret
        self._service = service
        self._memory: dict[str, Secret] = {}
        self._lock = threading.Lock()
        self.notice: str | None = None
        self._announced = False

    def __repr__(self) -> str:
        where = "memory only" if self.notice else "keyring"
        return f"RememberedTokens({where}, remember_secret={self.remember_secret})"

    @property
    def memory_only(self) -> bool:
        """True once the keyring has been given up for this process."""
        return self.notice is not None

    @staticmethod
    def key(settings: Settings, kind: str = "refresh_token") -> str:
        """``<kind>:<identity host>|<client id>|<user>`` — no secret in the key."""
        user = settings.username or "(client)"
        return f"{kind}:{settings.identity_host}|{settings.client_id}|{user}"

    # -- public operations -----------------------------------------------------

    def load_refresh_token(self, settings: Settings) -> Secret | None:
        """The remembered refresh token for these settings, if any (read afresh)."""
        return self.peek_refresh_token(settings)

    def save_refresh_token(self, settings: Settings, refresh_token: str | Secret) -> None:
        """Remember the newest refresh token (the previous one is single use)."""
        refresh_token = Secret(refresh_token)  # this frame holds no plain text
        self._set(self.key(settings), refresh_token)

    # -- shared with other kernels: compare before replacing or deleting -------------

    def peek_refresh_token(self, settings: Settings) -> Secret | None:
        """The refresh token the keyring holds *now* (another kernel may have written it)."""
        key = self.key(settings)
        if not self.memory_only:
            value = self._call("get_password", key)  # wrapped on the worker thread
            if not self.memory_only:
                with self._lock:
                    if isinstance(value, Secret):
                        self._memory[key] = value
                    else:
                        self._memory.pop(key, None)
                return value if isinstance(value, Secret) else None
        with self._lock:
            return self._memory.get(key)

    def replace_refresh_token(
        self, settings: Settings, used: str | Secret, new: str | Secret
    ) -> bool:
        """Store *new* only if the entry still holds *used* (or nothing); True when stored.

        A different value there is a newer token another kernel stored: it is kept.
        """
        stored = self.peek_refresh_token(settings)
        if stored is not None and stored != used:
            return False
        self.save_refresh_token(settings, new)
        return True

    def discard_refresh_token(self, settings: Settings, refused: str | Secret) -> Secret | None:
        """Delete the entry only if it still holds *refused*; else return the newer one."""
        stored = self.peek_refresh_token(settings)
        if stored is None or stored != refused:
            return stored
        key = self.key(settings)
        with self._lock:
            self._memory.pop(key, None)
        self._call("delete_password", key, missing_ok=True)
        return None

    def load_private_key(self, settings: Settings) -> Secret | None:
        """The PEM private key of the JWT user assertion, when one was saved."""
        return self._get(self.key(settings, "private_key"))

    def save_private_key(self, settings: Settings, pem: str | Secret) -> None:
        """Keep the JWT assertion's PEM private key in the keyring (instead of a file)."""
        pem = Secret(pem)
        self._set(self.key(settings, "private_key"), pem)

    def load_client_secret(self, settings: Settings) -> Secret | None:
        """The remembered client secret, when the user asked for it to be kept."""
        return self._get(self.key(settings, "client_secret")) if self.remember_secret else None

    def save_client_secret(self, settings: Settings) -> None:
        """Remember the client secret, only if the user asked for it."""
        if self.remember_secret and settings.client_secret:
            self._set(self.key(settings, "client_secret"), Secret(settings.client_secret))

    def forget(
        self, settings: Settings, kinds: tuple[str, ...] = ("refresh_token", "client_secret")
    ) -> None:
        """Remove everything remembered for these settings (or only the entries of *kinds*)."""
        for kind in kinds:
            key = self.key(settings, kind)
            with self._lock:
                self._memory.pop(key, None)
            self._call("delete_password", key, missing_ok=True)

    # -- storage with fallback -------------------------------------------------

    def _get(self, key: str) -> Secret | None:
        with self._lock:
            if key in self._memory:
                return self._memory[key]
        value = self._call("get_password", key)  # wrapped on the worker thread
        return value if isinstance(value, Secret) else None

    def _set(self, key: str, value: Secret) -> None:
        with self._lock:
            self._memory[key] = value
        self._call("set_password", key, value)

    def _call(self, method: str, *args: str | Secret, missing_ok: bool = False) -> Any:
        # Only a write or a delete is the user asking for the keyring: only those warn.
        announce = method != "get_password"
        if self.memory_only:
            if announce:
                self._announce()
            return None
        try:
            backend = self._resolve_backend()
            return self._bounded(getattr(backend, method), self._service, *args)
        except _Unavailable as exc:
            self._give_up(str(exc), announce=announce)
        except Exception as exc:
            if missing_ok and type(exc).__name__ == "PasswordDeleteError":
                return None
            self._give_up(f"the keyring backend failed ({type(exc).__name__})", announce=announce)
        return None

    def _resolve_backend(self) -> Any:
        if self._backend is None:
            self._backend = _default_backend()
        return self._backend

    def _bounded(self, function: Any, *args: str | Secret) -> Any:
        # A locked desktop keyring may block forever on a prompt: wait on a worker thread.
        # Secrets cross it wrapped: unwrapped for the backend's call, wrapped from its answer.
        result: dict[str, Any] = {}

        def run() -> None:
            try:
                value = function(*map(reveal, args))
                result["value"] = Secret(value) if isinstance(value, str) else value
            except BaseException as exc:  # handed back to the caller's thread
                result["error"] = exc

        worker = threading.Thread(target=run, name="oic-magic-keyring", daemon=True)
        worker.start()
        worker.join(self._timeout)
        if worker.is_alive():
            raise _Unavailable(f"the keyring did not answer within {self._timeout:g} s")
        if "error" in result:
            raise result["error"]
        return result.get("value")

    def _give_up(self, reason: str, *, announce: bool) -> None:
        with self._lock:
            if self.notice is None:
                self.notice = f"{reason}; tokens are kept in memory only for this session."
        if announce:
            self._announce()
        else:
            logger.debug("oic_magic: %s", self.notice)

    def _announce(self) -> None:
        with self._lock:
            if self._announced or self.notice is None:
                return
            self._announced = True
        logger.warning("oic_magic: %s", self.notice)


def _default_backend() -> Any:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        raise _Unavailable("the keyring package is not installed") from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise _Unavailable("no keyring backend is available")
    return backend
