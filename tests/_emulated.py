"""Helpers shared by the tests that talk to the emulator: the demo user's settings, the
emulator's request log, and keyring backends that keep to the test process."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from oic_magic import Settings
from oic_magic.emulator import DEMO, Emulator

TOKEN_PATH = "/oauth2/v1/token"


def demo_settings(emu: Emulator, **changes: Any) -> Settings:
    """The demo user's settings for *emu*, design-time URL known; *changes* win."""
    values: dict[str, Any] = dict(
        design_url=emu.design_url,
        identity_url=emu.identity_url,
        client_id=DEMO.client_id,
        client_secret=DEMO.client_secret,
        audience=emu.audience,
        instance=emu.instance,
        username=DEMO.username,
        password=DEMO.password,
        timeout=10.0,
    )
    values.update(changes)
    return Settings(**values)


def burst(call: Callable[[], Any], count: int = 32) -> list[BaseException]:
    """*count* threads make *call* at once (released by a barrier); the errors they met."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            call()
        except BaseException as exc:  # collected for the caller's assertion
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def token_requests(emu: Emulator, grant: str | None = None) -> list[dict[str, Any]]:
    """Token-endpoint entries of the emulator's request log, optionally of one grant."""
    return [
        e
        for e in emu.control.requests()
        if e["path"] == TOKEN_PATH and (grant is None or e["grant_type"] == grant)
    ]


def api_requests(emu: Emulator, origin: str | None = None) -> list[dict[str, Any]]:
    """Developer API entries of the request log, optionally of one origin."""
    return [
        e
        for e in emu.control.requests()
        if e["path"].startswith("/ic/") and (origin is None or e["origin"] == origin)
    ]


class MemoryKeyring:
    """A keyring backend in a dict."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    """A backend whose every call raises, as a locked keyring does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("locked")


class HangingKeyring(MemoryKeyring):
    """A backend that blocks until released (a desktop keyring waiting on a prompt)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()
