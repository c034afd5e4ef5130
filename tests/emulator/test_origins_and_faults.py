"""Runtime redirects, the foreign origin, faults, latency, the request log and control API."""

from __future__ import annotations

import json
import socket
import urllib.parse

import httpx
import pytest

from oic_magic.emulator import Emulator

from .conftest import API, Api, password_grant


def test_runtime_redirects_to_design_time_with_instance(emu: Emulator, http: httpx.Client) -> None:
    """A Developer API call on the runtime origin answers 307 to the design-time origin."""
    response = http.get(f"{emu.runtime_url}{API}/connections?limit=5")
    location = urllib.parse.urlsplit(response.headers["location"])
    assert response.status_code == 307
    assert f"{location.scheme}://{location.netloc}" == emu.design_url
    assert location.path == f"{API}/connections"
    assert urllib.parse.parse_qs(location.query) == {
        "limit": ["5"],
        "integrationInstance": [emu.instance],
    }


def test_redirect_followed_without_authorization_is_401(emu: Emulator) -> None:
    """Following the 307 the usual way drops the token and ends in NotAuthenticated."""
    token = password_grant(emu).json()["access_token"]
    response = httpx.get(
        f"{emu.runtime_url}{API}/connections",
        follow_redirects=True,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401 and response.json()["code"] == "NotAuthenticated"


def test_redirect_to_foreign_origin_records_headers(emu: Emulator, http: httpx.Client) -> None:
    """redirect_runtime('foreign', 302) sends callers to a foreign origin that logs headers."""
    emu.control.redirect_runtime(target="foreign", status=302)
    response = http.get(f"{emu.runtime_url}{API}/integrations")
    assert response.status_code == 302
    assert response.headers["location"].startswith(emu.foreign_url)
    answer = http.get(response.headers["location"], headers={"Authorization": "Bearer leak"})
    assert answer.json() == {}
    seen = emu.control.foreign_received()
    assert seen[-1]["path"] == f"{API}/integrations"
    assert seen[-1]["headers"]["Authorization"] == "Bearer leak"


def test_request_log_records_origin_and_authorization(emu: Emulator, api: Api) -> None:
    """The log records method, path, origin and whether Authorization came; not control calls."""
    emu.control.clear_requests()
    api.get("connections")
    httpx.post(f"{emu.design_url}/_emulator/clock", json={"advance": 1})
    log = emu.control.requests()
    assert len(log) == 1
    assert log[0]["origin"] == "design" and log[0]["authorization"] is True
    assert log[0]["method"] == "GET" and log[0]["status"] == 200


def test_fault_for_next_n_requests(emu: Emulator, api: Api) -> None:
    """A fault with count=2 hits the next two matching requests only."""
    emu.control.inject_fault("503", count=2, pattern="/connections")
    statuses = [api.get("connections").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]


def test_fault_pattern_and_origin_restrict_it(emu: Emulator, api: Api) -> None:
    """A fault only hits paths matching its pattern on its origin."""
    emu.control.inject_fault(500, pattern="/lookups", origin="design")
    assert api.get("connections").status_code == 200
    assert api.get("lookups").status_code == 500
    assert password_grant(emu).status_code == 200


def test_429_fault_with_retry_after(emu: Emulator, api: Api) -> None:
    """A 429 fault with retry_after sends Retry-After."""
    emu.control.inject_fault(429, count=1, retry_after=7)
    response = api.get("connections")
    assert response.status_code == 429 and response.headers["retry-after"] == "7"


def test_429_fault_without_retry_after(emu: Emulator, api: Api) -> None:
    """A 429 fault without retry_after sends no Retry-After."""
    emu.control.inject_fault("429", count=1)
    response = api.get("connections")
    assert response.status_code == 429 and "retry-after" not in response.headers


@pytest.mark.parametrize("kind", ["500", "502", "503", "504"])
def test_server_error_faults(emu: Emulator, api: Api, kind: str) -> None:
    """5xx faults answer that status with a JSON body."""
    emu.control.inject_fault(kind, count=1)
    response = api.get("connections")
    assert response.status_code == int(kind) and response.json()["status"] == int(kind)


def test_fraction_fault_is_deterministic(emu: Emulator, api: Api) -> None:
    """A fraction fault hits some requests, the same ones for the same seed."""

    def run() -> list[int]:
        emu.control.reset()
        api.token = password_grant(emu).json()["access_token"]
        emu.control.inject_fault("500", fraction=0.5, pattern="/packages")
        return [api.get("packages").status_code for _ in range(20)]

    first = run()
    assert 500 in first and 200 in first
    assert run() == first


def test_malformed_fault(emu: Emulator, api: Api) -> None:
    """The malformed fault answers 200 application/json that does not parse."""
    emu.control.inject_fault("malformed", count=1)
    response = api.get("connections")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_fault(emu: Emulator, api: Api) -> None:
    """The html fault answers an HTML error page."""
    emu.control.inject_fault("html", count=1)
    response = api.get("connections")
    assert response.status_code == 502 and response.headers["content-type"] == "text/html"
    assert "<html>" in response.text


def test_drop_fault_cuts_the_body(emu: Emulator, api: Api) -> None:
    """The drop fault sends headers and part of the body, then closes the connection."""
    emu.control.inject_fault("drop", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("connections")
    assert api.get("connections").status_code == 200


def test_slow_fault_outlasts_a_client_timeout(emu: Emulator, api: Api) -> None:
    """The slow fault answers later than a client's read timeout."""
    emu.control.inject_fault("slow", count=1, seconds=30)
    with pytest.raises(httpx.ReadTimeout):
        api.call("GET", "connections", timeout=0.3)


def test_latency_applies_to_matching_paths(emu: Emulator, api: Api) -> None:
    """set_latency delays matching paths only."""
    emu.control.set_latency(30, pattern="/lookups")
    assert api.call("GET", "connections", timeout=5).status_code == 200
    with pytest.raises(httpx.ReadTimeout):
        api.call("GET", "lookups", timeout=0.3)


def test_clear_faults(emu: Emulator, api: Api) -> None:
    """clear_faults removes every fault."""
    emu.control.inject_fault("500")
    emu.control.clear_faults()
    assert api.get("connections").status_code == 200


def test_control_api_over_http(emu: Emulator, http: httpx.Client) -> None:
    """The control API works over HTTP on any origin: faults, log, reset."""
    answer = http.post(
        f"{emu.runtime_url}/_emulator/faults",
        json={"kind": "504", "count": 1, "origin": "identity"},
    )
    assert answer.status_code == 200 and answer.json()["id"] >= 1
    assert password_grant(emu).status_code == 504
    log = http.get(f"{emu.identity_url}/_emulator/requests").json()["items"]
    assert log[-1]["grant_type"] == "password" and log[-1]["status"] == 504
    assert http.post(f"{emu.design_url}/_emulator/reset").status_code == 200
    assert http.get(f"{emu.design_url}/_emulator/requests").json()["items"] == []


def test_bad_control_request_is_400(emu: Emulator, http: httpx.Client) -> None:
    """An invalid fault kind over HTTP answers 400."""
    assert http.post(f"{emu.design_url}/_emulator/faults", json={"kind": "boom"}).status_code == 400


def test_keep_alive_reuses_one_connection(emu: Emulator, api: Api) -> None:
    """Several requests on one client travel over one HTTP/1.1 connection."""
    ports: set[int] = set()
    for _ in range(3):
        response = api.get("packages")
        stream = response.extensions["network_stream"]
        ports.add(stream.get_extra_info("socket").getsockname()[1])
    assert response.http_version == "HTTP/1.1" and len(ports) == 1


def test_stop_frees_the_ports() -> None:
    """After stop, the ports refuse connections."""
    emu = Emulator(connections=20).start()
    port = int(emu.design_url.rsplit(":", 1)[1])
    emu.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
