"""The emulator's recovery (resubmit, discard, recovery jobs) and activity streams, over HTTP."""

from __future__ import annotations

from typing import Any

from .conftest import Api, token_for

DAY = 86400.0


def _errors(api: Api, window: str = "RETENTIONPERIOD") -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        body = api.get("monitoring/errors", q=f"{{timewindow:'{window}'}}", offset=offset).json()
        items += body["items"]
        if not body["hasMore"] or offset >= 500:
            return items
        offset += 50


def _follow(api: Api, href: str) -> Any:
    return api.http.get(
        href,
        params={"integrationInstance": api.emu.instance},
        headers={"Authorization": f"Bearer {api.token}"},
    )


def test_resubmit_by_ids_sorts_them_and_starts_a_job(api: Api) -> None:
    errors = _errors(api)
    good = [e["id"] for e in errors if e["recoverable"]][:3]
    bad = [e["id"] for e in errors if not e["recoverable"]][:1]
    completed = next(r["id"] for r in api.emu.backend.data.instances if r["status"] == "COMPLETED")
    answer = api.call(
        "POST", "monitoring/errors/resubmit", json={"ids": [*good, *bad, completed, "nope"]}
    )
    assert answer.status_code == 202
    body = answer.json()
    assert body["accepted-ids"] == good and body["non-recoverable-ids"] == bad
    assert body["invalid-ids"] == [completed, "nope"]
    assert body["resubmitted-instances-count"] == 3
    job = body["recovery-job-id"]
    one = api.get("monitoring/errors/recoveryJobs", q=f"{{primaryValue:'{job}'}}").json()
    assert [j["status"] for j in one["items"]] == ["IN_PROGRESS"]
    api.emu.control.advance_clock(10)
    done = api.get(f"monitoring/errors/recoveryJobs/{job}").json()
    assert done["status"] == "COMPLETED" and done["totalCount"] == 3
    assert done["succeededCount"] + done["failedCount"] == 3
    statuses = {api.emu.backend.data.instance_index[i]["status"] for i in good}
    assert statuses <= {"COMPLETED", "FAILED"}
    recovered = [i for i in good if api.emu.backend.data.instance_index[i]["status"] == "COMPLETED"]
    assert len(recovered) == done["succeededCount"]


def test_more_than_fifty_ids_is_refused(api: Api) -> None:
    answer = api.call("POST", "monitoring/errors/resubmit", json={"ids": ["x"] * 51})
    assert answer.status_code == 400 and "at most 50" in answer.text


def test_resubmit_by_integration_and_by_connection(api: Api) -> None:
    errors = [e for e in _errors(api, "1d") if e["recoverable"]]
    first = errors[0]
    same = [
        e["id"] for e in errors if (e["code"], e["version"]) == (first["code"], first["version"])
    ]
    body = api.call(
        "POST",
        "monitoring/errors/resubmit",
        json={"flowCode": first["code"], "flowVersion": first["version"], "timewindow": "1d"},
    ).json()
    assert sorted(body["accepted-ids"]) == sorted(same)
    left = [
        e
        for e in _errors(api, "3d")
        if e["recoveryStatus"] == "NOT_RESUBMITTED" and e["recoverable"]
    ]
    conn = left[0]["connectionCode"]
    by_conn = api.call(
        "POST",
        "monitoring/errors/resubmit",
        json={"connectionCode": conn, "startDate": "2000-01-01 00:00:00"},
    ).json()
    assert left[0]["id"] in by_conn["accepted-ids"]


def test_discard_removes_errors(api: Api) -> None:
    ids = [e["id"] for e in _errors(api)][:4]
    body = api.call("POST", "monitoring/errors/discard", json={"ids": ids}).json()
    assert body["accepted-ids"] == ids and body["discarded-instances-count"] == 4
    assert not {e["id"] for e in _errors(api)} & set(ids)
    assert api.get(f"monitoring/errors/{ids[0]}").status_code == 404


def test_resubmit_one_that_is_not_recoverable_is_412(api: Api) -> None:
    bad = next(e["id"] for e in _errors(api) if not e["recoverable"])
    assert api.call("POST", f"monitoring/errors/{bad}/resubmit").status_code == 412


def test_activity_stream_tree_payload_and_retention(api: Api) -> None:
    error = _errors(api, "1d")[0]
    ident = error["id"]
    details = api.get(f"monitoring/instances/{ident}/activityStreamDetails").json()
    assert details["instanceId"] == ident
    kinds = [m["type"] for m in details["items"]]
    assert kinds[0] == "RECEIVE" and kinds[-1] == "FAULT"
    assert any(m.get("children") for m in details["items"])
    assert details["items"][-1]["isErrorMilestone"]
    links = [link["href"] for m in details["items"] for link in m["links"]]
    assert links
    payload = _follow(api, links[0])
    assert payload.status_code == 200 and payload.json()["instance"] == ident
    flat = api.get(f"monitoring/instances/{ident}/activityStream").json()
    assert len(flat["items"]) >= len(details["items"])
    api.emu.control.advance_clock(2 * DAY)
    api.token = token_for(api.emu)  # the clock moved past the token's hour
    later = api.get(f"monitoring/instances/{ident}/activityStreamDetails").json()
    assert not any(m["payloadExists"] for m in later["items"])
    gone = _follow(api, links[0])
    assert gone.status_code == 410 and "24 hours" in gone.text
    api.emu.control.advance_clock(32 * DAY)
    api.token = token_for(api.emu)
    purged = api.get(f"monitoring/instances/{ident}/activityStreamDetails")
    assert purged.status_code == 410 and "purged" in purged.text
