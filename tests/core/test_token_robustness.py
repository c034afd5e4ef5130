"""What the token endpoint says is checked: bounded lifetimes, Bearer only, the same scope."""

from __future__ import annotations

import json
import math
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oic_magic import Session, SessionExpiredError, SignInError, Token, TokenEndpointError
from oic_magic.core._auth import TokenEndpoint
from oic_magic.core._retry import Backoff
from oic_magic.core._token import DEFAULT_LIFETIME, MAX_LIFETIME

from ._core_fake import Clock, FakeOIC, jwt
from ._core_fake import settings as fake_settings

NOW = 1_000_000.0


def _token(**payload: Any) -> Token:
    return Token.from_response({"access_token": "opaque-token", **payload}, now=NOW)


@pytest.mark.parametrize(
    ("said", "lifetime"),
    [(3600, 3600.0), ("3600", 3600.0), (" 1800 ", 1800.0), ("90.5", 90.5), (7200.0, 7200.0)],
)
def test_expires_in_as_number_or_decimal_string(said: object, lifetime: float) -> None:
    """expires_in is read from a number or a decimal string."""
    assert _token(expires_in=said).lifetime == lifetime


@pytest.mark.parametrize("said", [1e12, 10**400, math.inf, 10**6])
def test_absurd_long_lifetime_bounded(said: object) -> None:
    """A lifetime over a day (1e12, an int beyond floats, inf) is cut to MAX_LIFETIME."""
    token = _token(expires_in=said)
    assert token.lifetime == MAX_LIFETIME and math.isfinite(token.expires_at)


@pytest.mark.parametrize(
    "said", [math.nan, "²", "NaN", "-5", -5, 0, True, False, "abc", [], {}, "1e3", "", "٣٠"]
)
def test_unusable_expires_in_is_a_clear_error(said: object) -> None:
    """NaN, superscripts, negatives, zero, booleans, words: TokenEndpointError naming the field."""
    with pytest.raises(TokenEndpointError, match="expires_in"):
        _token(expires_in=said)


def test_missing_expires_in_uses_the_jwt_or_an_hour() -> None:
    """No expires_in: the JWT's exp - iat, else the default hour."""
    access = jwt({"sub": "ada", "iat": 100, "exp": 1300})
    assert Token.from_response({"access_token": access}, now=NOW).lifetime == 1200.0
    assert _token().lifetime == DEFAULT_LIFETIME
    assert _token(expires_in=None).lifetime == DEFAULT_LIFETIME


def test_jwt_exp_sooner_than_expires_in_wins() -> None:
    """The refresh margin respects a JWT exp sooner than expires_in."""
    access = jwt({"sub": "ada", "iat": 100, "exp": 400})  # 300 s, the answer says 3600
    token = Token.from_response({"access_token": access, "expires_in": 3600}, now=NOW)
    assert token.lifetime == 300.0 and token.refresh_margin == 30.0
    assert token.needs_refresh(NOW + 271) and not token.needs_refresh(NOW + 269)


def test_jwt_exp_without_iat_counts_from_receipt() -> None:
    """A JWT with exp but no iat: exp minus the receipt time, when that is still ahead."""
    access = jwt({"sub": "ada", "exp": NOW + 600})
    assert (
        Token.from_response({"access_token": access, "expires_in": 3600}, now=NOW).lifetime == 600
    )
    stale = jwt({"sub": "ada", "exp": NOW - 600})  # a skewed clock: ignored, not a storm
    assert (
        Token.from_response({"access_token": stale, "expires_in": 3600}, now=NOW).lifetime == 3600
    )


@pytest.mark.parametrize("claims", [{"exp": True, "iat": 1}, {"exp": math.nan}, {"exp": "soon"}])
def test_unusable_jwt_exp_ignored(claims: dict[str, Any]) -> None:
    """A JWT exp that is not a finite number is ignored."""
    access = jwt({"sub": "ada", **claims})
    assert Token.from_response({"access_token": access, "expires_in": 900}, now=NOW).lifetime == 900


def test_opaque_access_token_has_no_claims() -> None:
    """An access token that is not a JWT: no claims, expires_in alone."""
    token = _token(expires_in=600)
    assert token.claims == {} and token.lifetime == 600.0 and token.user is None


@pytest.mark.parametrize("kind", [None, "", "Bearer", "bearer", "BEARER "])
def test_bearer_token_types_accepted(kind: object) -> None:
    """token_type Bearer in any case (or absent) is accepted."""
    assert _token(token_type=kind).token_type == "Bearer"


@pytest.mark.parametrize("kind", ["mac", "DPoP", 7, ["Bearer"]])
def test_other_token_types_refused(kind: object) -> None:
    """A token of another type is not sent as a Bearer token."""
    with pytest.raises(TokenEndpointError, match="where Bearer was expected"):
        _token(token_type=kind)


@pytest.mark.parametrize("access", ["", "with space", "new\nline", "caf\u00e9", 12, None])
def test_unusable_access_token_refused(access: object) -> None:
    """An access token the Authorization header cannot carry is an error, not a crash later."""
    with pytest.raises(TokenEndpointError, match="access token"):
        Token.from_response({"access_token": access}, now=NOW)


def test_non_text_refresh_token_refused_and_fields_typed() -> None:
    """A refresh token that is not text is refused; non-text scope and sub are ignored."""
    with pytest.raises(TokenEndpointError, match="refresh token"):
        _token(refresh_token={"nested": 1})
    access = jwt({"sub": 42, "scope": ["a"]})
    token = Token.from_response({"access_token": access, "scope": 7}, now=NOW)
    assert token.scope is None and token.user is None


def test_refresh_asks_for_the_original_scope(fake: FakeOIC, clock: Clock) -> None:
    """The refresh grant sends the sign-in's scope, so the domain cannot narrow it."""
    signed_in = fake_settings()
    session = Session.sign_in(signed_in, transport=fake.transport(), clock=clock)
    session.refresh()
    (refresh,) = fake.token_requests("refresh_token")
    form = dict(httpx.QueryParams(refresh.content.decode()))
    assert signed_in.resolved_scope and form["scope"] == signed_in.resolved_scope
    session.close()


# -- any answer at all: only documented errors, never a hang --------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
_ACCESS = st.one_of(
    st.just(jwt({"sub": "ada", "iat": 100, "exp": 4000})),
    st.builds(jwt, st.dictionaries(st.sampled_from(["sub", "exp", "iat", "scope"]), _SCALARS)),
    st.text(max_size=40),
    _VALUES,
)
_BODIES = st.fixed_dictionaries(
    {},
    optional={
        "access_token": _ACCESS,
        "refresh_token": _VALUES,
        "token_type": st.one_of(st.sampled_from(["Bearer", "bearer", "mac"]), _VALUES),
        "expires_in": st.one_of(
            st.sampled_from([3600, "3600", "1e12", 1e12, "²", "NaN", -1, 0, True]), _VALUES
        ),
        "scope": _VALUES,
        "error": _VALUES,
        "error_description": _VALUES,
    },
)


def _endpoint(status: int, body: bytes) -> TokenEndpoint:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json"})

    return TokenEndpoint(
        url="https://idcs-test.identity.oraclecloud.com/oauth2/v1/token",
        client_id="test-client",
        client_secret="secret",
        transport=httpx.MockTransport(answer),
        clock=lambda: NOW,
        backoff=Backoff(sleep=lambda _seconds: None),  # a 429 is retried without waiting
    )


def _check(endpoint: TokenEndpoint) -> None:
    try:
        token = endpoint.refresh("a-refresh-token", scope="s")
    except SignInError:  # the documented family of a token endpoint's refusals
        return
    finally:
        endpoint.close()
    assert 0 < token.lifetime <= MAX_LIFETIME and math.isfinite(token.expires_at)
    assert token.token_type == "Bearer" and token.authorization.isascii()
    assert token.refresh_token is None or isinstance(token.refresh_token, str)


@settings(
    max_examples=300, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow]
)
@given(body=_BODIES, status=st.sampled_from([200, 200, 200, 400, 401, 429, 500]))
def test_any_token_answer_body_gives_a_token_or_a_sign_in_error(
    body: dict[str, Any], status: int
) -> None:
    """Whatever JSON the token endpoint answers: a sane token or a SignInError, promptly."""
    raw = json.dumps(body, allow_nan=True).encode()
    _check(_endpoint(status, raw))


@settings(max_examples=150, deadline=timedelta(seconds=5))
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_token_answer_bytes_give_a_token_or_a_sign_in_error(raw: bytes) -> None:
    """Bytes that are not JSON at all are a TokenEndpointError, never an internal exception."""
    _check(_endpoint(200, raw))


@pytest.mark.parametrize(
    "body",
    [
        b'{"access_token": "x", "expires_in": 1e12}',
        b'{"access_token": "x", "expires_in": NaN}',
        '{"access_token": "x", "expires_in": "\u00b2"}'.encode(),
        b'{"access_token": "x", "expires_in": -3600}',
        b'{"access_token": "x", "expires_in": true}',
        b'{"access_token": "x", "token_type": {"a": 1}}',
        b'{"access_token": "' + b"[" * 5000 + b'"}',
        b"[" * 100_000,
    ],
)
def test_seed_corpus_of_bad_answers(body: bytes) -> None:
    """The cases the review found (1e12, NaN, a superscript, negative, bool): no crash."""
    _check(_endpoint(200, body))


@settings(max_examples=150, deadline=timedelta(seconds=5))
@given(
    body=_BODIES,
    status=st.sampled_from([200, 200, 400, 401, 429, 500]),
    error=st.sampled_from([None, "invalid_grant", "invalid_client", "unauthorized_client"]),
)
def test_session_renewal_over_any_answer(
    body: dict[str, Any], status: int, error: str | None
) -> None:
    """A session renewing against any answer: a sane token, or a documented error; a final
    one (SessionExpiredError) sends nothing more."""
    fake = FakeOIC(clock=Clock())
    session = Session.sign_in(
        fake_settings(),
        transport=fake.transport(),
        clock=fake.clock,
        backoff=Backoff(sleep=lambda _seconds: None),
    )
    answer = dict(body, error=error) if error and status != 200 else body
    fake.inject(
        httpx.Response(status, content=json.dumps(answer, allow_nan=True).encode()),
        when=lambda request: "grant_type=refresh_token" in request.content.decode(),
        times=5,  # a 429 is retried
    )
    try:
        token = session.refresh()
    except SessionExpiredError:
        before = len(fake.token_requests())
        with pytest.raises(SessionExpiredError):
            session.refresh()
        assert len(fake.token_requests()) == before
    except SignInError:
        pass
    else:
        assert 0 < token.lifetime <= MAX_LIFETIME and token is session.token
    finally:
        session.close()


@pytest.mark.parametrize(
    ("expires_in", "interval", "lifetime", "every"),
    [
        (1e12, 1e12, 3600.0, 60.0),
        ("²", "²", 300.0, 5.0),
        (math.nan, math.inf, 300.0, 5.0),
        (10**400, -3, 300.0, 5.0),
        ("600", "7", 600.0, 7.0),
        (True, 0.1, 300.0, 1.0),
    ],
)
def test_device_code_answer_bounded(
    expires_in: object, interval: object, lifetime: float, every: float
) -> None:
    """A device code's expires_in and interval are read, bounded, or defaulted; never a crash."""
    from oic_magic.core._device import DeviceFlow

    body = {
        "device_code": "dc",
        "user_code": "ABCD-EFGH",
        "verification_uri": "https://idcs-test.identity.oraclecloud.com/ui/v1/device",
        "expires_in": expires_in,
        "interval": interval,
    }
    endpoint = _endpoint(200, json.dumps(body, allow_nan=True).encode())
    code = DeviceFlow(endpoint, scope="s", clock=lambda: NOW).start()
    endpoint.close()
    assert code.expires_in(NOW) == lifetime and code.interval == every
