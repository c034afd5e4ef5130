"""Token trust on parsed hosts: every malformed-host class of redirect gets 0 tokens.

The client signs in to a tenancy whose runtime host answers with a redirect to each
``Location`` below, with each redirect status. The transport sees every request the
client sends, to any host (see ``_tenancy.py``), so "0 tokens" is counted, not assumed:
the bearer token only ever reached the configured runtime host. The controls show the
same harness counting a token that does travel (to the tenant's design-time host).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from _emulated import api_requests

from oic_magic import OICClient, RedirectError
from oic_magic.core._urls import trusted_origin
from oic_magic.emulator import Emulator

from ._hardening import Sleeps, settings_for
from ._tenancy import API, DESIGN, RUNTIME, Tenancy

STATUSES = [301, 302, 303, 307, 308]
D = DESIGN.removeprefix("https://")  # design.integration.us-ashburn-1.ocp.oraclecloud.com

#: Every class of host that must not receive the token, by name.
MALFORMED = {
    # backslashes: a suffix test on the raw string accepted these
    "backslash before the suffix": "https://evil.test\\.oraclecloud.com",
    "backslash before @": f"https://{D}\\@evil.example",
    "backslash path": f"https://{D}\\",
    # userinfo: the host is what follows the @
    "userinfo, foreign host": f"https://{D}@evil.example",
    "userinfo on the trusted host": f"https://a:b@{D}",
    "userinfo a@b": "https://a@b.oraclecloud.com",
    # percent-encoded dots, slashes, NUL
    "%2f before the suffix": "https://evil.test%2f.oraclecloud.com",
    "%2F upper case": "https://evil.test%2F.oraclecloud.com",
    "%00 before the suffix": "https://evil%00.oraclecloud.com",
    "%2e as the trusted host's dots": "https://design%2eintegration.us-ashburn-1.ocp.oraclecloud.com",
    "%2e after the suffix": f"https://{D}%2e",
    "%40 as the @": f"https://{D}%40evil.example",
    # NFKC lookalikes
    "fullwidth dots": "https://design\uff0eintegration\uff0eus-ashburn-1.ocp.oraclecloud.com",
    "ideographic dot": "https://design\u3002integration.us-ashburn-1.ocp.oraclecloud.com",
    "halfwidth ideographic dot": f"https://evil\uff61{D}",
    "fullwidth letters": "https://\uff44\uff45\uff53\uff49\uff47\uff4e.integration.us-ashburn-1.ocp.oraclecloud.com",
    "long s": "https://de\u017fign.integration.us-ashburn-1.ocp.oraclecloud.com",
    "fullwidth foreign": "https://\uff45\uff56\uff49\uff4c.oraclecloud.com",
    # case and the trailing dot
    "trailing dot on the trusted host": f"https://{D}.",
    "upper-case foreign oraclecloud": "https://EVIL.ORACLECLOUD.COM",
    "upper-case other tenant": "https://OTHER-XYZ.INTEGRATION.US-ASHBURN-1.OCP.ORACLECLOUD.COM",
    "upper-case trusted name as a prefix": f"https://{D.upper()}.EVIL.NET",
    # IDNA and punycode
    "invalid punycode": "https://xn--zz.oraclecloud.com",
    "invalid punycode label in the trusted name": "https://design.xn--.ocp.oraclecloud.com",
    "punycode of a lookalike": "https://xn--dsign-5ua.integration.us-ashburn-1.ocp.oraclecloud.com",
    "empty label": "https://design..integration.us-ashburn-1.ocp.oraclecloud.com",
    # other hosts under oraclecloud.com
    "another tenant's runtime host": "https://other-xyz.integration.us-ashburn-1.ocp.oraclecloud.com",
    "another region's design-time host": "https://design.integration.eu-frankfurt-1.ocp.oraclecloud.com",
    "any oraclecloud host": "https://evil.oraclecloud.com",
    "oraclecloud.com itself": "https://oraclecloud.com",
    "the trusted name as a prefix": f"https://{D}.evil.example",
    "a longer first label": "https://xdesign.integration.us-ashburn-1.ocp.oraclecloud.com",
    "the identity domain": "https://idcs-test.identity.oraclecloud.com",
    "scheme-relative foreign": "//evil.oraclecloud.com",
    # object storage
    "object storage": "https://objectstorage.us-ashburn-1.oraclecloud.com/n/ns/b/bkt/o",
    "object storage, dedicated": "https://ns.objectstorage.us-ashburn-1.oci.customer-oci.com",
    # scheme and port
    "http downgrade": f"http://{D}",
    "port 8443": f"https://{D}:8443",
    "port 444": f"https://{D}:444",
    "port 80 over https": f"https://{D}:80",
    "the runtime host on another port": f"{RUNTIME}:8443",
    "an IPv6 literal": "https://[::1]",
    "a loopback address": "https://127.0.0.1",
}


def _location(target: str) -> str:
    """The Location for *target*: its path, or the API path the runtime was asked for."""
    has_path = "/" in target.removeprefix("//").split("://", 1)[-1]
    return target if has_path else target + API + "?integrationInstance=oic-test"


def _token_stayed_home(tenancy: Tenancy) -> None:
    """The bearer token reached the configured runtime host, and nothing else anything."""
    assert tenancy.bearer_origins() == [RUNTIME]
    assert [call.url.host for call in tenancy.api_calls()] == [RUNTIME.removeprefix("https://")]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("target", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_or_foreign_host_gets_no_token(target: str, status: int) -> None:
    """A redirect of any status to any of the classes is refused: 0 tokens sent there."""
    tenancy = Tenancy(hops={RUNTIME: (status, _location(target))})
    with tenancy.client() as client, pytest.raises(RedirectError) as caught:
        client.get("connections")
    assert caught.value.status == status
    assert "the token was not sent there" in str(caught.value)
    _token_stayed_home(tenancy)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(
    "target",
    [DESIGN, DESIGN.upper().replace("HTTPS", "https"), f"{DESIGN}:443", "//" + D],
    ids=["design", "upper case", "default port", "scheme-relative"],
)
def test_control_the_tenants_design_host_gets_the_token(target: str, status: int) -> None:
    """Control: the runtime host's own design-time host receives the token, once.

    Case and the default port do not make another host; if this harness could not see a
    token travel, the refusals above would prove nothing.
    """
    tenancy = Tenancy(hops={RUNTIME: (status, _location(target))})
    with tenancy.client() as client:
        client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, DESIGN]


@pytest.mark.parametrize("first", STATUSES)
@pytest.mark.parametrize("second", STATUSES)
def test_chain_through_the_design_host_to_object_storage(first: int, second: int) -> None:
    """runtime -first-> design -second-> object storage: the trusted hop gets it, not the next."""
    storage = "https://objectstorage.us-ashburn-1.oraclecloud.com/n/ns/b/bkt/o/x"
    tenancy = Tenancy(hops={RUNTIME: (first, _location(DESIGN)), DESIGN: (second, storage)})
    with tenancy.client() as client, pytest.raises(RedirectError, match="not a trusted"):
        client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, DESIGN]
    assert all("objectstorage" not in str(call.url) for call in tenancy.log)


@pytest.mark.parametrize("status", STATUSES)
def test_untrusted_host_that_redirects_to_a_trusted_one_is_never_reached(status: int) -> None:
    """runtime -302-> another tenant -307-> design: the chain stops at the first untrusted hop.

    The other tenant receives nothing (so it can not bounce the token on), the design host
    is not reached through it, and nothing is learned: the next call asks the runtime again.
    """
    other = "https://other-xyz.integration.us-ashburn-1.ocp.oraclecloud.com"
    tenancy = Tenancy(hops={RUNTIME: (status, _location(other)), other: (307, _location(DESIGN))})
    with tenancy.client() as client:
        for _ in range(2):
            with pytest.raises(RedirectError):
                client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, RUNTIME]
    assert {call.url.host for call in tenancy.api_calls()} == {RUNTIME.removeprefix("https://")}


def test_one_trusted_307_teaches_the_design_host() -> None:
    """Control: after one 307 to the tenant's design host, calls go there directly."""
    tenancy = Tenancy(hops={RUNTIME: (307, _location(DESIGN))})
    with tenancy.client() as client:
        client.get("connections")
        client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, DESIGN, DESIGN]


@pytest.mark.parametrize("status", [301, 302, 303, 308])
def test_other_statuses_teach_nothing(status: int) -> None:
    """Only a 307 is OIC's runtime-to-design answer: after any other, ask the runtime again."""
    tenancy = Tenancy(hops={RUNTIME: (status, _location(DESIGN))})
    with tenancy.client() as client:
        client.get("connections")
        client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, DESIGN, RUNTIME, DESIGN]


def test_a_chain_of_307s_teaches_nothing() -> None:
    """runtime -307-> trusted collector -307-> design: followed, but neither host is learned."""
    collector = "https://collector.example.net"
    tenancy = Tenancy(
        hops={RUNTIME: (307, _location(collector)), collector: (307, _location(DESIGN))}
    )
    with tenancy.client(trusted_hosts=("collector.example.net",)) as client:
        client.get("connections")
        client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME, collector, DESIGN] * 2


def test_a_refused_307_teaches_nothing() -> None:
    """A 307 to another tenant's host is refused, and the next call still asks the runtime."""
    other = "https://other-xyz.integration.us-ashburn-1.ocp.oraclecloud.com"
    tenancy = Tenancy(hops={RUNTIME: (307, _location(other))})
    with tenancy.client() as client:
        for _ in range(3):
            with pytest.raises(RedirectError):
                client.get("connections")
    assert tenancy.bearer_origins() == [RUNTIME] * 3


def test_exact_trusted_host_only_on_its_own_port() -> None:
    """A bare trusted host means https on 443: the same name on another port gets nothing."""
    tenancy = Tenancy(hops={RUNTIME: (307, _location("https://collector.example.net:8443"))})
    with (
        tenancy.client(trusted_hosts=("collector.example.net",)) as client,
        pytest.raises(RedirectError),
    ):
        client.get("connections")
    _token_stayed_home(tenancy)


# -- the emulator, over loopback sockets -----------------------------------------------------


def test_loopback_alias_of_a_trusted_origin_gets_nothing(emu: Emulator) -> None:
    """localhost is not 127.0.0.1 to the trust list: only the exact configured origin is.

    Control: the same 307 to the configured 127.0.0.1 origin reaches the design host.
    """
    port = emu.design_url.rsplit(":", 1)[1]
    settings = settings_for(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(emu.design_url,)
    )
    emu.control.redirect_runtime(f"http://localhost:{port}", 307)
    with (
        OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client,
        pytest.raises(RedirectError, match="not a trusted OIC host"),
    ):
        client.get("connections")
    assert api_requests(emu, "design") == []
    emu.control.redirect_runtime("design", 307)
    with OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client:
        client.get("connections", params={"limit": 1})
    (design,) = api_requests(emu, "design")
    assert design["authorization"]


class _Recorder(ThreadingHTTPServer):
    """A loopback server that answers every request with one raw redirect, and records it."""

    def __init__(self, status: int = 200, location: bytes = b"") -> None:
        self.status, self.location = status, location
        self.received: list[dict[str, str]] = []
        super().__init__(("127.0.0.1", 0), _RecorderHandler)
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _RecorderHandler(BaseHTTPRequestHandler):
    server: _Recorder

    def do_GET(self) -> None:
        self.server.received.append(dict(self.headers.items()))
        # Written by hand: the Location goes out as the raw bytes, as a careless server would.
        head = f"HTTP/1.1 {self.server.status} Moved\r\nContent-Length: 0\r\n".encode()
        if self.server.location:
            head += b"Location: " + self.server.location + b"\r\n"
        self.wfile.write(head + b"Connection: close\r\n\r\n")

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet in the test output


@pytest.fixture
def evil() -> Iterator[_Recorder]:
    server = _Recorder()
    yield server
    server.shutdown()
    server.server_close()


def _raw_locations(evil: _Recorder) -> dict[str, bytes]:
    port = evil.server_address[1]
    return {
        "another port": f"http://127.0.0.1:{port}/x".encode(),
        "localhost alias of it": f"http://localhost:{port}/x".encode(),
        "backslash": b"http://evil.test\\.oraclecloud.com/x",
        "%00": b"http://evil%00.oraclecloud.com/x",
        "utf-8 fullwidth dot": "http://127.0.0.1\uff0e/x".encode(),
        "invalid punycode": b"http://xn--zz.oraclecloud.com/x",
        "stray [": b"http://[127.0.0.1/x",
        "latin-1 byte": b"http://\xe9vil.example/x",
    }


@pytest.mark.parametrize("status", [302, 307])
def test_raw_malformed_locations_over_sockets(emu: Emulator, evil: _Recorder, status: int) -> None:
    """Real sockets, raw Location bytes: each is a RedirectError; the evil server gets 0 tokens."""
    for name, location in _raw_locations(evil).items():
        runtime = _Recorder(status, location)
        try:
            settings = settings_for(emu, design_url=None, runtime_url=runtime.url)
            with (
                OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client,
                pytest.raises(RedirectError, match="the token was not sent there"),
            ):
                client.get("connections")
            assert len(runtime.received) == 1 and "Authorization" in runtime.received[0], name
        finally:
            runtime.shutdown()
            runtime.server_close()
    assert evil.received == []


def test_control_a_trusted_loopback_origin_over_sockets(emu: Emulator, evil: _Recorder) -> None:
    """Control: listed in trusted_hosts, the same server does receive the token, once."""
    runtime = _Recorder(307, f"{evil.url}/ic/api/integration/v1/connections".encode())
    evil.status = 200
    try:
        settings = settings_for(
            emu, design_url=None, runtime_url=runtime.url, trusted_hosts=(evil.url,)
        )
        with OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client:
            client.request("GET", "connections")
    finally:
        runtime.shutdown()
        runtime.server_close()
    assert [("Authorization" in headers) for headers in evil.received] == [True]


def test_the_refusal_names_the_exact_entry_to_trust(emu: Emulator) -> None:
    """Finding: "add that host to trusted_hosts" did not say that http needs its scheme.

    The hint gives the exact entry; a bare ``host:port`` means that host and port over
    https (the emulator's http design host stays untrusted with it); the entry given works.
    """
    port = int(emu.design_url.rsplit(":", 1)[1])
    settings = settings_for(emu, design_url=None, runtime_url=emu.runtime_url)
    with (
        OICClient.sign_in(settings, sleep=Sleeps(), retries=0) as client,
        pytest.raises(RedirectError) as caught,
    ):
        client.get("connections")
    entry = f"http://127.0.0.1:{port}"
    assert f"trusted_hosts: {entry} (OIC_TRUSTED_HOSTS={entry})" in str(caught.value)
    assert api_requests(emu, "design") == []
    assert trusted_origin(f"127.0.0.1:{port}") == f"https://127.0.0.1:{port}"
    bare = settings_for(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(f"127.0.0.1:{port}",)
    )
    with (
        OICClient.sign_in(bare, sleep=Sleeps(), retries=0) as client,
        pytest.raises(RedirectError, match="not a trusted OIC host"),
    ):
        client.get("connections")
    assert api_requests(emu, "design") == []
    exact = settings_for(emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(entry,))
    with OICClient.sign_in(exact, sleep=Sleeps(), retries=0) as client:
        client.get("connections", params={"limit": 1})
    (design,) = api_requests(emu, "design")
    assert design["authorization"]
