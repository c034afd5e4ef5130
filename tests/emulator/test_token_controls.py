"""Controls that steer renewals: refused refresh tokens, a changed password, a lost answer."""

from __future__ import annotations

import httpx
import pytest

from oic_magic.emulator import DEMO, Emulator

from .conftest import password_grant


def _refresh(emu: Emulator, refresh_token: str) -> httpx.Response:
    return httpx.post(
        emu.token_url,
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
    )


def test_revoke_refresh_tokens_refuses_every_issued_one(emu: Emulator) -> None:
    """After revoke-refresh, every refresh token issued so far is invalid_grant; new ones work."""
    old = password_grant(emu).json()["refresh_token"]
    httpx.post(f"{emu.identity_url}/_emulator/revoke-refresh").raise_for_status()
    refused = _refresh(emu, old)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    fresh = password_grant(emu).json()["refresh_token"]
    assert _refresh(emu, fresh).status_code == 200


def test_set_password_refuses_the_old_one_until_reset(emu: Emulator) -> None:
    """A changed password refuses the old one; reset brings the demo password back."""
    httpx.post(
        f"{emu.identity_url}/_emulator/password",
        json={"username": DEMO.username, "password": "Another#Pass-1"},
    ).raise_for_status()
    refused = password_grant(emu)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    emu.control.reset()
    assert password_grant(emu).status_code == 200


def test_set_password_of_unknown_user_is_an_error(emu: Emulator) -> None:
    """Changing the password of a user the domain does not have is refused."""
    with pytest.raises(KeyError):
        emu.control.set_password("nobody", "x")


def test_dropped_refresh_answer_still_rotates(emu: Emulator) -> None:
    """A ``drop`` fault on the token endpoint cuts the answer after the refresh was done."""
    old = password_grant(emu).json()["refresh_token"]
    emu.control.inject_fault("drop", count=1, pattern="/oauth2/v1/token")
    with pytest.raises(httpx.RemoteProtocolError):
        _refresh(emu, old)
    again = _refresh(emu, old)  # the first one was consumed although its answer was lost
    assert again.status_code == 400 and "consumed" in again.json()["error_description"]
