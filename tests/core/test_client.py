"""OICClient over httpx.MockTransport: routing, safe redirects, retries, error translation."""

from __future__ import annotations

import random
import ssl
from typing import Any

import httpx
import pytest

from oic_magic import (
    APIStatusError,
    OICClient,
    RedirectError,
    ResponseFormatError,
    Settings,
    TLSVerificationError,
    TransportError,
)
from oic_magic.exceptions import map_httpx_errors

from ._core_fake import DESIGN, FOREIGN, RUNTIME, Clock, FakeOIC, settings


def _client(
    fake: FakeOIC, clock: Clock, sleeps: list[float], s: Settings | None = None, **options: Any
) -> OICClient:
    return OICClient.sign_in(
        s or settings(),
        transport=fake.transport(),
        clock=clock,
        sleep=sleeps.append,
        rng=random.Random(1),
        **options,
    )


def _api(fake: FakeOIC) -> list[httpx.Request]:
    return fake.api_requests()


def test_relative_path_instance_and_encoded_id(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A short path is prefixed, integrationInstance added, CODE|VERSION sent as %7C."""
    with _client(fake, clock, sleeps) as client:
        body = client.get("integrations/HELLO|01.00.0000")
    (sent,) = _api(fake)
    assert sent.url.raw_path == (
        b"/ic/api/integration/v1/integrations/HELLO%7C01.00.0000?integrationInstance=oic-test"
    )
    assert body == {"id": "HELLO|01.00.0000"}
    assert sent.url.host == httpx.URL(DESIGN).host


def test_patch_sent_as_post_with_override(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """PATCH travels as POST with X-HTTP-Method-Override: PATCH."""
    with _client(fake, clock, sleeps) as client:
        client.request("PATCH", "integrations/A|01", json={"status": "ACTIVATED"})
    (sent,) = _api(fake)
    assert sent.method == "POST" and sent.headers["X-HTTP-Method-Override"] == "PATCH"
    assert sent.content == b'{"status":"ACTIVATED"}'


def test_absolute_ic_path_kept(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A path starting with /ic/ is used as written, query included."""
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError):
        client.request("GET", "/ic/api/other/v2/things?a=1")
    assert _api(fake)[0].url.raw_path.startswith(b"/ic/api/other/v2/things?a=1&integration")


def test_runtime_redirect_followed_with_token(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A 307 from the runtime host to the design host is followed with the token re-attached."""
    s = settings(design_url=None, runtime_url=RUNTIME)
    with _client(fake, clock, sleeps, s) as client:
        listing = client.paginate("connections", page_size=100)
    assert len(listing) == 250
    design_hits = [r for r in _api(fake) if r.url.host == httpx.URL(DESIGN).host]
    assert design_hits and all(
        r.headers["Authorization"].startswith("Bearer ") for r in design_hits
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_foreign_host_refused(
    fake: FakeOIC, clock: Clock, sleeps: list[float], status: int
) -> None:
    """A redirect to a host outside OIC is refused and that host receives nothing."""
    fake.redirect_to, fake.redirect_status = FOREIGN, status
    s = settings(design_url=None, runtime_url=RUNTIME)
    with _client(fake, clock, sleeps, s) as client, pytest.raises(RedirectError) as caught:
        client.get("connections")
    assert not [r for r in fake.log if r.url.host == "collector.example.net"]
    assert "not a trusted OIC host" in str(caught.value)
    assert "collector.example.net" in str(caught.value)


def test_https_to_http_downgrade_refused(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A redirect from https to http is refused even to an OIC host name."""
    fake.redirect_to = DESIGN.replace("https://", "http://")
    s = settings(design_url=None, runtime_url=RUNTIME)
    with _client(fake, clock, sleeps, s) as client, pytest.raises(RedirectError):
        client.get("connections")
    assert all(r.url.scheme == "https" for r in fake.log)


def test_configured_trusted_host_receives_token(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A host named in trusted_hosts may receive the token on a redirect."""
    fake.redirect_to = FOREIGN
    s = settings(design_url=None, runtime_url=RUNTIME, trusted_hosts=("collector.example.net",))
    with _client(fake, clock, sleeps, s) as client:
        assert client.get("connections") == {"foreign": True}
    assert fake.log[-1].headers["Authorization"].startswith("Bearer ")


def test_redirect_loop_stops(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """Endless redirects end after max_redirects with a clear error."""
    fake.redirect_to = RUNTIME
    s = settings(design_url=None, runtime_url=RUNTIME)
    with (
        _client(fake, clock, sleeps, s, max_redirects=3) as client,
        pytest.raises(RedirectError, match="more than 3 redirects"),
    ):
        client.get("connections")
    assert len(_api(fake)) == 4


def test_401_renews_and_retries_once(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A revoked token is renewed once and the call succeeds."""
    with _client(fake, clock, sleeps) as client:
        fake.revoke()
        assert client.get("integrations/A|1") == {"id": "A|1"}
    assert len(fake.token_requests("refresh_token")) == 1 and len(_api(fake)) == 2


def test_second_401_is_an_error(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """When the renewed token is refused too, the 401 is raised with a hint."""
    unauthorized = httpx.Response(401, json={"message": "NotAuthenticated"})
    fake.inject(unauthorized, times=2, when=lambda r: r.url.path.startswith("/ic/"))
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError) as caught:
        client.get("connections")
    assert caught.value.status == 401 and "sign in again" in str(caught.value)


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_retried_on_transient_status(
    fake: FakeOIC, clock: Clock, sleeps: list[float], status: int
) -> None:
    """Idempotent calls are retried on 429/502/503/504 with backoff."""
    fake.inject(httpx.Response(status), times=2, when=lambda r: r.url.path.startswith("/ic/"))
    with _client(fake, clock, sleeps) as client:
        assert client.get("integrations/A|1") == {"id": "A|1"}
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_retry_after_honoured_and_capped(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """Retry-After sets the wait, capped at a minute."""
    fake.inject(
        httpx.Response(503, headers={"Retry-After": "5"}),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    fake.inject(
        httpx.Response(429, headers={"Retry-After": "86400"}),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    with _client(fake, clock, sleeps) as client:
        client.get("integrations/A|1")
    assert sleeps == [5.0, 60.0]


def test_retries_exhausted(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """After the last retry the status error is raised, with a hint."""
    fake.inject(
        httpx.Response(503, text="busy"), times=10, when=lambda r: r.url.path.startswith("/ic/")
    )
    with _client(fake, clock, sleeps, retries=2) as client, pytest.raises(APIStatusError) as caught:
        client.get("connections")
    assert caught.value.status == 503 and len(sleeps) == 2
    assert "try again later" in str(caught.value)


def test_post_not_retried_on_5xx(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A POST answered 503 is raised, never repeated."""
    fake.inject(httpx.Response(503), when=lambda r: r.url.path.startswith("/ic/"))
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError):
        client.request("POST", "connections/X/test")
    assert len(_api(fake)) == 1 and sleeps == []


def test_post_retried_on_429(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A POST refused with 429 (not processed) is sent again after Retry-After."""
    fake.inject(
        httpx.Response(429, headers={"Retry-After": "2"}),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError) as caught:
        client.request("POST", "connections/X/test")
    assert caught.value.status == 404 and sleeps == [2.0] and len(_api(fake)) == 2


def _failing(fake: FakeOIC, error: Exception, times: int) -> httpx.MockTransport:
    left = [times]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/ic/") and left[0] > 0:
            left[0] -= 1
            raise error
        return fake(request)

    return httpx.MockTransport(handler)


def test_dropped_connection_retried_for_get(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A GET whose connection drops is retried."""
    transport = _failing(fake, httpx.RemoteProtocolError("Server disconnected"), 2)
    with OICClient.sign_in(
        settings(), transport=transport, clock=clock, sleep=sleeps.append
    ) as client:
        assert client.get("integrations/A|1") == {"id": "A|1"}
    assert len(sleeps) == 2


def test_dropped_connection_not_retried_for_post(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A POST whose connection drops mid-answer is raised as a transport error, not repeated."""
    transport = _failing(fake, httpx.ReadError("reset"), 1)
    with (
        OICClient.sign_in(
            settings(), transport=transport, clock=clock, sleep=sleeps.append
        ) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.request("POST", "connections/X/test")
    assert sleeps == [] and "design.integration" in str(caught.value)


def test_post_retried_when_connection_never_opened(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A POST whose connection could not be opened is safe to send again."""
    transport = _failing(fake, httpx.ConnectError("refused"), 1)
    with (
        OICClient.sign_in(
            settings(), transport=transport, clock=clock, sleep=sleeps.append
        ) as client,
        pytest.raises(APIStatusError),
    ):
        client.request("POST", "connections/X/test")
    assert len(sleeps) == 1


def test_tls_failure_names_host_and_setting(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A certificate failure says which host and how to set the CA bundle."""
    error = httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.__cause__ = ssl.SSLCertVerificationError("self-signed")
    transport = _failing(fake, error, 10)
    with (
        OICClient.sign_in(
            settings(), transport=transport, clock=clock, sleep=sleeps.append, retries=0
        ) as client,
        pytest.raises(TLSVerificationError) as caught,
    ):
        client.get("connections")
    text = str(caught.value)
    assert "design.integration.us-ashburn-1.ocp.oraclecloud.com" in text and "CA bundle" in text


def test_status_error_trims_server_message(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A 404 shows status, method, path and OIC's message trimmed to 300 characters."""
    fake.inject(
        httpx.Response(404, json={"detail": "Integration not found " + "x" * 1000}),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError) as caught:
        client.get("integrations/NOPE|01.00.0000")
    error = caught.value
    assert (error.status, error.method) == (404, "GET")
    assert error.path.startswith("/ic/api/integration/v1/integrations/NOPE%7C01.00.0000")
    assert len(error.server_message) == 300 and "CODE|VERSION" in str(error)


def test_html_error_page(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """An HTML error page is described by its title, not dumped."""
    page = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 5000
    fake.inject(httpx.Response(500, html=page), when=lambda r: r.url.path.startswith("/ic/"))
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError) as caught:
        client.get("connections")
    assert "HTML error page ('502 Bad Gateway')" in str(caught.value)
    assert len(str(caught.value)) < 400


def test_malformed_json_is_a_format_error(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A 200 with broken JSON raises ResponseFormatError."""
    fake.inject(
        httpx.Response(200, headers={"Content-Type": "application/json"}, content=b'{"items": [1,'),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    with (
        _client(fake, clock, sleeps) as client,
        pytest.raises(ResponseFormatError, match="malformed JSON"),
    ):
        client.get("connections")


def test_binary_answer_returned_as_bytes(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """A non-JSON answer (an archive) comes back as bytes."""
    fake.inject(
        httpx.Response(
            200, headers={"Content-Type": "application/octet-stream"}, content=b"PK\x03\x04"
        ),
        when=lambda r: r.url.path.startswith("/ic/"),
    )
    with _client(fake, clock, sleeps) as client:
        assert client.get("integrations/A|1/archive") == b"PK\x03\x04"


def test_where_builds_q(fake: FakeOIC, clock: Clock, sleeps: list[float]) -> None:
    """where conditions become OIC's q parameter."""
    with _client(fake, clock, sleeps) as client:
        client.paginate("connections", where=["status=CONFIGURED", "name~ERP_"])
    assert _api(fake)[0].url.params["q"] == "{status:'CONFIGURED', name:/ERP_/}"


@pytest.mark.parametrize(
    ("detail", "words"),
    [
        ("Connection X is locked by ada", "unlock it"),
        ("Integration A|01 is not complete", "designer"),
        ("The integration is incomplete", "designer"),
        ("If-Match does not match the current version", "precondition"),
    ],
)
def test_412_hint_follows_oics_message(
    fake: FakeOIC, clock: Clock, sleeps: list[float], detail: str, words: str
) -> None:
    """A 412's hint depends on what OIC says: locked, unfinished, or another precondition."""
    fake.inject(
        httpx.Response(412, json={"detail": detail}), when=lambda r: r.url.path.startswith("/ic/")
    )
    with _client(fake, clock, sleeps) as client, pytest.raises(APIStatusError) as caught:
        client.request("PATCH", "integrations/A|01", json={"status": "ACTIVATED"})
    hint = caught.value.hint or ""
    assert words in hint
    assert ("unlock" in hint) == ("locked" in detail)


def test_connect_timeout_names_the_seconds(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """A connection that could not be opened in time names the wait and the setting."""
    transport = _failing(fake, httpx.ConnectTimeout("timed out"), 10)
    with (
        OICClient.sign_in(
            settings(), transport=transport, clock=clock, sleep=sleeps.append, retries=0, timeout=4
        ) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.request("POST", "connections/X/test")
    text = str(caught.value)
    assert "within 4 s: timed out (ConnectTimeout)" in text
    assert "raise the timeout (now 4 s)" in text and "OIC_TIMEOUT" in text


def test_timeout_without_a_recorded_request_still_explains() -> None:
    """A timeout httpx raised without its request still says how to raise the timeout."""
    with pytest.raises(TransportError) as caught, map_httpx_errors(host="oic.example.com"):
        raise httpx.ReadTimeout("timed out")
    text = str(caught.value)
    assert text.startswith("no answer from oic.example.com: timed out (ReadTimeout).")
    assert "timeout setting" in text and "OIC_TIMEOUT" in text


def test_timeout_keyword_reaches_every_request(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """OICClient(timeout=) is the timeout each API request carries; sign-in keeps the setting."""
    with _client(fake, clock, sleeps, timeout=2.5) as client:
        client.get("integrations/A|1")
    (sent,) = _api(fake)
    assert sent.extensions["timeout"] == {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert fake.token_requests()[0].extensions["timeout"]["read"] == 30.0
