"""URL-shaped bad inputs in the magics: one clear error naming the value, nothing sent.

A stray ``[``, a backslash, a ``%2f``, fullwidth letters or dots, or invalid punycode in
``OIC_URL``, ``OIC_DESIGN_URL``, ``OIC_TRUSTED_HOSTS``, a profile's ``url`` or a URL
pasted as the path of ``%oic GET``: each is the project's own error (never a
``ValueError``, ``idna.IDNAError`` or ``httpx.InvalidURL``), it quotes the value, and
neither the identity domain nor OIC received anything for it.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from _emulated import api_requests, token_requests

from oic_magic.emulator import DEMO, Emulator
from oic_magic.exceptions import ConfigurationError, RequestError

from ._environment import emulator_environment
from .conftest import TestingShell as Shell

FULLWIDTH = "https://\uff44\uff45\uff53\uff49\uff47\uff4e\uff0eintegration.r.ocp.oraclecloud.com"

#: variable, value, what the message says about it
SETTINGS = {
    "[ in OIC_URL": ("OIC_URL", "https://[oic.example.com", "never closes it"),
    "[ after the host": (
        "OIC_DESIGN_URL",
        "https://design.integration.r.ocp.oraclecloud.com[",
        "holds one of",
    ),
    "[ in OIC_TRUSTED_HOSTS": ("OIC_TRUSTED_HOSTS", "[", "never closes it"),
    "two ports": ("OIC_RUNTIME_URL", "https://oic.example.com:1:2", "more than one ':'"),
    "fullwidth OIC_URL": ("OIC_URL", FULLWIDTH, "lookalike characters"),
    "ideographic dot": ("OIC_URL", "https://design\u3002example.com", "lookalike characters"),
    "bad punycode": ("OIC_URL", "https://xn--zz.integration.r.ocp.oraclecloud.com", "IDNA"),
    "backslash": ("OIC_URL", "https://evil.test\\.oraclecloud.com", "backslash"),
    "%2f trusted": ("OIC_TRUSTED_HOSTS", "evil.test%2f.oraclecloud.com", "percent-encoded"),
    "%00 trusted": ("OIC_TRUSTED_HOSTS", "evil%00.oraclecloud.com", "percent-encoded"),
    "bad punycode trusted": ("OIC_TRUSTED_HOSTS", "xn--zz.example", "IDNA"),
    "trailing dot trusted": ("OIC_TRUSTED_HOSTS", "collector.example.", "no trailing dot"),
    "path in trusted": ("OIC_TRUSTED_HOSTS", "https://collector.example/x", "without a path"),
}


@pytest.mark.parametrize(("name", "value", "says"), SETTINGS.values(), ids=SETTINGS.keys())
def test_malformed_url_setting(
    name: str, value: str, says: str, ext: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """%oic_login with one malformed URL variable: a ConfigurationError quoting it."""
    env = emulator_environment(emu)
    if name == "OIC_URL":
        del env["OIC_DESIGN_URL"]
    env[name] = value
    for key, val in env.items():
        monkeypatch.setenv(key, val)
    with pytest.raises(ConfigurationError) as caught:
        ext.run_cell("%oic_login")
    message = str(caught.value)
    assert repr(value) in message and says in message
    assert token_requests(emu) == []  # refused before the identity domain saw anything


def test_malformed_profile_url(
    ext: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A profile whose url has a stray [ is the same clear error, naming the value."""
    for key, val in emulator_environment(emu).items():
        monkeypatch.setenv(key, val)
    monkeypatch.delenv("OIC_DESIGN_URL")
    profiles = tmp_path / "profiles.ini"
    profiles.write_text("[p]\nurl = https://[design.integration.r.ocp.oraclecloud.com\n")
    profiles.chmod(0o600)
    monkeypatch.setenv("OIC_PROFILE_FILE", str(profiles))
    with pytest.raises(ConfigurationError, match="never closes it") as caught:
        ext.run_cell("%oic_login --profile p")
    assert "'https://[design.integration.r.ocp.oraclecloud.com'" in str(caught.value)
    assert token_requests(emu) == []


def test_userinfo_in_a_malformed_url_is_not_quoted(
    ext: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The value is named with its user name and password masked."""
    env = emulator_environment(emu, OIC_DESIGN_URL="https://ada:S3cret-Pw@[oic.example.com")
    for key, val in env.items():
        monkeypatch.setenv(key, val)
    with pytest.raises(ConfigurationError) as caught:
        ext.run_cell("%oic_login")
    assert "S3cret-Pw" not in str(caught.value) and "***@[oic.example.com" in str(caught.value)


PASTED = {
    "stray [": ("https://[x/ic/api/integration/v1/connections", "never closes it"),
    "fullwidth": (
        "https://\uff44esign\uff0eexample.com/ic/api/integration/v1/connections",
        "lookalike",
    ),
    "bad punycode": ("https://xn--zz.example.com/ic/api/integration/v1/connections", "IDNA"),
    "backslash": ("https://evil.test\\.oraclecloud.com/ic/api/integration/v1/x", "backslash"),
    "%2f": ("https://evil%2f.oraclecloud.com/ic/api/integration/v1/connections", "percent"),
    "port": ("https://design.example.com:0/ic/api/integration/v1/connections", "port"),
}


@pytest.mark.parametrize(("path", "says"), PASTED.values(), ids=PASTED.keys())
def test_malformed_pasted_url(path: str, says: str, signed_in: Shell, emu: Emulator) -> None:
    """%oic GET <malformed full URL>: a RequestError quoting it; OIC receives nothing."""
    before = len(api_requests(emu))
    with pytest.raises(RequestError) as caught:
        signed_in.run_cell(f"%oic GET {path}")
    assert repr(path) in str(caught.value) and says in str(caught.value)
    assert len(api_requests(emu)) == before


def test_pasted_url_of_another_oraclecloud_host_is_refused(signed_in: Shell, emu: Emulator) -> None:
    """A well-formed URL on another *.oraclecloud.com host is not this session's OIC."""
    before = len(api_requests(emu))
    url = "https://objectstorage.us-ashburn-1.oraclecloud.com/ic/api/integration/v1/connections"
    with pytest.raises(RequestError, match="is not this session's OIC"):
        signed_in.run_cell(f"%oic GET {url}")
    assert len(api_requests(emu)) == before


def test_malformed_url_in_the_login_form(ext: Shell, emu: Emulator) -> None:
    """The form's URL field with a stray [: the outcome names the problem; nothing is sent."""
    from .test_login_form import Kernel, fill_and_click

    ext.kernel = Kernel(allow_stdin=True)
    form = ext.run_cell("%oic_login").result
    typed = SimpleNamespace(
        design_url="https://[design.example.com",
        identity_url=emu.identity_url,
        audience=emu.audience,
        instance=emu.instance,
    )
    fill_and_click(form, typed, DEMO.password)
    assert "never closes it" in form.outcome and "'https://[design.example.com'" in form.outcome
    assert token_requests(emu) == []
