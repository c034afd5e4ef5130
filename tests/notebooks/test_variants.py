"""Each documentation notebook runs against the emulator answering as a real OIC may.

Two variants matter most for the notebooks: totals that count each page (other Oracle
REST services do so) and list items that carry only the fields a capture showed (e.g.
the Gen3 integrations list has no ``version`` or ``name``). A missing field degrades a
chart or a table; it does not stop the notebook. The notebooks sign in as they would to
a real instance: ``DEMO = False`` and the ``OIC_*`` variables, here for an emulator in
this process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from _jupyter import NOTEBOOKS, load_report

from oic_magic.core._windows import READABLE
from oic_magic.emulator import DEMO, Emulator
from oic_magic.report import read_summary

ANSWERS = ("per-page-total", "minimal-fields")


@pytest.fixture(scope="module", params=ANSWERS)
def real_like(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """An emulator answering in one variant."""
    with Emulator(answers=request.param) as emu:
        yield emu


def _environment(emu: Emulator) -> dict[str, str]:
    """This process's environment without OIC_*, plus what a headless sign-in to *emu* needs."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OIC_")}
    environ.update(
        OIC_DESIGN_URL=emu.design_url,
        OIC_IDENTITY_URL=emu.identity_url,
        OIC_CLIENT_ID=DEMO.client_id,
        OIC_CLIENT_SECRET=DEMO.client_secret,
        OIC_SCOPE=emu.scope,
        OIC_INSTANCE=emu.instance,
        OIC_USERNAME=DEMO.username,
        OIC_PASSWORD=DEMO.password,
    )
    return environ


TRIAGE = "04-error-triage.ipynb"
#: 05 signs in to two instances by profile (dev and prod): its own test below.
ONE_INSTANCE = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb") if not p.name.startswith("05-"))


@pytest.mark.parametrize("notebook", ONE_INSTANCE)
def test_the_notebook_runs_against_the_variant(
    real_like: Emulator, notebook: str, tmp_path: Path
) -> None:
    """Every cell runs; nothing of the demo emulator is started in the kernel; 04's day whole."""
    engine = load_report()
    (tmp_path / "executed").mkdir()
    outcome, _title = engine.run_one(
        NOTEBOOKS / notebook,
        tmp_path,
        {"DEMO": False},
        _environment(real_like),
        300,
    )
    assert outcome.failure is None, f"{real_like.answers}: {outcome.failure}"
    signed_in = [e for e in real_like.control.requests() if e["path"].startswith("/ic/")]
    assert signed_in, "the notebook did not call the variant's emulator"
    if notebook == TRIAGE:
        _check_the_day_is_whole(real_like, outcome.executed)


def _check_the_day_is_whole(emu: Emulator, executed: Path) -> None:
    """04 read its day (past the 550 one window shows) and its errors whole."""
    numbers = read_summary(executed)
    assert numbers is not None, "04 wrote no summary"

    def within(prefix: str) -> list[dict[str, Any]]:
        low = datetime.fromisoformat(numbers[f"{prefix}window_start"]).timestamp()
        high = datetime.fromisoformat(numbers[f"{prefix}window_end"]).timestamp()
        return [r for r in emu.backend.data.instances if low <= r["_created"] <= high]

    assert numbers["instances"] == len(within("")) > READABLE
    assert numbers["instance_ids_unique"] and numbers["windows"] >= 2
    # Failed when read: still FAILED, or resubmitted/discarded by the notebook since.
    failed = [r for r in within("error_") if r["status"] == "FAILED" or "_recovery" in r]
    assert numbers["error_ids"] == sorted(r["id"] for r in failed) and failed


PROMOTE = "05-promote-and-compare.ipynb"


@pytest.mark.parametrize("variant", ANSWERS)
def test_promote_runs_against_the_variant(variant: str, tmp_path: Path) -> None:
    """05 against two instances of one estate (dev, prod), both answering in *variant*.

    The two are named by sections of a profile file, as real instances would be; the
    secrets come from the environment.
    """
    with (
        Emulator(instance="oic-dev", answers=variant) as dev,
        Emulator(instance="oic-prod", variant="prod", answers=variant) as prod,
    ):
        profiles = tmp_path / "profiles.ini"
        profiles.write_text(
            "".join(
                f"[{name}]\ndesign_url = {emu.design_url}\nidentity_url = {emu.identity_url}\n"
                f"client_id = {DEMO.client_id}\nscope = {emu.scope}\n"
                f"instance = {emu.instance}\nusername = {DEMO.username}\n\n"
                for name, emu in (("dev", dev), ("prod", prod))
            ),
            encoding="utf-8",
        )
        environ = {k: v for k, v in os.environ.items() if not k.startswith("OIC_")}
        environ.update(
            OIC_PROFILE_FILE=str(profiles),
            OIC_CLIENT_SECRET=DEMO.client_secret,
            OIC_PASSWORD=DEMO.password,
        )
        engine = load_report()
        (tmp_path / "executed").mkdir()
        outcome, _title = engine.run_one(
            NOTEBOOKS / PROMOTE, tmp_path, {"DEMO": False, "PROFILE": "dev"}, environ, 300
        )
        assert outcome.failure is None, f"{variant}: {outcome.failure}"
        numbers = read_summary(outcome.executed)
        assert numbers is not None
        assert numbers["integrations"] == {
            "dev": len(dev.backend.data.integrations),
            "prod": len(prod.backend.data.integrations) - len(numbers["promoted"]),
        }
