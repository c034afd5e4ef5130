"""notebooks/04-error-triage: its numbers against the emulator's own data set.

The kernel's emulator was built a little later than ``truth`` (the same seed): its
records are the same, each created later by the same shift. The shift is read from one
error the notebook names (its id and creationDate), so each window of the notebook maps
onto ``truth`` exactly.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from oic_magic.emulator._recovery import fails_again

TRIAGE = "04-error-triage.ipynb"


def _in(truth: Any, summary: dict[str, Any], prefix: str, shift: float) -> list[dict[str, Any]]:
    low = datetime.fromisoformat(summary[f"{prefix}window_start"]).timestamp() - shift
    high = datetime.fromisoformat(summary[f"{prefix}window_end"]).timestamp() - shift
    return [r for r in truth.instances if low <= r["_created"] <= high]


def _shift(truth: Any, summary: dict[str, Any]) -> float:
    named = summary["an_error"]
    record = next(r for r in truth.instances if r["id"] == named["id"])
    return datetime.fromisoformat(named["creationDate"]).timestamp() - float(record["_created"])


def test_the_day_is_every_instance(report: Any, truth: Any) -> None:
    """Past the cap (more than 550 in the day): the count is the emulator's, ids unique."""
    summary = report.summary(TRIAGE)
    own = _in(truth, summary, "", _shift(truth, summary))
    assert summary["instances"] == len(own) > 550
    assert summary["instance_ids_unique"] and summary["windows"] >= 2


def test_triage_counts_are_the_emulators(report: Any, truth: Any) -> None:
    summary = report.summary(TRIAGE)
    failed = [
        r for r in _in(truth, summary, "error_", _shift(truth, summary)) if r["status"] == "FAILED"
    ]
    assert summary["errors"] == len(failed) > 0
    assert summary["error_ids"] == sorted(r["id"] for r in failed)
    assert summary["by_cause"] == dict(Counter(r["errorCode"] for r in failed))


def test_the_resubmit_touched_what_was_previewed(report: Any, truth: Any) -> None:
    summary = report.summary(TRIAGE)
    failed = [
        r for r in _in(truth, summary, "error_", _shift(truth, summary)) if r["status"] == "FAILED"
    ]
    by_version = Counter(f"{r['code']}|{r['version']}" for r in failed)
    target = summary["target"]
    assert by_version[target] == max(by_version.values())
    recoverable = sorted(
        r["id"]
        for r in failed
        if f"{r['code']}|{r['version']}" == target and not r["nonRecoverable"]
    )
    assert summary["previewed"] == summary["accepted"] == recoverable
    (job,) = summary["jobs"]
    again = sum(fails_again(ident) for ident in recoverable)
    assert job["status"] == "COMPLETED" and job["totalCount"] == len(recoverable)
    assert (job["succeededCount"], job["failedCount"]) == (len(recoverable) - again, again)


def test_the_activity_stream_of_a_failure(report: Any, truth: Any) -> None:
    activity = report.summary(TRIAGE)["activity"]
    record = next(r for r in truth.instances if r["id"] == activity["instance"])
    assert record["status"] == "FAILED"
    assert activity["last_type"] == "FAULT" and activity["milestones"] >= 5
