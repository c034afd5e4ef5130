"""Monitoring windows, long operations and the emulator's answer variants, fed bad answers.

A server ``Date`` of any form beside any envelope on a windowed list; any JSON as the answer
to activations, jobs, recovery, sweeps and inventories (on a fake clock); each way OIC may
shape its lists with a bad page injected. Only results and the project's errors come out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from core._core_fake import settings
from hypothesis import example, given
from hypothesis import strategies as st

from oic_magic import (
    APIStatusError,
    IncompleteResultError,
    OICClient,
    OICError,
    ResponseFormatError,
    TransportError,
)
from oic_magic.emulator import Emulator

from ._inputs import ENVELOPE, JSON
from ._served import (
    CAP,
    FAST,
    HEADER_VALUE,
    Waits,
    client_for,
    dumps,
    header_bytes,
    transport,
)

pytestmark = pytest.mark.timeout(120)


# -- monitoring lists: the server's clock and totals ---------------------------------------------

DATE_SEEDS = (
    "Fri, 31 Dec 9999 23:59:59 GMT",  # the review's class: a window ending in the year 10000
    "Mon, 01 Jan 1900 00:00:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 +9999",
    "Sat, 01 Jan 0001 00:00:00 -2359",
    "garbage",
    "",
)
RECORDS = [
    {"id": f"I{i}", "creationDate": "2026-01-01T00:00:00Z", "status": "COMPLETED"} for i in range(3)
]


@FAST
@given(
    date=st.one_of(st.sampled_from(DATE_SEEDS), HEADER_VALUE),
    envelope=ENVELOPE,
    path=st.sampled_from(["monitoring/instances", "monitoring/errors"]),
)
@example(date="Fri, 31 Dec 9999 23:59:59 GMT", envelope={"totalRecordsCount": 3}, path=None)
def test_a_monitoring_list_with_any_server_date_and_envelope(
    date: str | bytes, envelope: dict[str, Any], path: str | None
) -> None:
    """Any Date header and envelope on a windowed list: the records or the project's errors."""

    def api(request: httpx.Request) -> httpx.Response:
        body = dumps({"items": RECORDS, **envelope})
        headers = [(b"Content-Type", b"application/json"), (b"Date", header_bytes(date))]
        return httpx.Response(200, headers=headers, content=body)

    with client_for(api, Waits(), retries=0, rereads=0) as client:
        try:
            listing = client.paginate(path or "monitoring/instances")
        except (IncompleteResultError, ResponseFormatError) as error:
            assert error.hint
            return
    assert [record["id"] for record in listing] == [record["id"] for record in RECORDS]


# -- every operation that reads OIC's answers ------------------------------------------------


def _operations(
    client: OICClient, clock: list[float], sleep: Callable[[float], None]
) -> dict[str, Callable[[], object]]:
    """Each operation that polls or parses OIC's answers, on the fake clock *clock*."""
    from oic_magic import dependencies, plan_recovery, recover, sweep, wait_for_recovery
    from oic_magic.core._drift import read_inventory
    from oic_magic.core._jobs import finish
    from oic_magic.core._recovery import RecoveryResult

    job = RecoveryResult(action="resubmit", rows=(), job_ids=("J1",), requests=1)
    accepted = httpx.Response(202, headers={"Location": "/ic/api/integration/v1/jobs/1"})
    return {
        "activate": lambda: client.activate("A|01", timeout=5, interval=1),
        "wait_for_activation": lambda: client.wait_for_activation("A|01", timeout=5, interval=1),
        "sweep": lambda: sweep(client),
        "dependencies": lambda: dependencies(client),
        "read_inventory": lambda: read_inventory(client),
        "recover": lambda: recover(client, plan_recovery(client, "resubmit", ids=["x"])),
        "wait_for_recovery": lambda: wait_for_recovery(client, job, timeout=5, interval=1),
        "job": lambda: finish(
            client, accepted, timeout=5, interval=1, clock=lambda: clock[0], sleep=sleep
        ),
        "monitoring": lambda: client.paginate("monitoring/errors"),
    }


OPERATIONS = [
    "activate", "dependencies", "job", "monitoring", "read_inventory", "recover", "sweep",
    "wait_for_activation", "wait_for_recovery",
]  # fmt: skip


@FAST
@given(body=JSON, status=st.sampled_from([200, 201, 202]), operation=st.sampled_from(OPERATIONS))
@example(body={"activationStatus": float("nan")}, status=200, operation="wait_for_activation")
@example(body={"status": ["FAILED"], "location": 5}, status=202, operation="job")
@example(body={"recovery-job-id": {"x": 1}}, status=202, operation="recover")
def test_any_json_answer_to_every_operation(body: Any, status: int, operation: str) -> None:
    """Activations, jobs, recovery, sweeps, inventories fed any JSON: their result or an
    OICError (a wait on a fake clock, so no real time passes)."""
    clock = [0.0]

    def api(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        return httpx.Response(status, headers=headers, content=dumps(body))

    waits = Waits()

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    with OICClient.sign_in(
        settings(), transport=transport(api), sleep=sleep, clock=lambda: clock[0], retries=0
    ) as client:
        operations = _operations(client, clock, sleep)
        assert sorted(operations) == OPERATIONS
        try:
            operations[operation]()
        except OICError as error:
            assert str(error)
    assert all(0 <= wait <= 5 for wait in waits)


# -- the emulator's answer variants -------------------------------------------------------------

FAULTS = ("huge", "deep", "latin1", "text", "items-not-list", "malformed", "html", "drop")


#: The variants furthest apart: trusted totals, none at all (and capped pages), a wrong one.
VARIANTS = ["default", "no-total-no-has-more-page-cap", "total-too-high", "per-page-total"]


@pytest.mark.parametrize("answers_emulator", VARIANTS, indirect=True)
def test_answer_variants_with_bad_pages(answers_emu: Emulator) -> None:
    """Ways OIC may shape its lists, each bad page: the whole list or the project's error."""
    from _emulated import demo_settings

    whole = answers_emu.backend.settings.connections
    outcomes = {}
    with OICClient.sign_in(
        demo_settings(answers_emu, timeout=5.0), retries=0, rereads=0, max_body_bytes=CAP
    ) as client:
        assert len(client.paginate("connections", page_size=25)) == whole
        for fault in FAULTS:
            answers_emu.control.inject_fault(fault, count=1, origin="design")
            try:
                listing = client.paginate("connections", page_size=25)
            except (
                IncompleteResultError,
                ResponseFormatError,
                TransportError,
                APIStatusError,
            ) as error:
                outcomes[fault] = type(error).__name__
            else:
                assert len(listing) == whole
                outcomes[fault] = "whole"
            answers_emu.control.clear_faults()
    # A garbled page is read again (twice): only the huge and dropped answers, which are
    # not, can stop the listing; each then says so with one of the project's errors.
    assert outcomes["huge"] == "ResponseFormatError"
    assert outcomes["drop"] == "TransportError"
