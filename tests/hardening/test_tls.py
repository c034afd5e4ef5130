"""TLS: verification on by default, a CA bundle setting that works, plain http only on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from _emulated import api_requests, token_requests

from oic_magic import ConfigurationError, OICClient, Settings, TLSVerificationError
from oic_magic.emulator import Emulator

from ._hardening import Sleeps, settings_for
from ._tls import Authority


def test_default_verification_refuses_an_unknown_ca(tls_emu: Emulator) -> None:
    """Without a CA bundle, sign-in fails with TLSVerificationError naming host and setting."""
    with pytest.raises(TLSVerificationError) as caught:
        OICClient.sign_in(settings_for(tls_emu), sleep=Sleeps())
    error = caught.value
    host = tls_emu.identity_url.removeprefix("https://")
    assert error.host == host and host in str(error)
    assert "ca_bundle" in str(error) and "OIC_CA_BUNDLE" in str(error)
    assert token_requests(tls_emu) == []  # the handshake failed: no form was ever sent


def test_ca_bundle_setting_signs_in_and_reads(tls_emu: Emulator, authority: Authority) -> None:
    """With the test CA as ca_bundle, sign-in, a paged list and the runtime 307 all work."""
    settings = settings_for(
        tls_emu,
        ca_bundle=str(authority.bundle),
        design_url=None,
        runtime_url=tls_emu.runtime_url,
        trusted_hosts=(tls_emu.design_url,),
    )
    with OICClient.sign_in(settings, sleep=Sleeps()) as client:
        listing = client.paginate("connections")
    assert len(listing) == listing.total == 300
    assert listing.url.startswith("https://")
    design = api_requests(tls_emu, "design")
    assert design and all(e["authorization"] and e["status"] == 200 for e in design)


def test_ca_bundle_from_environment(tls_emu: Emulator, authority: Authority) -> None:
    """OIC_CA_BUNDLE reaches the client as the CA bundle setting."""
    environ = {
        "OIC_DESIGN_URL": tls_emu.design_url,
        "OIC_IDENTITY_URL": tls_emu.identity_url,
        "OIC_CA_BUNDLE": str(authority.bundle),
    }
    base = settings_for(tls_emu)
    settings = Settings.from_env(
        environ,
        client_id=base.client_id,
        client_secret=base.client_secret,
        audience=base.audience,
        instance=base.instance,
        username=base.username,
        password=base.password,
    )
    assert settings.ca_bundle == str(authority.bundle)
    with OICClient.sign_in(settings, sleep=Sleeps()) as client:
        assert client.get("connections")["items"]


def test_wrong_ca_bundle_names_the_bundle(tls_emu: Emulator, other_authority: Authority) -> None:
    """A bundle of another CA fails verification and the error says which bundle was used."""
    settings = settings_for(tls_emu, ca_bundle=str(other_authority.bundle))
    with pytest.raises(TLSVerificationError) as caught:
        OICClient.sign_in(settings, sleep=Sleeps())
    assert str(other_authority.bundle) in str(caught.value)


def test_unreadable_ca_bundle_is_a_configuration_error(tls_emu: Emulator, tmp_path: Any) -> None:
    """A CA bundle that is not PEM is a ConfigurationError before anything is sent."""
    bogus = tmp_path / "not-a-ca.pem"
    bogus.write_text("this is not a certificate")
    with pytest.raises(ConfigurationError, match="CA bundle"):
        OICClient.sign_in(settings_for(tls_emu, ca_bundle=str(bogus)), sleep=Sleeps())
    assert token_requests(tls_emu) == []


def test_api_host_verified_too(tls_emu: Emulator, authority: Authority, emu: Emulator) -> None:
    """A token from a trusted identity domain does not make an untrusted API host trusted."""
    settings = settings_for(emu, design_url=tls_emu.design_url)
    with (
        OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client,
        pytest.raises(TLSVerificationError) as caught,
    ):
        client.get("connections")
    assert tls_emu.design_url.removeprefix("https://") in str(caught.value)
    assert api_requests(tls_emu) == []


PLAIN_HTTP = {
    "design_url": "http://design.integration.us-ashburn-1.ocp.oraclecloud.com",
    "runtime_url": "http://oic-1.integration.us-ashburn-1.ocp.oraclecloud.com",
    "identity_url": "http://idcs-0123.identity.oraclecloud.com",
    "token_url": "http://idcs-0123.identity.oraclecloud.com/oauth2/v1/token",
    "trusted_hosts": ("http://proxy.example.com",),
}


@pytest.mark.parametrize("field", sorted(PLAIN_HTTP))
def test_plain_http_off_loopback_refused(emu: Emulator, field: str) -> None:
    """http:// to a non-loopback host is refused for every URL setting, before any request."""
    settings = settings_for(emu, **{field: PLAIN_HTTP[field]})
    if field == "runtime_url":
        settings = settings.replace(design_url=None)
    with pytest.raises(ConfigurationError, match="plain http:// off loopback"):
        OICClient.sign_in(settings, sleep=Sleeps())
    assert emu.control.requests() == []


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_on_loopback_allowed(host: str) -> None:
    """Loopback (the emulator) may use plain http."""
    url = f"http://{host}:8001"
    settings = Settings(
        design_url=url,
        identity_url=url,
        client_id="c",
        client_secret="s",
        audience="a",
        instance="i",
        username="u",
        password="p",
        trusted_hosts=(url,),
    )
    assert settings.validate() is settings
