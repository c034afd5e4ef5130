"""JSON answers -> DataFrames: rows, dotted columns, timestamps, facts."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from oic_magic.notebook._frames import list_columns, to_frame

CONNECTION: dict[str, Any] = {
    "name": "Orders REST",
    "id": "ORDERS_REST",
    "adapterType": {"name": "rest", "displayName": "REST", "type": "PREBUILT"},
    "status": "CONFIGURED",
    "lastUpdated": "2025-02-24T07:34:37.620+0000",
    "connectionProperties": [{"propertyName": "url", "propertyValue": "https://x"}],
    "links": [{"rel": "self", "href": "https://x/connections/ORDERS_REST"}],
}


def test_items_become_rows() -> None:
    """Each entry of ``items`` is one row."""
    frame = to_frame({"items": [CONNECTION, {**CONNECTION, "id": "B"}], "hasMore": False})
    assert list(frame["id"]) == ["ORDERS_REST", "B"]


def test_nested_objects_become_dotted_columns() -> None:
    """``adapterType.name`` and friends replace the nested object."""
    frame = to_frame([CONNECTION])
    assert frame.loc[0, "adapterType.displayName"] == "REST"
    assert "adapterType" not in frame.columns


def test_nested_objects_several_levels_deep() -> None:
    """Objects inside objects flatten all the way down."""
    frame = to_frame([{"id": 1, "a": {"b": {"c": 3}}}, {"id": 2, "a": None}])
    assert frame.loc[0, "a.b.c"] == 3
    assert pd.isna(frame.loc[1, "a.b.c"])


def test_links_are_dropped_at_every_level() -> None:
    """Hypermedia ``links`` never reach the frame."""
    frame = to_frame([{**CONNECTION, "adapterType": {"name": "x", "links": []}}])
    assert not [c for c in frame.columns if c.split(".")[-1] == "links"]


def test_lists_stay_in_their_cell() -> None:
    """A list of objects (connection properties) stays one cell."""
    frame = to_frame([CONNECTION])
    assert frame.loc[0, "connectionProperties"][0]["propertyName"] == "url"


def test_oic_timestamps_become_aware_datetimes() -> None:
    """``2025-02-24T07:34:37.620+0000`` becomes a UTC datetime."""
    stamp = to_frame([CONNECTION]).loc[0, "lastUpdated"]
    assert stamp == pd.Timestamp("2025-02-24T07:34:37.620Z")
    assert stamp.tzinfo is not None


def test_text_that_is_not_all_timestamps_stays_text() -> None:
    """One odd value keeps the column as text rather than guessing."""
    frame = to_frame([{"when": "2025-02-24T07:34:37.620+0000"}, {"when": "soon"}])
    assert list(frame["when"]) == ["2025-02-24T07:34:37.620+0000", "soon"]


def test_id_column_comes_first() -> None:
    """The id is the first column whatever order the server used."""
    assert to_frame([CONNECTION]).columns[0] == "id"


def test_one_object_is_one_row() -> None:
    """A single resource gives a one-row frame."""
    frame = to_frame({"activationStatus": "ACTIVATED"})
    assert frame.to_dict("records") == [{"activationStatus": "ACTIVATED"}]


def test_empty_list_gives_an_empty_frame() -> None:
    """No items, no rows, and the facts still attached."""
    frame = to_frame({"items": [], "totalResults": 0}, facts={"total": 0, "pages": 1})
    assert frame.empty
    assert frame.attrs == {"total": 0, "pages": 1}


def test_empty_list_keeps_the_columns_it_is_given() -> None:
    """An empty list with known columns: no rows, those columns, timestamps as datetimes."""
    frame = to_frame({"items": []}, columns=("id", "status", "created"), facts={"total": 0})
    assert frame.empty and list(frame.columns) == ["id", "status", "created"]
    assert isinstance(frame["created"].dtype, pd.DatetimeTZDtype)
    assert frame.groupby("status").size().empty
    assert frame[frame["created"] > pd.Timestamp("2025-01-01", tz="UTC")].empty
    assert frame.attrs["total"] == 0


def test_named_columns_missing_from_a_list_are_there_empty() -> None:
    """Items with fewer fields than the docs name still give the named columns, empty."""
    frame = to_frame(
        [{"id": "a", "x": 1}, {"id": "b", "x": 2}], columns=("id", "status", "lastUpdated")
    )
    assert list(frame.columns) == ["id", "x", "status", "lastUpdated"]
    assert frame["status"].isna().all() and "UTC" in str(frame["lastUpdated"].dtype)
    assert frame.attrs["missing"] == ["status", "lastUpdated"]
    # Nothing missing is an empty list, not an absent key (ints.attrs["missing"] works).
    assert to_frame([{"id": "a", "status": "X"}], columns=("id", "status")).attrs["missing"] == []
    assert to_frame([], columns=("id", "status")).attrs["missing"] == []
    assert "missing" not in to_frame({"id": "a"}).attrs  # one object: no list columns


@pytest.mark.parametrize(("path", "kind"), [
    ("connections", "connections"),
    ("/ic/api/integration/v1/integrations?q={status:'CONFIGURED'}", "integrations"),
    ("projects/P1/integrations/", "integrations"),
    ("monitoring/integrations", "monitoring/integrations"),
    ("monitoring/instances?q={timewindow:'1h'}", "monitoring/instances"),
    ("lookups", "lookups"),
])  # fmt: skip
def test_list_columns_by_path(path: str, kind: str) -> None:
    from oic_magic.notebook._frames import LIST_COLUMNS

    assert list_columns(path) == LIST_COLUMNS[kind]


def test_an_unknown_list_has_no_columns() -> None:
    assert list_columns("adapters") == () and list_columns("integrations/X%7C01/archive") == ()


def test_request_facts_go_to_attrs() -> None:
    """URL, status, pages, total and elapsed are kept in ``df.attrs``."""
    facts = {
        "url": "https://h/ic/api/integration/v1/connections",
        "status": 200,
        "pages": 3,
        "total": 250,
        "elapsed": 0.5,
        "secret": "never",
    }
    frame = to_frame([CONNECTION], facts=facts)
    assert frame.attrs == {k: v for k, v in facts.items() if k != "secret"}


def test_same_rows_and_values_as_json_normalize() -> None:
    """The fast path agrees with pandas.json_normalize on every shared column."""
    items = [{**CONNECTION, "id": f"C{i}", "usage": i} for i in range(500)]
    ours = to_frame(items)
    theirs = pd.json_normalize(items).drop(columns=["links"])
    assert sorted(ours.columns) == sorted(theirs.columns)
    for column in ("id", "usage", "adapterType.name", "status"):
        assert list(ours[column]) == list(theirs[column])


ITEM = {
    **CONNECTION,
    "created": "2024-11-02T18:05:01+0000",
    "usage": 3,
    "lockedFlag": False,
    "lockedBy": None,
    "percent": 85.5,
    "securityProperties": [],
    "adapterType": {**CONNECTION["adapterType"], "links": [{"rel": "self"}]},
}


def test_one_object_has_the_columns_and_dtypes_of_a_list_of_it() -> None:
    """A GET of one item gives the frame a list of such items would: order, dtypes, values."""
    one, many = to_frame(ITEM), to_frame([ITEM, ITEM])
    assert list(one.columns) == list(many.columns) and one.columns[0] == "id"
    assert one.dtypes.equals(many.dtypes)
    assert one.iloc[0].to_dict() == many.iloc[0].to_dict()
    assert str(one["created"].dtype) == "datetime64[us, UTC]"


def test_one_object_timestamps_with_an_offset_become_utc() -> None:
    """``+05:30`` and ``Z`` stamps of one object are read as the same UTC instants pandas gives."""
    row = {"id": "X", "a": "2025-02-24T07:34:37.5+05:30", "b": "2025-02-24T07:34:37Z"}
    one = to_frame(row)
    assert one.loc[0, "a"] == pd.Timestamp("2025-02-24T02:04:37.5Z")
    assert one.dtypes.equals(to_frame([row, row]).dtypes)


def test_one_object_with_nanoseconds_keeps_them() -> None:
    """A stamp finer than microseconds is left to pandas, as in a list (nanosecond dtype)."""
    row = {"id": "X", "at": "2025-02-24T07:34:37.123456789+0000"}
    one = to_frame(row)
    assert one.loc[0, "at"] == pd.Timestamp("2025-02-24T07:34:37.123456789Z")
    assert one.dtypes.equals(to_frame([row, row]).dtypes)


def test_one_object_with_an_impossible_date_keeps_the_text() -> None:
    """A stamp-shaped string that is no date stays text, as it would in a list."""
    frame = to_frame({"id": "X", "when": "2025-02-30T00:00:00Z"})
    assert frame.loc[0, "when"] == "2025-02-30T00:00:00Z"


def test_one_object_keeps_its_facts() -> None:
    """The request facts reach ``df.attrs`` on the one-object path too."""
    frame = to_frame(ITEM, facts={"status": 200, "pages": 1, "total": None})
    assert frame.attrs == {"status": 200, "pages": 1}


def test_plain_values_beside_objects_are_kept() -> None:
    """A key holding an object in one item and a plain value in another loses neither."""
    frame = to_frame(
        {"items": [{"id": "A", "owner": {"name": "ada"}}, {"id": "B", "owner": "system"}]}
    )
    assert list(frame.columns) == ["id", "owner", "owner.name"]
    assert frame.loc[1, "owner"] == "system" and frame.loc[0, "owner.name"] == "ada"
