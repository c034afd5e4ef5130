"""Helpers of the monitoring-window tests that read from the emulator."""

from __future__ import annotations

import random
from collections.abc import Iterable
from typing import Any

from _emulated import demo_settings

from oic_magic import OICClient
from oic_magic.core._windows import WindowedListing
from oic_magic.emulator import Emulator


def windows_client(emu: Emulator, **options: Any) -> OICClient:
    """A client signed in to *emu* whose retries draw from a fixed seed and never sleep."""
    return OICClient.sign_in(
        demo_settings(emu), rng=random.Random(3), sleep=lambda _s: None, **options
    )


def own_ids(emu: Emulator, listing: WindowedListing, status: str | None = None) -> set[str]:
    """The ids of the emulator's records in the window the listing reports."""
    assert listing.window_start is not None and listing.window_end is not None
    low, high = listing.window_start.timestamp(), listing.window_end.timestamp()
    return {
        r["id"]
        for r in emu.backend.data.instances
        if low <= r["_created"] <= high and (status is None or r["status"] == status)
    }


def item_ids(items: Iterable[dict[str, Any]]) -> list[str]:
    """The ``id`` of each item, in order."""
    return [item["id"] for item in items]
