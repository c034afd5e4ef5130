"""The activity stream of one instance: milestones as a tree, payloads behind links.

- ``GET monitoring/instances/{id}/activityStreamDetails``: ``{instanceId, status, items}``,
  each item a milestone (``id, name, type, status, date, elapsedTime, isErrorMilestone,
  payloadExists, loopIterations, links[rel=payload], children``).
- ``GET monitoring/instances/{id}/activityStream``: the deprecated flat form.
- ``GET monitoring/instances/{id}/activityStreamDetails/payloads/{n}``: the payload text.
- Retention: an instance older than :data:`RETENTION` is purged (410 on every read); its
  payloads are kept :data:`DEBUG_RETENTION` (then ``payloadExists`` is false and the
  payload link answers 410).
"""

from __future__ import annotations

import json
import random
from typing import Any

from ._clock import Clock, oic_timestamp
from ._data import DAY, Dataset, Record
from ._listing import ApiError, not_found
from ._resources import API

RETENTION = 32 * DAY
DEBUG_RETENTION = DAY


class Activity:
    """Activity streams and payloads, made from the instance's seed-like id."""

    def __init__(self, *, data: Dataset, clock: Clock) -> None:
        self.data, self.clock = data, clock
        self.design_url = ""

    def _record(self, ident: str) -> Record:
        record = self.data.instance_index.get(ident)
        if record is None:
            raise not_found("Instance", ident)
        if self.clock.now() - record["_created"] > RETENTION:
            raise ApiError(
                410, "Gone", f"Instance {ident} has been purged: it is past the retention period"
            )
        return record

    def details(self, ident: str) -> Record:
        """``activityStreamDetails``."""
        record = self._record(ident)
        return {
            "instanceId": ident,
            "integrationId": record["code"],
            "version": record["version"],
            "status": record["status"],
            "items": _milestones(record, self._links(record)),
        }

    def flat(self, ident: str) -> Record:
        """The deprecated ``activityStream``: one message per milestone, no tree."""
        record = self._record(ident)
        rows: list[Record] = []

        def walk(nodes: list[Record]) -> None:
            for node in nodes:
                rows.append(
                    {
                        "id": node["id"],
                        "message": f"{node['name']} {node['status'].lower()}",
                        "date": node["date"],
                        "type": node["type"],
                    }
                )
                walk(node.get("children", []))

        walk(_milestones(record, lambda _n: []))
        return {"instanceId": ident, "items": rows}

    def payload(self, ident: str, number: str) -> bytes:
        """One milestone's payload (JSON text), 410 past the debug retention."""
        record = self._record(ident)
        if not _payloads_kept(record, self.clock.now()):
            raise ApiError(
                410,
                "Gone",
                f"The payloads of instance {ident} are past retention: with debug tracing "
                "OIC keeps them 24 hours",
            )
        rng = random.Random(f"{ident}/{number}")
        size = rng.choice((1, 2, 4, 40, 400)) * 256
        body = {
            "instance": ident,
            "milestone": number,
            "primaryValue": record["primaryValue"],
            "lines": [f"line {i}: " + "x" * 40 for i in range(size // 50)],
        }
        return json.dumps(body).encode()

    def _links(self, record: Record) -> Any:
        kept = _payloads_kept(record, self.clock.now())
        base = f"{self.design_url}{API}/monitoring/instances/{record['id']}"

        def links(number: str) -> list[Record]:
            if not kept:
                return []
            return [{"rel": "payload", "href": f"{base}/activityStreamDetails/payloads/{number}"}]

        return links, kept


def _payloads_kept(record: Record, now: float) -> bool:
    return bool(now - record["_created"] <= DEBUG_RETENTION)


def _milestones(record: Record, links: Any) -> list[Record]:
    """Receive, a few invokes (one in a loop), and the end or the fault."""
    make_links, kept = links if isinstance(links, tuple) else (links, False)
    rng = random.Random(record["id"])
    start = record["_created"]
    total = (record["duration"] or 1000) / 1000
    failed = record["status"] == "FAILED"
    steps = rng.randint(2, 4)
    at = [start + total * i / (steps + 2) for i in range(steps + 3)]
    number = iter(range(1, 100))

    def node(name: str, kind: str, when: float, *, error: bool = False, **extra: Any) -> Record:
        ident = str(next(number))
        out: Record = {
            "id": ident,
            "name": name,
            "type": kind,
            "status": "FAILED" if error else "COMPLETED",
            "date": oic_timestamp(when),
            "elapsedTime": int((when - start) * 1000),
            "isErrorMilestone": error,
            "payloadExists": kept and kind in ("RECEIVE", "INVOKE"),
            "links": make_links(ident) if kind in ("RECEIVE", "INVOKE") else [],
        }
        out.update(extra)
        return out

    items = [node("Receive: Trigger", "RECEIVE", at[0])]
    loop = node("For each: lines", "LOOP", at[1], loopIterations=rng.randint(2, 5))
    loop["children"] = [node("Invoke: Lookup", "INVOKE", at[1])]
    items.append(loop)
    for index in range(steps):
        last = index == steps - 1
        error = failed and last
        label = record.get("faultLocation") if error else None
        items.append(
            node(label or f"Invoke: Step{index + 1}", "INVOKE", at[2 + index], error=error)
        )
    if failed:
        items.append(
            node(
                "Fault: " + str(record.get("errorCode", "")),
                "FAULT",
                at[-1],
                error=True,
                errorMessage=record.get("errorMessage"),
            )
        )
    else:
        items.append(node("Stop", "END", at[-1]))
    return items
