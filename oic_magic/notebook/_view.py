"""Tables people read: a list's answer shown compactly, its frame keeping every value.

``%oic GET connections`` returns a :class:`ListFrame`: a ``pandas.DataFrame`` in every
way (all columns, lists left in their cells, timestamps as UTC datetimes), which only
*shows* itself differently:

- the list's default columns (``DEFAULT_COLUMNS`` of the catalogue), then one line
  saying how many columns there are and how to see them (``df.columns``, or
  ``--columns all`` on the call);
- lists and objects in a cell summarised (``3 items``), never spilling lines;
- times in the user's time zone (``%config OICMagics.timezone``), to the second;
- a missing value blank, whether pandas holds it as ``None``, ``NaN`` or ``NaT``.

A frame derived from it (``df[df.status == "ACTIVATED"]``, ``df.head()``) is a plain
DataFrame and shows itself as pandas does. ``--columns id,name,status`` is the one
option that changes the returned data: the frame holds those columns only.
"""

from __future__ import annotations

import datetime as dt
import difflib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from IPython.core.error import UsageError

from ..core._catalogue import DEFAULT_COLUMNS, LIST_COLUMNS, list_name

__all__ = ["ListFrame", "View", "check_timezone", "choose_columns", "list_frame", "local_zone"]


@dataclass(frozen=True)
class View:
    """How a list's frame shows itself: which columns (None: all), and in which time zone."""

    columns: tuple[str, ...] | None
    timezone: str


class ListFrame(pd.DataFrame):  # type: ignore[misc]
    """A list's answer: a DataFrame with every value, shown compactly (see the module)."""

    _metadata = ["oic_view"]
    oic_view: View | None = None

    @property
    def _constructor(self) -> Any:
        return pd.DataFrame  # what is derived from the answer is a plain frame

    def shown(self) -> pd.DataFrame:
        """The frame as it is displayed: chosen columns, summaries, local times, blanks."""
        view = self.oic_view or View(None, "UTC")
        frame = pd.DataFrame(self, copy=False)
        if view.columns is not None:
            frame = frame[[name for name in view.columns if name in frame.columns]]
        zone = zoneinfo.ZoneInfo(view.timezone)
        return pd.DataFrame(
            {name: _readable(frame[name], zone) for name in frame.columns}, index=frame.index
        )

    def _footer(self) -> str:
        view = self.oic_view or View(None, "UTC")
        rows, columns = self.shape
        size = f"{rows:,} {'row' if rows == 1 else 'rows'} × {columns} columns"
        hidden = columns - len(self.shown().columns)
        more = (
            f", {columns - hidden} shown (all of them: df.columns, or --columns all)"
            if hidden
            else ""
        )
        times = any(isinstance(self[name].dtype, pd.DatetimeTZDtype) for name in self.columns)
        zone = f"; times in {view.timezone}" if times else ""
        return f"{size}{more}{zone}"

    def __repr__(self) -> str:
        with pd.option_context("display.show_dimensions", False):
            return f"{self.shown()!r}\n\n[{self._footer()}]"

    def _repr_html_(self) -> str | None:
        with pd.option_context("display.show_dimensions", False):
            html = self.shown()._repr_html_()
        return f"{html}<p>{self._footer()}</p>" if html is not None else None


def list_frame(
    frame: pd.DataFrame, *, path: str, columns: Sequence[str] | None, timezone: str
) -> ListFrame:
    """*frame* (a list's answer) as a :class:`ListFrame`.

    *columns*: None for the list's default view, ``("all",)`` for every column, or the
    names to keep (the frame holds only those; a name no item has raises UsageError).
    """
    name = list_name(path)
    if columns is not None and tuple(columns) != ("all",):
        frame = choose_columns(frame, columns, name)
        shown: tuple[str, ...] | None = None
    elif columns is not None:
        shown = None
    else:
        default = DEFAULT_COLUMNS.get(name)
        present = [c for c in default or () if c in frame.columns]
        shown = tuple(present) if present else None
    result = ListFrame(frame)
    result.attrs = dict(frame.attrs)
    result.oic_view = View(shown, timezone)
    return result


def choose_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> pd.DataFrame:
    """The frame with the named columns only, in that order; a UsageError names a wrong one."""
    missing = [c for c in columns if c not in frame.columns]
    if missing and not (frame.empty and all(c in LIST_COLUMNS.get(name, ()) for c in missing)):
        known = list(frame.columns) or list(LIST_COLUMNS.get(name, ()))
        close = difflib.get_close_matches(missing[0], known, n=1, cutoff=0.6)
        guess = f" Did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"--columns: no column {missing[0]!r} in this answer.{guess} "
            f"Its columns: {', '.join(known)}"
        )
    chosen = frame.reindex(columns=list(columns))
    chosen.attrs = dict(frame.attrs)
    return chosen


def check_timezone(name: str | None) -> str | None:
    """*name* if it is a time zone this machine knows (``Europe/Paris``, ``UTC``)."""
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"{name!r} is no time zone: give an IANA name such as 'Europe/Paris' or 'UTC'.{guess}"
        ) from None
    return name


def local_zone() -> str:
    """The IANA name of the kernel machine's zone (``TZ``, ``/etc/localtime``), else UTC."""
    import os
    from pathlib import Path

    named = os.environ.get("TZ", "").lstrip(":")
    if named and check_zone_quietly(named):
        return _plain(named)
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        candidate = target.split("zoneinfo/", 1)[1]
        if check_zone_quietly(candidate):
            return _plain(candidate)
    offset = dt.datetime.now().astimezone().utcoffset()
    return "UTC" if not offset else f"Etc/GMT{-int(offset.total_seconds() // 3600):+d}"


def _plain(name: str) -> str:
    return "UTC" if name in {"Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Zulu"} else name


def check_zone_quietly(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _readable(column: pd.Series, zone: dt.tzinfo) -> pd.Series:
    """One column as shown: local times to the second, summaries, blanks for missing."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        text = column.dt.tz_convert(zone).dt.strftime("%Y-%m-%d %H:%M:%S")
        return text.astype(object).where(column.notna(), "")
    if column.dtype == object or str(column.dtype) in {"str", "string"}:
        return column.map(_cell)
    if column.isna().any():
        return column.astype(object).where(column.notna(), "")
    return column


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        if not value:
            return ""
        if all(isinstance(each, str | int | float | bool) for each in value) and len(value) <= 3:
            return ", ".join(str(each) for each in value)
        return f"{len(value)} {'item' if len(value) == 1 else 'items'}"
    if isinstance(value, dict):
        return f"{len(value)} {'field' if len(value) == 1 else 'fields'}"
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if value is pd.NaT or value is pd.NA:
        return ""
    return value
