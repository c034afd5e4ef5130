"""The sign-in paths of the leak search, each with its failures, as a person runs them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from _emulated import MemoryKeyring
from ipywidgets.widgets.widget import _instances

from oic_magic import RememberedTokens, Settings, default_store
from oic_magic.core import _token
from oic_magic.emulator import DEMO
from oic_magic.notebook._signin_panel import SignInPanel

from ._notebook import (
    SETTING_VARIABLES,
    WRONG_PASSWORD,
    WRONG_SECRET,
    Kernel,
    Notebook,
    environment_of,
)


def crash(*_args: Any, **_kwargs: Any) -> float:
    raise RuntimeError("an internal crash, injected while the token answer is read")


class _Exploding:
    """A scope that cannot be written: httpx crashes while it encodes the form, its frames
    holding the form's plain values (the password is encoded before the scope)."""

    def __str__(self) -> str:
        raise RuntimeError("an internal crash, injected while the form is encoded")


def exploding_scope(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(Settings, "resolved_scope", property(lambda _self: _Exploding()))


# -- the sign-in paths, each with its failures ---------------------------------------------
def environment(nb: Notebook) -> None:
    nb.cell("%oic_login")
    nb.cell("%oic GET connections --limit 2")
    nb.env.setenv("OIC_PASSWORD", WRONG_PASSWORD)
    nb.cell("%oic_login --session bad-password", raises="BadCredentialsError")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", WRONG_SECRET)
    nb.cell("%oic_login --session refused-client", raises="InvalidClientError")
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)


def internal_crash(nb: Notebook) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_token, "_lifetime", crash)
        nb.cell("%oic_login --session crash", raises="RuntimeError")
    with pytest.MonkeyPatch.context() as patch:
        exploding_scope(patch)
        nb.cell("%oic_login --session crash-in-the-form", raises="RuntimeError")


def interrupted_sign_in(nb: Notebook) -> None:
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell("_interrupt_in(0.4)\n%oic_login --session slow", raises="KeyboardInterrupt")
    nb.emu.control.set_latency(0.0)


def profile(nb: Notebook) -> None:
    keys = dict(
        url="OIC_DESIGN_URL", identity_url="OIC_IDENTITY_URL", client_id="OIC_CLIENT_ID",
        scope="OIC_SCOPE", instance="OIC_INSTANCE", username="OIC_USERNAME",
    )  # fmt: skip
    values = environment_of(nb.emu)
    Path(os.environ["OIC_PROFILE_FILE"]).write_text(
        "[emu]\n" + "".join(f"{key} = {values[var]}\n" for key, var in keys.items())
    )
    for name in SETTING_VARIABLES:
        nb.env.delenv(name)
    nb.cell("%oic_login --profile emu --session profile")
    nb.env.setenv("OIC_PASSWORD", WRONG_PASSWORD)
    nb.cell("%oic_login --profile emu --session bad-profile", raises="BadCredentialsError")
    for name, value in values.items():
        nb.env.setenv(name, value)


def keyring(nb: Notebook) -> None:
    remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)
    nb.magics._remembered = remembered
    nb.cell("%oic_login --remember --session kept")
    nb.env.delenv("OIC_PASSWORD")
    nb.env.delenv("OIC_CLIENT_SECRET")
    nb.cell("%oic_logout --session kept\n%oic_login --session kept")
    nb.cell("%oic GET connections --session kept --limit 1")
    nb.cell("%oic_logout --session kept")
    settings = Settings(identity_url=nb.emu.identity_url, client_id=DEMO.client_id)
    remembered.save_refresh_token(settings.replace(username=DEMO.username), "AQAgnot-a-token")
    nb.cell("%oic_login --session stale", raises="SignInError")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    nb.magics._remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)


def refresh(nb: Notebook) -> None:
    nb.cell("%oic_login --session renews")
    nb.emu.control.revoke_tokens()  # the access token dies: a 401, then a refresh
    nb.cell("%oic GET connections --session renews --limit 1")
    session = default_store().get("renews")
    session.forget_password()
    refresh_token = session.token.refresh_token
    assert refresh_token
    session.endpoint.refresh(refresh_token)  # another process used it: it is refused next
    nb.emu.control.revoke_tokens()
    nb.cell(
        "%oic GET connections --session renews --limit 1",
        raises=("SessionExpiredError", "SignInError", "RenewalError"),
    )
    nb.cell("%oic_login --session slow-renewal")
    nb.emu.control.revoke_tokens()
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell(
        "_interrupt_in(0.4)\n%oic GET connections --session slow-renewal --limit 1",
        raises="KeyboardInterrupt",
    )
    nb.emu.control.set_latency(0.0)


def client_credentials(nb: Notebook) -> None:
    nb.cell("%oic_login --grant client_credentials --session app")
    nb.env.setenv("OIC_CLIENT_SECRET", WRONG_SECRET)
    nb.cell("%oic_login --grant client_credentials --session bad-app", raises="InvalidClientError")
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)


def device(nb: Notebook) -> None:
    emu = nb.emu

    def answering(approve: bool) -> Callable[[float], None]:
        def pump(seconds: float) -> None:
            emu.control.advance_clock(seconds)
            for code in emu.control.pending_device_codes():
                if approve:
                    emu.control.approve_device(code, "sso.user")
                else:
                    emu.control.deny_device(code)

        return pump

    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.magics.ui_pump = answering(True)
    nb.cell("%oic_login --grant device --session device")
    nb.cell("%oic GET connections --session device --limit 1")
    nb.magics.ui_pump = answering(False)
    nb.cell("%oic_login --grant device --session denied", raises="SignInDeniedError")
    nb.magics.ui_pump = None
    del nb.shell.kernel  # type: ignore[attr-defined]


def browser(nb: Notebook) -> None:
    """The pasted-address browser sign-in; then an address of another sign-in (wrong state)."""
    elsewhere = "https://notebooks.example.com/oauth/callback"
    nb.emu.control.set_redirect_uris(DEMO.client_id, [elsewhere])
    nb.env.setenv("OIC_REDIRECT_URI", elsewhere)

    def person(tamper: bool) -> Callable[[float], None]:
        def pump(seconds: float) -> None:
            panels = [x for x in _instances.values() if isinstance(x, SignInPanel)]
            link = panels[-1].children[0].value.split('href="', 1)[1].split('"', 1)[0]
            url = link.replace("&amp;", "&")
            with httpx.Client() as page:
                page.get(url)
                typed = dict(httpx.URL(url).params) | {"username": "sso.user"}
                typed["password"] = DEMO.password
                landed = page.post(url.split("?")[0], data=typed).headers["Location"]
            nb.codes.append(dict(httpx.URL(landed).params)["code"])
            if tamper:
                landed = landed.replace("state=", "state=not-")
            panels[-1].children[2].value = landed

        return pump

    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.magics.ui_pump = person(tamper=False)
    nb.cell("%oic_login --grant browser --session browser")
    nb.magics.ui_pump = person(tamper=True)
    nb.cell("%oic_login --grant browser --session forged", raises="SignInError")
    nb.magics.ui_pump = None
    del nb.shell.kernel  # type: ignore[attr-defined]
    nb.env.delenv("OIC_REDIRECT_URI")


def jwt_assertion(nb: Notebook, key_file: Path) -> None:
    nb.env.setenv("OIC_PRIVATE_KEY_FILE", str(key_file))
    nb.env.setenv("OIC_KEY_ID", "oic-magic-demo-key")
    nb.env.setenv("OIC_USERNAME", "sso.user")
    nb.cell("%oic_login --grant jwt --session jwt")
    nb.env.setenv("OIC_KEY_ID", "not-a-registered-key")
    nb.cell(
        "%oic_login --grant jwt --session bad-jwt", raises=("SignInError", "InvalidClientError")
    )
    nb.env.delenv("OIC_PRIVATE_KEY_FILE")
    nb.env.delenv("OIC_KEY_ID")
    nb.env.setenv("OIC_USERNAME", DEMO.username)


def form(nb: Notebook) -> None:
    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.env.delenv("OIC_PASSWORD")
    nb.env.delenv("OIC_CLIENT_SECRET")
    nb.cell("_form = get_ipython().run_line_magic('oic_login', '--session form')")
    shown = nb.shell.user_ns["_form"]

    typed = {"wrong": WRONG_PASSWORD, "right": DEMO.password}

    def log_in(which: str) -> None:
        # The person types; no frame of this cell holds the password in a name it shows.
        fields = {}
        pending = [shown]
        while pending:
            widget = pending.pop()
            fields[getattr(widget, "description", None)] = widget
            pending.extend(getattr(widget, "children", ()))
        fields["Client secret"].value = DEMO.client_secret
        fields["Password"].value = typed[which]
        button = fields["Log in"]
        button.click()
        print(shown.outcome)

    nb.shell.user_ns["_log_in"] = log_in
    assert "failed" in nb.cell("_log_in('wrong')")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_token, "_lifetime", crash)
        assert "internal crash" in nb.cell("_log_in('right')")
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell("_interrupt_in(0.4)\n_log_in('right')", raises="KeyboardInterrupt")
    nb.emu.control.set_latency(0.0)
    assert "Signed in" in nb.cell("_log_in('right')")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    del nb.shell.kernel  # type: ignore[attr-defined]


#: Every path above that needs nothing but the notebook, in the order they run.
PATHS: tuple[Callable[[Notebook], None], ...] = (
    environment,
    internal_crash,
    interrupted_sign_in,
    profile,
    keyring,
    refresh,
    client_credentials,
    device,
    browser,
    form,
)
