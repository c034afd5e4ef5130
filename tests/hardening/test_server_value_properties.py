"""Whatever a server sends back: a result, or one of the project's own errors.

``Retry-After`` in every form (RFC 9110: delay-seconds or an HTTP date; also ``²``,
negative, NaN, huge), ``Content-Length`` that lies (on a real loopback socket, and as a
header the client reads), list envelopes whose ``totalResults`` / ``hasMore`` /
``offset`` have the wrong type or absurd values, bodies that are not JSON, are cut short
or too large, error answers of any shape. The answers come from ``httpx.MockTransport``
handlers, a raw loopback HTTP server (for what only a socket can get wrong) and the
emulator's answer variants. The token answers are not varied here.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

import httpx
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from oic_magic import (
    APIStatusError,
    IncompleteResultError,
    OICError,
    ResponseFormatError,
)
from oic_magic.core._retry import Backoff, retry_after

from ._inputs import CONTENT_LENGTH_SEEDS, ENVELOPE, JSON, RETRY_AFTER_SEEDS
from ._served import (
    CAP,
    FAST,
    HEADER_VALUE,
    MAX_WAIT,
    Waits,
    client_for,
    dumps,
    header_bytes,
)

pytestmark = pytest.mark.timeout(120)


# -- Retry-After ----------------------------------------------------------------------------


@FAST
@given(HEADER_VALUE)
def test_retry_after_of_any_value_is_a_wait_or_nothing(value: str | bytes) -> None:
    """retry_after() reads delay-seconds or an HTTP date; anything else is None, no error."""
    response = httpx.Response(429, headers=[(b"Retry-After", header_bytes(value))])
    asked = retry_after(response, now=1_700_000_000.0)
    assert asked is None or (asked >= 0 and not math.isnan(asked))
    text = response.headers["Retry-After"].strip()
    if text.isascii() and text.isdigit():
        assert asked == float(text)
    if not text or not text.isascii():
        assert asked is None
    delay = Backoff(sleep=lambda s: None, rng=random.Random(1)).delay(0, response)
    assert 0 <= delay <= MAX_WAIT


@pytest.mark.parametrize("value", RETRY_AFTER_SEEDS)
def test_retry_after_through_theclient_for(value: str) -> None:
    """A 429 then 503 with any Retry-After: the client waits within its cap, then succeeds."""
    answers = iter([429, 503])

    def api(request: httpx.Request) -> httpx.Response:
        status = next(answers, 200)
        if status != 200:
            return httpx.Response(status, headers=[(b"Retry-After", header_bytes(value))])
        return httpx.Response(200, json={"id": "HELLO|01"})

    waits = Waits()
    with client_for(api, waits, retries=3) as client:
        assert client.get("integrations/HELLO|01") == {"id": "HELLO|01"}
    assert len(waits) == 2 and all(0 <= w <= MAX_WAIT for w in waits)
    if value.isascii() and value.isdigit():
        assert waits == [min(float(value), MAX_WAIT)] * 2


def test_retry_after_superscript_two_is_ignored_not_a_crash() -> None:
    """The review's case: 'Retry-After: ²' passed str.isdigit() and crashed float()."""
    response = httpx.Response(429, headers=[(b"Retry-After", "²".encode())])
    assert retry_after(response) is None


# -- Content-Length -------------------------------------------------------------------------


@FAST
@given(
    declared=st.one_of(st.sampled_from(CONTENT_LENGTH_SEEDS), st.integers(-5, 10**6).map(str)),
    size=st.integers(0, 2 * CAP),
)
@example(declared="²", size=10)
@example(declared="9" * 5000, size=10)
def test_a_content_length_header_of_any_value(declared: str, size: int) -> None:
    """Any Content-Length beside any body: the JSON, or the too-large refusal; never a crash."""
    body = json.dumps({"pad": "x" * size}).encode()

    def api(request: httpx.Request) -> httpx.Response:
        headers = [(b"Content-Type", b"application/json"), (b"Content-Length", declared.encode())]
        return httpx.Response(200, headers=headers, content=body)

    with client_for(api, Waits()) as client:
        try:
            answer = client.get("integrations/X|01")
        except ResponseFormatError as error:
            assert "more than 65,536 bytes" in str(error)
            written = declared.strip()
            digits = written.isascii() and written.isdigit()
            too_long = digits and (len(written) > 6 or int(written) > CAP)
            assert too_long or len(body) > CAP
            return
    assert answer == {"pad": "x" * size} and len(body) <= CAP


# -- list envelopes ---------------------------------------------------------------------------

TRUE_LIST = [{"id": f"C{i:03d}", "name": f"conn {i}"} for i in range(120)]


@FAST
@given(envelopes=st.lists(ENVELOPE, min_size=1, max_size=5), cap=st.sampled_from([None, 30]))
@example(envelopes=[{"totalResults": "300", "hasMore": "false"}], cap=None)
@example(envelopes=[{"totalResults": 10**30, "hasMore": True}], cap=None)
@example(envelopes=[{"totalResults": -(10**30)}], cap=30)
@example(envelopes=[{"totalResults": float("nan"), "hasMore": 1}], cap=None)
@example(envelopes=[{"totalResults": 2**63, "offset": "x"}], cap=30)
@example(envelopes=[{"totalResults": 999, "hasMore": True}], cap=30)
@example(envelopes=[{"hasMore": False}], cap=30)
def test_any_list_envelope(envelopes: list[dict[str, Any]], cap: int | None) -> None:
    """Envelopes of any types and values: the true list (or a prefix the server ended), or
    one of the project's errors; never a list with items missing inside or added."""
    served: list[dict[str, Any]] = []

    def api(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params.get("offset", 0))
        limit = int(request.url.params.get("limit", 100))
        page = TRUE_LIST[offset : offset + min(limit, cap or limit)]
        envelope = envelopes[len(served) % len(envelopes)]
        served.append(envelope)
        return httpx.Response(
            200,
            headers={"Content-Type": "application/json"},
            content=dumps({"items": page, **envelope}),
        )

    with client_for(api, Waits(), max_rows=1000, retries=0, rereads=1) as client:
        try:
            listing = client.paginate("connections", page_size=50)
        except (IncompleteResultError, ResponseFormatError) as error:
            assert error.hint
            return
    items = list(listing)
    assert items == TRUE_LIST[: len(items)]  # a prefix: nothing skipped, repeated or made up
    ended_early = any(e.get("hasMore") is False for e in served)
    assert len(items) == len(TRUE_LIST) or ended_early
    assert listing.total == len(items)


@FAST
@given(body=JSON, status=st.sampled_from([200, 400, 404, 409, 412, 500]))
@example(body={"items": {"id": "x"}}, status=200)
@example(body={"items": [1, [2], None, {"id": [1]}, {"id": True}]}, status=200)
@example(body={"o:errorDetails": [{"title": 5}, "x", None], "title": ["t"]}, status=409)
@example(body=float("nan"), status=200)
def test_any_json_answer(body: Any, status: int) -> None:
    """Any JSON as a single answer or a list page: the value, or the project's errors."""

    def api(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, headers={"Content-Type": "application/json"}, content=dumps(body)
        )

    with client_for(api, Waits(), retries=0, rereads=0) as client:
        try:
            answer = client.get("integrations/X|01")
        except APIStatusError as error:
            assert status >= 400 and error.status == status
        else:
            assert status < 400
            assert json.dumps(answer, allow_nan=True) == json.dumps(body, allow_nan=True)
        try:
            listing = client.paginate("connections")
        except (APIStatusError, ResponseFormatError, IncompleteResultError):
            return
    assert status < 400 and isinstance(body, dict) and isinstance(body["items"], list)
    assert len(listing) <= len(body["items"])


BODY_SEEDS = [
    b"",
    b"{",
    b'{"items": [',
    b'{"items": [{"id": 1}, {"id": 2}',
    b"[" * 100_000,
    b"\xff\xfe{}",
    b"<html><title>Sign in</title></html>",
    b"null",
    b"NaN",
    b'{"items": [], "totalResults": 1e999}',
    b'{"a": 1}{"b": 2}',
    b"\x00" * 10,
    b" " * 1000,
    b"x" * (CAP + 1),
]


@FAST
@given(
    body=st.one_of(st.sampled_from(BODY_SEEDS), st.binary(max_size=300)),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "text/html", "application/octet-stream", ""]
    ),
    status=st.sampled_from([200, 201, 400, 401, 500, 503]),
)
def test_any_bytes_as_an_answer(body: bytes, content_type: str, status: int) -> None:
    """Bytes of any kind, cut short, huge or not JSON: the project's errors only."""

    def api(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        return httpx.Response(status, headers=headers, content=body)

    with client_for(api, Waits(), retries=0, rereads=0) as client:
        for call in (
            lambda: client.get("integrations/X|01"),
            lambda: client.paginate("connections"),
            lambda: client.request("POST", "connections/C1/test", json={}),
        ):
            try:
                call()
            except OICError as error:
                assert str(error)
                if len(body) > CAP:
                    assert isinstance(error, ResponseFormatError | IncompleteResultError)
