"""A cell that waits for a person: the widgets keep answering while the kernel blocks.

"Run All" runs the next cell as soon as ``%oic_login`` returns, so a form that returns at
once leaves the next cell without a session. The magic waits instead, and while it waits
the widgets' messages (a click, a typed field) must still reach the kernel: ipykernel
handles one message at a time, and the cell is that message.

- ipykernel before 7: ``jupyter-ui-poll`` processes the widget messages from inside the
  cell (``kernel.do_one_iteration``) and replays the queued cells afterwards.
- ipykernel 7 has no ``do_one_iteration`` (jupyter-ui-poll 1.1 then silently handles
  nothing): its shell-channel thread forwards the main shell's messages over an inproc
  socket, which :class:`_InprocPump` reads from the blocked main thread. Comm messages are
  handled at once; every other message (the next cells of "Run All") is kept and handed
  back to the kernel's own handler when the cell ends, in the order it came.

:func:`pump_for` answers the pump of a real kernel, or ``None`` where there is nothing to
pump (a plain IPython shell, a test shell): then the form returns at once, as before.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Pump", "can_pump", "pumping", "wait_until"]

#: Let *seconds* pass while the widgets' messages are handled.
Pump = Callable[[float], None]

_SLICE = 0.05


def can_pump(shell: Any) -> bool:
    """True in an ipykernel kernel, where jupyter-ui-poll can process widget messages."""
    kernel = getattr(shell, "kernel", None)
    return kernel is not None and hasattr(kernel, "shell_handlers")


@contextlib.contextmanager
def pumping(shell: Any) -> Iterator[Pump | None]:
    """Inside: a pump for *shell*'s kernel (or ``None`` when it has none)."""
    if not can_pump(shell):
        yield None
        return
    kernel = shell.kernel
    inproc = _InprocPump.of(kernel)
    if inproc is not None:
        try:
            yield inproc
        finally:
            inproc.replay()
        return
    from jupyter_ui_poll import ui_events

    with ui_events() as poll:

        def pump(seconds: float) -> None:
            end = time.monotonic() + max(seconds, 0.0)
            while True:
                poll(20)
                left = end - time.monotonic()
                if left <= 0:
                    return
                time.sleep(min(_SLICE, left))

        yield pump


def wait_until(done: Callable[[], bool], *, pump: Pump, timeout: float) -> bool:
    """Pump until ``done()`` or *timeout* seconds; whether it got done."""
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() >= end:
            return False
        pump(0.1)
    return True


_COMM = ("comm_open", "comm_msg", "comm_close")


class _InprocPump:
    """ipykernel 7: read the main shell's inproc socket while the cell blocks."""

    def __init__(self, kernel: Any, socket: Any) -> None:
        self._kernel = kernel
        self._socket = socket
        self._held: list[Any] = []

    @classmethod
    def of(cls, kernel: Any) -> _InprocPump | None:
        """The pump for an ipykernel 7 kernel, or None (another kernel: jupyter-ui-poll)."""
        thread = getattr(kernel, "shell_channel_thread", None)
        try:
            pair = thread.manager.get_shell_channel_to_subshell_pair(None)  # type: ignore[union-attr]
            kernel._get_shell_context_var, kernel._shell_parent_ident, kernel.shell_main  # noqa: B018
        except AttributeError:
            return None
        return cls(kernel, pair.to_socket)

    def __call__(self, seconds: float) -> None:
        end = time.monotonic() + max(seconds, 0.0)
        while True:
            self._drain()
            left = end - time.monotonic()
            if left <= 0:
                return
            self._socket.poll(timeout=int(min(_SLICE, left) * 1000) + 1)

    def _drain(self) -> None:
        import zmq

        while True:
            try:
                frames = self._socket.recv_multipart(zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return
            self._handle(frames)

    def _handle(self, frames: Any) -> None:
        kernel = self._kernel
        # Only a peek at the header (content=False): unpacking the content records the
        # message's signature, and the kernel refuses a held message replayed later as a
        # "Duplicate Signature" (the next cell of Run All would be dropped unseen).
        _idents, rest = kernel.session.feed_identities(frames, copy=False)
        kind = kernel.session.deserialize(rest, content=False, copy=False)["header"]["msg_type"]
        if kind not in _COMM:
            self._held.append(frames)
            return
        idents, rest = kernel.session.feed_identities(frames, copy=False)
        msg = kernel.session.deserialize(rest, content=True, copy=False)
        # The cell's own parent is restored afterwards, so its output stays in its cell.
        parent = kernel.get_parent("shell")
        ident = kernel._get_shell_context_var(kernel._shell_parent_ident)
        kernel.set_parent(idents, msg, channel="shell")
        try:
            result = kernel.shell_handlers[kind](kernel.shell_stream, idents, msg)
            if hasattr(result, "close"):  # a coroutine cannot run here; none is expected
                result.close()
        except Exception:  # a widget handler's error must not end the wait
            kernel.log.error("Exception in a widget message handler", exc_info=True)
        finally:
            kernel.set_parent(ident, parent, channel="shell")

    def replay(self) -> None:
        """Hand the held messages back to the kernel, in order, once the cell is done."""
        import asyncio

        held, self._held = self._held, []
        for frames in held:
            asyncio.ensure_future(self._kernel.shell_main(None, frames))
