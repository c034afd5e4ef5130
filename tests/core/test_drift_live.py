"""Drift between two emulated instances equals exactly what the emulator planted."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from typing import Any

import pytest
from _instances import sign_in_all

from oic_magic import Difference, OICClient, compare
from oic_magic.core._drift import KINDS, drift, read_inventory
from oic_magic.emulator import Emulator

ORDER = {kind: n for n, kind in enumerate(KINDS)}


def _planted(emu: Emulator) -> list[dict[str, Any]]:
    rows = emu.control.planted()
    return sorted(rows, key=lambda r: (ORDER[r["kind"]], r["key"], r["field"] or ""))


def _rows(differences: list[Difference]) -> list[dict[str, Any]]:
    rows = [dataclasses.asdict(d) for d in differences]
    for row in rows:
        row.pop("detail")
    return sorted(rows, key=lambda r: (ORDER[r["kind"]], r["key"], r["field"] or ""))


def test_drift_is_exactly_the_planted_differences(estate: dict[str, Emulator]) -> None:
    store = sign_in_all(estate)
    found = compare("dev", "prod", store=store)
    assert _rows(found) == _planted(estate["prod"])
    assert len(found) == 7
    rows = next(d for d in found if d.field == "rows")
    assert rows.detail == "1 rows only on the left, 1 only on the right"


def test_reversed_comparison_swaps_added_and_removed(estate: dict[str, Emulator]) -> None:
    store = sign_in_all(estate)
    there = {(d.kind, d.key): d.change for d in compare("dev", "prod", store=store)}
    back = {(d.kind, d.key): d.change for d in compare("prod", "dev", store=store)}
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    assert back == {key: swap[change] for key, change in there.items()}


def test_an_instance_compared_with_itself_has_no_drift(estate: dict[str, Emulator]) -> None:
    store = sign_in_all({"dev": estate["dev"], "again": estate["dev"]})
    assert compare("dev", "again", store=store) == []


def test_a_change_made_through_the_api_shows_up(estate: dict[str, Emulator]) -> None:
    store = sign_in_all(estate)
    planted = {(r["kind"], r["key"]) for r in estate["prod"].control.planted()}
    with OICClient(store.get("prod")) as prod:
        ident = next(
            i["id"]
            for i in prod.paginate("integrations", where=["status=ACTIVATED"]).items
            if ("integrations", i["id"]) not in planted
        )
        prod.deactivate(ident)
    found = compare("dev", "prod", store=store, kinds=["integrations"])
    assert (
        Difference("integrations", ident, "changed", "status", "ACTIVATED", "CONFIGURED") in found
    )
    assert {d.kind for d in found} == {"integrations"}


def _new_version(archive: bytes, old: str, new: str) -> bytes:
    """The .iar of another version of the same integration, as a designer would save it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info).replace(old.encode(), new.encode())
            target.writestr(info.filename.replace(old, new), body)
    return out.getvalue()


def test_major_version_matching_compares_the_newest_version_of_each_major(
    estate: dict[str, Emulator],
) -> None:
    store = sign_in_all(estate)
    with OICClient(store.get("dev")) as dev:
        data = estate["dev"].backend.resources.data.integrations
        single = sorted(
            i
            for i, r in data.items()
            if r["version"] == "01.00.0000" and f"{r['code']}|01.00.0001" not in data
        )
        code = data[single[0]]["code"]
        archive = dev.get(f"integrations/{code}|01.00.0000/archive")
        newer = _new_version(archive, "01.00.0000", "01.00.0005")
        dev.request("POST", "integrations/archive", files={"file": ("x.iar", newer)})
    exact = compare("dev", "prod", store=store, kinds="integrations")
    assert Difference("integrations", f"{code}|01.00.0005", "removed") in exact
    major = compare("dev", "prod", store=store, kinds="integrations", major=True)
    changes = {(d.key, d.field): (d.left, d.right) for d in major}
    assert changes[(f"{code}|01", "version")] == ("01.00.0005", "01.00.0000")
    assert all(d.key.count(".") == 0 for d in major)  # keyed CODE|MAJOR


def test_inventories_compare_without_a_network(estate: dict[str, Emulator]) -> None:
    store = sign_in_all(estate)
    with OICClient(store.get("dev")) as dev:
        inventory = read_inventory(dev, kinds=["lookups"])
    other = dataclasses.replace(inventory, name="copy")
    assert drift(inventory, other) == []
    assert set(inventory.items) == {"lookups"}


def test_unknown_kinds_are_refused(estate: dict[str, Emulator]) -> None:
    with pytest.raises(ValueError, match="choose from"):
        compare("dev", "prod", store=sign_in_all(estate), kinds=["widgets"])
