"""The browser sign-in (authorization code + PKCE S256) against the emulator, every check."""

from __future__ import annotations

import socket
import threading

import httpx
import pytest
from _emulated import demo_settings, token_requests

from oic_magic import (
    OICClient,
    Session,
    Settings,
    SignInDeniedError,
    SignInError,
    SignInTimeoutError,
)
from oic_magic.core._auth import TokenEndpoint
from oic_magic.core._browser import BrowserFlow, LoopbackListener, Pkce
from oic_magic.emulator import DEMO, Emulator

from ._core_fake import Clock
from ._signin_helpers import Scripted, sign_in_page

PUBLIC = "oic-magic-public-client"
ELSEWHERE = "https://notebooks.example.com/oauth/callback"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redirect(emu: Emulator) -> str:
    """A loopback redirect URI on a free port, registered for both applications."""
    uri = f"http://127.0.0.1:{_free_port()}/callback"
    for client in (DEMO.client_id, PUBLIC):
        emu.control.set_redirect_uris(client, [uri, ELSEWHERE])
    return uri


def _settings(emu: Emulator, redirect_uri: str, **changes: object) -> Settings:
    return demo_settings(emu, username=None, password=None, redirect_uri=redirect_uri, **changes)


def _verifier(flow: BrowserFlow) -> str:
    """The PKCE verifier of *flow*, started and not yet completed."""
    pending = flow._pending
    assert pending is not None, "the flow was started"
    return pending.pkce.verifier


class Browser(Scripted):
    """Opens the address in a thread, signs in on the page, follows the redirect."""

    def __init__(self, emu: Emulator, clock: Clock, *, user: str = "sso.user") -> None:
        super().__init__(emu, clock)
        self.user, self.landed = user, ""
        self.thread: threading.Thread | None = None

    def show_browser(self, url: str, *, listening: bool) -> None:
        super().show_browser(url, listening=listening)
        self.landed = sign_in_page(url, self.user, DEMO.password)
        if listening:
            self.thread = threading.Thread(target=httpx.get, args=(self.landed,))
            self.thread.start()
        else:
            self.paste = self.landed

    def wait(self, seconds: float) -> None:
        self.waits.append(seconds)  # real time: the listener answers a real browser


def test_loopback_redirect_signs_the_federated_user_in(emu: Emulator, redirect: str) -> None:
    """Sign-in page, 302 to 127.0.0.1, one answer, code traded with the verifier: API works."""
    browser = Browser(emu, Clock())
    session = Session.sign_in(_settings(emu, redirect), grant="browser", prompt=browser)
    assert browser.thread is not None
    browser.thread.join(10)
    assert session.user == "sso.user" and session.token.refresh_token
    (url,) = browser.urls
    query = httpx.URL(url).params
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == redirect and query["response_type"] == "code"
    (entry,) = token_requests(emu, "authorization_code")
    assert entry["status"] == 200
    with OICClient(session) as client:
        assert client.get("connections")["items"]
    port = httpx.URL(redirect).port
    with pytest.raises(httpx.ConnectError):  # the listener answered once and closed
        httpx.get(f"http://127.0.0.1:{port}/callback", timeout=2)


def test_public_client_and_the_pasted_address(emu: Emulator) -> None:
    """A redirect URI elsewhere: the person pastes where they landed; a public client."""
    emu.control.set_redirect_uris(PUBLIC, [ELSEWHERE])
    browser = Browser(emu, Clock())
    settings = _settings(emu, ELSEWHERE, client_id=PUBLIC, client_secret=None)
    session = Session.sign_in(settings, grant="browser", prompt=browser)
    assert session.user == "sso.user" and browser.landed.startswith(ELSEWHERE + "?code=")


def _flow(emu: Emulator, redirect_uri: str = ELSEWHERE, client: str = PUBLIC) -> BrowserFlow:
    secret = None if client == PUBLIC else DEMO.client_secret
    endpoint = TokenEndpoint(url=emu.token_url, client_id=client, client_secret=secret)
    return BrowserFlow(endpoint, scope=emu.scope, redirect_uri=redirect_uri)


def test_wrong_state_is_refused_and_nothing_is_sent(emu: Emulator, redirect: str) -> None:
    """An answer whose state is not this sign-in's is refused before any token request."""
    flow = _flow(emu)
    landed = sign_in_page(flow.start(), "sso.user", DEMO.password)
    forged = httpx.URL(landed).copy_set_param("state", "someone-elses-state")
    with pytest.raises(SignInError, match="state"):
        flow.complete(str(forged))
    assert not token_requests(emu, "authorization_code")


def test_wrong_verifier_is_refused(emu: Emulator, redirect: str) -> None:
    """The token endpoint checks the verifier against the S256 challenge."""
    flow = _flow(emu)
    code = httpx.URL(sign_in_page(flow.start(), "sso.user", DEMO.password)).params["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": ELSEWHERE,
        "code_verifier": Pkce.new().verifier,
    }
    with pytest.raises(SignInError) as refused:
        flow.endpoint.grant(form, grant="authorization code")
    assert refused.value.error == "invalid_grant"


def test_a_code_is_single_use(emu: Emulator, redirect: str) -> None:
    """The same code a second time is invalid_grant."""
    flow = _flow(emu)
    start = flow.start()
    verifier = _verifier(flow)
    landed = sign_in_page(start, "sso.user", DEMO.password)
    assert flow.complete(landed).access_token
    code = httpx.URL(landed).params["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": ELSEWHERE,
        "code_verifier": verifier,
    }
    with pytest.raises(SignInError) as reused:
        flow.endpoint.grant(form, grant="authorization code")
    assert reused.value.error == "invalid_grant"
    with pytest.raises(SignInError, match="not started"):
        flow.complete(landed)  # and the flow itself answers once per start


def test_an_expired_code_is_refused(emu: Emulator, redirect: str) -> None:
    """Codes live 60 s on the emulator clock."""
    flow = _flow(emu)
    landed = sign_in_page(flow.start(), "sso.user", DEMO.password)
    emu.control.advance_clock(61)
    with pytest.raises(SignInError) as expired:
        flow.complete(landed)
    assert expired.value.error == "invalid_grant"


def test_wrong_redirect_uri(emu: Emulator, redirect: str) -> None:
    """Unregistered: the page refuses (no redirect); a different one at the token endpoint too."""
    flow = _flow(emu, redirect_uri="https://attacker.example.com/cb")
    page = httpx.get(flow.start(), follow_redirects=False)
    assert page.status_code == 400 and "redirect_uri" in page.text
    good = _flow(emu)
    start = good.start()
    verifier = _verifier(good)
    code = httpx.URL(sign_in_page(start, "sso.user", DEMO.password)).params["code"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,  # registered, but not the one the code was issued for
        "code_verifier": verifier,
    }
    with pytest.raises(SignInError) as refused:
        good.endpoint.grant(form, grant="authorization code")
    assert refused.value.error == "invalid_grant"
    pasted = _flow(emu)
    pasted.start()
    with pytest.raises(SignInError, match="registered redirect URI"):
        pasted.complete("https://other.example.com/callback?code=x&state=y")


def test_cancel_on_the_page_is_access_denied(emu: Emulator, redirect: str) -> None:
    """Cancel on the sign-in page redirects with error=access_denied: SignInDeniedError."""
    flow = _flow(emu)
    landed = sign_in_page(flow.start(), "sso.user", DEMO.password, action="cancel")
    assert "error=access_denied" in landed
    with pytest.raises(SignInDeniedError):
        flow.complete(landed)


def test_a_public_client_must_send_a_challenge(emu: Emulator, redirect: str) -> None:
    """Without PKCE a public client is sent back with error=invalid_request."""
    url = httpx.URL(_flow(emu).start())
    params = {k: v for k, v in url.params.items() if not k.startswith("code_challenge")}
    answer = httpx.get(str(url.copy_with(params=params)), follow_redirects=False)
    assert answer.status_code == 302 and "error=invalid_request" in answer.headers["Location"]


def test_no_redirect_in_time_raises_timeout(emu: Emulator, redirect: str) -> None:
    """Nobody signs in: the wait ends with SignInTimeoutError and the port is free again."""
    clock = Clock()

    class Idle(Scripted):
        def show_browser(self, url: str, *, listening: bool) -> None:
            self.urls.append(url)

        def wait(self, seconds: float) -> None:
            self.clock.advance(60)  # a minute passes between two looks

    with pytest.raises(SignInTimeoutError):
        Session.sign_in(
            _settings(emu, redirect), grant="browser", prompt=Idle(emu, clock), clock=clock
        )
    with LoopbackListener(redirect).open():
        pass


def test_pkce_pair_is_rfc7636_s256() -> None:
    """RFC 7636 appendix B: the known verifier gives the known challenge; ours are 86 chars."""
    import base64
    import hashlib

    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert challenge.rstrip(b"=").decode() == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    pair = Pkce.new()
    assert len(pair.verifier) == 86 and pair.verifier not in repr(pair)
    digest = hashlib.sha256(pair.verifier.encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == pair.challenge


def test_the_listener_ignores_other_paths_and_answers_once() -> None:
    """A favicon request gets 404 and does not count; the callback gets 200, then closed."""
    redirect = f"http://127.0.0.1:{_free_port()}/callback"
    with LoopbackListener(redirect).open() as listener:
        results: list[httpx.Response] = []

        def browse() -> None:
            results.append(httpx.get(redirect.replace("/callback", "/favicon.ico")))
            results.append(httpx.get(redirect + "?code=c&state=s"))

        thread = threading.Thread(target=browse)
        thread.start()
        landed = None
        for _ in range(100):
            landed = listener.take(0.1)
            if landed:
                break
        thread.join(10)
    assert [r.status_code for r in results] == [404, 200]
    assert landed == redirect + "?code=c&state=s"
    assert "close this tab" in results[1].text
    assert listener.take(0.1) is None
