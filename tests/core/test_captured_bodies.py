"""Bodies real OIC instances sent, as published, through the client and into frames.

``tests/fixtures/captured/`` holds each body byte for byte as its author printed it;
``sources.json`` names where. Nothing there is made up: the synthetic items at the end
of this file (timestamp formats, numeric-looking strings) are labelled as such.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from oic_magic import OICClient
from oic_magic.notebook._frames import list_columns, to_frame

from ._core_fake import Clock, FakeOIC, settings

CAPTURED = Path(__file__).resolve().parents[1] / "fixtures" / "captured"
SOURCES: dict[str, Any] = json.loads((CAPTURED / "sources.json").read_text())


def _body(name: str) -> Any:
    return json.loads((CAPTURED / name).read_text())


def _client(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> OICClient:
    return OICClient.sign_in(
        settings(),
        transport=fake.transport(),
        clock=clock,
        sleep=sleeps.append,
        rng=random.Random(1),
    )


def _serve(fake: FakeOIC, body: Any, *, method: str, path: str) -> None:
    fake.inject(
        httpx.Response(200, json=body),
        when=lambda r: r.method == method and r.url.path.endswith(path),
    )


def test_every_capture_names_its_source() -> None:
    """Each fixture has a published https source and the request that produced it."""
    files = {p.name for p in CAPTURED.glob("*.json")} - {"sources.json"}
    assert files == set(SOURCES) - {"_about"} and len(files) == 5
    for name in files:
        assert SOURCES[name]["source"].startswith("https://") and SOURCES[name]["request"]


@pytest.mark.parametrize("name", ["rchafik-project-import.json", "niallc-project-create.json"])
def test_a_captured_project_becomes_one_row(
    fake: FakeOIC, clock: Clock, sleeps: list[float], name: str
) -> None:
    """Nested state spreads into dotted columns, its dates as UTC datetimes; lists stay lists."""
    body = _body(name)
    _serve(fake, body, method="GET", path=f"/projects/{body['id']}")
    with _client(fake, clock, sleeps) as client:
        answer = client.get(f"projects/{body['id']}")
    assert answer == body
    frame = to_frame(answer)
    assert len(frame) == 1 and frame.columns[0] == "id" and "links" not in frame
    created = frame.loc[0, "state.created.date"]
    assert created == dt.datetime(*_ymd(body["state"]["created"]["date"]), tzinfo=dt.UTC)
    assert "UTC" in str(frame["state.updated.date"].dtype)
    assert frame.loc[0, "state.status"] == "DRAFT" and frame.loc[0, "state.projectRevisionId"] == 0
    assert frame.loc[0, "state.created.by"] == body["state"]["created"]["by"]  # "4b60..." kept
    if "smartTags" in body:
        assert frame.loc[0, "smartTags"] == ["app:rest", "style:app driven orchestration"]
        labels = frame.loc[0, "state.assets.labelsRs.items"]
        assert labels[0]["integrations"] == [{"code": "INT001", "version": "01.00.0000"}]


def _ymd(stamp: str) -> tuple[int, int, int, int, int, int, int]:
    """2026-09-17T19:23:49.872+0000 -> (2026, 9, 17, 19, 23, 49, 872000)."""
    day, time = stamp[:10], stamp[11:23]
    year, month, date = map(int, day.split("-"))
    hour, minute, second = map(int, time[:8].split(":"))
    return year, month, date, hour, minute, second, int(time[9:]) * 1000


def test_the_captured_projects_as_a_list(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """Both captured projects in the captured envelope: a whole listing, one frame."""
    items = [_body("rchafik-project-import.json"), _body("niallc-project-create.json")]
    _serve(
        fake, {"hasMore": False, "items": items, "totalResults": 2}, method="GET", path="/projects"
    )
    with _client(fake, clock, sleeps) as client:
        listing = client.paginate("projects")
    assert list(listing) == items and listing.status == "complete" and listing.warnings == ()
    frame = to_frame(listing.items, columns=list_columns("projects"))
    assert list(frame["id"]) == ["LAB-DEVOPS", "MYPROJECT"]
    assert (
        "UTC" in str(frame["state.created.date"].dtype)
        and frame["keyword"].iloc[1] == "createdviaapi"
    )
    assert frame["smartTags"].iloc[1] != frame["smartTags"].iloc[1]  # absent on one: NaN


def test_the_captured_activation_answers(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """The ten-key answer (no id) and the captured activationStatus end in ACTIVATED."""
    _serve(
        fake,
        _body("rchafik-activation.json"),
        method="POST",
        path="/integrations/INT001%7C01.00.0000",
    )
    _serve(fake, _body("rchafik-activation-status.json"), method="GET", path="/activationStatus")
    with _client(fake, clock, sleeps) as client:
        done = client.activate("INT001|01.00.0000", interval=0.1)
    assert done.status == "ACTIVATED" and done.done
    assert done.observed[-1][1] == "ACTIVATED" and done.polls >= 1


def test_the_captured_connection_test(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """The connection test's answer comes back as sent and makes one row."""
    body = _body("rchafik-connection-test.json")
    _serve(fake, body, method="POST", path="/connections/BUCKET/test")
    with _client(fake, clock, sleeps) as client:
        answer = client.request("POST", "connections/BUCKET/test").json()
    assert answer == body
    frame = to_frame(answer)
    assert frame.loc[0, "status"] == "SUCCESS" and frame.columns[0] == "id"


# -- synthetic items (not captured): the timestamp forms real Oracle services write -----

STAMPS = {
    "2025-02-24T07:34:37.620+0000": dt.datetime(2025, 2, 24, 7, 34, 37, 620000, tzinfo=dt.UTC),
    "2025-02-24T07:34:37Z": dt.datetime(2025, 2, 24, 7, 34, 37, tzinfo=dt.UTC),
    "2025-02-24T08:34:37.620123+01:00": dt.datetime(2025, 2, 24, 7, 34, 37, 620123, tzinfo=dt.UTC),
    "2025-02-24T07:34:37.620+00:00": dt.datetime(2025, 2, 24, 7, 34, 37, 620000, tzinfo=dt.UTC),
}


@pytest.mark.parametrize("stamp", sorted(STAMPS))
def test_every_timestamp_form_is_a_utc_datetime(stamp: str) -> None:
    """+0000, Z, +00:00 and +01:00, in seconds, milliseconds and microseconds."""
    frame = to_frame([{"id": "a", "lastUpdated": stamp}, {"id": "b", "lastUpdated": stamp}])
    assert "UTC" in str(frame["lastUpdated"].dtype)
    assert frame.loc[0, "lastUpdated"] == STAMPS[stamp]


def test_nanoseconds_are_kept() -> None:
    """A nanosecond timestamp keeps its nanoseconds."""
    frame = to_frame(
        [
            {"id": "a", "t": "2025-02-24T07:34:37.123456789Z"},
            {"id": "b", "t": "2025-02-24T07:34:37.5Z"},
        ]
    )
    assert frame.loc[0, "t"].nanosecond == 789 and "UTC" in str(frame["t"].dtype)


def test_numeric_looking_strings_and_nested_lists_stay() -> None:
    """Versions and codes that look like numbers stay strings; lists of objects stay lists."""
    items = [
        {"id": "A|01.00.0000", "version": "01.00.0000", "code": "00123", "deps": [{"id": "X"}]},
        {"id": "B|02.10.0001", "version": "02.10.0001", "code": "0042", "deps": []},
    ]
    frame = to_frame(items)
    assert (
        list(frame["version"]) == ["01.00.0000", "02.10.0001"] and frame["code"].iloc[1] == "0042"
    )
    assert frame["deps"].iloc[0] == [{"id": "X"}] and frame["deps"].iloc[1] == []
