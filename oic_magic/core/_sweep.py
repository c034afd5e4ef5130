"""Connection sweep: test every connection (or a chosen few) with bounded concurrency.

``POST connections/{id}/test`` answers ``{"status": "SUCCESS", ...}`` when OIC reached
the endpoint; any other status is a failure in OIC's words (``details``). 409 means the
connection is not configured (a draft), 412 that it is locked; both are outcomes, not
errors, so one sweep reports on every connection. A test changes nothing in OIC, but it
does reach out to each endpoint: run it against production when its owners expect it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ..exceptions import APIStatusError, OICError
from ._bounds import CONCURRENCY
from ._client import OICClient

__all__ = ["ConnectionTest", "sweep"]

#: Connections tested at the same time: enough to be quick, few enough for the endpoints.
TESTS_AT_ONCE = 4
_OUTCOMES = {409: "not configured", 412: "locked"}


@dataclass(frozen=True)
class ConnectionTest:
    """One connection's test: ``outcome`` is ``success``, ``failed``, ``not configured``,
    ``locked`` or ``error`` (no answer from OIC); ``detail`` is OIC's words."""

    id: str
    outcome: str
    http_status: int | None = None
    detail: str = ""


def sweep(
    client: OICClient,
    *,
    ids: Iterable[str] | None = None,
    where: Sequence[str] = (),
    concurrency: int = TESTS_AT_ONCE,
) -> list[ConnectionTest]:
    """Test the connections *ids* (default: every one, filtered by *where*); a row each."""
    concurrency = CONCURRENCY.count(concurrency, "concurrency")
    chosen = sorted(str(r["id"]) for r in client.paginate("connections", where=list(where)).items)
    if ids is not None:
        chosen = list(ids)
    with ThreadPoolExecutor(concurrency, thread_name_prefix="oic-sweep") as pool:
        return list(pool.map(lambda ident: _test(client, ident), chosen))


def _test(client: OICClient, ident: str) -> ConnectionTest:
    try:
        response = client.request("POST", f"connections/{ident}/test")
    except APIStatusError as error:
        outcome = _OUTCOMES.get(error.status, "failed")
        return ConnectionTest(ident, outcome, error.status, error.server_message)
    except OICError as error:
        return ConnectionTest(ident, "error", None, str(error))
    body: Any = response.json() if response.content else {}
    status = str(body.get("status", "")).upper() if isinstance(body, dict) else ""
    detail = str(body.get("details") or "") if isinstance(body, dict) else ""
    outcome = "success" if status == "SUCCESS" else "failed"
    return ConnectionTest(ident, outcome, response.status_code, detail or status)
