"""Authorization reaches only trusted hosts: foreign origins and scheme-changing hops."""

from __future__ import annotations

import pytest
from _emulated import api_requests

from oic_magic import OICClient, RedirectError
from oic_magic.emulator import Emulator

from ._hardening import Sleeps, settings_for
from ._tls import Authority

STATUSES = [301, 302, 303, 307, 308]


def _auth_headers(received: list[dict[str, object]]) -> list[object]:
    return [
        value
        for entry in received
        for name, value in dict(entry["headers"]).items()  # type: ignore[call-overload]
        if name.lower() == "authorization"
    ]


def _runtime_client(emu: Emulator, **changes: object) -> OICClient:
    settings = settings_for(emu, design_url=None, runtime_url=emu.runtime_url, **changes)
    return OICClient.sign_in(settings, sleep=Sleeps(), retries=0)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_foreign_origin_never_gets_authorization(emu: Emulator, status: int, method: str) -> None:
    """A redirect of any status to the foreign origin is refused; it receives no request."""
    emu.control.redirect_runtime("foreign", status)
    with (
        _runtime_client(emu, trusted_hosts=(emu.design_url,)) as client,
        pytest.raises(RedirectError, match="not a trusted OIC host") as caught,
    ):
        client.request(method, "connections/X", json={"a": 1} if method == "POST" else None)
    assert caught.value.status == status
    assert emu.control.foreign_received() == []
    runtime = api_requests(emu, "runtime")
    assert len(runtime) == 1 and runtime[0]["authorization"]  # only the configured host had it


@pytest.mark.parametrize("status", STATUSES)
def test_foreign_origin_listed_as_trusted_does_get_it(emu: Emulator, status: int) -> None:
    """Control: once the foreign origin is configured as trusted, it receives the token.

    This is what the refusal above prevents; if the foreign origin's log could not show an
    Authorization header, the tests above would prove nothing.
    """
    emu.control.redirect_runtime("foreign", status)
    with _runtime_client(emu, trusted_hosts=(emu.foreign_url,)) as client:
        client.get("connections")
    assert len(_auth_headers(emu.control.foreign_received())) == 1


@pytest.mark.parametrize("status", STATUSES)
def test_http_to_https_hop_to_a_trusted_origin(
    emu: Emulator, tls_emu: Emulator, authority: Authority, status: int
) -> None:
    """http -> https to a configured origin is followed; to an unconfigured one it is not."""
    emu.control.redirect_runtime(tls_emu.design_url, status)
    with (
        _runtime_client(
            emu, ca_bundle=str(authority.bundle), trusted_hosts=(emu.design_url,)
        ) as client,
        pytest.raises(RedirectError),
    ):
        client.get("connections")
    assert api_requests(tls_emu) == []
    emu.control.redirect_runtime(tls_emu.foreign_url, status)
    with _runtime_client(
        emu, ca_bundle=str(authority.bundle), trusted_hosts=(tls_emu.foreign_url,)
    ) as client:
        client.get("connections")
    received = tls_emu.control.foreign_received()
    assert len(received) == 1 and len(_auth_headers(received)) == 1


@pytest.mark.parametrize("status", STATUSES)
def test_https_to_http_hop_refused_even_when_trusted(
    emu: Emulator, tls_emu: Emulator, authority: Authority, status: int
) -> None:
    """https -> http is never followed, even to a configured origin: the token would be clear."""
    tls_emu.control.redirect_runtime(emu.foreign_url, status)
    settings = settings_for(
        tls_emu,
        design_url=None,
        runtime_url=tls_emu.runtime_url,
        ca_bundle=str(authority.bundle),
        trusted_hosts=(emu.foreign_url,),
    )
    with (
        OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client,
        pytest.raises(RedirectError, match="not a trusted OIC host"),
    ):
        client.get("connections")
    assert emu.control.foreign_received() == []
    assert api_requests(tls_emu, "runtime")[0]["authorization"]


def test_token_endpoint_redirect_to_foreign_sends_nothing(emu: Emulator) -> None:
    """A token URL that redirects is not followed: the foreign origin sees no form, no Basic."""
    emu.control.redirect_runtime("foreign", 307)
    settings = settings_for(emu, token_url=emu.runtime_url + "/ic/api/token")
    with pytest.raises(Exception, match="redirect"):
        OICClient.sign_in(settings, sleep=Sleeps())
    assert emu.control.foreign_received() == []
