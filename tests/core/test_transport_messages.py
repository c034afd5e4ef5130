"""A connection that fails says which URL was tried, scheme included."""

from __future__ import annotations

import pytest
from _emulated import demo_settings

from oic_magic import OICClient, TransportError
from oic_magic.emulator import Emulator


def test_an_identity_host_without_scheme_names_the_https_url_tried(emu: Emulator) -> None:
    """Finding: OIC_IDENTITY_URL=127.0.0.1:PORT failed without saying https was tried."""
    bare = emu.identity_url.split("://", 1)[1]
    with pytest.raises(TransportError) as caught:
        OICClient.sign_in(demo_settings(emu, identity_url=bare, timeout=5.0), retries=0)
    text = str(caught.value)
    assert f"(https://{bare}/oauth2/v1/token was tried)" in text
    assert "needs http:// written out" in text
    assert caught.value.host == bare
    with OICClient.sign_in(demo_settings(emu, identity_url=f"http://{bare}")) as client:
        assert client.get("connections", params={"limit": 1})["items"]
