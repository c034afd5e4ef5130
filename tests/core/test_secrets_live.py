"""No secret in any repr, exception text or DEBUG log line of a full session."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

import pytest
from _emulated import MemoryKeyring, demo_settings

from oic_magic import (
    OICClient,
    OICError,
    RememberedTokens,
    Session,
    SessionStore,
)
from oic_magic.emulator import DEMO, Emulator


def _failures(emu: Emulator, client: OICClient) -> list[OICError]:
    """Provoke every kind of error a session meets, and return them."""
    errors: list[OICError] = []
    attempts: list[Callable[[], object]] = [
        lambda: OICClient.sign_in(demo_settings(emu, password=DEMO.password + "x")),
        lambda: OICClient.sign_in(demo_settings(emu, client_secret=DEMO.client_secret + "x")),
        lambda: OICClient.sign_in(
            demo_settings(emu, token_url=emu.runtime_url + "/ic/api/integration/v1/token")
        ),
        lambda: client.get("integrations/NOPE|01.00.0000"),
        lambda: client.request("POST", "connections/NOPE/test"),
        lambda: emu.control.inject_fault("html", count=10, origin="design") and client.get("x"),
        lambda: (
            emu.control.inject_fault("malformed", count=1, origin="design")
            and client.get("connections")
        ),
    ]
    for attempt in attempts:
        try:
            attempt()
        except OICError as exc:
            errors.append(exc)
        emu.control.clear_faults()
    emu.control.redirect_runtime("foreign")
    runtime_only = OICClient.sign_in(
        demo_settings(emu, design_url=None, runtime_url=emu.runtime_url)
    )
    try:
        runtime_only.get("connections")
    except OICError as exc:
        errors.append(exc)
    runtime_only.close()
    assert client.session.token.refresh_token
    client.session.endpoint.refresh(client.session.token.refresh_token)
    client.session.forget_password()
    try:
        client.session.refresh()
    except OICError as exc:
        errors.append(exc)
    return errors


def test_no_secret_anywhere(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    """Password, client secret, access and refresh tokens appear in no repr, error or log."""
    caplog.set_level(logging.DEBUG)
    store = SessionStore()
    remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)
    client = OICClient.sign_in(
        demo_settings(emu), keep_password=True, remembered=remembered, store=store
    )
    tokens = {client.session.token.access_token, client.session.token.refresh_token}
    client.session.refresh()
    tokens |= {client.session.token.access_token, client.session.token.refresh_token}
    listing = client.paginate("connections", page_size=50)
    session: Session = store.get()
    texts = [
        repr(x)
        for x in (
            client,
            session,
            session.settings,
            session.token,
            listing,
            store,
            remembered,
            session.endpoint,
            session.auth,
        )
    ]
    texts += [str(session.settings), str(session.token)]
    errors = _failures(emu, client)
    assert len(errors) >= 8
    texts += [str(e) for e in errors] + [repr(e) for e in errors]
    logs = [r.getMessage() for r in caplog.records if not r.name.startswith("oic_magic.emulator")]
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    basic = base64.b64encode(f"{DEMO.client_id}:{DEMO.client_secret}".encode()).decode()
    secrets = {DEMO.password, DEMO.client_secret, basic, *filter(None, tokens)}
    assert {"httpx", "oic_magic.auth", "oic_magic.client"} <= {r.name for r in caplog.records}
    haystack = "\n".join(texts + logs)
    for secret in secrets:
        assert secret not in haystack
    client.close()
    store.clear()
