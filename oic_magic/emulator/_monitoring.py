"""Monitoring: instances, errors and per-integration summaries over a time window.

Resubmission and discarding are ``_recovery``'s; activity streams ``_activity``'s.

Instances are kept newest first, so a time window is a prefix found by bisection; the
other ``q`` keys scan that prefix. OIC's caps (``limit`` <= 50, ``offset`` <= 500) are
enforced with 400 unless the emulator was built with them lifted.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import Any

from ._clock import Clock, oic_timestamp, parse_moment
from ._data import DAY, Dataset, Record
from ._listing import (
    BadRequest,
    Condition,
    Page,
    compile_filter,
    envelope,
    not_found,
    page_of,
    parse_q,
)
from ._recovery import connection_of
from ._resources import API, Limits, public

WINDOWS = {
    "1h": 3600.0,
    "6h": 6 * 3600.0,
    "1d": DAY,
    "2d": 2 * DAY,
    "3d": 3 * DAY,
    "retentionperiod": 32 * DAY,
}
_ORDERS: dict[str, tuple[Callable[[Record], Any], bool] | None] = {
    "lastupdateddate": (lambda r: r["_ended"], True),
    "creationdate": None,  # the stored order
    "executiontime": (lambda r: r["duration"] or 0, True),
}
_FIELDS: dict[str, Callable[[Record], Any]] = {
    "status": lambda r: r["status"],
    "code": lambda r: r["code"],
    "version": lambda r: r["version"],
    "id": lambda r: r["id"],
    "primaryvalue": lambda r: r["primaryValue"],
    "integrationid": lambda r: r["integrationId"],
    "primaryValue": lambda r: r["primaryValue"],
}
_WINDOW_KEYS = {"timewindow", "startdate", "enddate"}


class Monitoring:
    """Read side of OIC monitoring, plus resubmission of errors."""

    def __init__(self, *, data: Dataset, clock: Clock, limits: Limits) -> None:
        self.data, self.clock, self.limits = data, clock, limits
        self.design_url = ""
        #: Called before every read (the recovery jobs catch up with the clock).
        self.before_read: Callable[[], None] = lambda: None
        self.reindex()

    def reindex(self) -> None:
        """Read the instances' creation times again (after instances were added)."""
        self._newest_first = [-r["_created"] for r in self.data.instances]

    def _window(self, query: dict[str, str]) -> tuple[list[Record], list[Condition]]:
        """Instances inside the q's time window, and the q's other conditions."""
        conditions = parse_q(query["q"]) if "q" in query else []
        window = {c.key.lower(): c.value for c in conditions if c.key.lower() in _WINDOW_KEYS}
        rest = [c for c in conditions if c.key.lower() not in _WINDOW_KEYS]
        span = WINDOWS.get(window.get("timewindow", "1h").lower())
        if span is None:
            raise BadRequest(f"timewindow must be one of {', '.join(WINDOWS)}")
        try:
            start = parse_moment(window["startdate"]) if "startdate" in window else None
            end = parse_moment(window["enddate"]) if "enddate" in window else None
        except ValueError:
            raise BadRequest("startdate/enddate must look like 2025-02-24 07:34:37") from None
        since = start if start is not None else self.clock.now() - span
        count = bisect.bisect_right(self._newest_first, -since)
        first = 0 if end is None else bisect.bisect_left(self._newest_first, -end)
        return self.data.instances[first:count], rest

    def _page(self, query: dict[str, str]) -> Page:
        page = page_of(
            query,
            default=self.limits.monitoring_default,
            maximum=self.limits.monitoring_limit_max,
            max_offset=self.limits.monitoring_offset_max,
            strict=True,
        )
        return Page(page.offset, self.limits.answers.page_limit(page.limit))

    def instances(self, query: dict[str, str], *, failed_only: bool = False) -> dict[str, Any]:
        """``monitoring/instances`` (or ``monitoring/errors`` with ``failed_only``)."""
        self.before_read()
        page = self._page(query)
        records, conditions = self._window(query)
        if failed_only:
            records = [r for r in records if r["status"] == "FAILED"]
        if conditions:
            keep = compile_filter(conditions, _FIELDS)
            records = [r for r in records if keep(r)]
        records = _ordered(records, query.get("orderBy"))
        chunk = records[page.offset : page.offset + page.limit]
        render = self._error if failed_only else self._instance
        kind = "monitoring/errors" if failed_only else "monitoring/instances"
        variant = self.limits.answers
        return envelope(
            [variant.item(kind, render(r)) for r in chunk],
            len(records),
            page,
            total_key="totalRecordsCount",
            answers=variant,
        )

    def instance(self, ident: str) -> Record:
        """``monitoring/instances/{id}``."""
        self.before_read()
        record = self.data.instance_index.get(ident)
        if record is None:
            raise not_found("Instance", ident)
        return self._instance(record)

    def _instance(self, record: Record) -> Record:
        out = public(record)
        href = f"{self.design_url}{API}/monitoring/instances/{record['id']}"
        out["links"] = [{"rel": "self", "href": href}]
        return out

    def _error(self, record: Record) -> Record:
        out = {
            k: record.get(k)
            for k in (
                "id",
                "integrationId",
                "integrationName",
                "code",
                "version",
                "creationDate",
                "lastTrackedTime",
                "primaryValue",
                "errorCode",
                "errorMessage",
                "faultLocation",
                "retryCount",
            )
        }
        out["instanceId"] = record["id"]
        out["connectionCode"] = connection_of(self.data, record)
        out["recoverable"] = not record["nonRecoverable"]
        out["recoveryStatus"] = record.get("_recovery", "NOT_RESUBMITTED")
        out["links"] = [
            {"rel": "self", "href": f"{self.design_url}{API}/monitoring/errors/{record['id']}"}
        ]
        return out

    def error(self, ident: str) -> Record:
        """``monitoring/errors/{id}``."""
        self.before_read()
        record = self.data.instance_index.get(ident)
        if record is None or record["status"] != "FAILED":
            raise not_found("Error", ident)
        return self._error(record)

    def integrations(self, query: dict[str, str]) -> dict[str, Any]:
        """``monitoring/integrations``: message counts per integration version."""
        page = self._page(query)
        records, conditions = self._window(query)
        if conditions:
            keep = compile_filter(conditions, _FIELDS)
            records = [r for r in records if keep(r)]
        summaries = _summaries(records, self.data)
        chunk = summaries[page.offset : page.offset + page.limit]
        variant = self.limits.answers
        items = [variant.item("monitoring/integrations", summary) for summary in chunk]
        return envelope(items, len(summaries), page, total_key="totalRecordsCount", answers=variant)


def _ordered(records: list[Record], order: str | None) -> list[Record]:
    key = (order or "lastupdateddate").lower()
    if key not in _ORDERS:
        raise BadRequest(f"orderBy must be one of {', '.join(_ORDERS)}")
    rule = _ORDERS[key]
    if rule is None:
        return records
    return sorted(records, key=rule[0], reverse=rule[1])


def _summaries(records: list[Record], data: Dataset) -> list[Record]:
    counts: dict[str, dict[str, Any]] = {}
    for record in records:
        ident = f"{record['code']}|{record['version']}"
        entry = counts.get(ident)
        if entry is None:
            entry = counts[ident] = {
                "COMPLETED": 0,
                "FAILED": 0,
                "ABORTED": 0,
                "IN_PROGRESS": 0,
                "last": record["_ended"],
            }
        entry[record["status"]] += 1
        entry["last"] = max(entry["last"], record["_ended"])
    out = []
    for ident in sorted(counts):
        entry, integration = counts[ident], data.integrations.get(ident, {})
        received = entry["COMPLETED"] + entry["FAILED"] + entry["ABORTED"] + entry["IN_PROGRESS"]
        out.append(
            {
                "id": ident,
                "code": ident.split("|")[0],
                "version": ident.split("|")[1],
                "name": integration.get("name"),
                "status": integration.get("status"),
                "noOfMsgsReceived": received,
                "noOfMsgsProcessed": received - entry["IN_PROGRESS"],
                "noOfSuccess": entry["COMPLETED"],
                "noOfErrors": entry["FAILED"],
                "noOfAborted": entry["ABORTED"],
                "successRate": round(100.0 * entry["COMPLETED"] / received, 2),
                "lastUpdated": oic_timestamp(entry["last"]),
            }
        )
    return out
