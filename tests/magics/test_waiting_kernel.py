"""A waiting cell in a real ipykernel: what arrives meanwhile is handled or kept, never lost.

"Run All" sends every cell at once. While ``%oic_login`` waits at its form, the cell
pumps the kernel's shell messages itself (``oic_magic.notebook._waiting``); the next
cells' execute requests that arrive meanwhile must run after it, in order. The kernel is
a real one (this interpreter, over ZeroMQ), its client jupyter_client's.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from typing import Any

import pytest

from oic_magic.report._build import pinned_kernel

WAIT = """
from oic_magic.notebook._waiting import pumping
with pumping(get_ipython()) as pump:
    kind = "none" if pump is None else type(pump).__name__
    if pump is not None:
        pump({seconds})
"""


@pytest.fixture(scope="module")
def kernel() -> Iterator[Any]:
    """A real kernel of this interpreter and a blocking client connected to it."""
    from jupyter_client.manager import start_new_kernel

    with pinned_kernel():
        manager, client = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _reply(client: Any, msg_id: str, timeout: float) -> dict[str, Any]:
    """The shell reply to *msg_id* (other replies skipped), or fail after *timeout* s."""
    while True:
        try:
            reply: dict[str, Any] = client.get_shell_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no reply to {msg_id} within {timeout} s") from None
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def _started(client: Any, msg_id: str, timeout: float) -> None:
    """Wait until the kernel publishes that it runs the cell *msg_id*, and a little more."""
    while True:
        try:
            message: dict[str, Any] = client.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{msg_id} did not start within {timeout} s") from None
        if (
            message["msg_type"] == "execute_input"
            and message["parent_header"].get("msg_id") == msg_id
        ):
            time.sleep(0.5)  # inside the cell now: its pump has the socket
            return


def test_cells_sent_while_a_cell_waits_run_after_it_in_order(kernel: Any) -> None:
    """Three cells queued behind a cell that pumps for 3 s: each runs once, in order."""
    waiting = kernel.execute(WAIT.format(seconds=3.0))
    _started(kernel, waiting, 60)
    # Like Run All's next cells, these arrive while the first cell pumps.
    queued = [kernel.execute(f"order = globals().get('order', []) + [{i}]") for i in range(3)]
    first = _reply(kernel, waiting, 60)
    assert first["content"]["status"] == "ok", first["content"]
    for msg_id in queued:
        reply = _reply(kernel, msg_id, 30)
        assert reply["content"]["status"] == "ok", reply["content"]
    check = kernel.execute("", user_expressions={"order": "order", "kind": "kind"})
    expressions = _reply(kernel, check, 30)["content"]["user_expressions"]
    assert expressions["kind"]["data"]["text/plain"] == "'_InprocPump'"
    assert expressions["order"]["data"]["text/plain"] == "[0, 1, 2]"
