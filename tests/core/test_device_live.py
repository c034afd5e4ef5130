"""The device-code sign-in (RFC 8628) against the emulator, every step and error code."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from _emulated import demo_settings, token_requests

from oic_magic import (
    GrantNotAllowedError,
    OICClient,
    Session,
    SessionExpiredError,
    Settings,
    SignInCancelledError,
    SignInDeniedError,
    SignInError,
    SignInTimeoutError,
)
from oic_magic.core._auth import TokenEndpoint
from oic_magic.core._device import DEVICE_GRANT, DeviceFlow
from oic_magic.emulator import DEMO, Emulator

from ._core_fake import Clock
from ._signin_helpers import Scripted

PUBLIC = "oic-magic-public-client"


def _settings(emu: Emulator, **changes: object) -> Settings:
    return demo_settings(emu, username=None, password=None, **changes)


def _approve_on(n: int, username: str = "sso.user") -> Callable[[Scripted, int], None]:
    def act(person: Scripted, waits: int) -> None:
        if waits == n:
            (code,) = person.emu.control.pending_device_codes()
            person.emu.control.approve_device(code, username)

    return act


def _sign_in(emu: Emulator, person: Scripted, clock: Clock, **changes: object) -> Session:
    return Session.sign_in(_settings(emu, **changes), grant="device", prompt=person, clock=clock)


def test_device_sign_in_polls_until_approved_then_opens_the_api(emu: Emulator) -> None:
    """Pending twice, approved on the page: the federated user's token reads connections."""
    clock = Clock()
    person = Scripted(emu, clock, act=_approve_on(3))
    session = _sign_in(emu, person, clock)
    (code,) = person.codes
    assert code.verification_uri == emu.identity_url + "/ui/v1/device"
    assert len(code.user_code) == 8 and code.interval == 5.0  # OCI sends no interval
    assert person.waits == [5.0, 5.0, 5.0]
    assert session.user == "sso.user" and session.token.refresh_token
    polls = token_requests(emu, DEVICE_GRANT)
    assert [p["status"] for p in polls] == [400, 400, 200]
    with OICClient(session) as client:
        assert client.get("connections")["items"]


def test_public_client_signs_in_without_a_secret(emu: Emulator) -> None:
    """A public client (no secret) sends client_id in the form, no Basic header."""
    clock = Clock()
    person = Scripted(emu, clock, act=_approve_on(1))
    session = _sign_in(emu, person, clock, client_id=PUBLIC, client_secret=None)
    assert session.endpoint.public and session.user == "sso.user"
    polls = token_requests(emu, DEVICE_GRANT)
    assert polls[-1]["status"] == 200 and not polls[-1]["authorization"]
    assert session.refresh().access_token  # the refresh token works for a public client too


def test_slow_down_adds_five_seconds_for_good(emu: Emulator) -> None:
    """The server's interval (10 s) is used; a poll too soon gets slow_down: 15 s from then on."""
    emu.control.set_device_interval(10)
    endpoint = TokenEndpoint(url=emu.token_url, client_id=PUBLIC, client_secret=None)
    clock = Clock()
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        moved = 1.0 if len(waits) == 2 else seconds  # the second wake-up comes too early
        clock.advance(moved)
        emu.control.advance_clock(moved)
        if len(waits) == 4:
            emu.control.approve_device(code.user_code, DEMO.username)

    flow = DeviceFlow(endpoint, scope=emu.scope, clock=clock, sleep=sleep)
    code = flow.start()
    assert code.interval == 10.0
    assert flow.wait(code).access_token
    assert waits == [10.0, 10.0, 15.0, 15.0]
    statuses = [p["status"] for p in token_requests(emu, DEVICE_GRANT)]
    assert statuses == [400, 400, 400, 200]


def test_denied_on_the_page_raises_denied(emu: Emulator) -> None:
    """access_denied ends the polling with SignInDeniedError."""
    clock = Clock()

    def deny(person: Scripted, waits: int) -> None:
        if waits == 1:
            person.emu.control.deny_device(person.emu.control.pending_device_codes()[0])

    with pytest.raises(SignInDeniedError) as denied:
        _sign_in(emu, Scripted(emu, clock, act=deny), clock)
    assert denied.value.error == "access_denied"


def test_expired_code_raises_timeout(emu: Emulator) -> None:
    """Nobody answers: after 300 s the code has expired (expired_token or the local expiry)."""
    clock = Clock()
    person = Scripted(emu, clock)
    with pytest.raises(SignInTimeoutError):
        _sign_in(emu, person, clock)
    assert sum(person.waits) == pytest.approx(300.0)


def test_expired_token_from_the_server_raises_timeout(emu: Emulator) -> None:
    """The server's expired_token (its clock ran ahead) is a SignInTimeoutError too."""
    clock = Clock()

    def jump(person: Scripted, waits: int) -> None:
        person.emu.control.advance_clock(400)

    with pytest.raises(SignInTimeoutError) as expired:
        _sign_in(emu, Scripted(emu, clock, act=jump), clock)
    assert expired.value.error == "expired_token"


def test_a_used_device_code_is_refused(emu: Emulator) -> None:
    """The device code is single use: a second poll after the token is invalid_grant."""
    endpoint = TokenEndpoint(
        url=emu.token_url, client_id=DEMO.client_id, client_secret=DEMO.client_secret
    )
    clock = Clock()
    flow = DeviceFlow(endpoint, scope=emu.scope, clock=clock, sleep=clock.advance)
    code = flow.start()
    emu.control.approve_device(code.user_code, DEMO.username)
    assert flow.poll(code).access_token
    with pytest.raises(SignInError) as again:
        emu.control.advance_clock(10)
        flow.poll(code)
    assert again.value.error == "invalid_grant"


def test_cancel_stops_the_polling(emu: Emulator) -> None:
    """A Cancel noticed during a wait stops the sign-in with SignInCancelledError."""
    clock = Clock()

    def cancel(person: Scripted, waits: int) -> None:
        raise SignInCancelledError("cancelled")

    with pytest.raises(SignInCancelledError):
        _sign_in(emu, Scripted(emu, clock, act=cancel), clock)
    assert not token_requests(emu, DEVICE_GRANT)


def test_device_grant_switched_off_is_refused_at_the_start(emu: Emulator) -> None:
    """An application without the device grant: unauthorized_client, before any code shows."""
    emu.control.set_grant(DEMO.client_id, DEVICE_GRANT, False)
    clock = Clock()
    person = Scripted(emu, clock)
    with pytest.raises(GrantNotAllowedError):
        _sign_in(emu, person, clock)
    assert not person.codes


def test_expired_refresh_token_of_a_device_session_says_sign_in_again(emu: Emulator) -> None:
    """A device session whose refresh token is refused has no password: SessionExpiredError."""
    clock = Clock()
    session = _sign_in(emu, Scripted(emu, clock, act=_approve_on(1)), clock)
    emu.control.advance_clock(8 * 24 * 3600)
    clock.advance(8 * 24 * 3600)
    with pytest.raises(SessionExpiredError):
        session.valid_token()


def test_the_device_code_is_in_no_repr_or_message(emu: Emulator) -> None:
    """The device code is only in the poll's body: not in reprs, not in the errors."""
    endpoint = TokenEndpoint(url=emu.token_url, client_id=DEMO.client_id, client_secret=None)
    flow = DeviceFlow(endpoint, scope=emu.scope, clock=Clock(), sleep=lambda s: None)
    code = flow.start()
    with pytest.raises(SignInError) as pending:
        flow.poll(code)
    shown = " ".join([repr(code), str(code), repr(flow), str(pending.value)])
    assert code.device_code.reveal() not in shown and code.user_code in repr(code)


def test_the_verification_page_approves_with_the_federated_users_credentials(
    emu: Emulator,
) -> None:
    """The HTML page: user_code, username, password, approve; a wrong password is refused."""
    endpoint = TokenEndpoint(url=emu.token_url, client_id=PUBLIC, client_secret=None)
    flow = DeviceFlow(endpoint, scope=emu.scope, clock=Clock(), sleep=lambda s: None)
    code = flow.start()
    page = httpx.get(code.verification_uri)
    assert page.status_code == 200 and 'name="user_code"' in page.text
    form = {"user_code": code.user_code.lower(), "username": "sso.user", "action": "approve"}
    wrong = httpx.post(code.verification_uri, data=form | {"password": "nope"})
    assert wrong.status_code == 400 and "incorrect" in wrong.text
    right = httpx.post(code.verification_uri, data=form | {"password": DEMO.password})
    assert right.status_code == 200 and "Device connected" in right.text
    assert flow.poll(code).user == "sso.user"


def test_plain_python_prints_the_link_and_the_code(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """OICClient.connect(grant="device") in a terminal: the console shows link and code."""
    from oic_magic.core._interactive import ConsolePrompt

    def sleep(seconds: float) -> None:
        for code in emu.control.pending_device_codes():
            emu.control.approve_device(code, "sso.user")

    environ = {
        "OIC_DESIGN_URL": emu.design_url,
        "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": PUBLIC,
        "OIC_AUDIENCE": emu.audience,
        "OIC_INSTANCE": emu.instance,
        "OIC_GRANT": "device",
    }
    with OICClient.connect(environ=environ, prompt=ConsolePrompt(sleep=sleep)) as client:
        assert client.session.user == "sso.user"
        assert client.get("connections")["items"]
    printed = capsys.readouterr().out
    assert f"open {emu.identity_url}/ui/v1/device and enter the code " in printed
