"""Connection sweeps (each outcome) and integration dependencies, against the emulator."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from _emulated import demo_settings

from oic_magic import OICClient, Session
from oic_magic.core._archives import export_archives
from oic_magic.core._dependencies import Edge, archive_edges, dependencies, used_by
from oic_magic.core._sweep import ConnectionTest, sweep
from oic_magic.emulator import Emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[OICClient]:
    with OICClient.sign_in(demo_settings(emu)) as client:
        yield client


def _tested(emu: Emulator) -> list[dict[str, Any]]:
    return [e for e in emu.control.requests() if e["path"].endswith("/test")]


def test_a_sweep_reports_every_connection_with_each_outcome(
    client: OICClient, emu: Emulator
) -> None:
    data = emu.backend.resources.data.connections
    rows = sweep(client)
    assert sorted(r.id for r in rows) == sorted(data)
    by_id = {r.id: r for r in rows}
    for ident, record in data.items():
        row = by_id[ident]
        if record["lockedFlag"]:
            assert (row.outcome, row.http_status) == ("locked", 412)
        elif record["status"] != "CONFIGURED":
            assert (row.outcome, row.http_status) == ("not configured", 409)
        else:
            assert row.outcome in ("success", "failed")
    outcomes = {r.outcome for r in rows}
    assert outcomes == {"success", "failed", "locked", "not configured"}
    failed = next(r for r in rows if r.outcome == "failed")
    assert "Connection timed out" in failed.detail


def test_a_sweep_can_be_filtered_and_is_bounded(
    client: OICClient, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu.control.set_latency(0.05, pattern="/test$")
    busy, peak, lock = [0], [0], threading.Lock()
    original = client.request

    def counting(*args: Any, **kwargs: Any) -> httpx.Response:
        with lock:
            busy[0] += 1
            peak[0] = max(peak[0], busy[0])
        try:
            return original(*args, **kwargs)
        finally:
            with lock:
                busy[0] -= 1

    monkeypatch.setattr(client, "request", counting)  # counts the requests in flight
    rows = sweep(client, where=["name~ERP"], concurrency=2)
    assert peak[0] <= 2
    assert rows and all("ERP" in emu.backend.resources.data.connections[r.id]["name"] for r in rows)
    assert len(_tested(emu)) == len(rows)


def test_a_sweep_of_named_connections_and_an_unknown_one(client: OICClient) -> None:
    (row,) = sweep(client, ids=["NO_SUCH_CONNECTION"])
    assert row == ConnectionTest("NO_SUCH_CONNECTION", "failed", 404, row.detail)
    with pytest.raises(ValueError):
        sweep(client, concurrency=0)


def test_dependencies_are_the_emulators_edges_and_used_by_answers(
    client: OICClient, emu: Emulator
) -> None:
    data = emu.backend.resources.data.integrations
    edges = dependencies(client)
    expected = sorted(
        (ident, kind, str(dep.get("id") or dep.get("name")))
        for ident, record in data.items()
        for field, kind in (("connections", "connection"), ("lookups", "lookup"))
        for dep in record["dependencies"][field]
    )
    assert sorted((e.integration, e.kind, e.target) for e in edges) == expected
    connection = (
        edges[0].target
        if edges[0].kind == "connection"
        else next(e.target for e in edges if e.kind == "connection")
    )
    users = {e.integration for e in used_by(edges, connection, kind="connection")}
    assert users == {
        i for i, r in data.items() if {"id": connection} in r["dependencies"]["connections"]
    }


def test_archives_tell_the_dependencies_the_api_leaves_out(
    client: OICClient, emu: Emulator, tmp_path: Path
) -> None:
    record = next(
        r
        for r in emu.backend.resources.data.integrations.values()
        if not r["lockedFlag"] and r["dependencies"]["lookups"]
    )
    export_archives(client, tmp_path / "b", integrations=[record["id"]], lookups=False)
    body = (tmp_path / "b" / f"{record['id'].replace('|', '_')}.iar").read_bytes()
    edges = archive_edges(body, integration=record["id"])
    wanted = {("connection", d["id"]) for d in record["dependencies"]["connections"]}
    wanted |= {("lookup", d["name"]) for d in record["dependencies"]["lookups"]}
    assert {(e.kind, e.target) for e in edges} == wanted
    assert all(isinstance(e, Edge) and e.source == "archive" for e in edges)
    # An OIC whose answers leave the dependencies out: the folder answers for it.
    session = Session.sign_in(demo_settings(emu))
    with OICClient(session, transport=_Silent(), owns_session=True) as silent:
        where = [f"code={record['code']}"]
        assert dependencies(silent, where=where) == []
        from_folder = dependencies(silent, where=where, archives=tmp_path / "b")
    assert {(e.kind, e.target) for e in from_folder if e.integration == record["id"]} == wanted


class _Silent(httpx.HTTPTransport):
    """The emulator over its socket, with ``dependencies`` taken out of every answer."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if "json" not in response.headers.get("content-type", ""):
            return response
        body = json.loads(response.read())
        for item in body.get("items", [body]):
            item.pop("dependencies", None)
        return httpx.Response(response.status_code, json=body, request=request)
