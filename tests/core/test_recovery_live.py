"""Resubmit and discard against the emulator: the plan touches nothing, the act touches
exactly the plan, in batches of at most 50, and the recovery jobs are followed to their end."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from _emulated import api_requests, demo_settings

from oic_magic import (
    OICClient,
    RecoveryTimeoutError,
    RequestError,
    plan_recovery,
    recover,
    wait_for_recovery,
)
from oic_magic.emulator import Emulator


def _client(emu: Emulator) -> OICClient:
    return OICClient.sign_in(demo_settings(emu), rng=random.Random(5), sleep=lambda _s: None)


def _posts(emu: Emulator) -> list[dict[str, Any]]:
    return [e for e in api_requests(emu) if e["method"] == "POST"]


def _touched(emu: Emulator) -> set[str]:
    return {r["id"] for r in emu.backend.data.instances if r.get("_recovery")}


def _day(emu: Emulator) -> datetime:
    return datetime.fromtimestamp(emu.backend.clock.now(), UTC) - timedelta(days=1)


def test_plan_by_ids_sorts_them_and_touches_nothing(emu: Emulator) -> None:
    failed = [r for r in emu.backend.data.instances if r["status"] == "FAILED"]
    good = [r["id"] for r in failed if not r["nonRecoverable"]][:3]
    bad = [r["id"] for r in failed if r["nonRecoverable"]][:2]
    with _client(emu) as client:
        plan = plan_recovery(client, "resubmit", ids=[*good, *bad, "no-such-id"])
    assert plan.ids == tuple(good) and plan.not_recoverable == tuple(bad)
    assert plan.invalid == ("no-such-id",) and len(plan.errors) == 5
    assert "3 error(s) would be resubmitted in 1 request(s)" in plan.describe()
    assert not _posts(emu) and not _touched(emu)


def test_preview_matches_what_is_touched_in_batches_of_fifty(emu: Emulator) -> None:
    """A busy day has hundreds of errors: every recoverable one, and only those, resubmitted."""
    emu.control.add_instances(8000, seed=3)
    with _client(emu) as client:
        plan = plan_recovery(client, "resubmit", start=_day(emu))
        assert len(plan.ids) > 100 and not _touched(emu)
        emu.control.clear_requests()
        result = recover(client, plan)
    posts = _posts(emu)
    assert len(posts) == result.requests == len(plan.batches) == -(-len(plan.ids) // 50)
    assert all(p["status"] == 202 for p in posts)  # the emulator refuses more than 50 ids
    assert all(len(batch) <= 50 for batch in plan.batches)
    assert _touched(emu) == set(plan.ids) == set(result.accepted)
    skipped = {r["id"] for r in result.rows if r["outcome"] == "skipped: not recoverable"}
    assert skipped == set(plan.not_recoverable)
    assert len(set(result.job_ids)) == len(plan.batches)


def test_recovery_jobs_followed_to_their_end(emu: Emulator) -> None:
    with _client(emu) as client:
        plan = plan_recovery(client, "resubmit", start=_day(emu))
        result = recover(client, plan)
        done = wait_for_recovery(
            client, result, interval=1.0, sleep=lambda s: emu.control.advance_clock(s)
        )
    (job,) = done.jobs.values()
    assert job["status"] == "COMPLETED" and job["totalCount"] == len(plan.ids)
    records = [emu.backend.data.instance_index[i] for i in plan.ids]
    assert job["succeededCount"] == sum(r["status"] == "COMPLETED" for r in records)
    assert job["failedCount"] == sum(r["status"] == "FAILED" for r in records)


def test_a_job_still_running_at_the_timeout(emu: Emulator) -> None:
    ticks = iter(range(100))
    with _client(emu) as client:
        result = recover(client, plan_recovery(client, "resubmit", start=_day(emu)))
        with pytest.raises(RecoveryTimeoutError, match="still running") as caught:
            wait_for_recovery(
                client, result, timeout=3, interval=1, clock=lambda: float(next(ticks)),
                sleep=lambda _s: None,
            )  # fmt: skip
    assert caught.value.jobs[result.job_ids[0]]["status"] == "IN_PROGRESS"


def test_by_integration_and_by_connection(emu: Emulator) -> None:
    failed = [r for r in emu.backend.data.instances if r["status"] == "FAILED"]
    first = failed[0]
    with _client(emu) as client:
        plan = plan_recovery(
            client, "resubmit", integration=f"{first['code']}|{first['version']}",
            start=_day(emu) - timedelta(days=2),
        )  # fmt: skip
        errors = client.paginate("monitoring/errors", where=["timewindow=1d"])
        connection = errors[0]["connectionCode"]
        by_connection = plan_recovery(client, "discard", connection=connection, start=_day(emu))
    assert plan.errors and {(e["code"], e["version"]) for e in plan.errors} == {
        (first["code"], first["version"])
    }
    assert by_connection.errors and {e["connectionCode"] for e in by_connection.errors} == {
        connection
    }
    assert set(by_connection.ids) == {e["id"] for e in by_connection.errors}


def test_discard_touches_the_plan(emu: Emulator) -> None:
    with _client(emu) as client:
        plan = plan_recovery(client, "discard", start=_day(emu))
        result = recover(client, plan)
        after = plan_recovery(client, "discard", start=_day(emu))
    assert set(result.accepted) == set(plan.ids) == _touched(emu)
    assert not result.job_ids and not after.ids


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"ids": []}, {"ids": ["a"], "connection": "X"}, {"ids": ["a/b"]}],
)
def test_unclear_choices_are_refused(emu: Emulator, kwargs: dict[str, Any]) -> None:
    with _client(emu) as client, pytest.raises(RequestError):
        plan_recovery(client, "resubmit", **kwargs)
