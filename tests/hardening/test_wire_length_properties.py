"""A body whose length the server misstates, on a real loopback socket.

A raw HTTP/1.1 server writes what a broken server or proxy can put on the wire and an
``httpx.MockTransport`` cannot: a ``Content-Length`` longer or shorter than the body, not a
number, twice, a bad chunk, no HTTP at all. Each is a ``TransportError`` or a
``ResponseFormatError``, never an internal exception or a body taken as whole.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from core._core_fake import jwt, settings
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from oic_magic import (
    IncompleteResultError,
    OICClient,
    ResponseFormatError,
    Settings,
    TransportError,
)

from ._served import (
    CAP,
    FAST,
)

pytestmark = pytest.mark.timeout(120)


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
