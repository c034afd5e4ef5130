"""Progress shown while a person watches: pages of a list, an activation under way.

ipywidgets are imported only when a bar is made; headless runs get none.
"""

from __future__ import annotations

from typing import Any

from ..core._activation import FAILED, WaitProgress
from . import _login

__all__ = ["PageBar", "QuietLine", "activation_progress", "page_progress"]


class PageBar:
    """The pages of a list being read: a bar, and beside it a label that is never clipped.

    It appears from the second page on. :meth:`finish` replaces it, where it stood, by
    one quiet line (rows, pages, seconds); :meth:`abandon` removes it (the error says
    the rest).
    """

    def __init__(self, *, page_size: int) -> None:
        import ipywidgets as w

        self.page_size = page_size
        self.bar = w.IntProgress(min=0, max=1, layout=w.Layout(width="14em"))
        # A Label sized to its text: the bar's own description is cut at about 8 letters.
        self.label = w.Label(layout=w.Layout(width="auto", overflow="visible"))
        self.box = w.HBox([self.bar, self.label], layout=w.Layout(width="auto"))
        self.handle: Any = None
        self.shown = False

    def __call__(self, done: int, total: int | None) -> None:
        if total is not None and total <= 1:
            return
        if total is None and done <= 1:
            return  # the first page of a list of unknown length: nothing to watch yet
        if not self.shown:
            from IPython.display import display

            self.handle = display(self.box, display_id=True)
            self.shown = True
        self.bar.max = max(total or done + 1, done)
        self.bar.value = done
        rows = done * self.page_size
        self.label.value = f"{done:,}/{total or '?'} pages, about {rows:,} rows"

    def finish(self, *, rows: int, pages: int, elapsed: float | None) -> None:
        """One quiet line where the bar was (nothing if it never showed)."""
        if self.handle is None:
            return
        seconds = f" in {elapsed:.1f} s" if elapsed is not None else ""
        self.handle.update(QuietLine(f"Read {rows:,} rows, {pages:,} pages{seconds}."))
        self.box.close()

    def abandon(self) -> None:
        """Remove the bar (the read failed: its error is what to read)."""
        if self.handle is None:
            return
        self.handle.update(QuietLine(""))
        self.box.close()


class QuietLine:
    """A line of small grey text in a notebook, plain text elsewhere."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return (
            '<span style="color: var(--jp-ui-font-color2, #757575); font-size: 0.85em">'
            f"{html.escape(self.text)}</span>"
        )


def page_progress(shell: Any, *, page_size: int = 100) -> PageBar | None:
    """A bar for the pages of a list; None when nobody watches (headless runs)."""
    if _login.is_headless(shell):
        return None
    return PageBar(page_size=page_size)


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
