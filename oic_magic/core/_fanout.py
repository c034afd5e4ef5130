"""One call across several signed-in sessions, run concurrently, one result per session.

``across(["dev", "test", "prod"], work)`` calls ``work(client)`` once per session, each
in its own thread with that session's client, and answers ``{session: result}`` in the
order the sessions were named. Nothing new is signed in: every name must already be in
the store, or :class:`~oic_magic.exceptions.NotSignedInError` is raised before anything
is sent. Each session's result is complete or that session failed (a listing is read
completely or raises, as with one session); when any session fails,
:class:`~oic_magic.exceptions.SessionsFailedError` names it and keeps the complete
results of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ..exceptions import OICError, RequestError, SessionsFailedError
from ._client import OICClient
from ._paging import Listing
from ._session import Session, SessionStore, default_store

__all__ = ["across", "paginate_across", "session_names"]

T = TypeVar("T")
ClientFor = Callable[[Session], OICClient]


def session_names(sessions: str | Iterable[str]) -> list[str]:
    """``"dev,test, prod"`` or ``["dev", "test"]`` as a list of names, checked.

    An empty name or the same name twice is a :class:`~oic_magic.exceptions.RequestError`
    (also a ``ValueError``): a session named twice would have its rows counted twice.
    """
    names = sessions.split(",") if isinstance(sessions, str) else list(sessions)
    names = [name.strip() for name in names]
    if not names or any(not name for name in names):
        raise RequestError(f"session names {sessions!r}: give names separated by commas")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise RequestError(f"session {', '.join(map(repr, twice))} is named more than once")
    return names


def across(
    sessions: str | Iterable[str],
    work: Callable[[OICClient], T],
    *,
    store: SessionStore | None = None,
    client_for: ClientFor | None = None,
    what: str = "the call",
    **options: Any,
) -> dict[str, T]:
    """Run ``work(client)`` for every named session at once; ``{name: result}``.

    *store* is where the sessions are (default: :func:`default_store`, the magics'
    store). *client_for* gives the client of a session (the magics pass their pooled
    ones); without it, a client is made per session with *options* (``page_size``,
    ``timeout``, ...) and closed afterwards; the sessions stay signed in. *what* names
    the call in an error message.

        from oic_magic import across
        counts = across("dev,prod", lambda client: client.paginate("connections").total)

    Raises :class:`~oic_magic.exceptions.SessionsFailedError` when the call failed in
    any session (``.errors`` by session, ``.results`` the others' complete results);
    an error that is not an :class:`~oic_magic.exceptions.OICError` (a bug) is raised
    as it is, once every session has finished.
    """
    names = session_names(sessions)
    chosen = store if store is not None else default_store()
    signed_in = [chosen.get(name) for name in names]  # NotSignedInError before any call
    owned: list[OICClient] = []

    def client_of(session: Session) -> OICClient:
        if client_for is not None:
            return client_for(session)
        client = OICClient(session, **options)
        owned.append(client)
        return client

    clients = [client_of(session) for session in signed_in]
    try:
        with ThreadPoolExecutor(len(names), thread_name_prefix="oic-across") as pool:
            futures = [pool.submit(work, client) for client in clients]
            return _collect(names, futures, what)
    finally:
        for client in owned:
            client.close()


def paginate_across(
    sessions: str | Iterable[str],
    path: str,
    *,
    where: Sequence[str] = (),
    limit: int | None = None,
    store: SessionStore | None = None,
    client_for: ClientFor | None = None,
    **options: Any,
) -> dict[str, Listing]:
    """Every page of the list *path* from every named session: ``{name: Listing}``."""
    return across(
        sessions,
        lambda client: client.paginate(path, where=list(where), limit=limit),
        store=store,
        client_for=client_for,
        what=f"GET {path}",
        **options,
    )


def _collect(names: list[str], futures: list[Future[T]], what: str) -> dict[str, T]:
    results: dict[str, T] = {}
    errors: dict[str, BaseException] = {}
    unexpected: BaseException | None = None
    for name, future in zip(names, futures, strict=True):
        error = future.exception()
        if error is None:
            results[name] = future.result()
        elif isinstance(error, OICError):
            errors[name] = error
        elif unexpected is None:
            unexpected = error
    if unexpected is not None:
        raise unexpected
    if errors:
        raise SessionsFailedError(what=what, errors=errors, results=results)
    return results
