"""Bad input from the server: a clear ResponseFormatError, never a hang, crash or silent list."""

from __future__ import annotations

from typing import Any

import pytest

from oic_magic import IncompleteResultError, OICClient, ResponseFormatError
from oic_magic.emulator import Emulator
from oic_magic.emulator._app import HUGE_BYTES

from ._hardening import Sleeps, settings_for

CAP = 1024 * 1024  # the client's body cap in these tests; the huge answer is far above it

#: kind -> (what the error says for a single GET, for a paged GET); None: returned as is.
BAD_BODIES: dict[str, tuple[str | None, str]] = {
    "huge": ("more than 1,048,576 bytes", "more than 1,048,576 bytes"),
    "deep": ("nested too deeply", "nested too deeply"),
    "latin1": ("not UTF-8", "not UTF-8"),
    "text": ("plain text", "plain text"),
    "items-not-list": (None, "not a list"),
}


def _client(emu: Emulator, **options: Any) -> OICClient:
    return OICClient.sign_in(settings_for(emu), sleep=Sleeps(), max_body_bytes=CAP, **options)


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_single_get(emu: Emulator, kind: str) -> None:
    """A bad body on a single GET is a ResponseFormatError saying what was wrong."""
    says = BAD_BODIES[kind][0]
    with _client(emu) as client:
        emu.control.inject_fault(kind, origin="design")
        if says is None:
            assert client.get("connections")["items"] == {"id": "NOT-A-LIST"}
            return
        with pytest.raises(ResponseFormatError, match=says) as caught:
            client.get("connections")
    assert "GET " in str(caught.value) and "connections" in str(caught.value)
    assert caught.value.hint


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_paged_first_page(emu: Emulator, kind: str) -> None:
    """A list whose first page is bad raises ResponseFormatError; nothing is returned."""
    with _client(emu) as client:
        emu.control.inject_fault(kind, origin="design")
        with pytest.raises(ResponseFormatError, match=BAD_BODIES[kind][1]):
            client.paginate("connections", page_size=50)


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_paged_mid_list(emu: Emulator, kind: str) -> None:
    """Bad pages after the first: IncompleteResultError carrying what arrived, cause inside."""

    def after_first(done: int, total: int | None) -> None:
        if done == 1:
            emu.control.inject_fault(kind, origin="design")

    with _client(emu) as client, pytest.raises(IncompleteResultError) as caught:
        client.paginate("connections", page_size=50, concurrency=2, progress=after_first)
    error = caught.value
    assert error.received == len(error.items) == 50 and error.expected == 300
    assert isinstance(error.__cause__, ResponseFormatError)


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_post_answer(emu: Emulator, kind: str) -> None:
    """The answer of a POST is checked the same way when it is parsed."""
    from oic_magic.core._responses import parse_body

    with _client(emu) as client:
        ident = client.get("connections", params={"limit": 1})["items"][0]["id"]
        emu.control.inject_fault(kind, origin="design")
        if kind == "huge":
            with pytest.raises(ResponseFormatError, match="more than"):
                client.request("POST", f"connections/{ident}/test")
            return
        response = client.request("POST", f"connections/{ident}/test")
        if BAD_BODIES[kind][0] is None:
            assert parse_body(response, what="POST")["items"] == {"id": "NOT-A-LIST"}
            return
        with pytest.raises(ResponseFormatError, match=BAD_BODIES[kind][0]):
            parse_body(response, what="POST")


def test_huge_body_under_the_default_cap_is_read(emu: Emulator) -> None:
    """The default cap (512 MiB) lets a large but sane answer through."""
    with OICClient.sign_in(settings_for(emu), sleep=Sleeps()) as client:
        emu.control.inject_fault("huge", count=1, origin="design")
        body = client.get("connections")
    assert body["items"] == [] and len(body["padding"]) == HUGE_BYTES


def test_deep_json_in_an_error_answer() -> None:
    """Deep JSON inside an error body does not escape as RecursionError."""
    import httpx

    from oic_magic.core._responses import server_message

    deep = b'{"detail": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = httpx.Response(500, content=deep, headers={"Content-Type": "application/json"})
    assert server_message(response).startswith('{"detail": [[[')


@pytest.mark.parametrize("kind", ["deep", "latin1", "text"])
def test_token_endpoint_bad_body(emu: Emulator, kind: str) -> None:
    """A bad body from the token endpoint is a TokenEndpointError, not a crash."""
    from oic_magic import TokenEndpointError

    emu.control.inject_fault(kind, origin="identity")
    with pytest.raises(TokenEndpointError, match="without an access token"):
        OICClient.sign_in(settings_for(emu), sleep=Sleeps())
