"""The emulator as a package: CLI help, independence, determinism, scale, TLS, start-up."""

from __future__ import annotations

import ast
import pathlib
import ssl
import subprocess
import sys

import httpx
import pytest

import oic_magic.emulator
from oic_magic.emulator import DEMO, Emulator

from .conftest import API, token_for

PACKAGE = pathlib.Path(oic_magic.emulator.__file__).parent


def test_help_explains_every_option() -> None:
    """python -m oic_magic.emulator --help documents every option."""
    out = subprocess.run(
        [sys.executable, "-m", "oic_magic.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    for option in (
        "--seed",
        "--connections",
        "--instances",
        "--instance",
        "--identity-port",
        "--design-port",
        "--runtime-port",
        "--foreign-port",
        "--access-token-ttl",
        "--refresh-token-ttl",
        "--activation-delay",
        "--page-limit-max",
        "--no-monitoring-caps",
        "--certfile",
        "--keyfile",
    ):
        assert option in out


def test_sources_import_nothing_outside_the_emulator() -> None:
    """No module of the emulator imports the rest of oic_magic (or httpx, pandas, IPython)."""
    banned = ("oic_magic", "httpx", "pandas", "IPython", "ipywidgets", "keyring")
    for source in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            for name in names:
                assert not name.startswith(banned), f"{source.name} imports {name}"


def test_importing_the_emulator_loads_no_client_module() -> None:
    """Importing and running the emulator loads no other oic_magic module."""
    code = (
        "import sys; from oic_magic.emulator import Emulator\n"
        "with Emulator(connections=20): pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('oic_magic') and "
        "not m.startswith('oic_magic.emulator') and m != 'oic_magic'))\n"
        "print(sorted(m for m in ('httpx', 'pandas', 'IPython') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert out.split() == ["[]", "[]"]


def test_same_seed_same_data() -> None:
    """Two emulators with one seed hold the same ids and statuses."""
    first, second = Emulator(seed=7, connections=80), Emulator(seed=7, connections=80)
    assert list(first.backend.data.connections) == list(second.backend.data.connections)
    assert [r["status"] for r in first.backend.data.integrations.values()] == [
        r["status"] for r in second.backend.data.integrations.values()
    ]


def test_other_seed_other_data() -> None:
    """A different seed gives a different data set."""
    first, second = Emulator(seed=1, connections=80), Emulator(seed=2, connections=80)
    assert list(first.backend.data.connections) != list(second.backend.data.connections)


def test_seeded_data_is_varied() -> None:
    """Seeded connections span many adapter types, policies, roles and statuses."""
    data = Emulator(connections=300).backend.data
    adapters = {c["adapterType"]["name"] for c in data.connections.values()}
    assert {"rest", "soap", "ftp", "erp", "hcm", "salesforce", "servicenow"} <= adapters
    assert len({c["securityPolicy"] for c in data.connections.values()}) >= 8
    assert {c["status"] for c in data.connections.values()} == {"CONFIGURED", "INPROGRESS"}
    assert {"ACTIVATED", "CONFIGURED", "INPROGRESS", "FAILEDACTIVATION"} <= {
        r["status"] for r in data.integrations.values()
    }
    assert any(c["lockedFlag"] for c in data.connections.values())


def test_reseed_changes_size(emu: Emulator) -> None:
    """reseed(seed, connections=) swaps in a data set of that size."""
    emu.control.reseed(5, connections=120)
    response = httpx.get(
        f"{emu.design_url}{API}/connections",
        params={"integrationInstance": emu.instance},
        headers={"Authorization": f"Bearer {token_for(emu)}"},
    )
    assert response.json()["totalResults"] == 120


def test_large_data_set_pages() -> None:
    """10,000 connections serve 100-item pages deep into the list."""
    with Emulator(connections=10_000, instances=1000) as emu:
        response = httpx.get(
            f"{emu.design_url}{API}/connections",
            params={"integrationInstance": emu.instance, "offset": 9_900},
            headers={"Authorization": f"Bearer {token_for(emu)}"},
        )
        body = response.json()
        assert body["totalResults"] == 10_000 and len(body["items"]) == 100
        assert body["hasMore"] is False


def test_demo_repr_hides_secrets() -> None:
    """DEMO's repr shows no password or client secret."""
    text = repr(DEMO)
    assert DEMO.password not in text and DEMO.client_secret not in text


def test_url_before_start_is_an_error() -> None:
    """Asking a stopped emulator for its URL raises a clear error."""
    with pytest.raises(RuntimeError, match="not running"):
        _ = Emulator(connections=10).design_url


def test_tls_serves_https() -> None:
    """With ssl_context every origin serves https and the flow works end to end."""
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server)
    client = ssl.create_default_context()
    authority.configure_trust(client)
    with Emulator(connections=20, ssl_context=server) as emu:
        assert emu.design_url.startswith("https://") and emu.token_url.startswith("https://")
        with httpx.Client(verify=client) as http:
            token = http.post(
                emu.token_url,
                auth=(DEMO.client_id, DEMO.client_secret),
                data={
                    "grant_type": "password",
                    "username": DEMO.username,
                    "password": DEMO.password,
                    "scope": emu.scope,
                },
            ).json()
            listing = http.get(
                f"{emu.design_url}{API}/connections",
                params={"integrationInstance": emu.instance},
                headers={"Authorization": f"Bearer {token['access_token']}"},
            )
        assert listing.status_code == 200 and listing.json()["totalResults"] == 20


def test_the_banners_export_line_signs_a_script_in() -> None:
    """The CLI's export line, pasted into bash, is all a plain-Python script needs."""
    server = subprocess.Popen(
        [sys.executable, "-m", "oic_magic.emulator", "--connections", "40"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        export = ""
        for line in server.stdout:
            if line.strip().startswith("export OIC_"):
                export = line.strip()
                break
        assert export, "the banner printed no export line"
        script = (
            f"{export}\n{sys.executable} -c '"
            "from oic_magic import OICClient\n"
            "with OICClient.connect() as client:\n"
            '    print(client.paginate("connections").total)\'\n'
        )
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={
                "PATH": "/usr/bin:/bin",
                "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            },
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "40"
    finally:
        server.terminate()
        server.wait(timeout=30)
