"""Deterministic, realistic seeded data: connections, integrations, lookups, packages,
projects and monitoring instances.

Everything except the anchor time comes from ``random.Random(seed)``: the same seed and
size give the same ids, names, statuses and relations. Times are offsets from the
anchor (the emulator clock when the data set is made), so "the last day" stays the last
day. Records are wire-shaped dicts (camelCase, OIC timestamps); keys starting with
``_`` are private bookkeeping that responses never show.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from ._catalogue import (
    ACRONYMS,
    ADAPTER_WORDS,
    ADAPTERS,
    ENVIRONMENTS,
    ERRORS,
    LOOKUP_TOPICS,
    OBJECTS,
    PEOPLE,
    SECRET_PROPERTY,
    STYLES,
    SYSTEMS,
    VERBS,
    Adapter,
)
from ._clock import oic_timestamp

DAY = 86400.0
MASK = "********"
Record = dict[str, Any]


@dataclass
class Dataset:
    """One seeded data set; the backend mutates it (activation, connection updates)."""

    seed: int
    anchor: float
    connections: dict[str, Record] = field(default_factory=dict)
    integrations: dict[str, Record] = field(default_factory=dict)
    lookups: dict[str, Record] = field(default_factory=dict)
    packages: dict[str, Record] = field(default_factory=dict)
    projects: dict[str, Record] = field(default_factory=dict)
    instances: list[Record] = field(default_factory=list)
    instance_index: dict[str, Record] = field(default_factory=dict)
    secrets: dict[tuple[str, str], str] = field(default_factory=dict)


def default_instances(connections: int) -> int:
    """Monitoring instances scale with the inventory: ten per connection, at most 200,000."""
    return min(10 * connections, 200_000)


def build(*, seed: int, connections: int, anchor: float, instances: int | None = None) -> Dataset:
    """Make a data set of ``connections`` connections and everything that hangs off them."""
    rng = random.Random(seed)
    data = Dataset(seed=seed, anchor=anchor)
    _make_connections(rng, data, connections)
    _make_lookups(rng, data, max(10, connections // 10))
    codes = _make_integrations(rng, data, max(12, connections * 2 // 5))
    _make_packages(rng, data, codes)
    _make_projects(rng, data, codes)
    count = default_instances(connections) if instances is None else instances
    _make_instances(rng, data, count)
    _add_hello(data)
    return data


def _add_hello(data: Dataset) -> None:
    """Oracle's sample, as the docs' examples name it: HELLO 01.00.0000 active, 01.00.0001 not.

    Added last and without the random generator, so the seeded data around it is
    the same with or without it.
    """
    configured = [
        ident for ident, record in data.connections.items() if record["status"] == "CONFIGURED"
    ]
    deps = [{"id": configured[0]}] if configured else []
    for version, status, age in (("01.00.0000", "ACTIVATED", 90), ("01.00.0001", "CONFIGURED", 2)):
        stamp = oic_timestamp(data.anchor - age * DAY)
        data.integrations[f"HELLO|{version}"] = {
            "id": f"HELLO|{version}",
            "code": "HELLO",
            "version": version,
            "name": "Hello World",
            "description": "Oracle's sample: answers a name with a greeting",
            "status": status,
            "style": "FREEFORM_MAPMYDATA",
            "pattern": "Orchestration",
            "patternDescription": "App Driven Orchestration",
            "percentageComplete": 100,
            "lockedFlag": False,
            "lockedBy": None,
            "projectType": "DEVELOPED",
            "compatible": True,
            "created": stamp,
            "createdBy": "ada.lovelace",
            "lastUpdated": stamp,
            "lastUpdatedBy": "ada.lovelace",
            "scheduleApplicableFlag": False,
            "scheduleDefinedFlag": False,
            "tracingEnabledFlag": False,
            "dependencies": {"connections": deps, "lookups": [], "libraries": []},
            "_updated": data.anchor - age * DAY,
            "_fails": False,
        }


def _times(rng: random.Random, anchor: float, years: float = 4.0) -> tuple[float, float]:
    created = anchor - rng.random() * years * 365 * DAY
    updated = created + rng.random() * (anchor - created)
    return created, updated


def _people(rng: random.Random) -> tuple[str, str]:
    return rng.choice(PEOPLE), rng.choice(PEOPLE)


def _unique(name: str, taken: Container[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _make_connections(rng: random.Random, data: Dataset, count: int) -> None:
    weights = [a.weight for a in ADAPTERS]
    for _ in range(count):
        adapter = rng.choices(ADAPTERS, weights)[0]
        system, env = rng.choice(SYSTEMS), rng.choices(ENVIRONMENTS, (5, 3, 2, 2, 1))[0]
        word = ADAPTER_WORDS.get(adapter.name, adapter.name.upper())
        ident = _unique(f"{system}_{word}_{env}", data.connections)
        data.connections[ident] = _connection(rng, data, ident, adapter, system, env)


def display_name(ident: str) -> str:
    """``BANK_ATP_PROD`` -> ``Bank ATP Prod``: acronyms stay in capitals, as people write them."""
    return " ".join(w if w in ACRONYMS else w.title() for w in ident.split("_"))


def _connection(
    rng: random.Random, data: Dataset, ident: str, adapter: Adapter, system: str, env: str
) -> Record:
    created, updated = _times(rng, data.anchor)
    creator, updater = _people(rng)
    draft = rng.random() < 0.14
    locked = rng.random() < 0.05
    policy = rng.choice(adapter.policies)
    host = f"{system.lower()}-{env.lower()}"
    return {
        "id": ident,
        "name": display_name(ident),
        "description": f"{adapter.display_name} connection to {system} ({env})",
        "adapterType": {
            "name": adapter.name,
            "displayName": adapter.display_name,
            "type": "PREINSTALLED",
        },
        "role": rng.choice(adapter.roles),
        "status": "INPROGRESS" if draft else "CONFIGURED",
        "securityPolicy": policy,
        "percentageComplete": rng.choice((20, 40, 60, 85)) if draft else 100,
        "lockedFlag": locked,
        "lockedBy": rng.choice(PEOPLE) if locked else None,
        "created": oic_timestamp(created),
        "createdBy": creator,
        "lastUpdated": oic_timestamp(updated),
        "lastUpdatedBy": updater,
        "agentRequired": adapter.agent,
        "connectionProperties": [
            {
                "propertyGroup": "CONNECTION_PROPS",
                "propertyName": adapter.url_property,
                "propertyType": "URLORSTRING",
                "propertyValue": adapter.url_template.format(host=host, n=rng.randint(1, 3)),
            }
        ],
        "securityProperties": _security_properties(rng, data, ident, policy, system),
        "_updated": updated,
        "_vendor": adapter.vendor,
    }


def _security_properties(
    rng: random.Random, data: Dataset, ident: str, policy: str, system: str
) -> list[Record]:
    names = SECRET_PROPERTY.get(policy)
    if names is None:
        return []
    user, secret = names
    data.secrets[(ident, secret)] = f"{system.lower()}-{rng.getrandbits(40):x}-Secret!"
    return [
        {
            "propertyGroup": "CREDENTIALS",
            "propertyName": user,
            "propertyType": "STRING",
            "propertyValue": f"svc_{system.lower()}_{rng.randint(1, 99):02d}",
        },
        {
            "propertyGroup": "CREDENTIALS",
            "propertyName": secret,
            "propertyType": "PASSWORD",
            "propertyValue": MASK,
        },
    ]


def _make_lookups(rng: random.Random, data: Dataset, count: int) -> None:
    for _ in range(count):
        name = _unique(f"{rng.choice(SYSTEMS)}_{rng.choice(LOOKUP_TOPICS)}", data.lookups)
        created, updated = _times(rng, data.anchor)
        creator, updater = _people(rng)
        columns = [rng.choice(("erp", "hcm", "rest", "salesforce")), "oic"]
        rows = [
            [f"{name[:3]}{i:03d}", f"V{rng.randint(100, 999)}"] for i in range(rng.randint(3, 12))
        ]
        data.lookups[name] = {
            "name": name,
            "description": f"{display_name(name)} cross-reference",
            "status": "LOCKED" if rng.random() < 0.07 else "CONFIGURED",
            "columns": columns,
            "rowCount": len(rows),
            "created": oic_timestamp(created),
            "createdBy": creator,
            "lastUpdated": oic_timestamp(updated),
            "lastUpdatedBy": updater,
            "_rows": rows,
            "_updated": updated,
        }


def _version(major: int, patch: int) -> str:
    return f"{major:02d}.00.{patch:04d}"


def _make_integrations(rng: random.Random, data: Dataset, count: int) -> list[str]:
    conn_ids, lookup_names = list(data.connections), list(data.lookups)
    codes: list[str] = []
    taken: set[str] = set()
    for _ in range(count):
        code = _unique(f"{rng.choice(SYSTEMS)}_{rng.choice(VERBS)}_{rng.choice(OBJECTS)}", taken)
        codes.append(code)
        taken.add(code)
        deps = rng.sample(conn_ids, k=min(len(conn_ids), rng.randint(1, 3)))
        lookups = rng.sample(lookup_names, k=min(len(lookup_names), rng.choice((0, 0, 1, 2))))
        style = rng.choices(STYLES, [s[3] for s in STYLES])[0]
        for version in _versions(rng):
            record = _integration(rng, data, code, version, style, deps, lookups)
            data.integrations[record["id"]] = record
    _set_statuses(rng, data, codes)
    return codes


def _versions(rng: random.Random) -> list[str]:
    shape = rng.choices(((1, 1), (1, 2), (1, 3), (2, 1)), (60, 20, 10, 10))[0]
    if shape == (2, 1):
        return [_version(1, 0), _version(1, 1), _version(2, 0)]
    return [_version(1, patch) for patch in range(shape[1])]


def _integration(
    rng: random.Random,
    data: Dataset,
    code: str,
    version: str,
    style: tuple[str, str, str, int],
    deps: list[str],
    lookups: list[str],
) -> Record:
    created, updated = _times(rng, data.anchor, years=3.0)
    creator, updater = _people(rng)
    locked = rng.random() < 0.04
    return {
        "id": f"{code}|{version}",
        "code": code,
        "version": version,
        "name": display_name(code),
        "description": f"{code.split('_')[1].title()} {code.split('_', 2)[2].lower()} "
        f"for {code.split('_')[0]}",
        "status": "CONFIGURED",
        "style": style[0],
        "pattern": style[1],
        "patternDescription": style[2],
        "percentageComplete": 100,
        "lockedFlag": locked,
        "lockedBy": rng.choice(PEOPLE) if locked else None,
        "projectType": "DEVELOPED",
        "compatible": True,
        "created": oic_timestamp(created),
        "createdBy": creator,
        "lastUpdated": oic_timestamp(updated),
        "lastUpdatedBy": updater,
        "scheduleApplicableFlag": style[0] == "FREEFORM_SCHEDULED",
        "scheduleDefinedFlag": style[0] == "FREEFORM_SCHEDULED" and rng.random() < 0.8,
        "tracingEnabledFlag": rng.random() < 0.2,
        "dependencies": {
            "connections": [{"id": c} for c in deps],
            "lookups": [{"name": n} for n in lookups],
            "libraries": [],
        },
        "_updated": updated,
        "_fails": False,
    }


def _set_statuses(rng: random.Random, data: Dataset, codes: list[str]) -> None:
    """Newest version of each major: mostly ACTIVATED; older ones configured; some drafts."""
    by_code: dict[str, list[Record]] = {}
    for record in data.integrations.values():
        by_code.setdefault(record["code"], []).append(record)
    for code in codes:
        versions = by_code[code]
        newest = versions[-1]
        if (
            any(
                data.connections[c["id"]]["status"] == "INPROGRESS"
                for c in newest["dependencies"]["connections"]
            )
            or rng.random() < 0.08
        ):
            newest["status"], newest["percentageComplete"] = "INPROGRESS", rng.choice((30, 70, 90))
            continue
        roll = rng.random()
        if roll < 0.70:
            newest["status"] = "ACTIVATED"
            if len(versions) > 2 and versions[0]["version"][:2] != newest["version"][:2]:
                versions[0]["status"] = "ACTIVATED"  # another major version may stay active
        elif roll < 0.75:
            newest["status"], newest["_fails"] = "FAILEDACTIVATION", True


def _make_packages(rng: random.Random, data: Dataset, codes: list[str]) -> None:
    for _ in range(max(5, len(codes) // 8)):
        name = f"com.example.{rng.choice(SYSTEMS).lower()}.{rng.choice(OBJECTS).lower()}"
        name = _unique(name, data.packages)
        members = rng.sample(codes, k=min(len(codes), rng.randint(1, 6)))
        ids = [f"{code}|{_version(1, 0)}" for code in members]
        for ident in ids:
            data.integrations[ident].setdefault("packageName", name)
        data.packages[name] = {
            "id": name,
            "name": name,
            "type": "DEVELOPED",
            "countOfIntegrations": len(ids),
            "integrations": [
                {"id": i, "code": i.split("|")[0], "version": i.split("|")[1]} for i in ids
            ],
        }


def _make_projects(rng: random.Random, data: Dataset, codes: list[str]) -> None:
    versions_of: dict[str, list[str]] = {}
    for ident, record in data.integrations.items():
        versions_of.setdefault(record["code"], []).append(ident)
    for _ in range(max(3, len(codes) // 15)):
        system, obj = rng.choice(SYSTEMS), rng.choice(OBJECTS)
        ident = _unique(f"{system}_{obj}_PROJECT", data.projects)
        members = rng.sample(codes, k=min(len(codes), rng.randint(2, 8)))
        ids = [i for code in members for i in versions_of[code]]
        conns = sorted(
            {dep["id"] for i in ids for dep in data.integrations[i]["dependencies"]["connections"]}
        )
        created, updated = _times(rng, data.anchor, years=2.0)
        owner, _ = _people(rng)
        # A Gen3 project as captured (seen: rchafik/oicDevops, an Oracle PM blog): dates
        # nested in state; state.status is derived from the members when rendered.
        data.projects[ident] = {
            "cloneRestrict": "NONE",
            "code": ident,
            "description": f"{system} {obj.lower()} integrations",
            "id": ident,
            "keyword": system.lower(),
            "name": display_name(ident),
            "origin": {},
            "state": {
                "assets": {},
                "created": {"by": owner, "date": oic_timestamp(created)},
                "latest": {"by": owner, "date": oic_timestamp(updated)},
                "lockStatus": False,
                "locked": {},
                "projectRevisionId": len(ids) + len(conns),
                "serviceInstanceId": 0,
                "updated": {"by": owner, "date": oic_timestamp(updated)},
            },
            "type": "DEVELOPED",
            "viewRestricted": False,
            "_integrations": ids,
            "_connections": conns,
        }


def _instance_id(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()[:22]


def _make_instances(rng: random.Random, data: Dataset, count: int) -> None:
    active = [r for r in data.integrations.values() if r["status"] == "ACTIVATED"]
    if not active or count <= 0:
        return
    failure = [0.25 if rng.random() < 0.1 else rng.uniform(0.005, 0.04) for _ in active]
    weights = [rng.choice((1, 1, 2, 5, 20)) for _ in active]
    picks = rng.choices(range(len(active)), weights, k=count)
    for index in picks:
        record = _instance(rng, data, active[index], failure[index])
        data.instances.append(record)
    data.instances.sort(key=lambda r: r["_created"], reverse=True)
    data.instance_index = {r["id"]: r for r in data.instances}


def _instance(rng: random.Random, data: Dataset, integration: Record, failure: float) -> Record:
    age = rng.random() * 3 * DAY if rng.random() < 0.85 else rng.uniform(3, 30) * DAY
    created = data.anchor - age
    duration = int(rng.lognormvariate(7.0, 1.1))
    roll = rng.random()
    status = (
        "FAILED"
        if roll < failure
        else "ABORTED"
        if roll < failure + 0.004
        else "IN_PROGRESS"
        if age < 600 and roll > 0.9
        else "COMPLETED"
    )
    ended = created + duration / 1000
    record: Record = {
        "id": _instance_id(rng),
        "integrationId": integration["code"],
        "integrationName": integration["name"],
        "code": integration["code"],
        "version": integration["version"],
        "status": status,
        "creationDate": oic_timestamp(created),
        "lastTrackedTime": oic_timestamp(ended),
        "duration": duration if status != "IN_PROGRESS" else None,
        "primaryName": "Document Number",
        "primaryValue": f"DOC-{rng.randint(100000, 999999)}",
        "flowType": integration["pattern"],
        "nonRecoverable": False,
        "_created": created,
        "_ended": ended,
    }
    if status == "FAILED":
        code, message, recoverable = rng.choice(ERRORS)
        record.update(
            {
                "errorCode": code,
                "errorMessage": message,
                "faultLocation": f"Invoke: {rng.choice(('Create', 'Get', 'Update', 'Post'))}"
                f"{integration['code'].split('_')[-1].title()}",
                "nonRecoverable": not recoverable,
                "retryCount": rng.choice((0, 0, 1, 2)),
            }
        )
    return record


def add_instances(data: Dataset, count: int, *, now: float, span: float, seed: int) -> int:
    """*count* more instances created in the *span* seconds before *now* (a busy day)."""
    rng = random.Random(seed)
    active = [r for r in data.integrations.values() if r["status"] == "ACTIVATED"]
    if not active or count <= 0:
        return 0
    failure = [0.25 if rng.random() < 0.1 else rng.uniform(0.005, 0.04) for _ in active]
    picks = rng.choices(range(len(active)), k=count)
    for index in picks:
        record = _instance(rng, data, active[index], failure[index])
        created = now - rng.random() * span
        record["_ended"] = created + (record["_ended"] - record["_created"])
        record["_created"] = created
        record["creationDate"] = oic_timestamp(created)
        record["lastTrackedTime"] = oic_timestamp(record["_ended"])
        data.instances.append(record)
    data.instances.sort(key=lambda r: r["_created"], reverse=True)
    data.instance_index = {r["id"]: r for r in data.instances}
    return count
