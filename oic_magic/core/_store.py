"""SessionStore: the sessions of this process by name, and the one store the magics use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..exceptions import NotSignedInError

if TYPE_CHECKING:
    from ._session import Session

__all__ = ["SessionStore", "default_store"]


class SessionStore:
    """Sessions by name, in this process's memory (a kernel's, in a notebook)."""

    def __init__(self) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SessionStore(names={self.names()!r})"

    def __contains__(self, name: object) -> bool:
        return name in self._sessions

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._sessions)

    def names(self) -> list[str]:
        """The session names, sorted."""
        with self._lock:
            return sorted(self._sessions)

    def get(self, name: str = "default") -> Session:
        """The session called *name*, or :class:`NotSignedInError`."""
        with self._lock:
            session = self._sessions.get(name)
        if session is None:
            raise NotSignedInError(name)
        return session

    def put(self, session: Session) -> None:
        """Store *session* under its name, closing any session it replaces."""
        with self._lock:
            old = self._sessions.get(session.name)
            self._sessions[session.name] = session
        if old is not None and old is not session:
            old.close()

    def remove(self, name: str = "default") -> Session | None:
        """Drop and close the session called *name*; returns it, or ``None``."""
        with self._lock:
            session = self._sessions.pop(name, None)
        if session is not None:
            session.close()
        return session

    def clear(self) -> None:
        """Drop and close every session."""
        for name in self.names():
            self.remove(name)


_default_store: SessionStore | None = None
_default_lock = threading.Lock()


def default_store() -> SessionStore:
    """The process-wide store the magics use: one per kernel."""
    global _default_store
    with _default_lock:
        if _default_store is None:
            _default_store = SessionStore()
        return _default_store
