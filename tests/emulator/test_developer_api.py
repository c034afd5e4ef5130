"""Design-time Developer API: auth, instance, roles, lists, q, items, activation, archives."""

from __future__ import annotations

import io
import re
import zipfile

import httpx

from oic_magic.emulator import Emulator

from .conftest import API, Api, token_for

NOT_AUTHENTICATED = {
    "code": "NotAuthenticated",
    "message": "The required information to "
    "complete authentication was not provided or was incorrect.",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")


def test_missing_bearer_answers_not_authenticated(emu: Emulator, http: httpx.Client) -> None:
    """No Authorization header: 401 with OIC's NotAuthenticated body."""
    response = http.get(
        f"{emu.design_url}{API}/connections", params={"integrationInstance": emu.instance}
    )
    assert response.status_code == 401 and response.json() == NOT_AUTHENTICATED


def test_unknown_token_is_refused(api: Api) -> None:
    """A token this emulator never issued answers 401."""
    assert api.call("GET", "connections", token="a.b.c").status_code == 401


def test_expired_token_is_refused_after_clock_moves(emu: Emulator, api: Api) -> None:
    """Moving the emulator clock past the access lifetime makes the token answer 401."""
    assert api.get("connections").status_code == 200
    emu.control.advance_clock(3601)
    response = api.get("connections")
    assert response.status_code == 401 and response.json() == NOT_AUTHENTICATED


def test_revoked_tokens_are_refused(emu: Emulator, api: Api) -> None:
    """revoke_tokens makes every issued access token answer 401."""
    emu.control.revoke_tokens()
    assert api.get("connections").status_code == 401


def test_missing_integration_instance_is_400(api: Api) -> None:
    """A call without integrationInstance answers 400."""
    assert api.call("GET", "connections", instance=False).status_code == 400


def test_wrong_integration_instance_is_404(api: Api) -> None:
    """A call naming another instance answers 404 with a JSON body."""
    response = api.call("GET", "connections", params={"integrationInstance": "other"})
    assert response.status_code == 404 and "other" in response.json()["detail"]


def test_invoker_role_cannot_use_developer_api(emu: Emulator, api: Api) -> None:
    """A ServiceInvoker token answers 403 on the Developer API."""
    response = api.call("GET", "connections", token=token_for(emu, "alan.turing"))
    assert response.status_code == 403


def test_viewer_can_read_but_not_activate(emu: Emulator, api: Api) -> None:
    """A ServiceUser reads lists but activation answers 403."""
    viewer = token_for(emu, "grace.hopper")
    ident = api.get("integrations", q="{status:'CONFIGURED'}").json()["items"][0]["id"]
    assert api.call("GET", "integrations", token=viewer).status_code == 200
    refused = api.patch(f"integrations/{ident}", {"status": "ACTIVATED"}, token=viewer)
    assert refused.status_code == 403


def test_list_envelope_and_default_page(api: Api) -> None:
    """Lists answer items, hasMore, totalResults; the default page holds 100 items."""
    body = api.get("connections").json()
    assert len(body["items"]) == 100 and body["hasMore"] is True and body["totalResults"] == 300


def test_offset_and_limit_page_through_everything(api: Api) -> None:
    """offset/limit pages cover the whole list without duplicates."""
    ids = [
        i["id"]
        for off in range(0, 300, 100)
        for i in api.get("connections", offset=off, limit=100).json()["items"]
    ]
    assert len(ids) == len(set(ids)) == 300
    assert api.get("connections", offset=300).json()["hasMore"] is False


def test_limit_beyond_the_cap_is_clamped(api: Api) -> None:
    """A limit above the configured maximum returns at most the maximum."""
    assert len(api.get("connections", limit=500).json()["items"]) == 100


def test_negative_offset_is_400(api: Api) -> None:
    """A negative or non-numeric offset answers 400."""
    assert api.get("connections", offset=-1).status_code == 400
    assert api.get("connections", limit="ten").status_code == 400


def test_order_by_name(api: Api) -> None:
    """orderBy=name sorts by name."""
    names = [i["name"].lower() for i in api.get("connections", orderBy="name").json()["items"]]
    assert names == sorted(names)


def test_order_by_time_is_newest_first(api: Api) -> None:
    """orderBy=time sorts by lastUpdated, newest first."""
    stamps = [i["lastUpdated"] for i in api.get("integrations", orderBy="time").json()["items"]]
    assert stamps == sorted(stamps, reverse=True)


def test_unknown_order_by_is_400(api: Api) -> None:
    """An orderBy the resource does not know answers 400."""
    assert api.get("lookups", orderBy="time").status_code == 400


def test_q_exact_match(api: Api) -> None:
    """q {status:'CONFIGURED'} keeps only exact matches."""
    body = api.get("connections", q="{status:'CONFIGURED'}", limit=100).json()
    assert body["items"] and {i["status"] for i in body["items"]} == {"CONFIGURED"}
    assert body["totalResults"] < 300


def test_q_contains(api: Api) -> None:
    """q {name:/erp/} keeps names containing the text."""
    items = api.get("connections", q="{name:/erp/}").json()["items"]
    assert items and all("erp" in i["name"].lower() for i in items)


def test_q_and_of_two_keys(api: Api) -> None:
    """Comma-separated conditions must all hold."""
    items = api.get("connections", q="{type:'rest', status:'INPROGRESS'}").json()["items"]
    assert items and all(
        i["adapterType"]["name"] == "rest" and i["status"] == "INPROGRESS" for i in items
    )


def _import(api: Api, code: str, name: str) -> httpx.Response:
    """Import a one-file archive describing integration ``code`` named ``name``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            f"icspackage/project/{code}_01.00.0000/PROJECT-INF/project.xml",
            f'<project code="{code}" version="01.00.0000" name="{name}"/>',
        )
    files = {"file": (f"{code}.iar", buffer.getvalue(), "application/octet-stream")}
    return api.call("POST", "integrations/archive", files=files)


def test_q_escaped_quote(api: Api) -> None:
    """\\' inside a single-quoted value stands for a quote: {name:'O\\'Brien Flow'}."""
    assert _import(api, "OBRIEN_FLOW", "O'Brien Flow").status_code == 204
    items = api.get("integrations", q=r"{name:'O\'Brien Flow'}").json()["items"]
    assert [i["code"] for i in items] == ["OBRIEN_FLOW"]


def test_malformed_q_is_400(api: Api) -> None:
    """A q that is not OIC's object syntax answers 400 with a JSON body."""
    for bad in ("status:'X'", "{status:X}", "{status:'X'", "{status:'X' name:'Y'}"):
        response = api.get("connections", q=bad)
        assert response.status_code == 400 and response.json()["status"] == 400


def test_unknown_q_key_is_400(api: Api) -> None:
    """A q key the resource does not know answers 400."""
    assert api.get("connections", q="{colour:'red'}").status_code == 400


def test_connection_fields_and_timestamps(api: Api) -> None:
    """Connections carry OIC's fields, adapter types and timestamp format."""
    item = api.get("connections").json()["items"][0]
    assert set(item["adapterType"]) == {"name", "displayName", "type"}
    assert TIMESTAMP.match(item["created"]) and TIMESTAMP.match(item["lastUpdated"])
    assert {"role", "securityPolicy", "lockedFlag", "usage", "usageActive", "links"} <= set(item)


def test_connection_secrets_are_masked(emu: Emulator, api: Api) -> None:
    """Password-type properties never echo their value."""
    secrets = set(emu.backend.data.secrets.values())
    for offset in (0, 100, 200):
        text = api.get("connections", offset=offset).text
        assert not any(s in text for s in secrets)
    item = api.get("connections").json()["items"][0]
    assert all(
        p["propertyValue"] == "********"
        for p in item["securityProperties"]
        if p["propertyType"] == "PASSWORD"
    )


def test_usage_counts_match_integration_dependencies(emu: Emulator, api: Api) -> None:
    """usage counts integrations depending on a connection; usageActive the activated ones."""
    for item in api.get("connections").json()["items"][:20]:
        users = [
            r
            for r in emu.backend.data.integrations.values()
            if any(d["id"] == item["id"] for d in r["dependencies"]["connections"])
        ]
        assert item["usage"] == len(users)
        assert item["usageActive"] == sum(r["status"] == "ACTIVATED" for r in users)


def test_expand_adapter_on_connection(api: Api) -> None:
    """expand=adapter adds the adapter's details."""
    item = api.get("connections", expand="adapter").json()["items"][0]
    assert item["adapter"]["name"] == item["adapterType"]["name"]
    assert "adapter" not in api.get("connections").json()["items"][0]


def test_expand_connection_on_integration(api: Api) -> None:
    """expand=connection fills integration dependencies with connection summaries."""
    item = api.get("integrations", expand="connection").json()["items"][0]
    assert all("adapterType" in c for c in item["dependencies"]["connections"])


def test_unknown_connection_is_404_json(api: Api) -> None:
    """An unknown connection id answers 404 with a JSON body."""
    response = api.get("connections/NO_SUCH")
    assert response.status_code == 404 and "NO_SUCH" in response.json()["detail"]


def test_unknown_path_is_404_json(api: Api) -> None:
    """An unknown resource path answers 404 with a JSON body."""
    response = api.get("nothing/here")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_connection_test_succeeds_for_configured(api: Api) -> None:
    """POST connections/{id}/test answers SUCCESS for a configured connection."""
    ident = api.get("connections", q="{status:'CONFIGURED'}").json()["items"][0]["id"]
    body = api.call("POST", f"connections/{ident}/test").json()
    assert body == {"status": "SUCCESS", "id": ident, "details": body["details"]}


def test_connection_test_of_draft_is_409(api: Api) -> None:
    """Testing a draft connection answers 409."""
    ident = api.get("connections", q="{status:'INPROGRESS'}").json()["items"][0]["id"]
    assert api.call("POST", f"connections/{ident}/test").status_code == 409


def test_connection_update_keeps_secret_hidden(emu: Emulator, api: Api) -> None:
    """PATCH updates a connection; a new password is stored but never echoed."""
    item = next(
        i
        for i in api.get("connections").json()["items"]
        if not i["lockedFlag"] and i["securityProperties"]
    )
    name = item["securityProperties"][1]["propertyName"]
    response = api.patch(
        f"connections/{item['id']}",
        {
            "description": "rotated",
            "securityProperties": [{"propertyName": name, "propertyValue": "N3w-Secret-Value"}],
        },
    )
    assert response.status_code == 200 and response.json()["description"] == "rotated"
    assert "N3w-Secret-Value" not in response.text
    assert emu.backend.data.secrets[(item["id"], name)] == "N3w-Secret-Value"


def test_integration_id_encoded_with_pipe(api: Api) -> None:
    """integrations/CODE%7CVERSION answers that version."""
    ident = api.get("integrations").json()["items"][0]["id"]
    code, version = ident.split("|")
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", version)
    assert api.get(f"integrations/{code}%7C{version}").json()["id"] == ident


def test_codes_have_several_versions(emu: Emulator) -> None:
    """Some integration codes come in several versions."""
    codes = [r["code"] for r in emu.backend.data.integrations.values()]
    assert len(codes) > len(set(codes))


def test_activation_is_asynchronous(emu: Emulator, api: Api) -> None:
    """Activation answers ACTIVATION_INPROGRESS, then ACTIVATED after the delay."""
    ident = api.get("integrations", q="{status:'CONFIGURED'}").json()["items"][0]["id"]
    answer = api.patch(f"integrations/{ident.replace('|', '%7C')}", {"status": "ACTIVATED"})
    assert answer.json()["status"] == "ACTIVATION_INPROGRESS"
    status = api.get(f"integrations/{ident}/activationStatus").json()
    assert status["activationStatus"] == "ACTIVATION_INPROGRESS"
    emu.control.advance_clock(2.5)
    assert api.get(f"integrations/{ident}/activationStatus").json() == {
        "activationStatus": "ACTIVATED"
    }


def test_activation_deactivates_same_major_version(emu: Emulator, api: Api) -> None:
    """Activating 01.00.000x deactivates the other active 01.00 version of the code."""
    data = emu.backend.data.integrations
    active = next(
        r
        for r in data.values()
        if r["status"] == "ACTIVATED"
        and any(
            o["code"] == r["code"]
            and o["id"] != r["id"]
            and o["version"][:2] == r["version"][:2]
            and o["status"] == "CONFIGURED"
            for o in data.values()
        )
    )
    other = next(
        o
        for o in data.values()
        if o["code"] == active["code"]
        and o["id"] != active["id"]
        and o["version"][:2] == active["version"][:2]
    )
    api.patch(f"integrations/{other['id']}", {"status": "ACTIVATED"})
    emu.control.advance_clock(3)
    assert api.get(f"integrations/{active['id']}").json()["status"] == "CONFIGURED"
    assert api.get(f"integrations/{other['id']}").json()["status"] == "ACTIVATED"


def test_deactivation(api: Api) -> None:
    """PATCH status CONFIGURED deactivates at once."""
    ident = api.get("integrations", q="{status:'ACTIVATED'}").json()["items"][0]["id"]
    api.patch(f"integrations/{ident}", {"status": "CONFIGURED"})
    assert api.get(f"integrations/{ident}").json()["status"] == "CONFIGURED"


def test_activating_a_draft_is_refused(api: Api) -> None:
    """A draft (INPROGRESS) integration cannot be activated."""
    ident = api.get("integrations", q="{status:'INPROGRESS'}").json()["items"][0]["id"]
    assert api.patch(f"integrations/{ident}", {"status": "ACTIVATED"}).status_code == 412


def test_archive_export_is_iar_bytes(api: Api) -> None:
    """GET integrations/{id}/archive answers a zip archive as octet-stream."""
    ident = api.get("integrations").json()["items"][0]["id"]
    response = api.get(f"integrations/{ident}/archive")
    assert response.headers["content-type"] == "application/octet-stream"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert any(n.endswith("project.xml") for n in archive.namelist())


def test_archive_import_creates_and_then_conflicts(api: Api) -> None:
    """Importing a renamed archive answers 204 + Location; importing it again 409."""
    ident = api.get("integrations").json()["items"][0]["id"]
    code, version = ident.split("|")
    raw = api.get(f"integrations/{ident}/archive").content
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        name = archive.namelist()[0]
        text = archive.read(name).decode().replace(f'code="{code}"', 'code="IMPORTED_FLOW"')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    files = {"file": ("IMPORTED.iar", buffer.getvalue(), "application/octet-stream")}
    first = api.call("POST", "integrations/archive", files=files)
    assert first.status_code == 204 and "IMPORTED_FLOW%7C" in first.headers["location"]
    assert api.get(f"integrations/IMPORTED_FLOW|{version}").status_code == 200
    assert api.call("POST", "integrations/archive", files=files).status_code == 409


def test_lookups_list_item_and_csv(api: Api) -> None:
    """Lookups list, by name with rows, and as CSV."""
    name = api.get("lookups").json()["items"][0]["name"]
    detail = api.get(f"lookups/{name}").json()
    assert detail["rows"] and detail["rowCount"] == len(detail["rows"])
    csv = api.get(f"lookups/{name}/archive")
    assert csv.headers["content-type"] == "text/csv"
    assert csv.text.splitlines()[0] == ",".join(detail["columns"])


def test_packages_list_and_item(api: Api) -> None:
    """Packages list and item by name, with their integrations."""
    body = api.get("packages").json()
    item = api.get(f"packages/{body['items'][0]['name']}").json()
    assert body["totalResults"] >= 5 and item["integrations"]


def test_projects_and_their_members(api: Api) -> None:
    """Projects list, item, and project-scoped integrations and connections."""
    project = api.get("projects").json()["items"][0]
    assert api.get(f"projects/{project['id']}").json()["id"] == project["id"]
    integrations = api.get(f"projects/{project['id']}/integrations").json()
    connections = api.get(f"projects/{project['id']}/connections").json()
    assert integrations["totalResults"] >= 2 and connections["totalResults"] >= 1
    assert set(project) >= {"code", "id", "name", "state", "type"}
    assert {"created", "updated", "latest"} <= set(project["state"])
    assert project["state"]["status"] in ("ACTIVE", "CONFIGURED", "DRAFT")
    assert "limit" not in integrations and "offset" not in integrations


def test_wrong_method_is_405(api: Api) -> None:
    """A DELETE on a list answers 405."""
    assert api.call("DELETE", "connections").status_code == 405
