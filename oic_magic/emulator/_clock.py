"""The emulator's clock (real time plus a movable offset) and OIC's timestamp format."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Real time plus an offset that tests move forward instead of sleeping."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        """Seconds since the epoch as the emulator sees them."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the clock by ``seconds`` (expiry and activation follow it)."""
        with self._lock:
            self._offset += float(seconds)

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = 0.0


def oic_timestamp(epoch: float) -> str:
    """Format as OIC does: ``2025-02-24T07:34:37.620+0000`` (milliseconds, no colon)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"


def parse_moment(text: str) -> float:
    """Read ``2025-02-24 07:34:37`` or an ISO timestamp (monitoring start/end dates)."""
    text = text.strip().replace(" ", "T", 1)
    if text.endswith("+0000"):
        text = text[:-5] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
