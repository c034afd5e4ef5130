"""%oic_drift, %oic_export, %oic_import, %oic_sweep, %oic_deps and %oic --file in a real shell."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from _instances import sign_in_all
from IPython.core.error import UsageError

from oic_magic import StepsFailedError, default_store
from oic_magic.emulator import Emulator
from oic_magic.notebook import _login

from .conftest import TestingShell as Shell


@pytest.fixture
def both(ext: Shell, estate: dict[str, Emulator]) -> Shell:
    sign_in_all(estate, default_store())
    for emu in estate.values():
        emu.control.set_activation_delay(0)
    ext.run_cell("%config OICMagics.activation_interval = 0.05")
    return ext


def _unpromoted(estate: dict[str, Emulator]) -> list[str]:
    return [r["key"] for r in estate["prod"].control.planted() if r["change"] == "removed"]


def _frame(error: StepsFailedError) -> pd.DataFrame:
    """The steps' frame the magic attaches to the error it raises (``error.frame``)."""
    frame = vars(error)["frame"]
    assert isinstance(frame, pd.DataFrame), type(frame).__name__
    return frame


def test_drift_frame_is_the_planted_differences(both: Shell, estate: dict[str, Emulator]) -> None:
    frame = both.run_cell("%oic_drift dev prod").result
    assert list(frame.columns) == ["kind", "key", "change", "field", "dev", "prod", "detail"]
    columns = (frame["kind"], frame["key"], frame["change"], frame["field"].fillna(""))
    got = sorted(zip(*columns, strict=True))
    want = sorted(
        (r["kind"], r["key"], r["change"], r["field"] or "")
        for r in estate["prod"].control.planted()
    )
    assert got == want
    only = both.run_cell("%oic_drift dev prod --kinds connections").result
    assert set(only["kind"]) == {"connections"}
    with pytest.raises(UsageError, match="choose from"):
        both.run_cell("%oic_drift dev prod --kinds widgets")


def test_backup_promote_and_the_drift_is_gone(
    both: Shell, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    keys = _unpromoted(estate)
    ids = ",".join(keys)
    exported = both.run_cell(
        f"%oic_export dev {tmp_path}/b --integrations {ids} --no-lookups"
    ).result
    assert exported["outcome"].tolist() == ["done", "done"]
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["instance"] == "oic-dev"
    steps = both.run_cell(f"%oic_import prod {tmp_path}/b --activate --yes").result
    assert steps["outcome"].tolist() == ["done"] * 4
    drift = both.run_cell("%oic_drift dev prod --kinds integrations").result
    assert not set(drift["key"]) & set(keys)


def test_import_asks_first(
    both: Shell, estate: dict[str, Emulator], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = _unpromoted(estate)[0]
    both.run_cell(f"%oic_export dev {tmp_path}/b --integrations {key} --no-lookups")
    estate["prod"].control.clear_requests()
    with pytest.raises(UsageError, match="add --yes"):  # headless: only with --yes
        both.run_cell(f"%oic_import prod {tmp_path}/b")
    monkeypatch.setattr(_login, "is_headless", lambda shell: False)  # a person at the notebook
    box = both.run_cell(f"%oic_import prod {tmp_path}/b -o steps").result
    sent = [e for e in estate["prod"].control.requests() if "archive" in e["path"]]
    assert sent == []  # the preview sends nothing
    go = box.children[1]
    assert go.description == "Import into prod"
    go.click()
    assert both.user_ns["steps"]["outcome"].tolist() == ["done"]
    assert estate["prod"].backend.resources.data.integrations.get(key) is not None


def test_a_failed_import_names_each_step(
    both: Shell, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    key = _unpromoted(estate)[0]
    both.run_cell(f"%oic_export dev {tmp_path}/b --integrations {key} --no-lookups")
    (tmp_path / "b" / f"{key.replace('|', '_')}.iar").write_bytes(b"changed")
    with pytest.raises(StepsFailedError) as caught:
        both.run_cell(f"%oic_import prod {tmp_path}/b --yes")
    assert _frame(caught.value)["step"].tolist() == ["verify"]


def test_sweep_and_deps_frames(both: Shell, estate: dict[str, Emulator]) -> None:
    data = estate["prod"].backend.resources.data
    swept = both.run_cell("%oic_sweep prod --concurrency 3").result
    assert sorted(swept["id"]) == sorted(data.connections)
    assert set(swept["outcome"]) <= {"success", "failed", "not configured", "locked"}
    edges = both.run_cell("%oic_deps prod").result
    connection = edges[edges["kind"] == "connection"]["target"].iloc[0]
    users = both.run_cell(f"%oic_deps prod --uses {connection}").result
    want = {
        i
        for i, r in data.integrations.items()
        if {"id": connection} in r["dependencies"]["connections"]
    }
    assert set(users["integration"]) == want
    with pytest.raises(UsageError):
        both.run_cell("%oic_sweep prod --concurrency 0")


def test_oic_file_uploads_and_refuses_an_empty_file(
    both: Shell, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    key = _unpromoted(estate)[0]
    archive = both.run_cell(f"%oic GET integrations/{key}/archive --session dev").result
    (tmp_path / "a.iar").write_bytes(archive)
    both.run_cell(f"%oic POST integrations/archive --file {tmp_path}/a.iar --session prod")
    assert key in estate["prod"].backend.resources.data.integrations
    (tmp_path / "empty.iar").write_bytes(b"")
    for line, says in [
        (f"%oic POST integrations/archive --file {tmp_path}/empty.iar", "empty"),
        (f"%oic POST integrations/archive --file {tmp_path}/nothing.iar", "no such file"),
        (f"%oic GET integrations --file {tmp_path}/a.iar", "POST or PUT"),
        (f"%oic POST integrations/archive --file {tmp_path}/a.iar --curl", "--curl"),
        (f"%oic_import prod {tmp_path}/nothing.zip --yes", "no such folder"),
    ]:
        with pytest.raises(UsageError, match=says):
            both.run_cell(line)
