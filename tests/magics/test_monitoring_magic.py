"""``%oic GET monitoring/instances``: whole past the cap, --since/--between, --limit's line,
and an incomplete list's rows as a DataFrame, in a real shell against the emulator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError

from oic_magic import IncompleteResultError
from oic_magic.emulator import Emulator
from oic_magic.emulator._listing import ApiError

from .conftest import TestingShell as Shell


def _own(emu: Emulator, frame: pd.DataFrame) -> set[str]:
    low = frame.attrs["window_start"].timestamp()
    high = frame.attrs["window_end"].timestamp()
    return {r["id"] for r in emu.backend.data.instances if low <= r["_created"] <= high}


def test_a_day_is_every_instance(signed_in: Shell, emu: Emulator) -> None:
    frame = signed_in.run_cell("%oic GET monitoring/instances --where timewindow=1d").result
    assert isinstance(frame, pd.DataFrame)
    assert frame["id"].is_unique and set(frame["id"]) == _own(emu, frame)
    assert len(frame) == frame.attrs["total"] > 550
    assert frame.attrs["windows"] >= 2 and frame.attrs["requests"] >= len(frame) / 50


def test_since_a_span(signed_in: Shell, emu: Emulator) -> None:
    frame = signed_in.run_cell("%oic GET monitoring/instances --since 24h").result
    start, end = frame.attrs["window_start"], frame.attrs["window_end"]
    assert timedelta(hours=23, minutes=59) < end - start < timedelta(hours=24, minutes=1)
    assert frame["id"].is_unique and set(frame["id"]) == _own(emu, frame)


def test_between_two_moments_in_utc(signed_in: Shell, emu: Emulator) -> None:
    now = datetime.fromtimestamp(emu.backend.clock.now(), UTC).replace(microsecond=0)
    a, b = now - timedelta(hours=40), now - timedelta(hours=4)
    line = f'%oic GET monitoring/errors --between "{a:%Y-%m-%d %H:%M:%S}Z" "{b.isoformat()}"'
    frame = signed_in.run_cell(line).result
    assert frame.attrs["window_start"] == a and frame.attrs["window_end"] == b
    failed = {
        r["id"]
        for r in emu.backend.data.instances
        if a.timestamp() <= r["_created"] <= b.timestamp() and r["status"] == "FAILED"
    }
    assert set(frame["id"]) == failed


def test_a_moment_without_a_zone_is_local(signed_in: Shell) -> None:
    frame = signed_in.run_cell('%oic GET monitoring/instances --since "2026-11-30 12:00"').result
    local = datetime(2026, 11, 30, 12, 0).astimezone()
    assert frame.attrs["window_start"] == local.astimezone(UTC)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("--since soon", "not a date"),
        ("--since 0h", "longer than nothing"),
        ("--since 1h --between 2026-01-01 2026-01-02", "give one"),
        ("--between 2026-01-02 2026-01-01", "ends before it starts"),
        ("--since 2999-01-01", "future"),
    ],
)
def test_bad_windows_are_usage_errors(signed_in: Shell, line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        signed_in.run_cell(f"%oic GET monitoring/instances {line}")


def test_limit_below_the_total_says_so(
    signed_in: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = signed_in.run_cell(
        "%oic GET monitoring/instances --where timewindow=1d --limit 500"
    ).result
    lines = [line for line in capsys.readouterr().out.splitlines() if "--limit" in line]
    assert len(frame) == 500
    assert lines == [
        f"--limit 500: 500 of {frame.attrs['total']} rows shown; drop --limit to read them all."
    ]


def test_incomplete_list_rows_are_a_frame(
    signed_in: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three pages answer, then OIC fails for good: the rows that came are a DataFrame."""
    monitoring = emu.backend.monitoring
    answer = monitoring.instances
    calls = 0

    def then_fail(query: dict[str, str], **kwargs: bool) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise ApiError(500, "Internal Server Error", "down for a moment")
        return answer(query, **kwargs)

    monkeypatch.setattr(monitoring, "instances", then_fail)
    signed_in.run_cell("%config OICMagics.retries = 0")
    with pytest.raises(IncompleteResultError) as caught:
        signed_in.run_cell("%oic GET monitoring/instances --where timewindow=1d")
    error = caught.value
    assert isinstance(error.frame, pd.DataFrame) and len(error.frame) == error.received > 0
    assert error.frame["id"].is_unique
    assert "sys.last_value.frame" in str(error)


@pytest.mark.parametrize(
    "line",
    [
        "%oic GET monitoring/instances --where timewindow=1d --since 24h",
        "%oic GET monitoring/errors --between 2026-12-01 2026-12-02 --where startdate=x",
        "%oic_triage --since 6h --where timewindow=1d",
        "%oic_resubmit --since 6h --where TIMEWINDOW=1d --preview",
    ],
)
def test_two_windows_are_a_usage_error(signed_in: Shell, line: str) -> None:
    """Finding: --where timewindow=1d --since 24h was accepted (which window applies?)."""
    with pytest.raises(UsageError, match="both give the window: give one"):
        signed_in.run_cell(line)


def test_one_window_with_other_filters_is_fine(signed_in: Shell) -> None:
    frame = signed_in.run_cell("%oic GET monitoring/instances --since 24h --where status=FAILED")
    assert set(frame.result["status"]) <= {"FAILED"} and len(frame.result) > 0
    assert len(signed_in.run_cell("%oic GET monitoring/instances --where timewindow=1d").result)
