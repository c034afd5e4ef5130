"""TokenEndpoint grants and errors, and BearerAuth driven by hand."""

from __future__ import annotations

import base64

import httpx
import pytest

from oic_magic import (
    BadCredentialsError,
    FederatedUserError,
    GrantNotAllowedError,
    InvalidClientError,
    InvalidScopeError,
    LockedUserError,
    SignInError,
    Token,
    TokenEndpointError,
)
from oic_magic.core._auth import BearerAuth, TokenEndpoint
from oic_magic.core._retry import Backoff

from ._core_fake import CLIENT_ID, CLIENT_SECRET, IDENTITY, PASSWORD, USERNAME, FakeOIC, jwt

TOKEN_URL = IDENTITY + "/oauth2/v1/token"


def _endpoint(
    transport: httpx.BaseTransport, sleeps: list[float] | None = None, secret: str = CLIENT_SECRET
) -> TokenEndpoint:
    backoff = Backoff(retries=3, sleep=(sleeps.append if sleeps is not None else lambda s: None))
    return TokenEndpoint(
        url=TOKEN_URL,
        client_id=CLIENT_ID,
        client_secret=secret,
        transport=transport,
        clock=lambda: 500.0,
        backoff=backoff,
    )


def test_password_grant_form_and_basic_auth(fake: FakeOIC) -> None:
    """The password grant posts a form with the scope and authenticates the client with Basic."""
    token = _endpoint(fake.transport()).password(
        username=USERNAME, password=PASSWORD, scope="aud" + "urn:x offline_access"
    )
    (sent,) = fake.token_requests()
    form = dict(httpx.QueryParams(sent.content.decode()))
    assert form == {
        "grant_type": "password",
        "username": USERNAME,
        "password": PASSWORD,
        "scope": "audurn:x offline_access",
    }
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert sent.headers["Authorization"] == f"Basic {basic}"
    assert token.user == USERNAME and token.refresh_token and token.issued_at == 500.0


def test_refresh_grant_rotates(fake: FakeOIC) -> None:
    """A refresh returns a new refresh token; the old one is then refused as consumed."""
    endpoint = _endpoint(fake.transport())
    first = endpoint.password(username=USERNAME, password=PASSWORD, scope="s")
    assert first.refresh_token
    second = endpoint.refresh(first.refresh_token)
    assert second.refresh_token not in (None, first.refresh_token)
    with pytest.raises(SignInError) as caught:
        endpoint.refresh(first.refresh_token)
    assert caught.value.error == "invalid_grant"


def test_client_credentials_drops_offline_access(fake: FakeOIC) -> None:
    """client_credentials sends the scope without offline_access and gets no refresh token."""
    token = _endpoint(fake.transport()).client_credentials(scope="audurn:x offline_access")
    form = dict(httpx.QueryParams(fake.token_requests()[0].content.decode()))
    assert form == {"grant_type": "client_credentials", "scope": "audurn:x"}
    assert token.refresh_token is None


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_token_redirect_not_followed(fake: FakeOIC, status: int) -> None:
    """A redirect from the token endpoint is an error and nothing is re-sent anywhere."""
    fake.inject(httpx.Response(status, headers={"Location": "https://evil.example/steal"}))
    with pytest.raises(TokenEndpointError) as caught:
        _endpoint(fake.transport()).password(username=USERNAME, password=PASSWORD, scope="s")
    assert len(fake.log) == 1 and fake.log[0].url.host == "idcs-test.identity.oraclecloud.com"
    assert "not followed" in str(caught.value) and "evil.example" in str(caught.value)
    assert PASSWORD not in str(caught.value)


def _oauth(status: int, error: str, description: str) -> httpx.Response:
    return httpx.Response(status, json={"error": error, "error_description": description})


@pytest.mark.parametrize(
    ("response", "kind", "words"),
    [
        (
            _oauth(400, "invalid_grant", "Invalid user name or password."),
            BadCredentialsError,
            "wrong user name or password",
        ),
        (_oauth(400, "invalid_grant", "The user is locked."), LockedUserError, "unlock"),
        (
            _oauth(400, "invalid_grant", "Federated users cannot use the password grant (SSO)."),
            FederatedUserError,
            "only works for local users",
        ),
        (
            _oauth(401, "invalid_client", "Client authentication failed."),
            InvalidClientError,
            "client secret",
        ),
        (_oauth(400, "invalid_scope", "Invalid scope."), InvalidScopeError, "primary audience"),
        (
            _oauth(400, "unauthorized_client", "Grant not allowed."),
            GrantNotAllowedError,
            "Allow the password grant",
        ),
        (httpx.Response(500, text="<html>oops</html>"), TokenEndpointError, "HTTP 500"),
    ],
)
def test_rfc6749_errors_are_typed(
    fake: FakeOIC, response: httpx.Response, kind: type[SignInError], words: str
) -> None:
    """Each RFC 6749 error becomes its own sign-in error with a plain-words hint."""
    fake.inject(response)
    with pytest.raises(kind) as caught:
        _endpoint(fake.transport()).password(username=USERNAME, password=PASSWORD, scope="s")
    assert type(caught.value) is kind
    assert words in str(caught.value) and PASSWORD not in str(caught.value)


def test_throttled_token_request_retried_with_retry_after(fake: FakeOIC) -> None:
    """A 429 from the token endpoint is retried after the Retry-After it asks for."""
    fake.inject(httpx.Response(429, headers={"Retry-After": "7"}), times=2)
    sleeps: list[float] = []
    _endpoint(fake.transport(), sleeps).password(username=USERNAME, password=PASSWORD, scope="s")
    assert sleeps == [7.0, 7.0] and len(fake.token_requests()) == 3


def test_throttling_gives_up_after_retries(fake: FakeOIC) -> None:
    """A token endpoint that keeps throttling ends in a clear error, waits capped."""
    fake.inject(httpx.Response(429, headers={"Retry-After": "3600"}), times=10)
    sleeps: list[float] = []
    with pytest.raises(TokenEndpointError, match="throttling"):
        _endpoint(fake.transport(), sleeps).password(
            username=USERNAME, password=PASSWORD, scope="s"
        )
    assert sleeps == [60.0, 60.0, 60.0]


def test_answer_without_access_token(fake: FakeOIC) -> None:
    """A 200 without an access token is a token-endpoint error, not a crash."""
    fake.inject(httpx.Response(200, json={"hello": "world"}))
    with pytest.raises(TokenEndpointError, match="without an access token"):
        _endpoint(fake.transport()).password(username=USERNAME, password=PASSWORD, scope="s")


def test_endpoint_repr_hides_secret(fake: FakeOIC) -> None:
    """The endpoint's repr names url and client, never the secret."""
    assert CLIENT_SECRET not in repr(_endpoint(fake.transport()))


class _Source:
    def __init__(self) -> None:
        self.tokens = [_tok("one"), _tok("two")]
        self.renewed: list[Token] = []

    def valid_token(self) -> Token:
        return self.tokens[0]

    def renew(self, failed: Token) -> Token:
        self.renewed.append(failed)
        return self.tokens[1]


def _tok(access: str) -> Token:
    return Token.from_response({"access_token": jwt({"sub": access}) + access}, now=0)


def test_bearer_auth_attaches_and_retries_once_on_401() -> None:
    """The flow attaches the token, renews the failing one on 401 and retries once."""
    source = _Source()
    flow = BearerAuth(source).sync_auth_flow(httpx.Request("GET", "https://h/x"))
    request = next(flow)
    assert request.headers["Authorization"] == source.tokens[0].authorization
    retried = flow.send(httpx.Response(401))
    assert retried.headers["Authorization"] == source.tokens[1].authorization
    assert source.renewed == [source.tokens[0]]
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(401))


def test_bearer_auth_no_retry_on_success() -> None:
    """A non-401 answer ends the flow without renewing."""
    source = _Source()
    flow = BearerAuth(source).sync_auth_flow(httpx.Request("GET", "https://h/x"))
    next(flow)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    assert source.renewed == []
