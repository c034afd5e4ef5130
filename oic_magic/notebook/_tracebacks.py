"""Every exception that leaves a magic, rendered without the locals of any frame.

IPython's ``Verbose`` mode (and ``Context`` on some lines) prints the values of the names
and attributes on each line of a traceback: a frame that builds a token request holds the
form, one that reads the environment holds it all. A secret can sit in any of them, so the
magics never let IPython render their exceptions by itself: :func:`clean` gives each one
(internal crashes and Ctrl-C included) a renderer that shows what the stdlib shows —
file, line and source of each frame, the chained exceptions, the messages — in the
current ``%xmode`` (``Minimal``: the last line only), with every message redacted of every
secret alive in the process, and never a value of a frame.

Expected failures (:class:`~oic_magic.exceptions.OICError`) stay one short line while
``%config OICMagics.short_errors`` is on; off, they get the same long, clean traceback.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from IPython.core.error import UsageError

from ..core._secret import redact_known
from ..exceptions import OICError

__all__ = ["clean", "guarded", "render"]


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        each = stack.pop()
        if each is None or id(each) in seen:
            continue
        seen.add(id(each))
        yield each
        stack += [each.__cause__, each.__context__]


def _redact_messages(error: BaseException) -> None:
    """The plain-text arguments of *error* and its chain, redacted of every known secret."""
    for each in _chain(error):
        try:
            each.args = tuple(redact_known(a) if isinstance(a, str) else a for a in each.args)
        except (AttributeError, TypeError):  # an exception type that fixes its args
            continue


def _mode(shell: Any) -> str:
    return str(getattr(getattr(shell, "InteractiveTB", None), "mode", "Context"))


def render(error: BaseException, shell: Any = None) -> list[str]:
    """*error* as lines for IPython: frames and messages, never a frame's locals."""
    if _mode(shell) == "Minimal":
        lines = traceback.format_exception_only(type(error), error)
    else:
        lines = traceback.format_exception(type(error), error, error.__traceback__)
    return redact_known("".join(lines)).rstrip("\n").split("\n")


def clean(error: BaseException, shell: Any = None, *, short: bool = True) -> BaseException:
    """Make IPython render *error* through :func:`render` (an OICError short if *short*)."""
    _redact_messages(error)
    if isinstance(error, UsageError):  # one line of its own, no frames
        return error
    renderer: Callable[[], list[str]] = lambda: render(error, shell)  # noqa: E731
    if isinstance(error, OICError):
        error.short_traceback = short
        error.long_traceback = renderer
        return error
    with contextlib.suppress(AttributeError, TypeError):  # a type without a __dict__
        error._render_traceback_ = renderer  # type: ignore[attr-defined]
    return error


@contextlib.contextmanager
def guarded(shell: Any, *, short: bool | Callable[[], bool]) -> Iterator[None]:
    """Every exception raised inside, cleaned (see :func:`clean`) and re-raised.

    *short* may be a callable, asked only when something was raised.
    """
    try:
        yield
    except BaseException as error:
        clean(error, shell, short=short() if callable(short) else short)
        raise
