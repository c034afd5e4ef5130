"""JSON answers of the Developer API as pandas DataFrames.

The rules, in the user's words:

- a list answer (``{"items": [...]}`` or a bare list) gives one row per item; a
  single object gives one row; an empty list gives an empty frame with the
  columns Oracle's docs name for that list's items (``list_columns``), so the
  cell after it (``df["status"]``, a ``groupby``) runs when a filter finds nothing;
- nested objects become dotted columns (``adapterType.name``); lists stay in
  their cell as they are (``connectionProperties``);
- ``links`` (hypermedia the analyst never wants) are dropped at every level;
- OIC timestamps (``2025-02-24T07:34:37.620+0000``) become timezone-aware
  datetimes in UTC;
- the ``id`` column comes first;
- ``df.attrs`` carries the request's facts (URL without secrets, status, pages,
  total, elapsed seconds).

pandas is imported on first use so that ``import oic_magic`` stays cheap.

The flattening is columnar: one pass over the records finds which keys hold
objects, pandas builds the frame from the records in C, and each nested key is
expanded as a whole column.  This is what keeps 50,000+ items fast compared with
flattening every record into a new dict first.  One object (a GET of one item) is
the opposite case: its row is flattened and its timestamps read in plain Python,
and pandas builds the frame once, with the dtypes a list of such items would get.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

from ..core._catalogue import LIST_COLUMNS, TIME_FIELDS
from ..core._query import is_monitoring, split_path

__all__ = ["FACT_KEYS", "LIST_COLUMNS", "list_columns", "to_frame"]

#: The request facts copied into ``df.attrs`` when they are known.
FACT_KEYS = ("url", "method", "status", "pages", "total", "elapsed", "warnings")

_DROPPED = "links"
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})\Z")
#: Fractions a Python datetime holds exactly; finer ones go to pandas (nanoseconds).
_MICROSECONDS = 6


def list_columns(path: str) -> tuple[str, ...]:
    """The columns of an empty answer from the list at *path*; none for an unknown list."""
    bare = split_path(path)[0].rstrip("/")
    name = bare.rsplit("/", 1)[-1]
    return LIST_COLUMNS.get(f"monitoring/{name}" if is_monitoring(bare) else name, ())


def to_frame(
    data: Any, *, facts: Mapping[str, Any] | None = None, columns: Sequence[str] = ()
) -> pd.DataFrame:
    """Turn a parsed JSON answer (or the items of a listing) into a DataFrame.

    *columns* are those an empty list's frame still has (see :func:`list_columns`); a
    list's frame has them too, empty where the items do not carry them (a real instance
    may send fewer fields than Oracle's docs name), and ``attrs["missing"]`` names those.
    """
    import pandas as pd

    records = _records(data)
    if len(records) == 1:
        frame = _one_row(records[0], pd)
    elif not records:
        frame = _empty(columns, pd)
    else:
        frame = _id_first(_parse_timestamps(_flatten(records, pd), pd))
    if records and columns:
        frame = _with_columns(frame, columns, pd)
    if columns:
        frame.attrs.setdefault("missing", [])  # a list's frame always says: none missing
    frame.attrs.update(_facts(facts))
    return frame


def _with_columns(frame: pd.DataFrame, columns: Sequence[str], pd: Any) -> pd.DataFrame:
    """*frame* with every one of *columns*, the missing ones empty and named in attrs."""
    missing = [name for name in columns if name not in frame.columns]
    if not missing:
        return frame
    empty = _empty(missing, pd)
    filler = pd.DataFrame(
        {name: pd.Series(index=frame.index, dtype=empty[name].dtype) for name in missing}
    )
    joined = pd.concat([frame, filler], axis=1)
    joined.attrs = {**frame.attrs, "missing": missing}
    return joined


def _empty(columns: Sequence[str], pd: Any) -> pd.DataFrame:
    """No rows, the named columns: timestamps as UTC datetimes, the rest as objects."""
    # The dtype a full list's timestamps get from this pandas (its unit differs by version).
    time = pd.to_datetime(
        pd.Series(["2025-02-24T07:34:37.620+0000"]), format="ISO8601", utc=True
    ).dtype
    return pd.DataFrame(
        {name: pd.Series(dtype=time if name in TIME_FIELDS else object) for name in columns}
    )


def _records(data: Any) -> list[dict[str, Any]]:
    """The rows an answer stands for: its items, its list, or itself."""
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        data = data["items"]
    if isinstance(data, Mapping):
        return [dict(data)]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        # Scalars inside a list (rare: id lists) still deserve one row each.
        return [item if isinstance(item, dict) else {"value": item} for item in data]
    return [{"value": data}]


def _one_row(record: dict[str, Any], pd: Any) -> pd.DataFrame:
    """One object as a frame, built once: per-column pandas work costs more than the call."""
    row = _flat_row(record)
    if "id" in row:
        row = {"id": row.pop("id"), **row}
    undecided = [key for key, value in row.items() if not _read_timestamp(row, key, value)]
    frame = pd.DataFrame({key: [value] for key, value in row.items()})
    return _parse_timestamps(frame, pd, only=undecided) if undecided else frame


def _read_timestamp(row: dict[str, Any], key: str, value: Any) -> bool:
    """Turn an OIC timestamp into a UTC datetime in place; False if pandas must decide."""
    if type(value) is not str:
        return True
    match = _TIMESTAMP.match(value)
    if match is None:
        return True
    fraction = match.group(1)
    if fraction is not None and len(fraction) > 1 + _MICROSECONDS:
        return False
    try:
        row[key] = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    except ValueError:
        return False  # pandas gives the verdict a list of these would get
    return True


def _flatten(records: list[dict[str, Any]], pd: Any) -> pd.DataFrame:
    """Records -> frame with nested objects spread into dotted columns."""
    nested = _nested_keys(records)
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame()
    frame = frame.drop(columns=[_DROPPED], errors="ignore")
    if not nested:
        return frame
    columns: dict[str, Any] = {}
    for name in frame.columns:
        if name in nested:
            values = frame[name]
            plain = [None if type(v) is dict else v for v in values]
            if any(v is not None and v == v for v in plain):  # v == v: not NaN
                # Objects in some items, plain values in others: keep both, lose nothing.
                columns[name] = pd.Series(plain, index=frame.index, dtype=object).to_numpy()
            sub = _flatten([v if type(v) is dict else {} for v in values], pd)
            for sub_name in sub.columns:
                columns[f"{name}.{sub_name}"] = sub[sub_name].to_numpy()
        else:
            columns[name] = frame[name].to_numpy()
    return pd.DataFrame(columns, index=frame.index)


def _flat_row(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One record with nested objects spread into dotted keys and ``links`` dropped."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        if key == _DROPPED:
            continue
        if type(value) is dict:
            row.update(_flat_row(value, f"{prefix}{key}."))
        else:
            row[f"{prefix}{key}"] = value
    return row


def _nested_keys(records: Iterable[dict[str, Any]]) -> set[str]:
    """Keys that hold an object in at least one record (``type`` is faster than isinstance)."""
    return {key for record in records for key, value in record.items() if type(value) is dict}


def _parse_timestamps(
    frame: pd.DataFrame, pd: Any, only: Iterable[str] | None = None
) -> pd.DataFrame:
    """Convert every column (or those named) whose strings all look like OIC timestamps."""
    for name in frame.columns if only is None else only:
        column = frame[name]
        if not _looks_like_timestamps(column):
            continue
        try:
            frame[name] = pd.to_datetime(column, format="ISO8601", utc=True)
        except (ValueError, TypeError):
            # One odd value means the column is not what it looks like: keep the text.
            continue
    return frame


def _looks_like_timestamps(column: pd.Series) -> bool:
    """A cheap test on the first non-empty value; the conversion itself checks the rest."""
    if column.dtype != object and str(column.dtype) not in {"str", "string"}:
        return False
    first = column.iloc[0] if len(column) else None
    if not isinstance(first, str):
        # Only a leading gap needs the (slower) search for the first value.
        index = column.first_valid_index()
        if index is None:
            return False
        first = column.loc[index]
    return isinstance(first, str) and _TIMESTAMP.match(first) is not None


def _id_first(frame: pd.DataFrame) -> pd.DataFrame:
    if "id" not in frame.columns or frame.columns[0] == "id":
        return frame
    return frame[["id", *(c for c in frame.columns if c != "id")]]


def _facts(facts: Mapping[str, Any] | None) -> dict[str, Any]:
    if not facts:
        return {}
    return {key: facts[key] for key in FACT_KEYS if facts.get(key) is not None}
