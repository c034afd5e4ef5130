"""The emulated identity domain's token endpoint, over real sockets."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import httpx

from oic_magic.emulator import DEMO, Emulator

from .conftest import API, password_grant, token_for

NOREFRESH = next(c for c in DEMO.clients if c.client_id == "oic-magic-norefresh-client")


def _norefresh_client() -> tuple[str, str]:
    """HTTP Basic credentials of the confidential application without the refresh grant."""
    assert NOREFRESH.client_secret is not None
    return NOREFRESH.client_id, NOREFRESH.client_secret


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _refresh(
    emu: Emulator,
    refresh_token: str,
    client: tuple[str, str] = (DEMO.client_id, DEMO.client_secret),
) -> httpx.Response:
    return httpx.post(
        emu.token_url,
        auth=client,
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
    )


def test_seed_document_procedure_as_raw_http(emu: Emulator) -> None:
    """The seed document's curl steps work: password grant, GET connections, refresh."""
    basic = base64.b64encode(f"{DEMO.client_id}:{DEMO.client_secret}".encode()).decode()
    form = {
        "Authorization": f"Basic {basic}",
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
    }
    body = (
        f"grant_type=password&username={DEMO.username}&password="
        f"{httpx.QueryParams({'p': DEMO.password})['p'].replace('#', '%23')}"
        f"&scope={emu.scope.replace(' ', '%20')}"
    )
    issued = httpx.post(emu.token_url, headers=form, content=body).json()
    assert issued["token_type"] == "Bearer" and issued["expires_in"] == 3600
    listing = httpx.get(
        f"{emu.design_url}{API}/connections",
        params={"integrationInstance": emu.instance},
        headers={"Authorization": f"Bearer {issued['access_token']}"},
    )
    assert listing.status_code == 200 and listing.json()["items"]
    renewed = httpx.post(
        emu.token_url,
        headers=form,
        content=f"grant_type=refresh_token&refresh_token={issued['refresh_token']}",
    )
    assert renewed.status_code == 200
    assert renewed.json()["access_token"] != issued["access_token"]


def test_access_token_carries_realistic_claims(emu: Emulator) -> None:
    """Access tokens are JWT-shaped with sub, aud, scope, exp, iat, client_id and friends."""
    claims = _claims(token_for(emu))
    assert claims["sub"] == DEMO.username and claims["sub_type"] == "user"
    assert emu.audience in claims["aud"] and claims["client_id"] == DEMO.client_id
    assert claims["scope"] == "urn:opc:resource:consumer::all"
    assert claims["exp"] - claims["iat"] == 3600 and claims["user_displayname"] == "Ada Lovelace"


def test_refresh_rotates_the_refresh_token(emu: Emulator) -> None:
    """Each refresh answers a new refresh token."""
    first = password_grant(emu).json()["refresh_token"]
    second = _refresh(emu, first).json()["refresh_token"]
    assert second and second != first
    assert _refresh(emu, second).status_code == 200


def test_reused_refresh_token_is_consumed(emu: Emulator) -> None:
    """A refresh token works once; reuse answers 400 invalid_grant 'already been consumed'."""
    token = password_grant(emu).json()["refresh_token"]
    assert _refresh(emu, token).status_code == 200
    again = _refresh(emu, token)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert again.json()["error_description"] == "The token has already been consumed."


def test_wrong_client_secret_is_invalid_client(emu: Emulator) -> None:
    """A wrong client secret answers 401 invalid_client."""
    response = password_grant(emu, client=(DEMO.client_id, "wrong"))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_missing_client_authentication_is_invalid_client(emu: Emulator) -> None:
    """No Basic header at all answers 401 invalid_client."""
    response = httpx.post(emu.token_url, data={"grant_type": "client_credentials"})
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_wrong_password_is_invalid_grant(emu: Emulator) -> None:
    """A wrong user password answers 400 invalid_grant."""
    response = password_grant(emu, password="nope")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_foreign_scope_is_invalid_scope(emu: Emulator) -> None:
    """A scope for another audience answers 400 invalid_scope."""
    response = password_grant(
        emu, scope="https://other.example.com:443urn:opc:resource:consumer::all"
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"


def test_unknown_grant_is_unsupported_grant_type(emu: Emulator) -> None:
    """An unknown grant type answers 400 unsupported_grant_type."""
    response = httpx.post(
        emu.token_url,
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"grant_type": "urn:example:magic"},
    )
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


def test_missing_grant_type_is_invalid_request(emu: Emulator) -> None:
    """A form without grant_type answers 400 invalid_request."""
    response = httpx.post(emu.token_url, auth=(DEMO.client_id, DEMO.client_secret), data={})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_refresh_grant_without_app_permission_is_unauthorized_client(emu: Emulator) -> None:
    """The client whose app lacks the refresh grant gets 400 unauthorized_client."""
    response = _refresh(emu, "whatever", client=_norefresh_client())
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"


def test_norefresh_client_gets_no_refresh_token(emu: Emulator) -> None:
    """The client without the refresh grant gets no refresh token, even with offline_access."""
    body = password_grant(emu, client=_norefresh_client()).json()
    assert "access_token" in body and "refresh_token" not in body


def test_without_offline_access_no_refresh_token(emu: Emulator) -> None:
    """Only offline_access in the scope earns a refresh token."""
    body = password_grant(emu, scope=emu.audience + "urn:opc:resource:consumer::all").json()
    assert "access_token" in body and "refresh_token" not in body


def test_developer_api_only_scope_is_accepted(emu: Emulator) -> None:
    """The '<audience>/ic/api/' scope form is granted too."""
    body = password_grant(emu, scope=emu.audience + "/ic/api/ offline_access").json()
    assert _claims(body["access_token"])["scope"] == "/ic/api/" and body["refresh_token"]


def test_client_credentials_grant(emu: Emulator) -> None:
    """client_credentials answers a client token and no refresh token."""
    response = httpx.post(
        emu.token_url,
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"grant_type": "client_credentials", "scope": emu.scope},
    )
    body = response.json()
    assert response.status_code == 200 and "refresh_token" not in body
    assert _claims(body["access_token"])["sub_type"] == "client"


def test_locked_user_is_refused(emu: Emulator) -> None:
    """A locked user's password grant answers invalid_grant mentioning the lock."""
    response = password_grant(emu, username="locked.user")
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"
    assert "locked" in response.json()["error_description"]


def test_federated_user_cannot_use_password_grant(emu: Emulator) -> None:
    """An SSO user's password grant answers invalid_grant naming federation."""
    response = password_grant(emu, username="sso.user")
    assert response.status_code == 400 and "Federated" in response.json()["error_description"]


def test_token_lifetimes_are_configurable(emu: Emulator) -> None:
    """set_token_lifetimes changes expires_in of new tokens."""
    emu.control.set_token_lifetimes(access=120)
    assert password_grant(emu).json()["expires_in"] == 120


def test_refresh_token_expires_on_the_emulator_clock(emu: Emulator) -> None:
    """A refresh token older than its lifetime answers invalid_grant."""
    emu.control.set_token_lifetimes(refresh=600)
    token = password_grant(emu).json()["refresh_token"]
    emu.control.advance_clock(601)
    response = _refresh(emu, token)
    assert response.status_code == 400 and "expired" in response.json()["error_description"]


def test_token_rate_limit_answers_429(emu: Emulator) -> None:
    """Token requests beyond the configured rate answer 429."""
    emu.control.set_token_rate_limit(2)
    statuses = [password_grant(emu).status_code for _ in range(12)]
    assert 429 in statuses and statuses[0] == 200


def test_token_endpoint_serves_32_concurrent_requests(emu: Emulator) -> None:
    """32 simultaneous token requests all succeed and are counted in the log by grant type."""
    statuses: list[int] = []
    start = threading.Barrier(32)

    def ask() -> None:
        start.wait()
        statuses.append(password_grant(emu).status_code)

    threads = [threading.Thread(target=ask) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 32
    grants = [r["grant_type"] for r in emu.control.requests() if r["origin"] == "identity"]
    assert grants.count("password") == 32


def test_token_endpoint_refuses_get(emu: Emulator) -> None:
    """GET on the token endpoint answers 405."""
    assert httpx.get(emu.token_url).status_code == 405
