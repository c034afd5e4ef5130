"""The core works in a plain script: no IPython, pandas, ipywidgets or keyring imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
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
''')


def test_core_imports_only_light_modules() -> None:
    """A script using the core leaves IPython, pandas, ipywidgets and keyring unimported."""
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "none"
