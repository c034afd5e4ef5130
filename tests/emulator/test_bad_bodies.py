"""The bad-body fault kinds: 2xx answers that are not what the Developer API promises."""

from __future__ import annotations

import json

import httpx
import pytest

from oic_magic.emulator import Emulator
from oic_magic.emulator._app import DEEP_LEVELS, HUGE_BYTES

from .conftest import Api


def test_huge_fault_is_valid_json_of_the_announced_size(emu: Emulator, api: Api) -> None:
    """``huge`` answers 200 with a valid JSON body of HUGE_BYTES and a matching Content-Length."""
    emu.control.inject_fault("huge", count=1, origin="design")
    response = api.get("connections")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.content) > HUGE_BYTES
    assert response.json()["items"] == []


def test_deep_fault_outnests_the_json_decoder(emu: Emulator, api: Api) -> None:
    """``deep`` nests lists deeper than Python's JSON decoder can follow."""
    emu.control.inject_fault("deep", count=1, origin="design")
    response = api.get("connections")
    assert response.status_code == 200 and response.content.count(b"[") == DEEP_LEVELS
    with pytest.raises(RecursionError):
        json.loads(response.content)


def test_latin1_fault_is_not_utf8(emu: Emulator, api: Api) -> None:
    """``latin1`` sends JSON encoded in Latin-1 under application/json."""
    emu.control.inject_fault("latin1", count=1, origin="design")
    response = api.get("connections")
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    assert json.loads(response.content.decode("latin-1"))["items"][0]["id"] == "CAF\u00c9"


def test_text_fault_is_plain_text(emu: Emulator, api: Api) -> None:
    """``text`` answers 200 with a gateway's plain-text line."""
    emu.control.inject_fault("text", count=1, origin="design")
    response = api.get("connections")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text.startswith("upstream connect error")


def test_items_not_list_fault(emu: Emulator, api: Api) -> None:
    """``items-not-list`` answers a list endpoint with ``items`` as an object."""
    emu.control.inject_fault("items-not-list", count=1, origin="design")
    body = api.get("connections").json()
    assert isinstance(body["items"], dict) and body["totalResults"] == 1


@pytest.mark.parametrize("kind", ["huge", "deep", "latin1", "text", "items-not-list"])
def test_bad_body_faults_are_logged_and_consumed(emu: Emulator, api: Api, kind: str) -> None:
    """Each bad-body fault is logged by kind and, with count=1, the next answer is normal."""
    emu.control.inject_fault(kind, count=1, origin="design")
    api.get("connections")
    assert len(api.get("connections").json()["items"]) > 0
    faults = [entry["fault"] for entry in emu.control.requests() if entry["origin"] == "design"]
    assert faults[-2:] == [kind, None]


def test_runtime_redirects_to_any_origin(emu: Emulator, http: httpx.Client) -> None:
    """redirect_runtime accepts an http(s) origin, e.g. another emulator's design host."""
    emu.control.redirect_runtime("https://127.0.0.1:9", 308)
    response = http.get(emu.runtime_url + "/ic/api/integration/v1/connections?limit=1")
    assert response.status_code == 308
    assert response.headers["Location"].startswith("https://127.0.0.1:9/ic/api/integration/v1/")


@pytest.mark.parametrize("target", ["elsewhere", "ftp://127.0.0.1:21", "https://host/path"])
def test_redirect_target_must_be_an_origin(emu: Emulator, target: str) -> None:
    """A redirect target that is neither a known origin nor an http(s) origin is refused."""
    with pytest.raises(ValueError, match="origin"):
        emu.control.redirect_runtime(target)


def test_issued_tokens_kept_for_leak_searches(emu: Emulator, http: httpx.Client) -> None:
    """issued_tokens() lists every access and refresh token handed out, revoked ones too."""
    from .conftest import password_grant

    answer = password_grant(emu).json()
    emu.control.revoke_tokens()
    assert emu.backend.identity.issued_tokens() == [answer["access_token"], answer["refresh_token"]]
    emu.control.reset()
    assert emu.backend.identity.issued_tokens() == []
