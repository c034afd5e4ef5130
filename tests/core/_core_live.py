"""Helpers of the real-socket tests: settings for an emulator, and its request log."""

from __future__ import annotations

from typing import Any

from oic_magic import Settings
from oic_magic.emulator import DEMO, Emulator


def live_settings(emu: Emulator, **changes: Any) -> Settings:
    """The demo user's settings for *emu*, design-time URL known."""
    values: dict[str, Any] = dict(
        design_url=emu.design_url, identity_url=emu.identity_url,
        client_id=DEMO.client_id, client_secret=DEMO.client_secret, audience=emu.audience,
        instance=emu.instance, username=DEMO.username, password=DEMO.password, timeout=10.0,
    )
    values.update(changes)
    return Settings(**values)


def token_requests(emu: Emulator, grant: str | None = None) -> list[dict[str, Any]]:
    """Token-endpoint entries of the emulator's request log."""
    return [entry for entry in emu.control.requests()
            if entry["path"] == "/oauth2/v1/token"
            and (grant is None or entry["grant_type"] == grant)]


def api_requests(emu: Emulator, origin: str | None = None) -> list[dict[str, Any]]:
    """Developer API entries of the request log, optionally of one origin."""
    return [entry for entry in emu.control.requests()
            if entry["path"].startswith("/ic/") and (origin is None or entry["origin"] == origin)]
