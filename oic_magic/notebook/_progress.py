"""Progress shown while a person watches: pages of a list, an activation under way.

ipywidgets are imported only when a bar is made; headless runs get none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core._activation import FAILED, WaitProgress
from . import _login

__all__ = ["activation_progress", "page_progress"]


def page_progress(shell: Any) -> Callable[[int, int | None], None] | None:
    """An ipywidgets bar shown from the second page on; nothing when nobody watches."""
    if _login.is_headless(shell):
        return None
    import ipywidgets as w
    from IPython.display import display

    bar = w.IntProgress(min=0, max=1, description="Pages")
    shown = False

    def report(done: int, total: int | None) -> None:
        nonlocal shown
        if total is not None and total <= 1:
            return
        if not shown:
            display(bar)
            shown = True
        bar.max = max(total or done + 1, done)
        bar.value = done
        bar.description = f"{done}/{total or '?'} pages"

    return report


def activation_progress(*, wanted: str, timeout: float) -> WaitProgress:
    """A bar filling towards the timeout while OIC works, shown once there is a wait."""
    import ipywidgets as w
    from IPython.display import display

    bar = w.FloatProgress(min=0.0, max=max(timeout, 1.0), description="Activation")
    label = w.Label()
    shown = False

    def report(status: str, elapsed: float) -> None:
        nonlocal shown
        final = status in (wanted, FAILED)
        if final and not shown:
            return  # done at the first look: nothing to watch
        if not shown:
            display(w.HBox([bar, label]))
            shown = True
        bar.value = min(elapsed, bar.max)
        label.value = f"{status}, {elapsed:.0f}s"
        if final:
            bar.bar_style = "success" if status == wanted else "danger"

    return report
