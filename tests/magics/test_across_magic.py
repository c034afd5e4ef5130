"""``%oic GET ... --session dev,test,prod``: one frame with a session column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _instances import sign_in_all
from IPython.core.error import UsageError

from oic_magic import SessionsFailedError, default_store
from oic_magic.emulator import Emulator

from .conftest import TestingShell as Shell


@pytest.fixture
def three(ext: Shell, instances: dict[str, Emulator]) -> Shell:
    sign_in_all(instances, default_store())
    return ext


def _frame(error: SessionsFailedError) -> pd.DataFrame:
    """The merged frame of the sessions that answered, attached by the magic (``error.frame``)."""
    frame = vars(error)["frame"]
    assert isinstance(frame, pd.DataFrame), type(frame).__name__
    return frame


def test_merged_frame_is_the_union_of_the_single_session_frames(
    three: Shell, instances: dict[str, Emulator]
) -> None:
    merged = three.run_cell("%oic GET connections --session dev,test,prod").result
    assert list(merged.columns)[0] == "session"
    assert merged["session"].drop_duplicates().tolist() == ["dev", "test", "prod"]
    for name in instances:
        alone = three.run_cell(f"%oic GET connections --session {name}").result
        mine = merged[merged["session"] == name].drop(columns="session").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            mine[alone.columns], alone, check_like=False, check_frame_type=False
        )
    assert set(merged.attrs["sessions"]) == {"dev", "test", "prod"}
    assert merged.attrs["sessions"]["prod"]["total"] == len(
        instances["prod"].backend.resources.data.connections
    )


def test_filters_and_single_items_work_across_sessions(
    three: Shell, instances: dict[str, Emulator]
) -> None:
    merged = three.run_cell(
        "%oic GET integrations --session dev,prod --where status=ACTIVATED"
    ).result
    for name in ("dev", "prod"):
        data = instances[name].backend.resources.data.integrations.values()
        wanted = sorted(r["id"] for r in data if r["status"] == "ACTIVATED")
        assert sorted(merged[merged["session"] == name]["id"]) == wanted
    one = three.run_cell("%oic GET integrations/HELLO|01.00.0000 --session dev,prod").result
    assert one["session"].tolist() == ["dev", "prod"]
    assert one["id"].tolist() == ["HELLO|01.00.0000"] * 2


def test_output_save_and_raw(three: Shell, tmp_path: Path) -> None:
    three.run_cell(f"%oic GET lookups --session dev,test -o looks --save {tmp_path}/l.csv")
    looks = three.user_ns["looks"]
    saved = pd.read_csv(tmp_path / "l.csv")
    assert saved["session"].tolist() == looks["session"].tolist()
    raw = three.run_cell("%oic GET lookups --session dev,test --raw").result
    assert list(raw) == ["dev", "test"] and isinstance(raw["dev"], list)


def test_a_failing_session_is_named_and_the_others_frames_are_kept(
    three: Shell, instances: dict[str, Emulator]
) -> None:
    instances["prod"].control.inject_fault("malformed", pattern="connections")
    with pytest.raises(SessionsFailedError, match="in session 'prod'") as caught:
        three.run_cell("%oic GET connections --session dev,test,prod")
    error = caught.value
    assert list(error.results) == ["dev", "test"]
    frame = _frame(error)
    assert frame["session"].drop_duplicates().tolist() == ["dev", "test"]
    assert len(frame) == sum(
        len(instances[n].backend.resources.data.connections) for n in ("dev", "test")
    )


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("%oic DELETE connections/X --session dev,prod", "only GET runs across sessions"),
        ("%oic PATCH integrations/HELLO|01.00.0000 --session dev,prod", "only GET"),
        ("%oic GET connections --curl --session dev,prod", "--curl"),
        ("%oic GET connections --session dev,dev", "more than once"),
        ("%oic GET connections --session dev,,prod", "names separated by commas"),
    ],
)
def test_changes_and_bad_lists_are_refused_before_anything_is_sent(
    three: Shell, instances: dict[str, Emulator], line: str, says: str
) -> None:
    for emu in instances.values():
        emu.control.clear_requests()
    with pytest.raises(UsageError, match=says):
        three.run_cell(line)
    assert all(emu.control.requests() == [] for emu in instances.values())


def test_an_archive_is_read_from_one_session_at_a_time(three: Shell) -> None:
    with pytest.raises(Exception, match="one session at a time"):
        three.run_cell("%oic GET integrations/HELLO|01.00.0000/archive --session dev,prod")


def test_demo_sessions_are_instances_of_their_own(
    ext: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """--demo --session dev and --session prod: two emulated instances of one estate."""
    from oic_magic.notebook._login import demo_emulator, stop_demo

    try:
        ext.run_cell("%oic_login --demo --session dev")
        ext.run_cell("%oic_login --demo --session prod")
        said = capsys.readouterr().out
        assert "instance oic-dev" in said and "instance oic-prod" in said
        assert demo_emulator("dev").design_url != demo_emulator("prod").design_url
        frame = ext.run_cell("%oic_drift dev prod").result
        planted = demo_emulator("prod").control.planted()
        assert sorted(frame["key"]) == sorted(r["key"] for r in planted)
        assert demo_emulator("dev").control.planted() == []
    finally:
        default_store().clear()
        stop_demo()
