"""Paths, ids, methods and q filters as OIC expects them."""

from __future__ import annotations

import pytest

from oic_magic._query import api_path, build_q, is_monitoring, route


def test_relative_and_absolute_paths() -> None:
    """Short paths join the Developer API prefix; /ic/ paths are kept."""
    assert api_path("connections") == "/ic/api/integration/v1/connections"
    assert api_path("/connections/X") == "/ic/api/integration/v1/connections/X"
    assert api_path("/ic/api/other") == "/ic/api/other"


def test_integration_id_encoded() -> None:
    """A raw | in an integration id is sent as %7C."""
    assert api_path("integrations/HELLO|01.00.0000/archive").endswith("HELLO%7C01.00.0000/archive")


def test_route_adds_instance_unless_given() -> None:
    """integrationInstance is added once, and a query written in the path is kept."""
    r = route("get", "integrations?orderBy=name", instance="inst")
    assert r.params == [("orderBy", "name"), ("integrationInstance", "inst")]
    r = route("GET", "connections?integrationInstance=other", instance="inst")
    assert r.params == [("integrationInstance", "other")]


def test_patch_becomes_post_with_override() -> None:
    """PATCH is sent as POST with the override header, and is not idempotent."""
    r = route("PATCH", "connections/X", instance=None)
    assert (r.wire_method, r.headers, r.idempotent) == (
        "POST", {"X-HTTP-Method-Override": "PATCH"}, False)
    assert route("GET", "x", instance=None).idempotent


def test_q_quoting() -> None:
    """Exact and contains matches use OIC's quoting, not JSON."""
    assert build_q(["status=CONFIGURED", "name~ERP_"]) == "{status:'CONFIGURED', name:/ERP_/}"
    assert build_q(["name=O'Brien"]) == "{name:'O\\'Brien'}"
    assert build_q(["primaryValue=two words"], monitoring=True) == "{primaryValue:'\"two words\"'}"


def test_bad_condition() -> None:
    """A condition without = or ~ is refused with the syntax to use."""
    with pytest.raises(ValueError, match="key=value"):
        build_q(["status"])


def test_monitoring_detected() -> None:
    """Monitoring paths are recognised for their paging caps."""
    assert is_monitoring("monitoring/instances") and not is_monitoring("connections")
