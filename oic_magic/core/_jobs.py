"""Long-running imports: a ``202 Accepted`` with a ``Location`` (or a job id) is waited for.

OIC answers some imports and exports at once (``204`` + ``Location`` of the new
resource) and others as a job (``202`` and where to ask: the ``Location`` header, a
``location`` field, or a ``jobId``). How a job reports its end is not published for
every endpoint, so every spelling seen is read: ``status``, ``overallStatus`` or
``state``; ``COMPLETED``/``SUCCEEDED``/``SUCCESS``/``DONE``/``FINISHED`` end it well,
``FAILED``/``ERROR``/``ABORTED``/``CANCELLED`` badly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from ..exceptions import JobFailedError, ResponseFormatError
from ._bounds import INTERVAL, WAIT
from ._responses import parse_body

__all__ = ["finish"]

DONE = frozenset({"COMPLETED", "SUCCEEDED", "SUCCESS", "DONE", "FINISHED"})
FAILED = frozenset({"FAILED", "ERROR", "ABORTED", "CANCELLED", "CANCELED"})
_STATUS_KEYS = ("status", "overallStatus", "state")


def job_status(body: Any) -> str | None:
    """The job's status, upper case, from whichever field carries it."""
    if not isinstance(body, dict):
        return None
    for key in _STATUS_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value:
            return value.upper()
    return None


def finish(
    client: Any,
    response: httpx.Response,
    *,
    timeout: float = 300.0,
    interval: float = 1.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> str | None:
    """Where the result is (the ``Location`` of what was made), once the job is done.

    A 2xx answer other than 202 is done already: its ``Location`` (or None). A 202 is
    polled at its ``Location`` every *interval* seconds; a failed job, or one still
    running after *timeout* seconds, raises
    :class:`~oic_magic.exceptions.JobFailedError` (a timed-out job may still finish).
    """
    timeout = WAIT.seconds(timeout, "timeout")
    interval = INTERVAL.seconds(interval, "interval")
    if response.status_code != 202:
        location: str | None = response.headers.get("location")
        return location
    body = parse_body(response, what="the accepted job") if response.content else None
    where = response.headers.get("location") or _field(body, "location")
    if not where and _field(body, "jobId"):
        raise ResponseFormatError(
            f"OIC accepted job {_field(body, 'jobId')} without saying where to follow it "
            "(no Location): check it in OIC's console"
        )
    if not where:
        raise ResponseFormatError("OIC answered 202 Accepted without a Location to follow")
    started = clock()
    while True:
        answer = client.get(where)
        status = job_status(answer)
        if status in DONE:
            return _field(answer, "location") or where
        if status in FAILED:
            raise JobFailedError(where=where, status=status or "", details=_details(answer))
        if clock() - started >= timeout:
            raise JobFailedError(
                where=where,
                status=status or "unknown",
                details=f"still running after {timeout:g} s; it may yet finish",
            )
        sleep(interval)


def _field(body: Any, name: str) -> str | None:
    value = body.get(name) if isinstance(body, dict) else None
    return str(value) if value else None


def _details(body: Any) -> str:
    for key in ("details", "detail", "message", "error"):
        value = _field(body, key)
        if value:
            return value
    return ""
