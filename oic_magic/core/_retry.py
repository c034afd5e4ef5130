"""When to try again and how long to wait: ``Retry-After`` and capped backoff with jitter.

Shared by the token endpoint and the API client. Waiting goes through an
injected ``sleep`` and jitter through an injected ``random.Random``, so tests
neither sleep nor depend on chance.
"""

from __future__ import annotations

import dataclasses
import email.utils
import math
import random
import time
from collections.abc import Callable

import httpx

from ._bounds import RETRIES

__all__ = ["Backoff", "retry_after"]

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


def retry_after(response: httpx.Response, *, now: float | None = None) -> float | None:
    """Seconds asked for by ``Retry-After``, or ``None`` when it says nothing readable.

    RFC 9110 allows two forms: delay-seconds (ASCII digits only: ``²``, ``-5``, ``1.5``
    and ``NaN`` are not) and an HTTP date, whose time past is a wait of 0. Whatever
    else a server sends is ignored, so the usual backoff applies.
    """
    try:
        value = response.headers.get("Retry-After", "").strip()
    except UnicodeDecodeError:  # pragma: no cover - httpx decodes header bytes as latin-1
        return None
    if not value:
        return None
    if value.isascii() and value.isdigit():
        # float(), not int(): thousands of digits give inf (capped by the caller's
        # max_wait), where int() would refuse them.
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        seconds = when.timestamp() - (time.time() if now is None else now)
    except (TypeError, ValueError, OverflowError, OSError, IndexError):
        return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


@dataclasses.dataclass(kw_only=True)
class Backoff:
    """Capped exponential backoff with "equal jitter", honouring ``Retry-After``.

    ``retries`` is how many times a request may be repeated after the first try.
    ``max_wait`` caps every single wait, including what ``Retry-After`` asks for:
    a server asking for an hour gets ``max_wait`` and then, if it still refuses,
    the caller's error.
    """

    retries: int = 4
    base: float = 0.5
    cap: float = 8.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = dataclasses.field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.retries = RETRIES.count(self.retries, "retries")

    def delay(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Seconds to wait before retry number *attempt* (0-based)."""
        asked = retry_after(response) if response is not None else None
        if asked is not None:
            return min(asked, self.max_wait)
        # The exponent stops growing long before 2.0**attempt could overflow a float.
        exponential = min(self.cap, self.base * 2.0 ** min(attempt, 64))
        # Equal jitter: never less than half the step, so retries still back off.
        jitter: float = self.rng.uniform(0, exponential / 2)
        return min(self.max_wait, exponential / 2 + jitter)

    def wait(self, attempt: int, response: httpx.Response | None = None) -> float:
        """Sleep before retry *attempt*; returns the seconds waited."""
        seconds = self.delay(attempt, response)
        self.sleep(seconds)
        return seconds
