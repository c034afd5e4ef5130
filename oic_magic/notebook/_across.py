"""``%oic GET ... --session dev,test,prod``: one frame from several sessions at once.

The sessions are read concurrently (:func:`oic_magic.core._fanout.across`), each
completely or not at all, and their frames are stacked under a first column
``session``. Nothing new is signed in. Only reads run across sessions: a change is made
in one session at a time, so ``POST``/``PATCH``/``PUT``/``DELETE``, ``--wait`` and
``--curl`` with several sessions are a ``UsageError`` before anything is sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from ..core._client import OICClient
from ..core._fanout import across, session_names
from ..core._session import Session
from ..exceptions import RequestError, SessionsFailedError
from ._command import Command
from ._results import answer, listing_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["is_across", "merge_frames", "run_across"]

SESSION_COLUMN = "session"


def is_across(command: Command) -> bool:
    """Whether ``--session`` names more than one session."""
    return "," in command.session


def run_across(command: Command, client_for: Callable[[Session], OICClient]) -> Any:
    """The merged frame (or ``{session: JSON}`` with ``--raw``) of *command* in each session."""
    names = _checked(command)

    def work(client: OICClient) -> Any:
        one = dataclasses.replace(command, path=client.local_path(command.path))
        return _fetch(client, one)

    try:
        results = across(names, work, client_for=client_for, what=f"GET {command.path}")
    except SessionsFailedError as error:
        if not command.raw:
            # The frames that did arrive stay usable: error.results, and merged as error.frame.
            error.frame = merge_frames(error.results)  # type: ignore[attr-defined]
        raise
    if command.raw:
        return results
    return merge_frames(results)


def merge_frames(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The frames stacked in session order under a first column ``session``.

    ``attrs["sessions"]`` keeps each session's request facts (URL, pages, total, ...).
    """
    import pandas as pd

    parts = []
    for name, frame in frames.items():
        if not isinstance(frame, pd.DataFrame):
            raise RequestError(
                f"session {name!r} answered with {type(frame).__name__}, not a table: "
                "read archives and other files from one session at a time"
            )
        part = frame.copy()
        part.insert(0, SESSION_COLUMN, name)
        parts.append(part)
    merged = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if SESSION_COLUMN not in merged.columns:
        merged.insert(0, SESSION_COLUMN, pd.Series(dtype=object))
    merged.attrs = {"sessions": {name: dict(frame.attrs) for name, frame in frames.items()}}
    return merged


def _checked(command: Command) -> list[str]:
    try:
        names = session_names(command.session)
    except RequestError as error:
        raise UsageError(f"--session {command.session}: {error.message}") from None
    several = f"--session {command.session}"
    if command.method != "GET":
        raise UsageError(
            f"{several}: only GET runs across sessions; {command.method} changes one "
            "instance at a time, so name one session"
        )
    if command.curl:
        raise UsageError(f"{several}: --curl prints one session's call; name one session")
    return names


def _fetch(client: OICClient, command: Command) -> Any:
    # No progress bar: several threads would draw over one another.
    if command.is_listing:
        listing = client.paginate(
            command.path, where=command.where, limit=command.limit, headers=command.cell.headers
        )
        if command.raw:
            return list(listing.items)
        return listing_frame(listing, command.path)
    response = client.request("GET", command.path, headers=command.cell.headers)
    return answer(response, command)
