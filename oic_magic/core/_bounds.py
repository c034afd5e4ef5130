"""The range of every numeric setting, and one check that names the setting and its range.

A timeout of ``inf`` never ends a call, ``nan`` makes every comparison false, and a retry
count in the thousands overflows the backoff: every number a user gives (an ``OIC_*``
variable, a profile value, ``Settings(...)``, ``OICClient(...)``, a ``%config`` trait)
is checked here and refused with :class:`~oic_magic.exceptions.SettingRangeError`,
which says which setting, what it may be and what it was.

Text (from the environment or a profile file) is read as plain ASCII digits only: an
``OIC_TIMEOUT`` of ``²`` or ``١٠`` is refused rather than guessed at.
"""

from __future__ import annotations

import dataclasses
import math
import re

from ..exceptions import SettingRangeError

__all__ = [
    "CONCURRENCY",
    "INTERVAL",
    "LIMIT",
    "MAX_BODY_BYTES",
    "MAX_REDIRECTS",
    "MAX_ROWS",
    "PAGE_SIZE",
    "REREADS",
    "RETRIES",
    "SIGN_IN_WAIT",
    "TIMEOUT",
    "WAIT",
    "Bound",
]

_DECIMAL = re.compile(r"[+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_WHOLE = re.compile(r"[+]?[0-9]{1,15}")
_SHOWN = 40  # characters of a refused value quoted in the message


@dataclasses.dataclass(frozen=True)
class Bound:
    """The closed range ``low..high`` a setting may take; ``whole`` for a count."""

    low: float
    high: float
    what: str
    whole: bool = False

    def seconds(self, value: object, setting: str, *, text: bool = False) -> float:
        """*value* as a float inside the range, else the error; *text*: parse a str too."""
        return float(self._number(value, setting, text=text))

    def count(self, value: object, setting: str, *, text: bool = False) -> int:
        """*value* as an int inside the range, else the error; *text*: parse a str too."""
        return int(self._number(value, setting, text=text))

    def _number(self, value: object, setting: str, *, text: bool) -> float | int:
        number = _read(value, whole=self.whole, text=text)
        if number is None or not self.low <= number <= self.high:
            raise self.error(setting, value)
        return number

    def error(self, setting: str, value: object) -> SettingRangeError:
        """The error for *setting* given *value*."""
        shown = repr(value)
        if len(shown) > _SHOWN:
            shown = shown[: _SHOWN - 1] + "…"
        return SettingRangeError(
            f"{setting} must be {self.what} from {_show(self.low)} to {_show(self.high)} "
            f"(it is {shown})",
            setting=setting,
            low=self.low,
            high=self.high,
        )


def _read(value: object, *, whole: bool, text: bool) -> float | int | None:
    """A finite number from *value*, or None when it is none (bool, NaN, inf, text...)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        written = value.strip()
        pattern = _WHOLE if whole else _DECIMAL
        if not text or not pattern.fullmatch(written):
            return None
        return int(written) if whole else float(written)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not whole:
        return value if math.isfinite(value) else None
    return None


def _show(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


#: Seconds to wait for one HTTP call: positive and at most an hour.
TIMEOUT = Bound(0.001, 3600.0, "a positive number of seconds")
#: Seconds to wait for a long job (an activation, a recovery): up to a day; 0 reads once.
WAIT = Bound(0.0, 86_400.0, "a number of seconds")
#: Seconds between two polls of a job's status.
INTERVAL = Bound(0.01, 3600.0, "a number of seconds")
#: Seconds a sign-in waits for a person (the form, a device code, the browser).
SIGN_IN_WAIT = Bound(1.0, 86_400.0, "a number of seconds")
#: Repeats of a throttled, unavailable or dropped call.
RETRIES = Bound(0, 100, "a whole number", whole=True)
#: Reads again of a list that changed while it was read.
REREADS = Bound(0, 20, "a whole number", whole=True)
#: Items asked for per page.
PAGE_SIZE = Bound(1, 10_000, "a whole number", whole=True)
#: Pages fetched at once (and twice as many pooled connections).
CONCURRENCY = Bound(1, 64, "a whole number", whole=True)
#: Rows a listing may hold before it raises instead of filling memory.
MAX_ROWS = Bound(1, 1_000_000_000, "a whole number", whole=True)
#: Items a caller asks for (``limit=``); 0 reads nothing.
LIMIT = Bound(0, 1_000_000_000, "a whole number", whole=True)
#: Redirects followed for one call.
MAX_REDIRECTS = Bound(0, 20, "a whole number", whole=True)
#: Bytes of one answer read into memory.
MAX_BODY_BYTES = Bound(1, 8 * 1024**3, "a whole number of bytes", whole=True)
