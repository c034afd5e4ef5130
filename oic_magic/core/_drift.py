"""Drift between two instances: what differs in their inventories, as rows.

An :class:`Inventory` is what one session's instance holds, read with the Developer API
(every page of each list; each lookup's rows from its CSV archive, the one documented
way to read them). :func:`drift` compares two inventories and answers one
:class:`Difference` per item found on one side only and per field that differs:

- connections, keyed by id: ``status``, ``adapterType.name``, ``securityPolicy``,
  ``agentGroupId``;
- integrations, keyed by OIC's ``CODE|VERSION``: ``status``; a version present on one
  side only is *added* or *removed*. With ``major=True`` they are keyed by
  ``CODE|MAJOR`` (``HELLO|01``), the highest version of each major version stands for
  it, and ``version`` is compared too: ``01.00.0003`` against ``01.00.0002`` is one
  change, not one addition and one removal;
- lookups, keyed by name: ``status`` and ``rows`` (the set of rows, compared as text);
- projects, keyed by id: ``name``, ``status``.

The direction reads left to right, as a promotion does: *added* is in the right
inventory only, *removed* in the left only, *changed* in both with different values.
Reading is the only thing done: nothing is changed on either instance.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ._client import OICClient
from ._fanout import ClientFor, across
from ._session import SessionStore

__all__ = ["KINDS", "Difference", "Inventory", "compare", "drift", "read_inventory"]

Record = dict[str, Any]

#: What an inventory holds, and the fields compared in each kind.
FIELDS: dict[str, tuple[str, ...]] = {
    "connections": ("status", "adapterType.name", "securityPolicy", "agentGroupId"),
    "integrations": ("status",),
    "lookups": ("status", "rows"),
    "projects": ("name", "status"),
}
KINDS = tuple(FIELDS)
#: Lookups whose CSV is read at the same time, per instance.
LOOKUP_READS = 4


@dataclass(frozen=True)
class Difference:
    """One item on one side only, or one field that differs.

    ``change`` is ``added`` (right only), ``removed`` (left only) or ``changed``;
    ``field`` is None unless changed; ``left`` and ``right`` are that field's values
    (for lookup rows: the number of rows, with ``detail`` saying how many are on one
    side only).
    """

    kind: str
    key: str
    change: str
    field: str | None = None
    left: Any = None
    right: Any = None
    detail: str | None = None


@dataclass
class Inventory:
    """One instance's connections, integrations, lookups and projects, by key."""

    name: str
    items: dict[str, dict[str, Record]] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, Record]:
        """The items of *kind* by key (empty when the kind was not read)."""
        return self.items.get(kind, {})


def read_inventory(
    client: OICClient, *, name: str | None = None, kinds: Iterable[str] = KINDS
) -> Inventory:
    """Read every item of *kinds* from *client*'s instance (lookups with their rows)."""
    chosen = _checked_kinds(kinds)
    inventory = Inventory(name=name or client.session.name)
    for kind in chosen:
        records = list(client.paginate(kind).items)
        key = "name" if kind == "lookups" else "id"
        inventory.items[kind] = {str(r.get(key) or r.get("name")): dict(r) for r in records}
    if "lookups" in chosen:
        _read_rows(client, inventory.items["lookups"])
    return inventory


def drift(left: Inventory, right: Inventory, *, major: bool = False) -> list[Difference]:
    """Every difference from *left* to *right*, kind by kind, keys sorted."""
    found: list[Difference] = []
    for kind in KINDS:
        if kind not in left.items and kind not in right.items:
            continue
        mine, theirs = left.of(kind), right.of(kind)
        fields = FIELDS[kind]
        if kind == "integrations" and major:
            mine, theirs, fields = _by_major(mine), _by_major(theirs), ("version", "status")
        for key in sorted(set(mine) | set(theirs)):
            if key not in theirs:
                found.append(Difference(kind, key, "removed"))
            elif key not in mine:
                found.append(Difference(kind, key, "added"))
            else:
                found.extend(_changes(kind, key, mine[key], theirs[key], fields))
    return found


def compare(
    left: str,
    right: str,
    *,
    kinds: Iterable[str] = KINDS,
    major: bool = False,
    store: SessionStore | None = None,
    client_for: ClientFor | None = None,
    **options: Any,
) -> list[Difference]:
    """Read the inventories of sessions *left* and *right* at once and compare them.

    from oic_magic import compare
    for difference in compare("dev", "prod"):
        print(difference)
    """
    chosen = _checked_kinds(kinds)
    inventories = across(
        [left, right],
        lambda client: read_inventory(client, kinds=chosen),
        store=store,
        client_for=client_for,
        what="reading the inventory",
        **options,
    )
    return drift(inventories[left], inventories[right], major=major)


def _checked_kinds(kinds: Iterable[str]) -> list[str]:
    chosen = [kinds] if isinstance(kinds, str) else list(kinds)
    unknown = [k for k in chosen if k not in FIELDS]
    if unknown or not chosen:
        raise ValueError(f"kinds {unknown or chosen!r}: choose from {', '.join(KINDS)}")
    return chosen


def _read_rows(client: OICClient, lookups: dict[str, Record]) -> None:
    def rows(name: str) -> frozenset[tuple[str, ...]]:
        body = client.get(f"lookups/{name}/archive")
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else str(body or "")
        lines = list(csv.reader(io.StringIO(text)))
        return frozenset(tuple(line) for line in lines)  # the header row included

    names = sorted(lookups)
    with ThreadPoolExecutor(LOOKUP_READS, thread_name_prefix="oic-lookup-rows") as pool:
        for name, read in zip(names, pool.map(rows, names), strict=True):
            lookups[name]["rows"] = read


def _by_major(integrations: Mapping[str, Record]) -> dict[str, Record]:
    newest: dict[str, Record] = {}
    for record in integrations.values():
        code, version = str(record.get("code")), str(record.get("version"))
        key = f"{code}|{version.split('.', 1)[0]}"
        if key not in newest or _version_key(version) > _version_key(newest[key]["version"]):
            newest[key] = record
    return newest


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def _changes(
    kind: str, key: str, mine: Record, theirs: Record, fields: Sequence[str]
) -> list[Difference]:
    out = []
    for name in fields:
        a, b = _value(mine, name), _value(theirs, name)
        if a == b:
            continue
        if name == "rows":
            out.append(_rows_change(kind, key, a or frozenset(), b or frozenset()))
        else:
            out.append(Difference(kind, key, "changed", name, a, b))
    return out


def _rows_change(kind: str, key: str, a: frozenset[Any], b: frozenset[Any]) -> Difference:
    detail = f"{len(a - b)} rows only on the left, {len(b - a)} only on the right"
    return Difference(kind, key, "changed", "rows", len(a), len(b), detail)


def _value(record: Record, dotted: str) -> Any:
    value: Any = record
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if dotted == "status" and value is None and isinstance(record.get("state"), dict):
        value = record["state"].get("status")  # Gen3 projects nest it in state
    return value
