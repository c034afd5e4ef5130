"""A magic's usage error as a cell output, where papermill, nbclient and CI logs read it.

IPython prints a plain ``UsageError`` to stderr only: no ``error`` output reaches the
notebook, and a failed papermill run's log says ``Exception encountered at "In [2]":``
and nothing else. The magics raise this module's :class:`UsageError` instead: a subclass of
IPython's (``except UsageError`` catches it), shown as the same one line, but
through the kernel's error output, so the executed notebook and every log holding its
outputs carry the message.
"""

from __future__ import annotations

from IPython.core import error as ipython

__all__ = ["UsageError", "as_cell_output"]


class UsageError(ipython.UsageError):
    """A bad argument of a magic, shown as ``UsageError: ...`` in the cell's output.

    Named as IPython's (the error output's ``ename`` reads ``UsageError``) and a
    subclass of it; IPython sends only its own class to stderr.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"UsageError: {self}"]


def as_cell_output(error: ipython.UsageError) -> ipython.UsageError:
    """*error* as this module's :class:`UsageError` (IPython's own goes to stderr only)."""
    if isinstance(error, UsageError):
        return error
    converted = UsageError(str(error))
    converted.__cause__ = None
    converted.__suppress_context__ = True
    return converted
