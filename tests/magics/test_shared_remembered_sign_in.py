"""%oic_login from a keyring entry another kernel renews: its newer token is taken, never lost."""

from __future__ import annotations

import httpx
import pytest
from _emulated import MemoryKeyring

from oic_magic import OICClient, RememberedTokens, SignInError, default_store
from oic_magic.core._session import SessionStore
from oic_magic.emulator import DEMO, Emulator
from oic_magic.notebook import _login

from .conftest import TestingShell as Shell


def _shared(ip: Shell, backend: MemoryKeyring) -> RememberedTokens:
    remembered = RememberedTokens(backend=backend)
    ip.magics_manager.registry["OICMagics"]._remembered = remembered
    return remembered


def _other_kernel(backend: MemoryKeyring) -> OICClient:
    """Another kernel: signs in from the same keyring entry (and so renews its token)."""
    options = _login.LoginOptions()
    found = _login.resolve(options, remembered=RememberedTokens(backend=backend))
    assert found.refresh_token
    session = _login.sign_in(
        found, options, store=SessionStore(), remembered=RememberedTokens(backend=backend)
    )
    return OICClient(session)


def test_login_with_a_token_another_kernel_renewed_takes_the_newer_one(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kernel holding the stored token a moment too long signs in with the newer one."""
    backend = MemoryKeyring()
    remembered = _shared(ext, backend)
    ext.run_cell("%oic_login --remember")
    ext.run_cell("%oic_logout")
    monkeypatch.delenv("OIC_PASSWORD")
    found = _login.resolve(_login.LoginOptions(), remembered=remembered)
    other = _other_kernel(backend)  # renews the token this kernel has just read
    session = _login.sign_in(
        found, _login.LoginOptions(), store=SessionStore(), remembered=remembered
    )
    assert session.grant == "refresh_token"
    assert remembered.peek_refresh_token(session.settings) == session.token.refresh_token
    assert other.get("connections", params={"limit": 1})["items"]  # still signed in
    other.close()
    session.close()


def test_login_whose_newer_token_was_used_up_says_another_kernel_renewed_it(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, emu: Emulator
) -> None:
    """When the newer token cannot be used either, the error names the other kernel."""
    backend = MemoryKeyring()
    remembered = _shared(ext, backend)
    ext.run_cell("%oic_login --remember")
    ext.run_cell("%oic_logout")
    monkeypatch.delenv("OIC_PASSWORD")
    found = _login.resolve(_login.LoginOptions(), remembered=remembered)
    other = _other_kernel(backend)
    newer = other.session.token.refresh_token
    used = httpx.post(  # a third process uses the newer token without storing the next
        emu.token_url,
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": newer},
    )
    assert used.status_code == 200
    with pytest.raises(SignInError, match="another kernel renewed it") as caught:
        _login.sign_in(found, _login.LoginOptions(), store=SessionStore(), remembered=remembered)
    assert "has expired" not in str(caught.value)
    assert default_store().names() == []
    other.close()
