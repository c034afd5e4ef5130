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

import contextlib
import json
import math
import random
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from core._core_fake import FakeOIC, jwt, settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from oic_magic import (
    APIStatusError,
    IncompleteResultError,
    OICClient,
    OICError,
    ResponseFormatError,
    Settings,
    TransportError,
)
from oic_magic.core._retry import Backoff, retry_after
from oic_magic.emulator import Emulator

from ._inputs import CONTENT_LENGTH_SEEDS, ENVELOPE_SEEDS, JSON, RETRY_AFTER_SEEDS

pytestmark = pytest.mark.timeout(120)

FAST = hypothesis_settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
CAP = 64 * 1024  # the body cap of these clients
MAX_WAIT = 60.0  # Backoff's cap on any single wait

API = Callable[[httpx.Request], httpx.Response]


class Waits(list[float]):
    """The waits a client asked for (it never sleeps)."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _transport(api: API) -> httpx.MockTransport:
    """The fake identity domain signs in; *api* answers every other request."""
    fake = FakeOIC()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/v1/token":
            return fake(request)
        return api(request)

    return httpx.MockTransport(handler)


def _client(api: API, waits: Waits, **options: Any) -> OICClient:
    """A client signed in to the fake identity domain whose API calls *api* answers."""
    return OICClient.sign_in(
        settings(),
        transport=_transport(api),
        sleep=waits,
        rng=random.Random(7),
        max_body_bytes=CAP,
        **options,
    )


def _header_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


HEADER_VALUE = st.one_of(
    st.sampled_from(RETRY_AFTER_SEEDS),
    st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
    st.integers().map(str),
    st.floats().map(repr),
    st.binary(max_size=20).filter(lambda b: b"\n" not in b and b"\r" not in b),
)


# -- Retry-After ----------------------------------------------------------------------------


@FAST
@given(HEADER_VALUE)
def test_retry_after_of_any_value_is_a_wait_or_nothing(value: str | bytes) -> None:
    """retry_after() reads delay-seconds or an HTTP date; anything else is None, no error."""
    response = httpx.Response(429, headers=[(b"Retry-After", _header_bytes(value))])
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
def test_retry_after_through_the_client(value: str) -> None:
    """A 429 then 503 with any Retry-After: the client waits within its cap, then succeeds."""
    answers = iter([429, 503])

    def api(request: httpx.Request) -> httpx.Response:
        status = next(answers, 200)
        if status != 200:
            return httpx.Response(status, headers=[(b"Retry-After", _header_bytes(value))])
        return httpx.Response(200, json={"id": "HELLO|01"})

    waits = Waits()
    with _client(api, waits, retries=3) as client:
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

    with _client(api, Waits()) as client:
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


class RawServer:
    """A loopback HTTP/1.1 server that answers API calls with raw bytes the test gives.

    It signs in anyone (a token answer in order) and writes *answer* for every other
    request, then closes the connection: what a broken proxy or server can put on the wire
    (a Content-Length that is not the body's, a bad chunk) and a MockTransport cannot.
    """

    def __init__(self) -> None:
        self.answer = b""
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop = True
        self._listener.close()
        self._thread.join(5)

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                with contextlib.suppress(OSError):  # the client hung up: fine
                    self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = next(
            (
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        while len(rest) < length:
            rest += conn.recv(65536)
        if b"/oauth2/v1/token" in head.split(b"\r\n", 1)[0]:
            token = json.dumps(
                {
                    "access_token": jwt({"sub": "ada", "exp": 4_000_000_000, "iat": 0}),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                }
            ).encode()
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                b"Content-Length: " + str(len(token)).encode() + b"\r\n\r\n" + token
            )
            return
        conn.sendall(self.answer)


@pytest.fixture(scope="module")
def raw_server() -> Iterator[RawServer]:
    """One raw loopback server for the module."""
    server = RawServer()
    yield server
    server.close()


def _raw_settings(server: RawServer) -> Settings:
    here = f"http://127.0.0.1:{server.port}"
    return settings(design_url=here, identity_url=here, token_url=f"{here}/oauth2/v1/token")


def _wire_answer(declared: bytes | None, body: bytes, *, extra: bytes = b"") -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra
    if declared is not None:
        head += b"Content-Length: " + declared + b"\r\n"
    return head + b"\r\n" + body


BODY = json.dumps({"items": [{"id": f"C{i}"} for i in range(20)], "hasMore": False}).encode()

#: (name, answer on the wire) - each a way to lie about the length of the body.
WIRE_CASES = [
    ("longer-than-body", _wire_answer(str(len(BODY) + 50).encode(), BODY)),
    ("shorter-than-body", _wire_answer(str(len(BODY) - 7).encode(), BODY)),
    ("zero", _wire_answer(b"0", BODY)),
    ("superscript", _wire_answer("²".encode(), BODY)),
    ("negative", _wire_answer(b"-1", BODY)),
    ("huge", _wire_answer(b"9" * 40, BODY)),
    ("thousands-of-digits", _wire_answer(b"9" * 5000, BODY)),
    ("two-values", _wire_answer(str(len(BODY)).encode() + b", 3", BODY)),
    ("twice", _wire_answer(b"3", BODY, extra=b"Content-Length: 5\r\n")),
    ("none-cut-short", _wire_answer(None, BODY[:-9])),
    (
        "bad-chunk",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        b"\r\nzz\r\n{}\r\n0\r\n\r\n",
    ),
    (
        "chunk-cut-short",
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        b"\r\n400\r\n" + BODY,
    ),
    ("not-http", b"SSH-2.0-OpenSSH_9.6\r\n"),
    ("nothing", b""),
]


@pytest.mark.parametrize(("name", "answer"), WIRE_CASES, ids=[c[0] for c in WIRE_CASES])
def test_a_wrong_content_length_on_the_wire(
    raw_server: RawServer, name: str, answer: bytes
) -> None:
    """A body whose length the server misstates: TransportError or ResponseFormatError."""
    raw_server.answer = answer
    with OICClient.sign_in(_raw_settings(raw_server), retries=0, max_body_bytes=CAP) as client:
        if name == "zero":  # an empty answer, as declared: None for one object
            assert client.get("connections") is None
        else:
            with pytest.raises((TransportError, ResponseFormatError)) as caught:
                client.get("connections")
            assert caught.value.hint
        with pytest.raises((IncompleteResultError, TransportError, ResponseFormatError)):
            client.paginate("connections")


@hypothesis_settings(FAST, max_examples=40)
@given(declared=st.integers(0, 2 * len(BODY)), cut=st.integers(0, len(BODY)))
@example(declared=len(BODY), cut=len(BODY))
def test_any_declared_length_on_the_wire(raw_server: RawServer, declared: int, cut: int) -> None:
    """Any Content-Length beside any prefix of the body: the whole body or an error."""
    sent = BODY[:cut]
    raw_server.answer = _wire_answer(str(declared).encode(), sent)
    with OICClient.sign_in(_raw_settings(raw_server), retries=0, max_body_bytes=CAP) as client:
        try:
            answer = client.get("connections")
        except (TransportError, ResponseFormatError):
            assert (declared, cut) != (len(BODY), len(BODY))
            return
    if declared == 0:
        assert answer is None  # an empty answer, as declared
    else:
        assert answer == json.loads(BODY[:declared]) and declared == cut == len(BODY)


# -- list envelopes ---------------------------------------------------------------------------

TRUE_LIST = [{"id": f"C{i:03d}", "name": f"conn {i}"} for i in range(120)]
ENVELOPE_VALUE = st.one_of(st.sampled_from(ENVELOPE_SEEDS), JSON)
ENVELOPE = st.fixed_dictionaries(
    {},
    optional={
        "totalResults": ENVELOPE_VALUE,
        "totalRecordsCount": ENVELOPE_VALUE,
        "hasMore": ENVELOPE_VALUE,
        "offset": ENVELOPE_VALUE,
        "limit": ENVELOPE_VALUE,
        "count": ENVELOPE_VALUE,
    },
)


def _dumps(body: Any) -> bytes:
    return json.dumps(body, allow_nan=True).encode()


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
            content=_dumps({"items": page, **envelope}),
        )

    with _client(api, Waits(), max_rows=1000, retries=0, rereads=1) as client:
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
            status, headers={"Content-Type": "application/json"}, content=_dumps(body)
        )

    with _client(api, Waits(), retries=0, rereads=0) as client:
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

    with _client(api, Waits(), retries=0, rereads=0) as client:
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


# -- monitoring lists: the server's clock and totals ---------------------------------------------

DATE_SEEDS = (
    "Fri, 31 Dec 9999 23:59:59 GMT",  # the review's class: a window ending in the year 10000
    "Mon, 01 Jan 1900 00:00:00 GMT",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Sun, 06 Nov 1994 08:49:37 +9999",
    "Sat, 01 Jan 0001 00:00:00 -2359",
    "garbage",
    "",
)
RECORDS = [
    {"id": f"I{i}", "creationDate": "2026-01-01T00:00:00Z", "status": "COMPLETED"} for i in range(3)
]


@FAST
@given(
    date=st.one_of(st.sampled_from(DATE_SEEDS), HEADER_VALUE),
    envelope=ENVELOPE,
    path=st.sampled_from(["monitoring/instances", "monitoring/errors"]),
)
@example(date="Fri, 31 Dec 9999 23:59:59 GMT", envelope={"totalRecordsCount": 3}, path=None)
def test_a_monitoring_list_with_any_server_date_and_envelope(
    date: str | bytes, envelope: dict[str, Any], path: str | None
) -> None:
    """Any Date header and envelope on a windowed list: the records or the project's errors."""

    def api(request: httpx.Request) -> httpx.Response:
        body = _dumps({"items": RECORDS, **envelope})
        headers = [(b"Content-Type", b"application/json"), (b"Date", _header_bytes(date))]
        return httpx.Response(200, headers=headers, content=body)

    with _client(api, Waits(), retries=0, rereads=0) as client:
        try:
            listing = client.paginate(path or "monitoring/instances")
        except (IncompleteResultError, ResponseFormatError) as error:
            assert error.hint
            return
    assert [record["id"] for record in listing] == [record["id"] for record in RECORDS]


# -- every operation that reads OIC's answers ------------------------------------------------


def _operations(
    client: OICClient, clock: list[float], sleep: Callable[[float], None]
) -> dict[str, Callable[[], object]]:
    """Each operation that polls or parses OIC's answers, on the fake clock *clock*."""
    from oic_magic import dependencies, plan_recovery, recover, sweep, wait_for_recovery
    from oic_magic.core._drift import read_inventory
    from oic_magic.core._jobs import finish
    from oic_magic.core._recovery import RecoveryResult

    job = RecoveryResult(action="resubmit", rows=(), job_ids=("J1",), requests=1)
    accepted = httpx.Response(202, headers={"Location": "/ic/api/integration/v1/jobs/1"})
    return {
        "activate": lambda: client.activate("A|01", timeout=5, interval=1),
        "wait_for_activation": lambda: client.wait_for_activation("A|01", timeout=5, interval=1),
        "sweep": lambda: sweep(client),
        "dependencies": lambda: dependencies(client),
        "read_inventory": lambda: read_inventory(client),
        "recover": lambda: recover(client, plan_recovery(client, "resubmit", ids=["x"])),
        "wait_for_recovery": lambda: wait_for_recovery(client, job, timeout=5, interval=1),
        "job": lambda: finish(
            client, accepted, timeout=5, interval=1, clock=lambda: clock[0], sleep=sleep
        ),
        "monitoring": lambda: client.paginate("monitoring/errors"),
    }


OPERATIONS = [
    "activate", "dependencies", "job", "monitoring", "read_inventory", "recover", "sweep",
    "wait_for_activation", "wait_for_recovery",
]  # fmt: skip


@FAST
@given(body=JSON, status=st.sampled_from([200, 201, 202]), operation=st.sampled_from(OPERATIONS))
@example(body={"activationStatus": float("nan")}, status=200, operation="wait_for_activation")
@example(body={"status": ["FAILED"], "location": 5}, status=202, operation="job")
@example(body={"recovery-job-id": {"x": 1}}, status=202, operation="recover")
def test_any_json_answer_to_every_operation(body: Any, status: int, operation: str) -> None:
    """Activations, jobs, recovery, sweeps, inventories fed any JSON: their result or an
    OICError (a wait on a fake clock, so no real time passes)."""
    clock = [0.0]

    def api(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        return httpx.Response(status, headers=headers, content=_dumps(body))

    waits = Waits()

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    with OICClient.sign_in(
        settings(), transport=_transport(api), sleep=sleep, clock=lambda: clock[0], retries=0
    ) as client:
        operations = _operations(client, clock, sleep)
        assert sorted(operations) == OPERATIONS
        try:
            operations[operation]()
        except OICError as error:
            assert str(error)
    assert all(0 <= wait <= 5 for wait in waits)


# -- the emulator's answer variants -------------------------------------------------------------

FAULTS = ("huge", "deep", "latin1", "text", "items-not-list", "malformed", "html", "drop")


#: The variants furthest apart: trusted totals, none at all (and capped pages), a wrong one.
VARIANTS = ["default", "no-total-no-has-more-page-cap", "total-too-high", "per-page-total"]


@pytest.mark.parametrize("answers_emulator", VARIANTS, indirect=True)
def test_answer_variants_with_bad_pages(answers_emu: Emulator) -> None:
    """Ways OIC may shape its lists, each bad page: the whole list or the project's error."""
    from _emulated import demo_settings

    whole = answers_emu.backend.settings.connections
    outcomes = {}
    with OICClient.sign_in(
        demo_settings(answers_emu, timeout=5.0), retries=0, rereads=0, max_body_bytes=CAP
    ) as client:
        assert len(client.paginate("connections", page_size=25)) == whole
        for fault in FAULTS:
            answers_emu.control.inject_fault(fault, count=1, origin="design")
            try:
                listing = client.paginate("connections", page_size=25)
            except (
                IncompleteResultError,
                ResponseFormatError,
                TransportError,
                APIStatusError,
            ) as error:
                outcomes[fault] = type(error).__name__
            else:
                assert len(listing) == whole
                outcomes[fault] = "whole"
            answers_emu.control.clear_faults()
    # A garbled page is read again (twice): only the huge and dropped answers, which are
    # not, can stop the listing; each then says so with one of the project's errors.
    assert outcomes["huge"] == "ResponseFormatError"
    assert outcomes["drop"] == "TransportError"
