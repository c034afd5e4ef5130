"""List pages are joined from each item's cached JSON: same bytes, and never stale."""

from __future__ import annotations

import json
from typing import Any

import pytest

from oic_magic.emulator import Emulator

from .conftest import Api


def _encoded(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("connections", {}),
        ("connections", {"expand": "adapter", "offset": "250"}),
        ("connections", {"q": "{status:'INPROGRESS'}", "orderBy": "time"}),
        ("integrations", {"expand": "connection.adapter"}),
        ("lookups", {"expand": "adapter"}),
        ("packages", {}),
        ("projects", {"limit": "2"}),
    ],
)
def test_a_page_is_the_bytes_of_its_envelope(
    emu: Emulator, api: Api, kind: str, query: dict[str, str]
) -> None:
    """A page sent over HTTP is exactly the compact JSON of the same listing, twice in a row."""
    expected = _encoded(emu.backend.resources.listing(kind, query))
    assert api.get(kind, **query).content == expected
    assert api.get(kind, **query).content == expected


def test_a_patched_connection_is_listed_as_it_now_is(api: Api) -> None:
    """A PATCH after a page was served shows in the next page (description, lastUpdated)."""
    before = next(i for i in api.get("connections").json()["items"] if not i["lockedFlag"])
    assert api.patch(f"connections/{before['id']}", {"description": "moved"}).status_code == 200
    after = api.get("connections", q=f"{{id:'{before['id']}'}}").json()["items"][0]
    assert after["description"] == "moved" and after["lastUpdated"] >= before["lastUpdated"]


def test_a_deactivation_changes_the_usage_of_its_connections(api: Api) -> None:
    """Deactivating an integration lowers usageActive of every connection it uses."""
    integration = api.get("integrations", q="{status:'ACTIVATED'}").json()["items"][0]
    ids = [c["id"] for c in integration["dependencies"]["connections"]]
    usage = {i: _connection(api, i)["usageActive"] for i in ids}  # now cached
    api.patch(f"integrations/{integration['id']}", {"status": "CONFIGURED"})
    assert [_connection(api, i)["usageActive"] for i in ids] == [usage[i] - 1 for i in ids]


def test_a_finished_activation_is_listed(emu: Emulator, api: Api) -> None:
    """An activation that completes on the emulator clock shows as ACTIVATED in the list."""
    ident = api.get("integrations", q="{status:'CONFIGURED'}").json()["items"][0]["id"]
    api.patch(f"integrations/{ident}", {"status": "ACTIVATED"})
    assert _integration(api, ident)["status"] == "ACTIVATION_INPROGRESS"
    emu.control.advance_clock(3)
    assert _integration(api, ident)["status"] == "ACTIVATED"


def test_a_reseed_lists_the_new_data(emu: Emulator, api: Api) -> None:
    """After a reseed the pages come from the new data set, not the old one's cache."""
    first = api.get("connections").content
    emu.control.reseed(7)
    assert api.get("connections").content != first
    assert api.get("connections").content == _encoded(
        emu.backend.resources.listing("connections", {})
    )


def _connection(api: Api, ident: str) -> dict[str, Any]:
    return dict(api.get("connections", q=f"{{id:'{ident}'}}").json()["items"][0])


def _integration(api: Api, ident: str) -> dict[str, Any]:
    code = ident.split("|")[0]
    items = api.get("integrations", q=f"{{code:'{code}'}}").json()["items"]
    return dict(next(i for i in items if i["id"] == ident))
