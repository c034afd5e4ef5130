"""Helpers of the hardening tests: short-timeout settings, sleeps that never wait, secrets."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

from _emulated import demo_settings

from oic_magic import Settings
from oic_magic.emulator import DEMO, Emulator


def settings_for(emu: Emulator, **changes: Any) -> Settings:
    """The demo user's settings for *emu* with the short timeout the fault tests wait on."""
    return demo_settings(emu, **{"timeout": 5.0, **changes})


class Sleeps(list[float]):
    """A sleep that records the wait and returns at once; ``then`` runs on each call."""

    def __init__(self, then: Callable[[float], None] | None = None) -> None:
        super().__init__()
        self._then = then

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        if self._then is not None:
            self._then(seconds)


def basic_header(client_id: str = DEMO.client_id, secret: str = DEMO.client_secret) -> str:
    """The HTTP Basic credentials the token endpoint receives (as secret as the secret)."""
    return base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def secrets_of(emus: Iterable[Emulator], *extra: str) -> dict[str, str]:
    """Every secret a run may have used, by a label that is safe to print."""
    found = {
        "the demo password": DEMO.password,
        "the demo client secret": DEMO.client_secret,
        "the Basic client credentials": basic_header(),
    }
    for emu in emus:
        for index, token in enumerate(emu.backend.identity.issued_tokens()):
            kind = "refresh token" if token.startswith("AQAg") else "access token"
            found[f"{kind} #{index}"] = token
    for index, value in enumerate(extra):
        found[f"extra secret #{index}"] = value
    return found


def hits(text: str, secrets: dict[str, str]) -> list[str]:
    """Labels of the secrets found in *text* (never the values)."""
    return [label for label, value in secrets.items() if value and value in text]
