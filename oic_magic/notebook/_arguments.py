"""What no argument of a magic may hold, checked once for every magic before anything is sent.

- No control character (a variable expanded into the line may bring one: NUL, ESC,
  CR/LF), and no ``{name}`` IPython left as written because no such variable exists.
- ``-o NAME`` is a variable name the notebook does not rely on: no keyword, no
  ``__dunder__``, none of IPython's (``In``, ``Out``, ``_``, ``_i3``, ``get_ipython``), no
  built-in (``print``, ``list``).
- A file to write is tried for writing before anything is fetched.
"""

from __future__ import annotations

import builtins
import keyword
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError

__all__ = ["UNEXPANDED", "check_output_name", "check_word", "check_writable", "user_path"]

#: A placeholder IPython did not expand (no such variable).
UNEXPANDED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")


def check_word(name: str, word: str, parser: Any) -> None:
    """Refuse what no argument of a magic may hold, before anything is sent."""
    option = next((a for a in parser._actions if a.dest == name), None)
    strings = list(getattr(option, "option_strings", None) or [])
    label = "the path" if name == "path" else (strings[-1] if strings else name)
    control = next((char for char in word if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        raise UsageError(
            f"{label} {word!r} holds a control character (U+{ord(control):04X}); the "
            "arguments of a magic are printable text (did a variable expanded into the "
            "line hold one?)"
        )
    what = label if name == "path" or not strings else f"{label} {word}"
    # IPython leaves {name} as written when no such variable exists: never send that to OIC.
    left = UNEXPANDED.search(word)
    if left:
        raise UsageError(
            f"{left.group()} in {what}: no variable of that name in the "
            "notebook; define it first (or write the value itself)"
        )


#: Names IPython keeps in the namespace for itself: In, Out, _, __, _i, _ii, _ih, _oh, ...
_IPYTHON_NAMES = frozenset({
    "In", "Out", "_", "__", "___", "_i", "_ii", "_iii", "_ih", "_oh", "_dh", "exit", "quit",
    "get_ipython",
})  # fmt: skip
_HISTORY_NAME = re.compile(r"_i{0,3}\d+")


def check_output_name(name: str) -> None:
    """Refuse an ``-o`` name that is no variable, or one the notebook relies on."""
    if not name.isidentifier():
        raise UsageError(f"-o {name!r}: give a Python variable name")
    reason = None
    if keyword.iskeyword(name):
        reason = "a Python keyword"
    elif name.startswith("__") and name.endswith("__"):
        reason = "one of Python's own (__name__ form)"
    elif name in _IPYTHON_NAMES or _HISTORY_NAME.fullmatch(name):
        reason = "one IPython keeps for its history and prompts"
    elif hasattr(builtins, name):
        reason = f"Python's built-in {name}, which later cells would lose"
    if reason is not None:
        raise UsageError(f"-o {name}: that name is {reason}; choose another, such as -o result")


def user_path(value: str, option: str) -> Path:
    """A file or folder the user named, ``~`` expanded, or a UsageError."""
    try:
        return Path(value).expanduser()
    except RuntimeError:  # ~someone with no such user, or no home at all
        raise UsageError(f"{option} {value}: there is no such home folder") from None


def check_writable(target: Path) -> None:
    """Open *target* for writing now (and remove it again if it was not there).

    Asking the file system itself is the only honest answer: permission bits say
    nothing to root, nor about read-only mounts, full quotas or names too long.
    """
    try:
        existed = target.exists()
        if existed and not target.is_file():
            raise UsageError(f"--save {target}: that is not a regular file; name a file")
        with open(target, "ab"):
            pass
        if not existed:
            os.unlink(target)
    except OSError as error:
        raise UsageError(
            f"--save {target}: it cannot be written ({error.strerror or error}); "
            "nothing was fetched"
        ) from None
