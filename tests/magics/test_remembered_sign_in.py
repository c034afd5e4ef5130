"""Sign-in with a refresh token remembered in the keyring: rotation saved, stale token removed."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from _emulated import BrokenKeyring, MemoryKeyring
from IPython.core.error import UsageError

from oic_magic import RememberedTokens, SignInError, default_store
from oic_magic.core._session import SessionStore
from oic_magic.notebook import _login

from .conftest import TestingShell as Shell


def _use_keyring(ip: Shell, backend: Any) -> RememberedTokens:
    remembered = RememberedTokens(backend=backend, remember_secret=True)
    ip.magics_manager.registry["OICMagics"]._remembered = remembered
    return remembered


def _stale_token(ip: Shell, remembered: RememberedTokens) -> str:
    """Sign in with --remember, consume the remembered refresh token, put it back."""
    ip.run_cell("%oic_login --remember")
    session = default_store().get()
    stale = remembered.load_refresh_token(session.settings)
    assert stale
    session.refresh()  # consumes it; the rotated one is saved
    assert remembered.load_refresh_token(session.settings) != stale
    remembered.save_refresh_token(session.settings, stale)
    ip.run_cell("%oic_logout")
    return stale.reveal()


def test_plain_login_after_remember_keeps_working(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After --remember, plain %oic_login without a password works again and again."""
    remembered = _use_keyring(ext, MemoryKeyring())
    ext.run_cell("%oic_login --remember")
    monkeypatch.delenv("OIC_PASSWORD")
    for _ in range(2):
        ext.run_cell("%oic_logout")
        ext.run_cell("%oic_login")
        session = default_store().get()
        assert session.grant == "refresh_token"
        assert remembered.load_refresh_token(session.settings) == session.token.refresh_token


def test_stale_token_with_password_signs_in_with_the_password(
    ext: Shell, oic_env: dict[str, str]
) -> None:
    """A refused remembered refresh token is removed and the password grant is used instead."""
    remembered = _use_keyring(ext, MemoryKeyring())
    stale = _stale_token(ext, remembered)
    found = _login.resolve(_login.LoginOptions(), remembered=remembered)
    resolved = dataclasses.replace(found, refresh_token=stale)
    session = _login.sign_in(
        resolved, _login.LoginOptions(), store=SessionStore(), remembered=remembered
    )
    assert session.grant == "password"
    assert remembered.load_refresh_token(session.settings) is None
    assert remembered.load_client_secret(session.settings) == oic_env["OIC_CLIENT_SECRET"]
    ext.run_cell("%oic_login")  # the magic itself, password from the environment
    assert default_store().get().grant == "password"


def test_stale_token_without_password_says_what_to_do(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a password: one clear error, and the stale entry is gone so the form would ask."""
    remembered = _use_keyring(ext, MemoryKeyring())
    _stale_token(ext, remembered)
    monkeypatch.delenv("OIC_PASSWORD")
    with pytest.raises(SignInError) as caught:
        ext.run_cell("%oic_login")
    text = str(caught.value)
    assert "remembered sign-in has expired" in text
    assert "removed from the keyring" in text
    assert "%oic_login" in text and "OIC_PASSWORD" in text
    again = _login.resolve(_login.LoginOptions(), remembered=remembered)
    assert again.refresh_token is None
    assert again.missing() == ["password"]


def test_memory_only_is_not_called_remembered(
    ext: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--remember with a broken keyring does not claim "Remembered in the keyring."."""
    _use_keyring(ext, BrokenKeyring())
    ext.run_cell("%oic_login --remember")
    out = capsys.readouterr().out
    assert "Signed in as" in out and "Remembered in the keyring." not in out
    _use_keyring(ext, MemoryKeyring())
    ext.run_cell("%oic_login --remember")
    assert "Remembered in the keyring." in capsys.readouterr().out


def test_forget_in_a_new_kernel_needs_no_session(
    ext: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """%oic_logout --forget with nobody signed in removes what --remember kept."""
    backend = MemoryKeyring()
    _use_keyring(ext, backend)
    ext.run_cell("%oic_login --remember")
    ext.run_cell("%oic_logout")  # as a restarted kernel: no session, the keyring still full
    assert backend.entries
    capsys.readouterr()
    ext.run_cell("%oic_logout --forget")
    assert backend.entries == {}
    assert "removed from the keyring" in capsys.readouterr().out


def test_forget_without_a_session_or_settings_says_what_it_needs(ext: Shell) -> None:
    """--forget with no session and no client id or identity domain is one clear error."""
    with pytest.raises(
        UsageError,
        match="no settings say which keyring entry to remove: name the sign-in with --profile NAME",
    ):
        ext.run_cell("%oic_logout --forget")


def test_forget_with_no_keyring_says_nothing_was_kept(
    ext: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--forget where no keyring works does not claim to have removed anything from one."""
    _use_keyring(ext, BrokenKeyring())
    ext.run_cell("%oic_login --remember")
    capsys.readouterr()
    ext.run_cell("%oic_logout --forget")
    out = capsys.readouterr().out
    assert "No keyring is usable here" in out and "Signed out: default." in out
    assert "removed from the keyring" not in out
    ext.run_cell("%oic_logout --forget")  # no session now, the environment names the user
    again = capsys.readouterr().out
    assert "nothing was remembered for ada.lovelace" in again


def test_forget_with_a_missing_profile_says_nothing_was_removed(ext: Shell, tmp_path: Path) -> None:
    """--forget --profile NAME without such a file: one usage error, no sign-in advice."""
    with pytest.raises(
        UsageError,
        match=r"--forget: invalid settings: .*no profile file.*"
        r"Nothing was removed from the keyring\.$",
    ) as caught:
        ext.run_cell("%oic_logout --forget --profile prod")
    assert "sign in again" not in str(caught.value)
