"""Request headers in plain Python: refused before sending when HTTP cannot carry them,
sent with every page of a list when it can (emulator over real sockets)."""

from __future__ import annotations

import random

import pytest
from _emulated import api_requests, demo_settings

from oic_magic import OICClient, RequestError
from oic_magic.emulator import Emulator

UNSENDABLE = {
    "CRLF in a value": ({"X-Note": "a\r\nInjected: 1"}, "holds a line break"),
    "NUL in a value": ({"X-Note": "a\0b"}, r"control character \(U\+0000\)"),
    "non-ASCII value": ({"X-Note": "caf\u00e9"}, r"non-ASCII character \(U\+00E9\)"),
    "non-ASCII name": ({"X-Caf\u00e9": "1"}, "is not an HTTP header name"),
    "space in a name": ({"X Note": "1"}, "is not an HTTP header name"),
    "wrong Content-Length": ({"Content-Length": "5"}, "written from the request itself"),
    "Transfer-Encoding": ({"Transfer-Encoding": "chunked"}, "written from the request"),
    "Host": ({"Host": "elsewhere.example.com"}, "written from the request itself"),
}


@pytest.fixture
def client(emu: Emulator) -> OICClient:
    signed_in = OICClient.sign_in(demo_settings(emu), rng=random.Random(7), sleep=lambda _s: None)
    emu.control.clear_requests()
    return signed_in


@pytest.mark.parametrize("case", UNSENDABLE.values(), ids=UNSENDABLE.keys())
def test_unsendable_headers_are_refused_before_sending(
    case: tuple[dict[str, str], str], client: OICClient, emu: Emulator
) -> None:
    """RequestError (a ValueError) at once: no request, no retries of a doomed one."""
    headers, message = case
    with pytest.raises(RequestError, match=message):
        client.request("POST", "integrations", headers=headers, json={"a": 1})
    with pytest.raises(RequestError, match=message):
        client.paginate("connections", headers=headers)
    assert api_requests(emu) == []


def test_paginate_sends_the_headers_with_every_page(client: OICClient, emu: Emulator) -> None:
    listing = client.paginate("connections", page_size=7, headers={"X-Trace-Id": "t-9"})
    pages = api_requests(emu)
    assert listing.pages == len(pages) > 1
    assert [page["x_headers"].get("x-trace-id") for page in pages] == ["t-9"] * len(pages)
