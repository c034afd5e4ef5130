"""A cell that waits for a person: the widgets keep answering while the kernel blocks.

"Run All" runs the next cell as soon as ``%oic_login`` returns, so a form that returns at
once leaves the next cell without a session. The magic waits instead, and while it waits
the widgets' messages (a click, a typed field) must still reach the kernel: ipykernel
handles one message at a time, and the cell is that message. ``jupyter-ui-poll`` processes
the widget messages from inside the cell and replays the queued cells afterwards.

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
