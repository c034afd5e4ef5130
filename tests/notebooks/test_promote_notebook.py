"""05-promote-and-compare, executed: its numbers checked against the emulators' own data."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

import pytest

from oic_magic.emulator import Emulator
from oic_magic.emulator._backend import Backend

from .conftest import Report

PROMOTE = "05-promote-and-compare.ipynb"


@pytest.fixture(scope="module")
def estate() -> dict[str, Backend]:
    """What --demo --session dev and --session prod hold (built, never started)."""
    return {
        "dev": Emulator(instance="oic-dev").backend,
        "prod": Emulator(instance="oic-prod", variant="prod").backend,
    }


@pytest.fixture(scope="module")
def summary(report: Report) -> dict[str, Any]:
    return report.summary(PROMOTE)


def test_both_instances_were_read(summary: dict[str, Any], estate: dict[str, Backend]) -> None:
    assert summary["integrations"] == {
        name: len(backend.data.integrations) for name, backend in estate.items()
    }


def test_the_backup_holds_every_exportable_item(
    summary: dict[str, Any], estate: dict[str, Backend], report: Report
) -> None:
    dev = estate["dev"].data
    locked = sum(r["lockedFlag"] for r in dev.integrations.values())
    files = len(dev.integrations) - locked + len(dev.lookups) + len(dev.projects)
    assert summary["exported"] == {"done": files, "skipped": locked}
    assert summary["exported_files"] == files


def test_drift_before_and_after_the_promotion(
    summary: dict[str, Any], estate: dict[str, Backend]
) -> None:
    planted = estate["prod"].planted
    removed = sorted(r["key"] for r in planted if r["change"] == "removed")
    assert summary["drift_before"] == len(planted)
    assert summary["promoted"] == removed[:2]
    assert summary["promoted_steps"] == {"done": 4}  # add and activate, each
    assert summary["drift_after"] == len(planted) - 2


def test_the_sweep_outcomes_match_the_connections(
    summary: dict[str, Any], estate: dict[str, Backend]
) -> None:
    connections = estate["prod"].data.connections.values()

    def outcome(record: dict[str, Any]) -> str:
        if record["lockedFlag"]:
            return "locked"
        if record["status"] != "CONFIGURED":
            return "not configured"
        reached = hashlib.sha256(record["id"].encode()).digest()[0] % 9 != 0
        return "success" if reached else "failed"  # the emulator's unreachable endpoints

    assert summary["sweep"] == dict(Counter(outcome(r) for r in connections))
