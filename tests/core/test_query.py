"""Paths, ids, methods and q filters as OIC expects them."""

from __future__ import annotations

import pytest

from oic_magic.core._query import (
    api_path,
    build_q,
    is_monitoring,
    merge_q,
    route,
    split_path,
)
from oic_magic.core._urls import split_origin


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
        "POST",
        {"X-HTTP-Method-Override": "PATCH"},
        False,
    )
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


def test_paths_with_and_without_slashes() -> None:
    """ic/... without its slash is kept, not prefixed again; a trailing slash is dropped."""
    assert api_path("ic/api/integration/v1/connections") == "/ic/api/integration/v1/connections"
    assert api_path("connections/") == "/ic/api/integration/v1/connections"
    assert api_path(" /connections/A|1/ ") == "/ic/api/integration/v1/connections/A%7C1"
    assert api_path("/ic/api/other/") == "/ic/api/other"
    assert route("GET", "connections/?limit=2", instance=None).path.endswith("/connections")


def test_split_origin_of_a_full_url() -> None:
    """A full URL gives its origin (no credentials, no default port) and path with query."""
    assert split_origin("HTTPS://ada:pw@Design.Example.com:443/ic/api/x?q={a:'1'}") == (
        "https://design.example.com",
        "/ic/api/x?q={a:'1'}",
    )
    assert split_origin("http://127.0.0.1:8001") == ("http://127.0.0.1:8001", "/")
    assert split_origin("connections?limit=1") == (None, "connections?limit=1")
    with pytest.raises(ValueError, match="port"):
        split_origin("https://host:http/ic/api")


def test_route_sends_one_q() -> None:
    """A q in the path and one in params become one object, in the first one's place."""
    r = route(
        "GET",
        "connections?q={status:'CONFIGURED'}&orderBy=name",
        instance="inst",
        params=[("q", "{name:/Bank/}")],
    )
    assert r.params == [
        ("q", "{status:'CONFIGURED', name:/Bank/}"),
        ("orderBy", "name"),
        ("integrationInstance", "inst"),
    ]
    assert route("GET", "connections?q=anything", instance=None).params == [("q", "anything")]


def test_merge_q_keeps_each_term_as_written() -> None:
    """Escaped quotes and slashes, double-quoted monitoring values and spacing survive."""
    merged = merge_q(
        ["{ name:'O\\'Brien' , path:/a\\/b/ }", "{}", "{primaryValue:'\"two words\"'}"]
    )
    assert merged == "{name:'O\\'Brien', path:/a\\/b/, primaryValue:'\"two words\"'}"


@pytest.mark.parametrize(
    "text",
    [
        "Bank",
        "{status:CONFIGURED}",
        "{status:'A'",
        "{status:'A' name:'B'}",
        "{:'A'}",
        "{status:'A',}x",
    ],
)
def test_merge_q_refuses_what_is_not_an_object(text: str) -> None:
    """A q that is not a {key:'value'} object cannot be merged: write the filter one way."""
    with pytest.raises(ValueError, match="Write the filter one way"):
        merge_q([text, "{name:/Bank/}"])


def test_a_key_twice_is_refused() -> None:
    """One value per key: the repeated key and both of its terms are named."""
    with pytest.raises(
        ValueError,
        match=r"'status' twice \(status:'ACTIVATED' and "
        r"status:'CONFIGURED'\)",
    ):
        build_q(["status=ACTIVATED", "status=CONFIGURED"])
    with pytest.raises(ValueError, match="'name' twice"):
        merge_q(["{name:'A'}", "{name:/B/}"])
    with pytest.raises(ValueError, match="one call per value"):
        route("GET", "connections?q={status:'A'}", instance=None, params=[("q", "{status:'B'}")])


@pytest.mark.parametrize(("path", "params"), [
    ("connections?q={name:/C++/}", [("q", "{name:/C++/}")]),
    ("connections?q={name:'A&B'}&orderBy=name", [("q", "{name:'A&B'}"), ("orderBy", "name")]),
    ("connections?q={name:'A#B'}", [("q", "{name:'A#B'}")]),
    ("x?a=1&b=%7C&c", [("a", "1"), ("b", "|"), ("c", "")]),
    ("connections?", []),
])  # fmt: skip
def test_a_query_is_read_as_typed(path: str, params: list[tuple[str, str]]) -> None:
    """+ stays a plus; & and # inside a {...} filter belong to it; %XX is decoded."""
    assert split_path(path) == (path.partition("?")[0], params)
