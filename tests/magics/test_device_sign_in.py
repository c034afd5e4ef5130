"""%oic_login --grant device|browser: the panel, the wait, Cancel, headless, --remember."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import httpx
import ipywidgets as w
import pytest
from _emulated import MemoryKeyring
from ipywidgets.widgets.widget import _instances

from oic_magic import (
    FederatedUserError,
    RememberedTokens,
    SignInCancelledError,
    SignInError,
    default_store,
)
from oic_magic.emulator import DEMO, Emulator
from oic_magic.notebook._magics import OICMagics
from oic_magic.notebook._signin_panel import SignInPanel
from oic_magic.widgets import LoginForm

from .conftest import TestingShell as Shell
from .test_login_form import Kernel

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def sso_env(oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The demo environment without a user name or password (an SSO user has none to give)."""
    for name in ("OIC_USERNAME", "OIC_PASSWORD"):
        monkeypatch.delenv(name)
    return oic_env


@pytest.fixture
def person(ext: Shell) -> Shell:
    ext.kernel = Kernel(allow_stdin=True)
    return ext


W = TypeVar("W")


def _magics(ip: Shell) -> OICMagics:
    magics = ip.magics_manager.registry["OICMagics"]
    assert isinstance(magics, OICMagics)
    return magics


def _of_kind(kind: type[W]) -> list[W]:
    return [x for x in _instances.values() if isinstance(x, kind)]


def _panels() -> list[SignInPanel]:
    return _of_kind(SignInPanel)


def _pump(emu: Emulator, act: Callable[[SignInPanel], None]) -> Callable[[float], None]:
    """A pump that moves the emulator clock and lets the 'person' act on the newest panel."""

    def pump(seconds: float) -> None:
        emu.control.advance_clock(seconds)
        act(_panels()[-1])

    return pump


def _approve(emu: Emulator) -> Callable[[SignInPanel], None]:
    def act(panel: SignInPanel) -> None:
        for code in emu.control.pending_device_codes():
            emu.control.approve_device(code, "sso.user")

    return act


def _state(widget: w.Widget) -> str:
    found, pending = [], [widget]
    while pending:
        one = pending.pop()
        found.append(one.get_state())
        pending.extend(getattr(one, "children", ()))
    return json.dumps(found, default=str)


def test_device_sign_in_shows_link_and_code_then_signs_in(
    person: Shell, sso_env: dict[str, str], emu: Emulator
) -> None:
    """The panel shows link and user code while valid; approved, the session is the SSO user."""
    seen: list[str] = []

    def act(panel: SignInPanel) -> None:
        seen.append(_state(panel))
        _approve(emu)(panel)

    _magics(person).ui_pump = _pump(emu, act)
    person.run_cell("%oic_login --grant device")
    session = default_store().get()
    assert session.user == "sso.user" and session.grant == "device"
    while_waiting = seen[0]
    assert "/ui/v1/device" in while_waiting and "oic-user-code" in while_waiting
    assert "valid for 4:" in while_waiting
    panel = _panels()[-1]
    assert panel.outcome.startswith("Signed in as Federated User (sso.user)")
    assert "oic-user-code" not in _state(panel)  # the code goes once the sign-in ends
    frame = person.run_cell("%oic GET connections --limit 3").result
    assert len(frame) == 3


def test_oic_grant_in_the_environment_chooses_the_device_sign_in(
    person: Shell, sso_env: dict[str, str], emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OIC_GRANT=device does what --grant device does."""
    monkeypatch.setenv("OIC_GRANT", "device")
    _magics(person).ui_pump = _pump(emu, _approve(emu))
    person.run_cell("%oic_login")
    assert default_store().get().grant == "device"


def test_cancel_stops_the_cell(person: Shell, sso_env: dict[str, str], emu: Emulator) -> None:
    """Cancel in the panel: the cell raises (Run All stops), no session, panel says why."""

    def act(panel: SignInPanel) -> None:
        next(c for c in panel.children if getattr(c, "description", "") == "Cancel").click()

    _magics(person).ui_pump = _pump(emu, act)
    with pytest.raises(SignInCancelledError):
        person.run_cell("%oic_login --grant device")
    assert default_store().names() == []
    assert "cancelled" in _panels()[-1].outcome


def test_denied_is_said_in_the_panel_and_raised(
    person: Shell, sso_env: dict[str, str], emu: Emulator
) -> None:
    """Deny on the page: SignInError in the cell, the outcome in the panel."""

    def act(panel: SignInPanel) -> None:
        for code in emu.control.pending_device_codes():
            emu.control.deny_device(code)

    _magics(person).ui_pump = _pump(emu, act)
    with pytest.raises(SignInError, match="denied"):
        person.run_cell("%oic_login --grant device")
    assert "denied" in _panels()[-1].outcome


@pytest.mark.parametrize("grant", ["device", "browser"])
def test_headless_never_starts_a_device_or_browser_sign_in(
    ext: Shell, sso_env: dict[str, str], emu: Emulator, grant: str
) -> None:
    """Headless: one error that says what to do; nothing was asked of the identity domain."""
    with pytest.raises(SignInError, match="headless run cannot start") as refused:
        ext.run_cell(f"%oic_login --grant {grant}")
    assert "--remember" in str(refused.value) and "jwt" in str(refused.value)
    assert not [r for r in emu.control.requests() if r["origin"] == "identity"]


def test_remember_lets_a_later_headless_run_sign_in(
    person: Shell, sso_env: dict[str, str], emu: Emulator
) -> None:
    """--remember keeps the device sign-in's refresh token; headless, it signs in (rotating)."""
    remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)
    _magics(person)._remembered = remembered
    _magics(person).ui_pump = _pump(emu, _approve(emu))
    person.run_cell("%oic_login --grant device --remember")
    first = default_store().get()
    kept = remembered.load_refresh_token(first.settings)
    assert kept == first.token.refresh_token
    person.run_cell("%oic_logout")
    person.kernel = None  # the papermill run
    person.run_cell("%oic_login --grant device")
    again = default_store().get()
    assert again.grant == "refresh_token" and again.user == "sso.user"
    assert remembered.load_refresh_token(again.settings) not in (None, kept)  # rotated


def test_the_password_grant_tells_a_federated_user_to_use_the_browser(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """sso.user with the password grant: FederatedUserError pointing at --grant browser."""
    monkeypatch.setenv("OIC_USERNAME", "sso.user")
    with pytest.raises(FederatedUserError, match="--grant browser"):
        ext.run_cell("%oic_login")


def test_browser_sign_in_from_the_magic_with_a_pasted_address(
    person: Shell, sso_env: dict[str, str], emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A redirect URI elsewhere: the panel's paste field takes the landed address, emptied."""
    elsewhere = "https://notebooks.example.com/oauth/callback"
    emu.control.set_redirect_uris(DEMO.client_id, [elsewhere])
    monkeypatch.setenv("OIC_REDIRECT_URI", elsewhere)

    def act(panel: SignInPanel) -> None:
        link = panel.children[0].value.split('href="', 1)[1].split('"', 1)[0]
        url = link.replace("&amp;", "&")
        with httpx.Client() as browser:
            browser.get(url)
            params = dict(httpx.URL(url).params)
            form = params | {"username": "sso.user", "password": DEMO.password}
            landed = browser.post(url.split("?")[0], data=form).headers["Location"]
        panel.children[2].value = landed

    _magics(person).ui_pump = _pump(emu, act)
    person.run_cell("%oic_login --grant browser")
    assert default_store().get().user == "sso.user"
    assert "code=" not in _state(_panels()[-1])


# -- Run All waits for the form ---------------------------------------------------------------
def _button(widget: w.Widget, label: str) -> w.Button:
    pending = [widget]
    while pending:
        one = pending.pop()
        if isinstance(one, w.Button) and one.description == label:
            return one
        pending.extend(getattr(one, "children", ()))
    raise AssertionError(f"no button {label!r}")


def test_the_form_blocks_until_signed_in(
    person: Shell, oic_env: dict[str, str], emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a pump, %oic_login waits: the person fills the form, the next cell is signed in."""
    monkeypatch.delenv("OIC_PASSWORD")
    clicks: list[int] = []

    def pump(seconds: float) -> None:
        form = _of_kind(LoginForm)[-1]
        if not clicks:
            clicks.append(1)
            from .test_login_form import field

            field(form, "Password").value = DEMO.password
            _button(form, "Log in").click()

    _magics(person).ui_pump = pump
    assert person.run_cell("%oic_login").result is None  # shown, waited for, done
    assert default_store().get().user == DEMO.username
    assert len(person.run_cell("%oic GET connections --limit 2").result) == 2


def test_the_form_offers_the_device_code_while_run_all_waits(
    person: Shell, sso_env: dict[str, str], emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'Use a device code' on the waiting form opens the panel; approved, the cell ends."""
    monkeypatch.delenv("OIC_INSTANCE")  # something missing: the form shows

    def pump(seconds: float) -> None:
        form = _of_kind(LoginForm)[-1]
        if not _panels() or _panels()[-1].outcome:
            from .test_login_form import field

            field(form, "Integration instance").value = emu.instance
            _button(form, "Use a device code").click()
        for code in emu.control.pending_device_codes():
            emu.control.approve_device(code, "sso.user")

    _magics(person).ui_pump = pump
    before = len(_panels())
    person.run_cell("%oic_login")
    assert default_store().get().user == "sso.user"
    assert len(_panels()) == before + 1
    assert _of_kind(LoginForm)[-1].signed_in


def test_a_form_nobody_fills_times_out(
    person: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody answers: after sign_in_timeout the cell raises, so Run All stops there."""
    from oic_magic import SignInTimeoutError

    monkeypatch.delenv("OIC_PASSWORD")
    _magics(person).ui_pump = lambda seconds: None
    person.run_cell("%config OICMagics.sign_in_timeout = 1")
    with pytest.raises(SignInTimeoutError, match="sign_in_timeout"):
        person.run_cell("%oic_login")
    assert default_store().names() == []


def test_cancel_on_the_waiting_form_raises(
    person: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel on the form: SignInCancelledError in the cell."""
    monkeypatch.delenv("OIC_PASSWORD")
    _magics(person).ui_pump = lambda s: _button(_of_kind(LoginForm)[-1], "Cancel").click()
    with pytest.raises(SignInCancelledError):
        person.run_cell("%oic_login")
