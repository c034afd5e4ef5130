"""The panel of a device-code or browser sign-in: link, code, countdown, outcome, Cancel.

:class:`SignInPanel` is the notebook's :class:`~oic_magic.core._interactive.Prompt`. It shows

- for the device code: the verification link and the user code in large letters, a button
  that opens the page and copies the code, and the time the code has left;
- for the browser: the sign-in link (and, when the redirect cannot come back to this
  kernel, a field for the address the browser landed on);
- the outcome in plain words, and a Cancel button while it waits.

Only the user code is shown, and only while it is valid: once the sign-in ends (any way),
the panel shows the outcome alone, so a notebook saved with widget state keeps no code.
A pasted address (it carries the authorization code and state) is read and emptied at once.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import ipywidgets as w

from ..core._device import DeviceCode
from ..exceptions import SignInCancelledError

__all__ = ["SignInPanel"]

Pump = Callable[[float], None]


def _link(url: str, text: str) -> str:
    href = html.escape(url, quote=True)
    return f'<a href="{href}" target="_blank" rel="noopener noreferrer">{html.escape(text)}</a>'


class SignInPanel(w.VBox):
    """A device or browser sign-in in progress; *pump* lets time pass with widgets alive."""

    def __init__(self, *, pump: Pump | None = None, clock: Callable[[], float] = time.time):
        self._pump = pump or time.sleep
        self._clock = clock
        self._cancelled = False
        self._expires_at: float | None = None
        self._code_html = w.HTML()
        self._countdown = w.HTML()
        self._paste = w.Text(
            description="Address you landed on",
            placeholder="paste it here if the browser did not come back by itself",
            continuous_update=False,
            layout=w.Layout(width="46em", display="none"),
            style={"description_width": "12em"},
        )
        self._cancel = w.Button(description="Cancel", icon="times")
        self._outcome = w.HTML()
        self._cancel.on_click(self._on_cancel_click)
        super().__init__(
            children=[self._code_html, self._countdown, self._paste, self._cancel, self._outcome]
        )

    # -- Prompt ----------------------------------------------------------------------------
    def show_device_code(self, code: DeviceCode) -> None:
        """The link, the user code, a button that opens the page and copies the code."""
        self._expires_at = code.expires_at
        user_code = html.escape(code.user_code)
        page = html.escape(code.link, quote=True)
        opener = (
            f"navigator.clipboard&&navigator.clipboard.writeText('{user_code}');"
            f"window.open('{page}','_blank','noopener')"
        )
        self._code_html.value = (
            f"<div>To sign in, open {_link(code.link, code.verification_uri)} and enter the "
            f'code <b class="oic-user-code" style="font-family:monospace;font-size:1.5em;'
            f'letter-spacing:.15em">{user_code}</b></div>'
            f'<button class="jupyter-button oic-open-page" onclick="{opener}">'
            "Open the page and copy the code</button>"
        )
        self._tick()

    def show_browser(self, url: str, *, listening: bool) -> None:
        """The sign-in link; the paste field when the redirect cannot come back here."""
        self._code_html.value = (
            f"<div>{_link(url, 'Sign in with your browser')} (opens the identity domain's "
            "page; single sign-on and MFA work there).</div>"
        )
        if not listening:
            self._paste.layout.display = None
        self._countdown.value = "<i>Waiting for the sign-in…</i>"

    def pasted(self) -> str | None:
        """The pasted address, once; the field is emptied at once."""
        value = self._paste.value.strip()
        self._paste.value = ""
        return value or None

    def wait(self, seconds: float) -> None:
        """Let *seconds* pass (widgets alive); raise SignInCancelledError after Cancel."""
        self._check()
        self._pump(seconds)
        self._check()
        self._tick()

    # -- the end ---------------------------------------------------------------------------
    def finish(self, *, ok: bool, text: str) -> None:
        """Show the outcome alone: the code and link go, the buttons too."""
        self._code_html.value = ""
        self._countdown.value = ""
        self._paste.value = ""
        self._paste.layout.display = "none"
        self._cancel.layout.display = "none"
        colour = "var(--jp-success-color1, green)" if ok else "var(--jp-error-color1, red)"
        self._outcome.value = f'<div style="color:{colour}">{html.escape(text)}</div>'

    @property
    def outcome(self) -> str:
        """The outcome as plain text."""
        return html.unescape(self._outcome.value.split(">", 1)[-1].rsplit("<", 1)[0])

    @property
    def cancelled(self) -> bool:
        """True once Cancel was clicked."""
        return self._cancelled

    # -- inside ----------------------------------------------------------------------------
    def _check(self) -> None:
        if self._cancelled:
            raise SignInCancelledError("the sign-in was cancelled.")

    def _tick(self) -> None:
        if self._expires_at is None:
            return
        left = max(self._expires_at - self._clock(), 0.0)
        minutes, seconds = divmod(int(left), 60)
        self._countdown.value = f"<i>The code is valid for {minutes}:{seconds:02d} more.</i>"

    def _on_cancel_click(self, _button: w.Button) -> None:
        self._cancelled = True
        self._cancel.disabled = True
