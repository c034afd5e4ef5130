"""Error triage: the errors of a window grouped the ways an operator asks, in one object.

:class:`Triage` holds the errors (one row each) and four groupings, most errors first:
``by_integration`` (code and version), ``by_error`` (error code and message),
``by_connection`` and ``by_hour`` (UTC). Each grouping counts errors and how many of
them OIC can resubmit. In a notebook it shows as four short tables.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["GROUPINGS", "Triage", "triage"]

#: ``--by`` names and the columns each grouping is made of.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "integration": ("code", "version"),
    "error": ("errorCode", "errorMessage"),
    "connection": ("connectionCode",),
    "hour": ("hour",),
}
_SHOWN = 10


class Triage:
    """The errors of one window and their groupings (see the module docstring)."""

    def __init__(self, errors: pd.DataFrame) -> None:
        self.errors = errors
        self.by_integration = self.group("integration")
        self.by_error = self.group("error")
        self.by_connection = self.group("connection")
        self.by_hour = self.group("hour")

    @property
    def total(self) -> int:
        """How many errors the window holds."""
        return len(self.errors)

    def group(self, by: str) -> pd.DataFrame:
        """One grouping by name (``integration``, ``error``, ``connection``, ``hour``)."""
        import pandas as pd

        columns = list(GROUPINGS[by])
        frame = self.errors
        if by == "hour":
            stamps = frame["creationDate"] if "creationDate" in frame else pd.Series(dtype=object)
            frame = frame.assign(hour=pd.to_datetime(stamps, utc=True).dt.floor("h"))
        missing = [c for c in columns if c not in frame]
        if missing or frame.empty:
            return pd.DataFrame(columns=[*columns, "errors", "recoverable"])
        recoverable = (
            frame["recoverable"].fillna(False).astype(bool)
            if "recoverable" in frame
            else pd.Series(False, index=frame.index)
        )
        grouped = (
            frame.assign(_recoverable=recoverable)
            .groupby(columns, dropna=False)
            .agg(errors=("id", "size"), recoverable=("_recoverable", "sum"))
            .reset_index()
        )
        order = ["hour"] if by == "hour" else ["errors", *columns]
        ascending = [True] if by == "hour" else [False] + [True] * len(columns)
        grouped = grouped.sort_values(order, ascending=ascending, ignore_index=True)
        grouped["recoverable"] = grouped["recoverable"].astype(int)
        grouped.attrs.update(self.errors.attrs)
        return grouped

    def __repr__(self) -> str:
        top = self.by_error.head(3)
        causes = "; ".join(
            f"{row.errorCode} x{row.errors}"
            for row in top.itertuples()
            if hasattr(row, "errorCode")
        )
        return f"Triage({self.total} errors; top causes: {causes or 'none'})"

    def _repr_html_(self) -> str:
        parts = [f"<h4>{self.total} errors</h4>"]
        for title, frame in (
            ("By integration", self.by_integration),
            ("By error", self.by_error),
            ("By connection", self.by_connection),
            ("By hour (UTC)", self.by_hour),
        ):
            more = f" (top {_SHOWN} of {len(frame)})" if len(frame) > _SHOWN else ""
            shown = frame if title.startswith("By hour") else frame.head(_SHOWN)
            parts.append(f"<h5>{html.escape(title)}{more}</h5>{shown.to_html(index=False)}")
        return "".join(parts)


def triage(errors: pd.DataFrame) -> Triage:
    """Group *errors* (a frame of ``monitoring/errors``) every way at once."""
    return Triage(errors)
