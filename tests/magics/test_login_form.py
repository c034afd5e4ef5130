"""%oic_login with a person at the notebook: the form, driven without a browser."""

from __future__ import annotations

import json
from typing import Any

import ipywidgets as w
import pytest

from oic_magic import ConfigurationError, SessionExpiredError, default_store
from oic_magic.emulator import DEMO, Emulator
from oic_magic.notebook._login import is_headless
from oic_magic.widgets import LoginForm

from .conftest import TestingShell as Shell


class Kernel:
    """The one thing the headless test asks of a kernel: the current request's header."""

    def __init__(self, *, allow_stdin: bool) -> None:
        self.allow_stdin = allow_stdin

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": self.allow_stdin}}


@pytest.fixture
def person(ext: Shell) -> Shell:
    """A shell whose kernel says a person can answer (JupyterLab)."""
    ext.kernel = Kernel(allow_stdin=True)
    return ext


def widgets_of(form: LoginForm) -> list[w.Widget]:
    found, pending = [], [form]
    while pending:
        widget = pending.pop()
        found.append(widget)
        pending.extend(getattr(widget, "children", ()))
    return found


def field(form: LoginForm, label: str) -> w.Widget:
    return next(c for c in widgets_of(form) if getattr(c, "description", None) == label)


@pytest.mark.parametrize(
    ("shell_kernel", "headless"),
    [(None, True), (Kernel(allow_stdin=False), True), (Kernel(allow_stdin=True), False)],
    ids=["no kernel", "papermill-like", "jupyterlab-like"],
)
def test_headless_decision(shell_kernel: Any, headless: bool) -> None:
    """Headless means no kernel, or a request that does not allow stdin."""

    class Host:
        kernel = shell_kernel

    assert is_headless(Host()) is headless


def test_form_when_settings_are_missing(
    person: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Missing settings with a person present show the form, prefilled from the environment."""
    monkeypatch.setenv("OIC_DESIGN_URL", emu.design_url)
    monkeypatch.setenv("OIC_INSTANCE", emu.instance)
    monkeypatch.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    form = person.run_cell("%oic_login").result
    assert isinstance(form, LoginForm)
    assert field(form, "Integration instance").value == "oic-demo"
    assert field(form, "Client secret").value == ""
    assert "the environment" in field(form, "Client secret").placeholder


def fill_and_click(form: LoginForm, emu: Any, password: str) -> None:
    field(form, "URL (design-time or runtime)").value = emu.design_url
    field(form, "Identity domain host").value = emu.identity_url
    field(form, "Client ID").value = DEMO.client_id
    field(form, "Client secret").value = DEMO.client_secret
    field(form, "Scope or audience").value = emu.audience
    field(form, "Integration instance").value = emu.instance
    field(form, "User name").value = DEMO.username
    field(form, "Password").value = password
    field(form, "Log in").click()


def state(form: LoginForm) -> str:
    return json.dumps([c.get_state() for c in widgets_of(form)], default=str)


def test_form_signs_in_and_empties_secrets(person: Shell, emu: Emulator) -> None:
    """Log in with the form: plain-words outcome, a session, no secret left in any widget."""
    form = person.run_cell("%oic_login").result
    fill_and_click(form, emu, DEMO.password)
    assert form.outcome.startswith("Signed in as Ada Lovelace (ada.lovelace) to instance oic-demo")
    assert "valid until" in form.outcome
    assert default_store().names() == ["default"]
    assert DEMO.password not in state(form) and DEMO.client_secret not in state(form)


def test_form_failure_says_what_to_check(person: Shell, emu: Emulator) -> None:
    """A wrong password is explained, and the secrets are emptied all the same."""
    form = person.run_cell("%oic_login").result
    fill_and_click(form, emu, "not-the-password")
    assert form.outcome.startswith("Sign-in failed: wrong user name or password (invalid_grant")
    assert default_store().names() == []
    assert "not-the-password" not in state(form) and DEMO.client_secret not in state(form)


def test_nothing_missing_signs_in_at_once(
    person: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """With every setting known, %oic_login signs in without a form."""
    assert person.run_cell("%oic_login").result is None
    assert "Signed in as" in capsys.readouterr().out


def test_progress_bar_with_a_person(
    person: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A multi-page fetch shows a progress bar when someone watches."""
    person.run_cell("%oic_login")
    person.run_cell("%config OICMagics.page_size = 50")
    person.run_cell("%oic GET connections")
    assert "IntProgress" in capsys.readouterr().out


def test_progress_can_be_switched_off(
    person: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """%config OICMagics.progress = False keeps multi-page fetches quiet."""
    person.run_cell("%oic_login")
    person.run_cell("%config OICMagics.progress = False")
    person.run_cell("%config OICMagics.page_size = 50")
    person.run_cell("%oic GET connections")
    assert "IntProgress" not in capsys.readouterr().out


def _password_grants(emu: Any) -> int:
    return sum(1 for r in emu.control.requests() if r.get("grant_type") == "password")


def test_environment_password_signs_in_again_when_refresh_token_dies(
    signed_in: Shell, emu: Any
) -> None:
    """A password the process can read again (environment) renews a session past its refresh."""
    before = _password_grants(emu)
    emu.control.advance_clock(8 * 86400)  # past the 7-day refresh token: invalid_grant
    frame = signed_in.run_cell("%oic GET connections --limit 5").result
    assert len(frame) == 5
    assert _password_grants(emu) == before + 1


def test_form_password_is_not_kept_so_a_dead_refresh_token_asks_to_sign_in(
    person: Shell, emu: Any
) -> None:
    """A password typed into the form is forgotten: a dead refresh token says sign in again."""
    form = person.run_cell("%oic_login").result
    fill_and_click(form, emu, DEMO.password)
    before = _password_grants(emu)
    emu.control.advance_clock(8 * 86400)
    with pytest.raises(SessionExpiredError, match="sign in again"):
        person.run_cell("%oic GET connections --limit 5")
    assert _password_grants(emu) == before


def test_headless_missing_settings_advise_the_magic(ext: Shell) -> None:
    """In a notebook the advice is %oic_login; plain Python's (OICClient.connect) is not."""
    with pytest.raises(ConfigurationError) as caught:
        ext.run_cell("%oic_login")
    text = str(caught.value)
    assert "no form can be shown (headless run)" in text and "run %oic_login again" in text
    assert "after %oic_login --remember" in text and "OICClient.connect" not in text
