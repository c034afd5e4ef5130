"""A scripted person for the device and browser sign-ins, against the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from oic_magic.core._device import DeviceCode
from oic_magic.emulator import Emulator


class Scripted:
    """A Prompt whose waits move the client's clock and the emulator's, and may act."""

    def __init__(
        self,
        emu: Emulator,
        clock: Any,
        *,
        act: Callable[[Scripted, int], None] | None = None,
        paste: str | None = None,
        follow: bool = False,
    ) -> None:
        self.emu, self.clock, self.act, self.paste, self.follow = emu, clock, act, paste, follow
        self.codes: list[DeviceCode] = []
        self.urls: list[str] = []
        self.waits: list[float] = []

    def show_device_code(self, code: DeviceCode) -> None:
        self.codes.append(code)

    def show_browser(self, url: str, *, listening: bool) -> None:
        self.urls.append(url)

    def pasted(self) -> str | None:
        return self.paste

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.clock.advance(seconds)
        self.emu.control.advance_clock(seconds)
        if self.act is not None:
            self.act(self, len(self.waits))


def sign_in_page(url: str, username: str, password: str, action: str = "sign-in") -> str:
    """What a browser does with the authorize address: the page, the form, the redirect."""
    with httpx.Client(follow_redirects=False) as browser:
        page = browser.get(url)
        assert page.status_code == 200, page.text
        params = dict(httpx.URL(url).params)
        form = params | {"username": username, "password": password, "action": action}
        answer = browser.post(str(httpx.URL(url).copy_with(query=None)), data=form)
        assert answer.status_code == 302, answer.text
        return answer.headers["Location"]
