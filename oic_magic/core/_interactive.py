"""Signing in with a person in the loop: the device code, the browser, and what shows them.

A :class:`Prompt` is what the sign-in needs from whoever sits at the screen: show a device
code, show or open the browser address, take a pasted address, and wait a moment (where a
notebook keeps its widgets answering, and where a Cancel is noticed by raising
:class:`~oic_magic.exceptions.SignInCancelledError`). :class:`ConsolePrompt` is the one for
plain Python in a terminal; the notebook layer has its widget.
"""

from __future__ import annotations

import time
import webbrowser
from collections.abc import Callable
from typing import Protocol

from ..exceptions import SignInTimeoutError
from ._auth import TokenEndpoint
from ._browser import (
    DEFAULT_REDIRECT_URI,
    BrowserFlow,
    LoopbackListener,
    is_loopback_redirect,
    wait_for_redirect,
)
from ._device import DeviceCode, DeviceFlow
from ._settings import Settings
from ._token import Token

__all__ = ["BROWSER_TIMEOUT", "ConsolePrompt", "Prompt", "browser_token", "device_token"]

#: Seconds the browser sign-in waits for the redirect or a pasted address.
BROWSER_TIMEOUT = 300.0

Clock = Callable[[], float]


class Prompt(Protocol):
    """What a device or browser sign-in asks of the person signing in."""

    def show_device_code(self, code: DeviceCode) -> None:
        """Show the link and the user code (the device code itself is never shown)."""
        ...

    def show_browser(self, url: str, *, listening: bool) -> None:
        """Offer (or open) the sign-in address; *listening*: the redirect comes back here."""
        ...

    def pasted(self) -> str | None:
        """The address the person pasted after signing in, if any yet."""
        ...

    def wait(self, seconds: float) -> None:
        """Let *seconds* pass; raise SignInCancelledError if the person cancelled."""
        ...


class ConsolePrompt:
    """Plain Python in a terminal: print the code, open the browser, read a pasted address."""

    def __init__(self, *, open_browser: bool = True, sleep: Callable[[float], None] = time.sleep):
        self._open, self._sleep = open_browser, sleep
        self._listening = True

    def show_device_code(self, code: DeviceCode) -> None:
        print(f"To sign in, open {code.verification_uri} and enter the code {code.user_code}.")

    def show_browser(self, url: str, *, listening: bool) -> None:
        self._listening = listening
        print("Sign in in your browser; if it does not open, visit:\n" + url)
        if self._open:
            webbrowser.open(url)

    def pasted(self) -> str | None:
        if self._listening:
            return None
        return input("Paste the whole address your browser landed on: ").strip() or None

    def wait(self, seconds: float) -> None:
        self._sleep(seconds)


def device_token(
    endpoint: TokenEndpoint, settings: Settings, prompt: Prompt, *, clock: Clock = time.time
) -> Token:
    """Run the device-code sign-in to its token."""
    flow = DeviceFlow(endpoint, scope=settings.resolved_scope or "", clock=clock, sleep=prompt.wait)
    code = flow.start()
    prompt.show_device_code(code)
    return flow.wait(code)


def browser_token(
    endpoint: TokenEndpoint,
    settings: Settings,
    prompt: Prompt,
    *,
    clock: Clock = time.time,
    timeout: float = BROWSER_TIMEOUT,
) -> Token:
    """Run the authorization-code sign-in with PKCE to its token."""
    redirect = settings.redirect_uri or DEFAULT_REDIRECT_URI
    flow = BrowserFlow(endpoint, scope=settings.resolved_scope or "", redirect_uri=redirect)
    deadline = clock() + timeout
    if is_loopback_redirect(redirect):
        with LoopbackListener(redirect).open() as listener:
            prompt.show_browser(flow.start(), listening=True)
            landed = wait_for_redirect(
                listener, deadline=deadline, clock=clock, tick=prompt.wait, pasted=prompt.pasted
            )
    else:
        prompt.show_browser(flow.start(), listening=False)
        landed = None
        while landed is None and clock() < deadline:
            landed = prompt.pasted()
            if landed is None:
                prompt.wait(0.1)
    if landed is None:
        raise SignInTimeoutError(
            f"the browser sign-in was not finished within {timeout:.0f} s.",
            hint="Run the sign-in again, or use --grant device when the browser is elsewhere.",
        )
    return flow.complete(landed)
