"""Resubmit and discard errored instances: a plan first, then the act, then the jobs' end.

1. :func:`plan_recovery` reads what would be touched, and touches nothing: the errors
   named by id (``GET monitoring/errors/{id}``; an id that is no error is *invalid*), or
   those matching criteria (integration ``CODE`` or ``CODE|VERSION``, connection, time
   window) read whole with ``paginate``. Each is recoverable or not, as OIC says.
2. :func:`recover` acts on exactly the plan's ids, never on criteria again: an error that
   arrived after the preview is not touched unseen. Ids go in batches of at most
   :data:`BATCH` (``POST monitoring/errors/resubmit`` or ``.../discard`` with
   ``{"ids": [...]}``); OIC's ``accepted-ids``, ``invalid-ids`` and
   ``non-recoverable-ids`` come back as one row per id, with the batch's recovery job.
3. :func:`wait_for_recovery` polls ``monitoring/errors/recoveryJobs`` (``q={primaryValue:
   '<job id>'}``) until every job has left ``IN_PROGRESS``, on the client's clock and
   sleep (the seams activation waits use), or raises
   :class:`~oic_magic.exceptions.RecoveryTimeoutError`.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from ..exceptions import APIStatusError, RecoveryTimeoutError, RequestError, ResponseFormatError
from ._bounds import INTERVAL, WAIT
from ._responses import parse_body

if TYPE_CHECKING:  # pragma: no cover
    from ._client import OICClient

__all__ = [
    "BATCH",
    "RecoveryPlan",
    "RecoveryResult",
    "plan_recovery",
    "recover",
    "wait_for_recovery",
]

#: Ids sent in one resubmit or discard request (OIC's callers send at most 50).
BATCH = 50
Action = Literal["resubmit", "discard"]
_RUNNING = frozenset({"IN_PROGRESS", "INPROGRESS", "RUNNING", "QUEUED", "PENDING", "SUBMITTED"})
_CONNECTION_FIELDS = ("connectionCode", "connectionId", "connection")


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecoveryPlan:
    """What a resubmit or discard would touch: read, not yet acted on.

    ``errors`` are the errored instances found (OIC's error items); ``ids`` those that
    would be sent (for a resubmit the recoverable ones, for a discard all of them);
    ``not_recoverable`` those a resubmit leaves alone; ``invalid`` the given ids that are
    no error; ``criteria`` says in words how they were chosen.
    """

    action: Action
    errors: tuple[dict[str, Any], ...]
    ids: tuple[str, ...]
    not_recoverable: tuple[str, ...]
    invalid: tuple[str, ...]
    criteria: str

    @property
    def batches(self) -> list[tuple[str, ...]]:
        """The ids as they will be sent: at most :data:`BATCH` per request."""
        return [self.ids[i : i + BATCH] for i in range(0, len(self.ids), BATCH)]

    def describe(self) -> str:
        """One line: how many would be touched, in how many requests, and what is left."""
        verb = "resubmitted" if self.action == "resubmit" else "discarded"
        parts = [
            f"{len(self.ids)} error(s) would be {verb} in {len(self.batches)} request(s) "
            f"({self.criteria})"
        ]
        if self.not_recoverable:
            parts.append(f"{len(self.not_recoverable)} not recoverable, left alone")
        if self.invalid:
            parts.append(f"{len(self.invalid)} id(s) are no error: {', '.join(self.invalid[:5])}")
        return "; ".join(parts) + "."


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecoveryResult:
    """What OIC answered: one row per id (``id, outcome, batch, recoveryJobId``).

    ``outcome`` is ``accepted``, ``invalid`` (OIC's ``invalid-ids``), ``non-recoverable``
    (OIC's ``non-recoverable-ids``), or ``skipped: not recoverable`` (left out of the
    requests by the plan). ``jobs`` maps each recovery job id to its last status read
    (filled by :func:`wait_for_recovery`).
    """

    action: Action
    rows: tuple[dict[str, Any], ...]
    job_ids: tuple[str, ...]
    requests: int
    jobs: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)

    @property
    def accepted(self) -> list[str]:
        """The ids OIC accepted."""
        return [row["id"] for row in self.rows if row["outcome"] == "accepted"]


def plan_recovery(
    client: OICClient,
    action: Action,
    *,
    ids: Iterable[str] | None = None,
    integration: str | None = None,
    connection: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    where: Sequence[str] = (),
) -> RecoveryPlan:
    """Read which errors a resubmit (or discard) would touch; change nothing."""
    if action not in ("resubmit", "discard"):
        raise RequestError(f"action {action!r}: resubmit or discard")
    if ids is not None:
        wanted = list(dict.fromkeys(i.strip() for i in ids if i.strip()))
        if integration or connection or start or end or where:
            raise RequestError("give ids or criteria (integration, connection, window), not both")
        if not wanted:
            raise RequestError("no ids given")
        errors, invalid = _by_ids(client, wanted)
        criteria = f"{len(wanted)} id(s) given"
    else:
        if not (integration or connection or start or end or where):
            raise RequestError(
                "say which errors: ids, or criteria (an integration CODE or CODE|VERSION, "
                "a connection, a time window)"
            )
        errors, invalid = _by_criteria(client, integration, connection, start, end, where), []
        criteria = _words(integration, connection, start, end, where)
    bad = tuple(e["id"] for e in errors if e.get("recoverable") is False)
    chosen = tuple(e["id"] for e in errors if action == "discard" or e["id"] not in bad)
    return RecoveryPlan(
        action=action,
        errors=tuple(errors),
        ids=chosen,
        not_recoverable=bad if action == "resubmit" else (),
        invalid=tuple(invalid),
        criteria=criteria,
    )


def _by_ids(client: OICClient, ids: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    for ident in ids:
        if any(c in ident for c in "/?#") or "|" in ident:
            raise RequestError(f"{ident!r} is not an instance id")

    def read(ident: str) -> dict[str, Any] | None:
        try:
            item = client.get(f"monitoring/errors/{ident}")
        except APIStatusError as error:
            if error.status == 404:
                return None
            raise
        if not isinstance(item, dict):
            raise ResponseFormatError(f"GET monitoring/errors/{ident} answered no object.")
        return {**item, "id": item.get("id", ident)}

    workers = max(1, min(client.concurrency, len(ids)))
    with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="oic-error") as pool:
        found = list(pool.map(read, ids))
    errors = [item for item in found if item is not None]
    invalid = [ident for ident, item in zip(ids, found, strict=True) if item is None]
    return errors, invalid


def _by_criteria(
    client: OICClient,
    integration: str | None,
    connection: str | None,
    start: datetime | None,
    end: datetime | None,
    where: Sequence[str],
) -> list[dict[str, Any]]:
    conditions = list(where)
    if integration:
        code, _, version = integration.partition("|")
        conditions.append(f"code={code}")
        if version:
            conditions.append(f"version={version}")
    listing = client.paginate("monitoring/errors", where=conditions, start=start, end=end)
    errors = [item for item in listing if isinstance(item, dict)]
    if connection:
        if errors and not any(_connection(e) is not None for e in errors):
            raise RequestError(
                "this OIC names no connection on its errors (connectionCode): choose the "
                "errors by integration or time window instead"
            )
        errors = [e for e in errors if _connection(e) == connection]
    return errors


def _connection(error: dict[str, Any]) -> str | None:
    for name in _CONNECTION_FIELDS:
        value = error.get(name)
        if isinstance(value, dict):
            value = value.get("code") or value.get("id")
        if isinstance(value, str):
            return value
    return None


def _words(
    integration: str | None,
    connection: str | None,
    start: datetime | None,
    end: datetime | None,
    where: Sequence[str],
) -> str:
    said = []
    if integration:
        said.append(f"integration {integration}")
    if connection:
        said.append(f"connection {connection}")
    if start or end:
        low = start.isoformat(timespec="seconds") if start else "the window's start"
        high = end.isoformat(timespec="seconds") if end else "now"
        said.append(f"from {low} to {high}")
    said += [f"where {w}" for w in where]
    return ", ".join(said)


def recover(client: OICClient, plan: RecoveryPlan) -> RecoveryResult:
    """Send the plan's ids, :data:`BATCH` at a time; one row per id of what OIC answered."""
    rows: list[dict[str, Any]] = []
    jobs: list[str] = []
    path = f"monitoring/errors/{plan.action}"
    for number, batch in enumerate(plan.batches, start=1):
        response = client.request("POST", path, json={"ids": list(batch)})
        answer = parse_body(response, what=f"POST {path}")
        if not isinstance(answer, dict):
            answer = {}
        job = answer.get("recovery-job-id")
        job = str(job) if job not in (None, "") else None
        if job is not None:
            jobs.append(job)
        rows += _rows(batch, answer, number, job)
    rows += [
        {"id": ident, "outcome": "skipped: not recoverable", "batch": None, "recoveryJobId": None}
        for ident in plan.not_recoverable
    ]
    rows += [
        {"id": ident, "outcome": "invalid", "batch": None, "recoveryJobId": None}
        for ident in plan.invalid
    ]
    return RecoveryResult(
        action=plan.action, rows=tuple(rows), job_ids=tuple(jobs), requests=len(plan.batches)
    )


def _rows(
    batch: Sequence[str], answer: dict[str, Any], number: int, job: str | None
) -> list[dict[str, Any]]:
    def listed(key: str) -> set[str]:
        value = answer.get(key)
        return {str(v) for v in value} if isinstance(value, list) else set()

    invalid, refused = listed("invalid-ids"), listed("non-recoverable-ids")
    accepted = listed("accepted-ids")
    out = []
    for ident in batch:
        outcome = (
            "invalid"
            if ident in invalid
            else "non-recoverable"
            if ident in refused
            else "accepted"
            if ident in accepted or not accepted
            else "not answered"
        )
        out.append(
            {
                "id": ident,
                "outcome": outcome,
                "batch": number,
                "recoveryJobId": job if outcome == "accepted" else None,
            }
        )
    return out


def wait_for_recovery(
    client: OICClient,
    result: RecoveryResult,
    *,
    timeout: float = 300.0,
    interval: float = 2.0,
    progress: Callable[[str, float], None] | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> RecoveryResult:
    """Poll every recovery job of *result* to its end; the result with ``jobs`` filled."""
    timeout = WAIT.seconds(timeout, "timeout")
    interval = INTERVAL.seconds(interval, "interval")
    clock = client._clock if clock is None else clock
    sleep = client._backoff.sleep if sleep is None else sleep
    started = clock()
    jobs: dict[str, dict[str, Any]] = {}
    waiting = list(result.job_ids)
    while True:
        for job in list(waiting):
            jobs[job] = _read_job(client, job)
            if str(jobs[job].get("status", "")).upper() not in _RUNNING:
                waiting.remove(job)
        elapsed = max(0.0, clock() - started)
        if progress is not None:
            progress(f"{len(result.job_ids) - len(waiting)}/{len(result.job_ids)} done", elapsed)
        if not waiting:
            return dataclasses.replace(result, jobs=jobs)
        if elapsed >= timeout:
            raise RecoveryTimeoutError(
                f"{len(waiting)} recovery job(s) still running after {timeout:g}s: "
                f"{', '.join(waiting)}; they may still finish.",
                jobs=jobs,
                hint="Look again with %oic GET monitoring/errors/recoveryJobs "
                f"--where primaryValue={waiting[0]}, or wait longer "
                "(%config OICMagics.recovery_timeout = 600).",
            )
        sleep(min(interval, timeout - elapsed))


def _read_job(client: OICClient, job: str) -> dict[str, Any]:
    body = client.get("monitoring/errors/recoveryJobs", params={"q": f"{{primaryValue:'{job}'}}"})
    items = body.get("items") if isinstance(body, dict) else None
    found = [i for i in items or [] if isinstance(i, dict)]
    mine = [i for i in found if str(i.get("primaryValue", i.get("id"))) == job] or found
    if not mine:
        raise ResponseFormatError(f"OIC lists no recovery job {job}.")
    return mine[0]
