"""A magic's usage error as a cell output, where papermill, nbclient and CI logs read it.

IPython prints a plain ``UsageError`` to stderr only: no ``error`` output reaches the
notebook, and a failed papermill run's log says ``Exception encountered at "In [2]":``
and nothing else. The magics raise :class:`MagicUsageError` instead: still a
``UsageError`` (``except UsageError`` catches it), shown as the same one line, but
through the kernel's error output, so the executed notebook and every log holding its
outputs carry the message.
"""

from __future__ import annotations

from IPython.core.error import UsageError

__all__ = ["MagicUsageError", "as_cell_output"]


class MagicUsageError(UsageError):
    """A bad argument of a magic, shown as ``UsageError: ...`` in the cell's output."""

    def _render_traceback_(self) -> list[str]:
        return [f"UsageError: {self}"]


def as_cell_output(error: UsageError) -> UsageError:
    """*error* as a :class:`MagicUsageError` (IPython's own class only goes to stderr)."""
    if isinstance(error, MagicUsageError):
        return error
    converted = MagicUsageError(str(error))
    converted.__cause__ = None
    converted.__suppress_context__ = True
    return converted
