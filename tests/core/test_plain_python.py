"""The core works in a plain script: no IPython, pandas, ipywidgets or keyring imported, and
the credential chain of the magics (profile, environment, keyring) serves plain Python too."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _emulated import MemoryKeyring, token_requests

from oic_magic import (
    ConfigurationError,
    OICClient,
    RememberedTokens,
    SessionExpiredError,
    Settings,
)
from oic_magic.emulator import DEMO, Emulator

SCRIPT = textwrap.dedent("""
    import sys, httpx
    from oic_magic import OICClient, Settings, Listing, APIStatusError, default_store
    from oic_magic import RememberedTokens

    def app(request):
        if request.url.path == "/oauth2/v1/token":
            return httpx.Response(200, json={"access_token": "a.b.c", "expires_in": 60})
        return httpx.Response(200, json={"items": [{"id": 1}], "totalResults": 1})

    settings = Settings(design_url="https://design.integration.r.ocp.oraclecloud.com",
                        identity_url="idcs-x.identity.oraclecloud.com", client_id="c",
                        client_secret="s", audience="a", instance="i", username="u",
                        password="p")
    with OICClient.sign_in(settings, transport=httpx.MockTransport(app)) as client:
        assert len(client.paginate("connections")) == 1
    RememberedTokens()
    heavy = sorted(m for m in ("IPython", "pandas", "ipywidgets", "keyring") if m in sys.modules)
    print(",".join(heavy) or "none")
""")


def test_core_imports_only_light_modules() -> None:
    """A script using the core leaves IPython, pandas, ipywidgets and keyring unimported."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"


def _environment(emu: Emulator) -> dict[str, str]:
    """What the emulator banner's export line sets: everything a headless sign-in needs."""
    return {
        "OIC_DESIGN_URL": emu.design_url, "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id, "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_AUDIENCE": emu.audience, "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": DEMO.username, "OIC_PASSWORD": DEMO.password,
    }  # fmt: skip


def test_the_readme_example_renews_itself_when_its_refresh_token_is_refused(
    emu: Emulator,
) -> None:
    """OICClient.connect keeps a password from the environment: an expired refresh token
    is answered by one password grant, and the call succeeds."""
    emu.control.set_token_lifetimes(access=60, refresh=120)
    memory = RememberedTokens(backend=MemoryKeyring())
    with OICClient.connect(environ=_environment(emu), remembered=memory) as client:
        assert client.paginate("connections").total == len(emu.backend.data.connections)
        emu.control.advance_clock(600)  # access and refresh tokens both expired
        assert client.paginate("connections").total == len(emu.backend.data.connections)
    assert len(token_requests(emu, "password")) == 2
    assert len(token_requests(emu, "refresh_token")) == 1


def test_a_password_given_only_to_sign_in_is_not_kept(emu: Emulator) -> None:
    """The contrast: OICClient.sign_in without keep_password cannot sign in again by itself."""
    emu.control.set_token_lifetimes(access=60, refresh=120)
    settings = Settings.from_env(_environment(emu))
    with OICClient.sign_in(settings) as client:
        client.paginate("connections")
        emu.control.advance_clock(600)
        with pytest.raises(SessionExpiredError):
            client.paginate("connections")


def test_connect_reads_an_explicit_profile_above_the_environment(
    emu: Emulator, tmp_path: Path
) -> None:
    """connect("name") takes the instance from that profile even when OIC_* names another."""
    profile = tmp_path / "profiles.ini"
    profile.write_text(f"[demo]\ninstance = {emu.instance}\n")
    profile.chmod(0o600)
    environ = {**_environment(emu), "OIC_INSTANCE": "elsewhere", "OIC_PROFILE_FILE": str(profile)}
    memory = RememberedTokens(backend=MemoryKeyring())
    with OICClient.connect("demo", environ=environ, remembered=memory) as client:
        assert client.session.settings.instance == emu.instance


def test_connect_names_every_missing_setting() -> None:
    """Without settings, connect raises one ConfigurationError listing what is missing."""
    with pytest.raises(ConfigurationError) as caught:
        OICClient.connect(environ={}, remembered=RememberedTokens(backend=MemoryKeyring()))
    assert "client ID is missing" in caught.value.problems
    assert "OIC_CLIENT_ID" in str(caught.value)


def test_connect_advises_python_not_the_magics() -> None:
    """Finding: a plain script was told "no form can be shown" and "run %oic_login again"."""
    with pytest.raises(ConfigurationError) as caught:
        OICClient.connect(environ={}, remembered=RememberedTokens(backend=MemoryKeyring()))
    text = str(caught.value)
    assert "%oic_login" not in text and "form" not in text and "headless" not in text
    assert "OIC_URL" in text and "OIC_PROFILE=NAME" in text
    assert 'OICClient.connect("NAME")' in text and "OICClient.connect() again" in text
    assert "after OICClient.connect(remember=True)" in text
