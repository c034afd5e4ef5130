"""``--since`` and ``--between`` read as a monitoring window, and what a window's read says.

- ``--since 24h`` (also ``90m``, ``2d``, ``1w``, ``30s``; a number and a unit): from that
  long ago until now. ``--since "2026-12-01 08:00"`` (a moment) is from then until now.
- ``--between A B``: two moments, anything pandas reads (``2026-12-01``,
  ``"2026-12-01 08:00"``, ``2026-12-01T08:00:00Z``, ``"yesterday"`` is not one).
  A moment without a time zone is in this machine's time zone; write ``Z``, ``UTC`` or
  an offset (``+01:00``) to say otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from IPython.core.error import UsageError

__all__ = [
    "Window", "attach_frame", "check_one_window", "limit_note", "parse_window", "window_facts",
]  # fmt: skip

Window = tuple[datetime | None, datetime | None]

_SPAN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_FORMATS = (
    "--since takes a span (24h, 90m, 2d, 1w) or a moment; --between takes two moments "
    'such as 2026-12-01 or "2026-12-01 08:00" (this machine\'s time zone unless it says '
    "Z, UTC or +01:00)"
)


_WINDOW_KEY = re.compile(r"^\s*(timewindow|startdate|enddate)\b", re.IGNORECASE)


def check_one_window(
    since: str | None, between: Sequence[str] | None, where: Sequence[str]
) -> None:
    """Refuse --since/--between with a ``--where`` timewindow, startdate or enddate.

    Both say which records to read; which one would apply is not for the reader to guess.
    """
    if since is None and not between:
        return
    given = f"--since {since}" if since is not None else "--between"
    for condition in where:
        if _WINDOW_KEY.match(condition):
            raise UsageError(
                f"{given} and --where {condition.strip()} both give the window: give one "
                "(--since/--between, or OIC's own timewindow/startdate/enddate)"
            )


def parse_window(
    since: str | None, between: Sequence[str] | None, *, now: datetime | None = None
) -> Window | None:
    """The (start, end) of ``--since``/``--between`` as aware datetimes, or None for neither."""
    if since is None and not between:
        return None
    if since is not None and between:
        raise UsageError(f"--since and --between both give the window: give one. {_FORMATS}")
    now = datetime.now(UTC) if now is None else now
    if since is not None:
        span = _SPAN.match(since)
        if span:
            seconds = float(span.group(1)) * _UNITS[span.group(2).lower()]
            if seconds <= 0:
                raise UsageError(f"--since {since}: give a span longer than nothing")
            try:
                return now - timedelta(seconds=seconds), None
            except OverflowError:  # before the year 1
                raise UsageError(
                    f"--since {since}: that reaches back past any date; give a shorter span"
                ) from None
        start = moment(since, option="--since")
        if start > now:
            raise UsageError(f"--since {since}: that moment is in the future")
        return start, None
    assert between is not None
    start, end = (moment(text, option="--between") for text in between)
    if end < start:
        raise UsageError(
            f"--between {between[0]} {between[1]}: the window ends before it starts "
            "(give the earlier moment first)"
        )
    return start, end


def moment(text: str, *, option: str) -> datetime:
    """*text* as an aware datetime: pandas reads it, this machine's zone unless it names one."""
    import pandas as pd

    try:
        stamp = pd.Timestamp(text.strip())
    except (ValueError, TypeError, OverflowError):
        raise UsageError(f"{option} {text!r}: not a date or time. {_FORMATS}") from None
    if pd.isna(stamp):
        raise UsageError(f"{option} {text!r}: not a date or time. {_FORMATS}")
    value: datetime = stamp.to_pydatetime()
    if value.tzinfo is None:
        value = value.astimezone()  # this machine's time zone, as the user reads a clock
    return value


def window_facts(listing: Any) -> dict[str, Any]:
    """The window facts of a monitoring read, for ``df.attrs``."""
    facts: dict[str, Any] = {}
    for name in ("window_start", "window_end", "windows", "requests"):
        value = getattr(listing, name, None)
        if value is not None:
            facts[name] = value
    return facts


def limit_note(listing: Any, limit: int | None) -> str | None:
    """One line when ``--limit`` cut a list shorter than it is, else None."""
    if limit is None or getattr(listing, "status", None) != "limited":
        return None
    total = getattr(listing, "total", None)
    of = f" of {total}" if isinstance(total, int) and total > len(listing) else ""
    return f"--limit {limit}: {len(listing)}{of} rows shown; drop --limit to read them all."


_FRAME_NOTE = (
    "The rows that did arrive are a DataFrame on this error: import sys; sys.last_value.frame"
)


def attach_frame(error: Any, frame: Any) -> None:
    """Put the partial rows of an incomplete list on *error* (``.frame``) and say so."""
    error.frame = frame
    error.hint = f"{error.hint} {_FRAME_NOTE}" if error.hint else _FRAME_NOTE
    error.args = (f"{error.message} {error.hint}",)
