"""Another instance of the same estate: the seeded data with a few planted differences.

``Emulator(seed=42, instance="oic-prod", variant="prod")`` serves the data set of seed 42
as another instance would hold it after months of separate life: a few integrations
never promoted to it, one deactivated, a connection with another security policy,
one still a draft, a connection of its own, a lookup row edited. What was planted is
kept as plain rows (:func:`plant` returns them; ``Control.planted()`` answers them), so
a test or a notebook can check a comparison against the emulator's own record.

Each row reads left (the data set as seeded) to right (this variant): ``kind, key,
change (added|removed|changed), field, left, right``.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from ._data import Dataset

__all__ = ["plant"]

Record = dict[str, Any]
Planted = dict[str, Any]


def plant(data: Dataset, variant: str) -> list[Planted]:
    """Change *data* in place into the *variant* instance; the differences planted."""
    rng = random.Random(f"{data.seed}:{variant}")
    planted: list[Planted] = []
    planted += _unpromoted(rng, data, count=2)
    planted += _deactivated(rng, data)
    planted += _connection_changes(rng, data)
    planted += _own_connection(rng, data, variant)
    planted += _edited_lookup(rng, data)
    return planted


def _row(kind: str, key: str, change: str, field: str | None = None, left: Any = None,
         right: Any = None) -> Planted:  # fmt: skip
    return {"kind": kind, "key": key, "change": change, "field": field, "left": left,
            "right": right}  # fmt: skip


def _single_version_active(data: Dataset) -> list[Record]:
    """Active integrations that are their code's only version, not locked (promotable)."""
    versions: dict[str, int] = {}
    for record in data.integrations.values():
        versions[record["code"]] = versions.get(record["code"], 0) + 1
    return sorted(
        (
            r
            for r in data.integrations.values()
            if r["status"] == "ACTIVATED"
            and versions[r["code"]] == 1
            and not r["lockedFlag"]
            and r["code"] != "HELLO"
        ),
        key=lambda r: r["id"],
    )


def _unpromoted(rng: random.Random, data: Dataset, count: int) -> list[Planted]:
    chosen = rng.sample(_single_version_active(data), k=count)
    for record in chosen:
        del data.integrations[record["id"]]
        for project in data.projects.values():
            if record["id"] in project["_integrations"]:
                project["_integrations"].remove(record["id"])
                project["integrationsCount"] = len(project["_integrations"])
        for package in data.packages.values():
            package["integrations"] = [
                i for i in package["integrations"] if i["id"] != record["id"]
            ]
            package["countOfIntegrations"] = len(package["integrations"])
    gone = {(r["code"], r["version"]) for r in chosen}
    data.instances[:] = [i for i in data.instances if (i["code"], i["version"]) not in gone]
    data.instance_index = {i["id"]: i for i in data.instances}
    return [_row("integrations", r["id"], "removed") for r in sorted(chosen, key=lambda r: r["id"])]


def _deactivated(rng: random.Random, data: Dataset) -> list[Planted]:
    record = rng.choice(_single_version_active(data))
    record["status"] = "CONFIGURED"
    return [_row("integrations", record["id"], "changed", "status", "ACTIVATED", "CONFIGURED")]


def _connection_changes(rng: random.Random, data: Dataset) -> list[Planted]:
    configured = sorted(
        (
            c
            for c in data.connections.values()
            if c["status"] == "CONFIGURED" and not c["lockedFlag"]
        ),
        key=lambda c: c["id"],
    )
    policy, draft = rng.sample(configured, k=2)
    old = policy["securityPolicy"]
    new = "OAUTH_CLIENT_CREDENTIALS" if old != "OAUTH_CLIENT_CREDENTIALS" else "BASIC_AUTH"
    policy["securityPolicy"] = new
    draft["status"], draft["percentageComplete"] = "INPROGRESS", 85
    return [
        _row("connections", policy["id"], "changed", "securityPolicy", old, new),
        _row("connections", draft["id"], "changed", "status", "CONFIGURED", "INPROGRESS"),
    ]


def _own_connection(rng: random.Random, data: Dataset, variant: str) -> list[Planted]:
    template = data.connections[sorted(data.connections)[rng.randrange(len(data.connections))]]
    ident = f"LEGACY_{variant.upper()}_FTP"
    record = copy.deepcopy(template)
    record.update(id=ident, name=ident.replace("_", " ").title(),
                  description=f"Kept only in {variant}")  # fmt: skip
    for prop in record["securityProperties"]:
        if (template["id"], prop["propertyName"]) in data.secrets:
            data.secrets[(ident, prop["propertyName"])] = data.secrets[
                (template["id"], prop["propertyName"])
            ]
    data.connections[ident] = record
    return [_row("connections", ident, "added")]


def _edited_lookup(rng: random.Random, data: Dataset) -> list[Planted]:
    name = sorted(data.lookups)[rng.randrange(len(data.lookups))]
    rows = data.lookups[name]["_rows"]
    rows[0] = [rows[0][0], f"{rows[0][1]}-{data.seed % 97}"]
    count = len(rows) + 1  # the header row is a row of the CSV
    return [_row("lookups", name, "changed", "rows", count, count)]
