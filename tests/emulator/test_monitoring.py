"""Monitoring endpoints: time windows, caps, errors, summaries."""

from __future__ import annotations

import pytest

from oic_magic.emulator import Emulator

from .conftest import Api, token_for


def test_instances_envelope_uses_total_records_count(api: Api) -> None:
    """monitoring/instances answers totalRecordsCount, not totalResults."""
    body = api.get("monitoring/instances", q="{timewindow:'3d'}").json()
    assert "totalRecordsCount" in body and "totalResults" not in body
    assert len(body["items"]) == 50 and body["hasMore"] is True


def test_time_window_widens_the_result(api: Api) -> None:
    """A wider timewindow holds more instances."""
    counts = [
        api.get("monitoring/instances", q=f"{{timewindow:'{w}'}}").json()["totalRecordsCount"]
        for w in ("1h", "1d", "3d", "RETENTIONPERIOD")
    ]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_failure_rate_is_realistic(api: Api) -> None:
    """Some but few instances of the last days failed."""
    total = api.get("monitoring/instances", q="{timewindow:'3d'}").json()["totalRecordsCount"]
    failed = api.get("monitoring/instances", q="{timewindow:'3d', status:'FAILED'}").json()
    assert all(i["status"] == "FAILED" for i in failed["items"])
    assert 0 < failed["totalRecordsCount"] < total * 0.25


def test_limit_above_50_is_400(api: Api) -> None:
    """Monitoring refuses limit > 50."""
    assert api.get("monitoring/instances", limit=51).status_code == 400


def test_offset_above_500_is_400(api: Api) -> None:
    """Monitoring refuses offset > 500."""
    assert api.get("monitoring/instances", offset=501).status_code == 400
    assert api.get("monitoring/instances", offset=500).status_code == 200


def test_monitoring_caps_can_be_lifted() -> None:
    """Emulator(monitoring_caps=False) serves larger limits and offsets."""
    with Emulator(connections=50, monitoring_caps=False) as emu:
        import httpx

        from .conftest import API

        response = httpx.get(
            f"{emu.design_url}{API}/monitoring/instances",
            params={
                "integrationInstance": emu.instance,
                "limit": 200,
                "offset": 10,
                "q": "{timewindow:'RETENTIONPERIOD'}",
            },
            headers={"Authorization": f"Bearer {token_for(emu)}"},
        )
        assert response.status_code == 200 and len(response.json()["items"]) == 200


@pytest.mark.parametrize(
    "order,field", [("creationdate", "creationDate"), ("lastupdateddate", "lastTrackedTime")]
)
def test_monitoring_order_by(api: Api, order: str, field: str) -> None:
    """orderBy sorts monitoring instances newest first."""
    items = api.get("monitoring/instances", orderBy=order, q="{timewindow:'1d'}").json()["items"]
    assert [i[field] for i in items] == sorted((i[field] for i in items), reverse=True)


def test_instance_by_id_and_404(api: Api) -> None:
    """monitoring/instances/{id} answers the instance; an unknown id 404."""
    first = api.get("monitoring/instances", q="{timewindow:'1d'}").json()["items"][0]
    assert api.get(f"monitoring/instances/{first['id']}").json()["id"] == first["id"]
    assert api.get("monitoring/instances/nope").status_code == 404


def test_errors_and_resubmit(api: Api) -> None:
    """monitoring/errors lists failures with messages; a recoverable one can be resubmitted."""
    errors = api.get("monitoring/errors", q="{timewindow:'RETENTIONPERIOD'}").json()
    assert errors["items"] and all(e["errorMessage"] for e in errors["items"])
    recoverable = next(e for e in errors["items"] if e["recoverable"])
    response = api.call("POST", f"monitoring/errors/{recoverable['id']}/resubmit")
    assert response.status_code == 202 and response.json()["status"] == "RESUBMITTED"
    assert response.json()["recovery-job-id"]


def test_integration_summaries(api: Api) -> None:
    """monitoring/integrations answers message counts per integration version."""
    body = api.get("monitoring/integrations", q="{timewindow:'3d'}").json()
    item = body["items"][0]
    assert item["noOfMsgsReceived"] == (
        item["noOfSuccess"]
        + item["noOfErrors"]
        + item["noOfAborted"]
        + item["noOfMsgsReceived"]
        - item["noOfMsgsProcessed"]
    )
    assert "|" in item["id"] and body["totalRecordsCount"] > 0


def test_bad_time_window_is_400(api: Api) -> None:
    """An unknown timewindow answers 400."""
    assert api.get("monitoring/instances", q="{timewindow:'5y'}").status_code == 400
