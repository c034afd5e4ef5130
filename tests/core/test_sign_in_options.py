"""OICClient.sign_in passes the session's sign-in keywords on, and the client's to the client."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from _emulated import demo_settings

from oic_magic import OICClient
from oic_magic.core._client_options import ClientOptions, ClientSignInOptions
from oic_magic.core._session import Session, SignInOptions
from oic_magic.emulator import Emulator


def test_client_sign_in_passes_the_session_keywords_on(emu: Emulator) -> None:
    """name and keep_password reach the session; page_size and retries reach the client."""
    with OICClient.sign_in(
        demo_settings(emu), name="nightly", keep_password=True, page_size=7, retries=0
    ) as client:
        assert client.session.name == "nightly"
        assert client.session.settings.password is not None
        assert client.page_size == 7
        assert client._backoff.retries == 0


def test_client_sign_in_drops_the_password_by_default(emu: Emulator) -> None:
    """Without keep_password the session's settings hold no password, as Session.sign_in's."""
    with OICClient.sign_in(demo_settings(emu)) as client:
        assert client.session.name == "default"
        assert client.session.settings.password is None


def test_session_sign_in_refuses_an_unknown_keyword(emu: Emulator) -> None:
    """A keyword SignInOptions does not name is a TypeError that names it, nothing sent."""
    before = len(emu.control.requests())
    options: dict[str, Any] = {"grnat": "password"}
    with pytest.raises(TypeError, match="grnat"):
        Session.sign_in(demo_settings(emu), **options)
    assert len(emu.control.requests()) == before


def test_client_sign_in_refuses_an_unknown_keyword(emu: Emulator) -> None:
    """A keyword neither the session nor the client takes is still a TypeError."""
    options: dict[str, Any] = {"page_sise": 7}
    with pytest.raises(TypeError, match="page_sise"):
        OICClient.sign_in(demo_settings(emu), **options)


def test_the_options_name_what_the_constructors_take() -> None:
    """ClientOptions are OICClient's own parameters; SignInOptions are Session.sign_in's."""
    client = inspect.signature(OICClient.__init__).parameters
    assert ClientOptions.__optional_keys__ <= client.keys()
    # What sign_in sets itself, or takes by name, is all the client takes besides.
    assert client.keys() - ClientOptions.__optional_keys__ == {
        "self", "session", "transport", "clock", "sleep", "owns_session",
    }  # fmt: skip
    assert ClientSignInOptions.__optional_keys__ == (
        SignInOptions.__optional_keys__ | ClientOptions.__optional_keys__
    )
    assert not SignInOptions.__optional_keys__ & ClientOptions.__optional_keys__
