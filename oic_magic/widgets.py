"""The sign-in form: the fields of Oracle's "Information You Need" table.

``LoginForm`` is an ipywidgets ``VBox`` that knows nothing of magics: it collects
what the identity domain needs, hands it to a ``submit`` callback when "Log in"
is clicked, and shows the callback's outcome in plain words.

- Secrets are never prefilled: a client secret or password known from the
  environment or the keyring shows as a placeholder ("from OIC_PASSWORD") and the
  caller fills it in, so it never enters widget state.
- The password and client secret fields are emptied right after every attempt,
  success or failure: ipywidgets syncs ``Password.value`` to the front end, and a
  notebook saved with widget state would otherwise keep it.
- Fields send their value to the kernel when they lose focus, not on every key
  (``continuous_update=False``). ipywidgets holds back a field's key-by-key
  updates while an earlier one is unanswered, but sends the button's click at
  once: the click could overtake the last characters typed, and a fast typist
  would sign in with half a password. Leaving the field to click the button
  sends the whole value first. It also puts fewer copies of a secret on the wire.
- The URL field says which kind of URL it holds (design-time or runtime); a
  runtime URL works too, the client follows Oracle's redirect safely.
- With an ``interactive`` callback, "Sign in with your browser" and "Use a device code"
  sit beside the password fields: single sign-on and MFA users sign in there (the
  password grant cannot serve them). They hand the same values to ``interactive``, with
  ``grant`` set to ``browser`` or ``device``.
- With ``waiting=True`` the form has a Cancel button: the cell that shows it waits for
  the sign-in, and :attr:`LoginForm.finished` tells when the wait is over.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

__all__ = ["GRANTS", "LoginForm", "LoginValues", "Outcome"]

from .core._credentials import GRANTS
from .core._secret import redact_known

_LAYOUT = w.Layout(width="38em")
_STYLE = {"description_width": "15em"}


@dataclass(frozen=True)
class LoginValues:
    """What the form collected; the secrets never show in a repr."""

    url: str = ""
    identity_url: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    scope: str = ""
    instance: str = ""
    username: str = ""
    password: str = field(default="", repr=False)
    session: str = "default"
    remember: bool = False
    grant: str = "password"


@dataclass(frozen=True)
class Outcome:
    """The result of one attempt in plain words: ``ok`` picks the colour."""

    ok: bool
    text: str


Submit = Callable[[LoginValues], Outcome]
Interactive = Callable[[LoginValues], Outcome | None]
Classify = Callable[[str], str]


class LoginForm(w.VBox):
    """Sign-in form; ``submit`` does the work and returns an :class:`Outcome`."""

    def __init__(
        self,
        *,
        submit: Submit,
        prefill: Mapping[str, Any] | None = None,
        secret_sources: Mapping[str, str] | None = None,
        classify: Classify | None = None,
        interactive: Interactive | None = None,
        waiting: bool = False,
    ) -> None:
        prefill = dict(prefill or {})
        sources = dict(secret_sources or {})
        self._submit = submit
        self._interactive = interactive
        self._signed_in = self._cancelled = False
        self._classify = classify or _describe_url
        self._url = _text(
            "URL (design-time or runtime)",
            prefill.get("url"),
            "https://design.integration.<region>.ocp.oraclecloud.com",
        )
        self._url_kind = w.HTML(layout=w.Layout(margin="0 0 0 15.5em"))
        self._identity_url = _text(
            "Identity domain host",
            prefill.get("identity_url"),
            "https://idcs-<guid>.identity.oraclecloud.com",
        )
        self._client_id = _text("Client ID", prefill.get("client_id"), "")
        self._client_secret = _secret("Client secret", sources.get("client_secret"))
        self._scope = _text(
            "Scope or audience",
            prefill.get("scope"),
            "<audience>urn:opc:resource:consumer::all offline_access",
        )
        self._instance = _text("Integration instance", prefill.get("instance"), "")
        self._username = _text("User name", prefill.get("username"), "")
        self._password = _secret("Password", sources.get("password"))
        self._session = _text("Session name", prefill.get("session") or "default", "")
        self._remember = w.Checkbox(
            value=bool(prefill.get("remember")), indent=False, description="Remember me (keyring)"
        )
        self._grant = w.ToggleButtons(
            options=GRANTS, value=_grant(prefill.get("grant")), description="Grant", style=_STYLE
        )
        self._log_in = w.Button(description="Log in", button_style="primary", icon="sign-in")
        self._browser = w.Button(description="Sign in with your browser", icon="globe")
        self._device = w.Button(description="Use a device code", icon="mobile")
        self._cancel = w.Button(description="Cancel", icon="times")
        for button, shown in ((self._browser, interactive), (self._device, interactive)):
            button.layout.display = None if shown else "none"
        for button in (self._log_in, self._browser, self._device, self._cancel):
            button.layout.width = "auto"
        self._cancel.layout.display = None if waiting else "none"
        self._outcome = w.HTML()
        super().__init__(children=self._children())
        self._url.observe(self._on_url_change, names="value")
        self._grant.observe(self._on_grant_change, names="value")
        self._log_in.on_click(self._on_log_in_click)
        self._browser.on_click(lambda _b: self._on_interactive("browser"))
        self._device.on_click(lambda _b: self._on_interactive("device"))
        self._cancel.on_click(self._on_cancel_click)
        self._on_url_change({"new": self._url.value})
        self._on_grant_change({"new": self._grant.value})

    def _children(self) -> list[w.Widget]:
        return [
            self._url, self._url_kind, self._identity_url, self._client_id,
            self._client_secret, self._scope, self._instance, self._grant,
            self._username, self._password, self._session, self._remember,
            w.HBox([self._log_in, self._browser, self._device, self._cancel]), self._outcome,
        ]  # fmt: skip

    # -- what the form holds -------------------------------------------------------------
    def values(self) -> LoginValues:
        """The current field values (secrets included: pass them on, never keep them)."""
        return LoginValues(
            url=self._url.value.strip(),
            identity_url=self._identity_url.value.strip(),
            client_id=self._client_id.value.strip(),
            client_secret=self._client_secret.value,
            scope=self._scope.value.strip(),
            instance=self._instance.value.strip(),
            username=self._username.value.strip(),
            password=self._password.value,
            session=self._session.value.strip() or "default",
            remember=self._remember.value,
            grant=self._grant.value,
        )

    @property
    def outcome(self) -> str:
        """The outcome line as plain text (what the user reads under the button)."""
        return html.unescape(_strip_tags(self._outcome.value))

    @property
    def signed_in(self) -> bool:
        """True once an attempt succeeded."""
        return self._signed_in

    @property
    def cancelled(self) -> bool:
        """True once Cancel was clicked."""
        return self._cancelled

    @property
    def finished(self) -> bool:
        """Signed in or cancelled: a waiting cell may go on."""
        return self._signed_in or self._cancelled

    def show_outcome(self, outcome: Outcome) -> None:
        """Show *outcome* under the buttons (a success also ends the wait)."""
        self._signed_in = self._signed_in or outcome.ok
        if outcome.ok:
            self._cancel.layout.display = "none"  # nothing left to cancel
        colour = "var(--jp-success-color1, green)" if outcome.ok else "var(--jp-error-color1, red)"
        text = html.escape(outcome.text).replace("\n", "<br>")
        self._outcome.value = f'<div style="color:{colour}">{text}</div>'

    # -- handlers ------------------------------------------------------------------------
    def _on_url_change(self, change: Mapping[str, Any]) -> None:
        self._url_kind.value = f"<i>{html.escape(self._classify(change['new']))}</i>"

    def _on_grant_change(self, change: Mapping[str, Any]) -> None:
        # The client-credentials grant signs in as the application: no user to name.
        as_client = change["new"] == "client_credentials"
        self._username.disabled = self._password.disabled = as_client

    def _on_log_in_click(self, _button: w.Button) -> None:
        self._log_in.disabled = True
        self._outcome.value = "<i>Signing in…</i>"
        try:
            outcome = self._attempt()
        finally:
            # Emptied on every path, so saved widget state never holds a secret.
            self._password.value = ""
            self._client_secret.value = ""
            self._log_in.disabled = False
        self.show_outcome(outcome)

    def _on_interactive(self, grant: str) -> None:
        assert self._interactive is not None
        values = dataclasses.replace(self.values(), grant=grant, password="")
        self._password.value = ""
        try:
            outcome = self._interactive(values)
        except Exception as error:  # the form must always say something
            outcome = Outcome(ok=False, text=redact_known(f"Sign-in failed: {error}"))
        finally:
            self._client_secret.value = ""
        if outcome is not None:
            self.show_outcome(outcome)

    def _on_cancel_click(self, _button: w.Button) -> None:
        self._cancelled = True
        self._password.value = self._client_secret.value = ""
        self._cancel.disabled = self._log_in.disabled = True
        self._outcome.value = "<i>Cancelled.</i>"

    def _attempt(self) -> Outcome:
        try:
            return self._submit(self.values())
        except Exception as error:  # the form must always say something
            return Outcome(ok=False, text=redact_known(f"Sign-in failed: {error}"))


def _text(label: str, value: Any, placeholder: str) -> w.Text:
    return w.Text(
        value=str(value or ""),
        description=label,
        placeholder=placeholder,
        continuous_update=False,
        layout=_LAYOUT,
        style=_STYLE,
    )


def _secret(label: str, source: str | None) -> w.Password:
    hint = f"leave empty to use {source}" if source else ""
    return w.Password(
        value="",
        description=label,
        placeholder=hint,
        continuous_update=False,
        layout=_LAYOUT,
        style=_STYLE,
    )


def _grant(value: Any) -> str:
    return value if value in GRANTS else "password"


def _strip_tags(text: str) -> str:

    return re.sub(r"<br\s*/?>", "\n", re.sub(r"<(?!br)[^>]+>", "", text))


def _describe_url(url: str) -> str:
    """Say which kind of URL the field holds, in the user's words."""
    from .core._settings import classify_url

    url = url.strip()
    if not url:
        return "Paste the design-time or runtime URL of your instance."
    try:
        kind = classify_url(url)
    except Exception as error:  # a half-typed URL is normal while typing
        return f"Not a usable URL yet: {error}"
    return _KINDS.get(kind, _KINDS["unknown"])


_KINDS = {
    "design-time": "Design-time URL detected: Developer API calls go straight to it.",
    "runtime": "Runtime URL detected: OIC redirects Developer API calls to the design-time "
    "host of its region, and the token follows only there.",
    "unknown": "Neither a design-time nor a runtime host name: the URL is used as it is "
    "(the built-in emulator, a proxy).",
}
