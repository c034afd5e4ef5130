"""The emulator's lifecycle: archives that are real zips, imports, jobs, connection tests."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import httpx

from oic_magic.emulator import Emulator
from oic_magic.emulator._data import Dataset

from .conftest import Api, token_for


def _data(emu: Emulator) -> Dataset:
    return emu.backend.resources.data


def _upload(api: Api, method: str, path: str, name: str, body: bytes) -> httpx.Response:
    return api.call(method, path, files={"file": (name, body, "application/octet-stream")})


def _renamed(archive: bytes, code: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info).replace(code.encode(), new.encode())
            target.writestr(info.filename.replace(code, new), body)
    return out.getvalue()


def _unlocked(emu: Emulator, status: str = "ACTIVATED") -> dict[str, Any]:
    return next(
        r
        for _, r in sorted(_data(emu).integrations.items())
        if r["status"] == status and not r["lockedFlag"] and r["dependencies"]["connections"]
    )


def test_an_iar_is_a_zip_with_a_manifest_and_its_dependencies(api: Api, emu: Emulator) -> None:
    record = _unlocked(emu)
    raw = api.get(f"integrations/{record['id']}/archive").content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = archive.namelist()
        manifest = archive.read("META-INF/MANIFEST.MF").decode()
    assert f"Integration-Code: {record['code']}" in manifest
    wanted = {
        f"icspackage/appinstances/{d['id']}.xml" for d in record["dependencies"]["connections"]
    }
    assert wanted <= set(names)
    assert raw == api.get(f"integrations/{record['id']}/archive").content  # deterministic


def test_a_locked_integration_is_not_exported(api: Api, emu: Emulator) -> None:
    locked = next(r for r in _data(emu).integrations.values() if r["lockedFlag"])
    assert api.get(f"integrations/{locked['id']}/archive").status_code == 423


def test_import_adds_then_409_replace_needs_it_inactive_and_keeps_the_bytes(
    api: Api, emu: Emulator
) -> None:
    record = _unlocked(emu)
    raw = api.get(f"integrations/{record['id']}/archive").content
    copy = _renamed(raw, record["code"], "PROMOTED_FLOW")
    ident = f"PROMOTED_FLOW|{record['version']}"
    assert _upload(api, "PUT", "integrations/archive", "p.iar", copy).status_code == 404
    assert _upload(api, "POST", "integrations/archive", "p.iar", copy).status_code == 204
    assert _upload(api, "POST", "integrations/archive", "p.iar", copy).status_code == 409
    assert api.get(f"integrations/{ident}/archive").content == copy
    imported = api.get(f"integrations/{ident}").json()
    assert imported["dependencies"]["connections"] == [
        {"id": d["id"]}
        for d in sorted(record["dependencies"]["connections"], key=lambda d: d["id"])
    ]
    assert _upload(api, "PUT", "integrations/archive", "p.iar", copy).status_code == 204
    active = _renamed(raw, "NEVER", "NEVER")  # the original, still ACTIVATED
    assert _upload(api, "PUT", "integrations/archive", "a.iar", active).status_code == 409


def test_an_empty_or_foreign_file_is_refused(api: Api) -> None:
    assert _upload(api, "POST", "integrations/archive", "e.iar", b"").status_code == 400
    assert _upload(api, "POST", "integrations/archive", "n.iar", b"not a zip").status_code == 400


def test_async_import_is_a_job_that_makes_the_integration_appear(api: Api, emu: Emulator) -> None:
    emu.control.set_async_imports(True, seconds=30)
    record = _unlocked(emu)
    copy = _renamed(
        api.get(f"integrations/{record['id']}/archive").content, record["code"], "JOB_FLOW"
    )
    answer = _upload(api, "POST", "integrations/archive", "j.iar", copy)
    assert answer.status_code == 202
    job_path = answer.headers["location"].split("/v1/", 1)[1]
    assert api.get(job_path).json()["status"] == "IN_PROGRESS"
    assert api.get(f"integrations/JOB_FLOW|{record['version']}").status_code == 404
    emu.control.advance_clock(31)
    done = api.get(job_path).json()
    assert done["status"] == "COMPLETED" and "JOB_FLOW%7C" in done["location"]
    assert api.get(f"integrations/JOB_FLOW|{record['version']}").status_code == 200
    again = _upload(api, "POST", "integrations/archive", "j.iar", copy)
    emu.control.advance_clock(31)
    failed = api.get(again.headers["location"].split("/v1/", 1)[1]).json()
    assert failed["status"] == "FAILED" and "already exists" in failed["details"]


def test_lookup_csv_round_trip(api: Api, emu: Emulator) -> None:
    name = sorted(_data(emu).lookups)[0]
    csv = api.get(f"lookups/{name}/archive").content
    assert _upload(api, "POST", "lookups/archive", f"{name}.csv", csv).status_code == 409
    assert _upload(api, "POST", "lookups/archive", "COPY_OF_IT.csv", csv).status_code == 204
    assert api.get("lookups/COPY_OF_IT/archive").content == csv
    changed = csv + b"extra,row\n"
    assert _upload(api, "PUT", "lookups/archive", "COPY_OF_IT.csv", changed).status_code == 204
    assert api.get("lookups/COPY_OF_IT/archive").content == changed
    assert _upload(api, "POST", "lookups/archive", "BAD.csv", b"one\n").status_code == 400


def test_project_archive_round_trip_through_a_job(api: Api, emu: Emulator) -> None:
    project = sorted(_data(emu).projects)[0]
    car = api.call("POST", f"projects/{project}/archive", json={"type": "DEVELOPED"}).content
    with zipfile.ZipFile(io.BytesIO(car)) as archive:
        assert "project.json" in archive.namelist()
    with Emulator(seed=3, connections=20, instance="oic-other") as target:
        other = Api(target, api.http, token_for(target))
        answer = _upload(other, "POST", "projects/archive", f"{project}.car", car)
        assert answer.status_code == 202
        target.control.advance_clock(5)
        job = other.get(answer.headers["location"].split("/v1/", 1)[1]).json()
        assert job["status"] == "COMPLETED"
        assert other.get(f"projects/{project}").status_code == 200
        members = _data(emu).projects[project]["_integrations"]
        unlocked = [i for i in members if not _data(emu).integrations[i]["lockedFlag"]]
        assert set(unlocked) <= set(_data(target).integrations)


def _hash_fails(ident: str) -> bool:
    return hashlib.sha256(ident.encode()).digest()[0] % 9 == 0


def test_connection_tests_answer_each_outcome(api: Api, emu: Emulator) -> None:
    conns = sorted(_data(emu).connections.values(), key=lambda c: c["id"])
    configured = [c for c in conns if c["status"] == "CONFIGURED" and not c["lockedFlag"]]
    ok = next(c for c in configured if not _hash_fails(c["id"]))
    bad = next(c for c in configured if _hash_fails(c["id"]))
    draft = next(c for c in conns if c["status"] != "CONFIGURED" and not c["lockedFlag"])
    locked = next(c for c in conns if c["lockedFlag"])
    assert api.call("POST", f"connections/{ok['id']}/test").json()["status"] == "SUCCESS"
    failed = api.call("POST", f"connections/{bad['id']}/test").json()
    assert failed["status"] == "FAILED" and "Connection timed out" in failed["details"]
    assert api.call("POST", f"connections/{draft['id']}/test").status_code == 409
    assert api.call("POST", f"connections/{locked['id']}/test").status_code == 412


def test_the_control_api_lists_what_was_planted(http: httpx.Client) -> None:
    with Emulator(seed=5, connections=20, instance="oic-prod", variant="prod") as prod:
        answer = http.get(f"{prod.design_url}/_emulator/planted").json()
        assert answer["items"] == prod.control.planted() and len(answer["items"]) == 7
        turned = http.post(f"{prod.design_url}/_emulator/async-imports", json={"seconds": 2})
        assert turned.status_code == 200 and prod.backend.lifecycle.async_imports
