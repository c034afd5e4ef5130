"""Recovery of errored instances: resubmit and discard, by ids or by criteria; recovery jobs.

- ``POST monitoring/errors/resubmit`` and ``.../discard`` take ``{"ids": [...]}`` (at most
  :data:`MAX_IDS`; more is 400) or criteria: ``{flowCode, flowVersion, timewindow}`` or
  ``{connectionCode, startDate, endDate}``. They answer 202 with ``accepted-ids``,
  ``invalid-ids`` (unknown, or not an error), ``non-recoverable-ids`` and, for a resubmit,
  ``recovery-job-id`` and ``resubmitted-instances-count``.
- A recovery job runs on the emulator's clock: ``IN_PROGRESS`` for :data:`JOB_SECONDS`
  (per started ten instances), then ``COMPLETED``. Its instances then completed, except
  about one in ten that fails again (chosen by id, so it is the same every run).
- ``GET monitoring/errors/recoveryJobs`` lists the jobs; ``q={primaryValue:'<job id>'}``
  picks one.
"""

from __future__ import annotations

import itertools
import math
import threading
import zlib
from typing import Any

from ._clock import Clock, oic_timestamp, parse_moment
from ._data import Dataset, Record
from ._listing import BadRequest, envelope, not_found, page_of, parse_q
from ._resources import Limits

MAX_IDS = 50
JOB_SECONDS = 2.0
_SPANS = {"1h": 3600.0, "6h": 21600.0, "1d": 86400.0, "2d": 172800.0, "3d": 259200.0}


def connection_of(data: Dataset, record: Record) -> str | None:
    """The connection an errored instance failed on: one its integration uses, by id."""
    integration = data.integrations.get(f"{record['code']}|{record['version']}", {})
    deps = [d["id"] for d in integration.get("dependencies", {}).get("connections", [])]
    if not deps:
        return None
    return str(deps[zlib.crc32(record["id"].encode()) % len(deps)])


def fails_again(ident: str) -> bool:
    """About one resubmitted instance in ten fails again (the same ones every run)."""
    return zlib.crc32(ident.encode()) % 10 == 0


class Recovery:
    """Resubmissions, discards and the recovery jobs they start."""

    def __init__(self, *, data: Dataset, clock: Clock, limits: Limits) -> None:
        self.data, self.clock, self.limits = data, clock, limits
        self.jobs: dict[str, Record] = {}
        #: Seconds (emulator clock) a job takes per started ten instances.
        self.seconds = JOB_SECONDS
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    # -- acting ---------------------------------------------------------------------------
    def act(self, action: str, body: dict[str, Any]) -> Record:
        """``POST monitoring/errors/resubmit`` or ``.../discard``."""
        records, invalid = self._chosen(body)
        with self._lock:
            self._settle()
            accepted = [r for r in records if not r["nonRecoverable"] or action == "discard"]
            refused = [r["id"] for r in records if r not in accepted]
            answer: Record = {
                "accepted-ids": [r["id"] for r in accepted],
                "invalid-ids": invalid,
                "non-recoverable-ids": refused,
            }
            if action == "discard":
                for record in accepted:
                    record["status"] = "ABORTED"
                    record["_recovery"] = "DISCARDED"
                answer["discarded-instances-count"] = len(accepted)
                return answer
            job = self._start(accepted) if accepted else None
            answer["recovery-job-id"] = None if job is None else job["primaryValue"]
            answer["resubmitted-instances-count"] = len(accepted)
            return answer

    def _chosen(self, body: dict[str, Any]) -> tuple[list[Record], list[str]]:
        ids = body.get("ids")
        if ids is not None:
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                raise BadRequest("ids must be a list of instance ids")
            if len(ids) > MAX_IDS:
                raise BadRequest(f"at most {MAX_IDS} ids in one request (got {len(ids)})")
            records, invalid = [], []
            for ident in dict.fromkeys(ids):
                record = self.data.instance_index.get(ident)
                if record is None or record["status"] != "FAILED":
                    invalid.append(ident)
                else:
                    records.append(record)
            return records, invalid
        return self._by_criteria(body), []

    def _by_criteria(self, body: dict[str, Any]) -> list[Record]:
        failed = [r for r in self.data.instances if r["status"] == "FAILED"]
        now = self.clock.now()
        if "flowCode" in body:
            window = str(body.get("timewindow", "1h")).lower()
            if window not in _SPANS:
                raise BadRequest(f"timewindow must be one of {', '.join(_SPANS)}")
            since = now - _SPANS[window]
            version = body.get("flowVersion")
            return [
                r
                for r in failed
                if r["code"] == body["flowCode"]
                and (version is None or r["version"] == version)
                and r["_created"] >= since
            ]
        if "connectionCode" in body:
            try:
                start = parse_moment(str(body["startDate"])) if "startDate" in body else 0.0
                end = parse_moment(str(body["endDate"])) if "endDate" in body else now
            except ValueError:
                raise BadRequest("startDate/endDate must look like 2025-02-24 07:34:37") from None
            return [
                r
                for r in failed
                if start <= r["_created"] <= end
                and connection_of(self.data, r) == body["connectionCode"]
            ]
        raise BadRequest(
            "give ids, or criteria: {flowCode, flowVersion, timewindow} or "
            "{connectionCode, startDate, endDate}"
        )

    def _start(self, records: list[Record]) -> Record:
        number = next(self._numbers)
        now = self.clock.now()
        ident = f"RJ{number:06d}"
        for record in records:
            record["_recovery"] = "RESUBMITTED"
            record["retryCount"] = record.get("retryCount", 0) + 1
        job: Record = {
            "id": ident,
            "primaryValue": ident,
            "status": "IN_PROGRESS",
            "totalCount": len(records),
            "succeededCount": 0,
            "failedCount": 0,
            "createdDate": oic_timestamp(now),
            "lastUpdatedDate": oic_timestamp(now),
            "_ends": now + self.seconds * math.ceil(len(records) / 10),
            "_records": records,
        }
        self.jobs[ident] = job
        return job

    def _settle(self) -> None:
        """Finish the jobs whose time has come: their instances completed or failed again."""
        now = self.clock.now()
        for job in self.jobs.values():
            if job["status"] != "IN_PROGRESS" or now < job["_ends"]:
                continue
            again = 0
            for record in job["_records"]:
                if fails_again(record["id"]):
                    again += 1
                    record["_recovery"] = "FAILED_AGAIN"
                else:
                    record["status"] = "COMPLETED"
                    record["_recovery"] = "RECOVERED"
                    record["lastTrackedTime"] = oic_timestamp(job["_ends"])
            job.update(
                status="COMPLETED",
                succeededCount=len(job["_records"]) - again,
                failedCount=again,
                lastUpdatedDate=oic_timestamp(job["_ends"]),
            )

    # -- reading --------------------------------------------------------------------------
    def recovery_jobs(self, query: dict[str, str]) -> dict[str, Any]:
        """``GET monitoring/errors/recoveryJobs`` (``q={primaryValue:'RJ000001'}`` picks one)."""
        page = page_of(
            query,
            default=self.limits.monitoring_default,
            maximum=self.limits.monitoring_limit_max,
            max_offset=self.limits.monitoring_offset_max,
            strict=True,
        )
        with self._lock:
            self._settle()
            jobs = list(reversed(self.jobs.values()))
        for condition in parse_q(query["q"]) if "q" in query else []:
            key = condition.key.lower()
            if key in ("primaryvalue", "id"):
                jobs = [j for j in jobs if j["primaryValue"] == condition.value]
            elif key == "status":
                jobs = [j for j in jobs if j["status"] == condition.value]
            elif key != "timewindow":
                raise BadRequest(f"q: unknown key {condition.key!r}; known: primaryValue, status")
        chunk = jobs[page.offset : page.offset + page.limit]
        return envelope([_public(j) for j in chunk], len(jobs), page, total_key="totalRecordsCount")

    def recovery_job(self, ident: str) -> Record:
        """``GET monitoring/errors/recoveryJobs/{id}``."""
        with self._lock:
            self._settle()
            job = self.jobs.get(ident)
        if job is None:
            raise not_found("Recovery job", ident)
        return _public(job)

    def settle(self) -> None:
        """Bring the jobs up to the clock (before an instance is read)."""
        with self._lock:
            self._settle()


def _public(job: Record) -> Record:
    out = {k: v for k, v in job.items() if not k.startswith("_")}
    out["instanceIds"] = [r["id"] for r in job["_records"]]
    return out
