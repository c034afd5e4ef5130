"""Export to a folder with a manifest, import into another instance: bytes and inventory."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict

import pytest
from _instances import sign_in_all

from oic_magic import OICClient, RequestError, SessionStore, StepsFailedError, compare
from oic_magic.core._archives import (
    MANIFEST,
    export_archives,
    import_archive,
    import_manifest,
)
from oic_magic.emulator import Emulator


class _Waits(TypedDict):
    """How long an activation or import job is waited for, and how often it is asked."""

    timeout: float
    interval: float


FAST: _Waits = {"timeout": 30.0, "interval": 0.05}
Clients = tuple[OICClient, OICClient, SessionStore]


@pytest.fixture
def clients(estate: dict[str, Emulator]) -> Iterator[Clients]:
    store = sign_in_all(estate)
    for emu in estate.values():
        emu.control.set_activation_delay(0)
    with OICClient(store.get("dev")) as dev, OICClient(store.get("prod")) as prod:
        yield dev, prod, store


def _unpromoted(estate: dict[str, Emulator]) -> list[str]:
    return [r["key"] for r in estate["prod"].control.planted() if r["change"] == "removed"]


def test_a_backup_holds_every_archive_and_a_manifest_that_checks_out(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, _, _ = clients
    steps = export_archives(dev, tmp_path / "dev", projects=True)
    data = estate["dev"].backend.resources.data
    manifest = json.loads((tmp_path / "dev" / MANIFEST).read_text())
    assert manifest["instance"] == "oic-dev" and manifest["session"] == "dev"
    assert manifest["host"] == estate["dev"].design_url
    done = {(i["kind"], i["key"]) for i in manifest["items"]}
    unlocked = {i for i, r in data.integrations.items() if not r["lockedFlag"]}
    assert {k for kind, k in done if kind == "integration"} == unlocked
    assert {k for kind, k in done if kind == "lookup"} == set(data.lookups)
    assert {k for kind, k in done if kind == "project"} == set(data.projects)
    skipped = {s.key for s in steps if s.outcome == "skipped"}
    assert skipped == set(data.integrations) - unlocked  # locked: 423, not a failure
    for item in manifest["items"]:
        body = (tmp_path / "dev" / item["file"]).read_bytes()
        assert len(body) == item["size"] and hashlib.sha256(body).hexdigest() == item["sha256"]
    with pytest.raises(RequestError, match="holds a backup already"):
        export_archives(dev, tmp_path / "dev")


def test_promotion_round_trip_is_byte_identical_and_the_drift_is_gone(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, store = clients
    keys = _unpromoted(estate)
    export_archives(dev, tmp_path / "b", integrations=keys, lookups=False)
    steps = import_manifest(prod, tmp_path / "b", activate=True, **FAST)
    assert [(s.key, s.step, s.outcome) for s in steps] == [
        (k, step, "done") for k in keys for step in ("add", "activate")
    ]
    manifest = json.loads((tmp_path / "b" / MANIFEST).read_text())
    for item in manifest["items"]:
        assert (
            prod.get(f"integrations/{item['key']}/archive")
            == (tmp_path / "b" / item["file"]).read_bytes()
        )
    left = {(d.kind, d.key) for d in compare("dev", "prod", store=store)}
    assert not left & {("integrations", k) for k in keys}
    assert len(left) == len(estate["prod"].control.planted()) - len(keys)


def test_an_existing_integration_is_kept_unless_replace_is_asked(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, _ = clients
    key = _unpromoted(estate)[0]
    export_archives(dev, tmp_path / "b", integrations=[key], lookups=False)
    import_manifest(prod, tmp_path / "b", activate=True, **FAST)
    again = import_manifest(prod, tmp_path / "b", **FAST)
    assert [(s.step, s.outcome) for s in again] == [("add", "exists")]
    with pytest.raises(StepsFailedError) as caught:  # active: OIC refuses the replace
        import_manifest(prod, tmp_path / "b", replace=True, **FAST)
    (step,) = caught.value.steps
    assert (step.step, step.outcome) == ("replace", "failed") and "HTTP 409" in step.detail
    prod.deactivate(key, **FAST)
    replaced = import_manifest(prod, tmp_path / "b", replace=True, activate=True, **FAST)
    assert [(s.step, s.outcome) for s in replaced] == [("replace", "done"), ("activate", "done")]


def test_a_changed_or_missing_file_is_not_imported(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, _ = clients
    keys = _unpromoted(estate)
    export_archives(dev, tmp_path / "b", integrations=keys, lookups=False)
    files = sorted(p for p in (tmp_path / "b").iterdir() if p.suffix == ".iar")
    files[0].write_bytes(files[0].read_bytes() + b"x")
    files[1].unlink()
    estate["prod"].control.clear_requests()
    with pytest.raises(StepsFailedError, match="2 of 2 steps failed") as caught:
        import_manifest(prod, tmp_path / "b", **FAST)
    assert {s.detail.split(" since")[0] for s in caught.value.steps} == {
        "the file changed",
        "the file is missing",
    }
    assert not [e for e in estate["prod"].control.requests() if "archive" in e["path"]]


def test_an_import_job_is_waited_for(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, _ = clients
    key = _unpromoted(estate)[0]
    estate["prod"].control.set_async_imports(True, seconds=0.3)
    export_archives(dev, tmp_path / "b", integrations=[key], lookups=False)
    (step,) = import_manifest(prod, tmp_path / "b", **FAST)
    assert step.outcome == "done" and step.detail == f"integrations/{key}"
    assert prod.get(f"integrations/{key}")["id"] == key


def test_a_lookup_csv_round_trip_removes_its_drift(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, store = clients
    name = next(r["key"] for r in estate["prod"].control.planted() if r["kind"] == "lookups")
    export_archives(dev, tmp_path / "b", integrations=[], lookups=[name])
    file = tmp_path / "b" / f"{name}.csv"
    (kept,) = import_archive(prod, file)
    assert kept.outcome == "exists" and f"Lookup {name} already exists" in kept.detail
    steps = import_archive(prod, file, replace=True)
    assert [(s.step, s.outcome) for s in steps] == [("replace", "done")]
    assert prod.get(f"lookups/{name}/archive") == file.read_bytes()
    assert not [d for d in compare("dev", "prod", store=store, kinds="lookups")]


def test_a_single_archive_imports_under_the_id_inside_it(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    dev, prod, _ = clients
    key = _unpromoted(estate)[1]
    body = dev.get(f"integrations/{key}/archive")
    file = tmp_path / "renamed-by-hand.iar"
    file.write_bytes(body)
    (step,) = import_archive(prod, file, **FAST)
    assert step.key == key and step.outcome == "done"


@pytest.mark.parametrize("content", [None, b""])
def test_an_empty_or_missing_file_sends_nothing(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path, content: bytes | None
) -> None:
    _, prod, _ = clients
    file = tmp_path / "x.iar"
    if content is not None:
        file.write_bytes(content)
    estate["prod"].control.clear_requests()
    with pytest.raises(RequestError, match="nothing was sent"):
        import_archive(prod, file)
    assert estate["prod"].control.requests() == []


def test_a_backup_holds_no_secret(
    clients: Clients, estate: dict[str, Emulator], tmp_path: Path
) -> None:
    from oic_magic.emulator import DEMO

    dev, _, _ = clients
    export_archives(dev, tmp_path / "b", projects=True)
    secrets = [DEMO.password, DEMO.client_secret, dev.session.token.access_token]
    secrets += list(estate["dev"].backend.resources.data.secrets.values())
    for path in (tmp_path / "b").iterdir():
        body = path.read_bytes()
        assert not [s for s in secrets if s and s.encode() in body], path.name
