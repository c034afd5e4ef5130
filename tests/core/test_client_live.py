"""Redirects, injected faults and complete paging against the emulator over real sockets."""

from __future__ import annotations

import io
import random
import zipfile
from typing import Any

import pytest
from _emulated import api_requests, demo_settings

from oic_magic import (
    APIStatusError,
    ListChangedError,
    OICClient,
    RedirectError,
    ResponseFormatError,
    TransportError,
)
from oic_magic.emulator import Emulator


def _client(emu: Emulator, sleeps: list[float] | None = None, **changes: Any) -> OICClient:
    return OICClient.sign_in(
        demo_settings(emu, **changes),
        rng=random.Random(7),
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
    )


def test_runtime_url_followed_with_token(emu: Emulator) -> None:
    """A runtime-URL call succeeds through the 307, the token re-attached on the design host;
    the calls after it go to the design host directly."""
    with _client(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(emu.design_url,)
    ) as client:
        listing = client.paginate("connections")
        client.get("integrations", params={"limit": 1})
    assert len(listing) == listing.total == 300
    runtime, design = api_requests(emu, "runtime"), api_requests(emu, "design")
    assert [e["status"] for e in runtime] == [307]  # one redirect, then the design host
    assert len(design) == listing.pages + 1
    assert all(e["authorization"] and e["status"] == 200 for e in design)


def test_design_host_not_learned_from_a_redirect_that_changes_the_path(emu: Emulator) -> None:
    """Only one 307 that keeps the path teaches the client where the design host is."""
    emu.control.redirect_runtime("design", 302)
    with _client(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(emu.design_url,)
    ) as client:
        client.get("connections", params={"limit": 1})
        client.get("connections", params={"limit": 1})
    assert [e["status"] for e in api_requests(emu, "runtime")] == [302, 302]


def test_untrusted_loopback_origin_refused(emu: Emulator) -> None:
    """On loopback only configured origins are trusted: an unknown port gets nothing."""
    with (
        _client(emu, design_url=None, runtime_url=emu.runtime_url) as client,
        pytest.raises(RedirectError, match="not a trusted OIC host"),
    ):
        client.get("connections")
    assert api_requests(emu, "design") == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_to_foreign_origin_gets_no_token(emu: Emulator, status: int) -> None:
    """A redirect to the foreign origin is refused: it never receives Authorization."""
    emu.control.redirect_runtime("foreign", status)
    with _client(
        emu, design_url=None, runtime_url=emu.runtime_url, trusted_hosts=(emu.design_url,)
    ) as client:
        with pytest.raises(RedirectError):
            client.get("connections")
        with pytest.raises(RedirectError):
            client.request("POST", "connections/X/test")
    received = emu.control.foreign_received()
    assert not any("authorization" in {k.lower() for k in e["headers"]} for e in received)
    assert received == []


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("429", {"retry_after": 1}),
        ("502", {}),
        ("503", {"retry_after": 2}),
        ("504", {}),
        ("drop", {}),
        ("html", {}),
    ],
)
def test_transient_faults_recovered_for_get(
    emu: Emulator, kind: str, extra: dict[str, Any]
) -> None:
    """Throttling, gateway errors, HTML gateway pages and dropped connections are retried."""
    sleeps: list[float] = []
    with _client(emu, sleeps) as client:
        emu.control.inject_fault(kind, count=2, origin="design", **extra)
        assert client.get("connections")["items"]
    assert len(sleeps) == 2
    if "retry_after" in extra:
        assert sleeps == [float(extra["retry_after"])] * 2


def test_slow_answer_times_out_then_recovers(emu: Emulator) -> None:
    """An answer slower than the timeout is abandoned and the GET retried."""
    sleeps: list[float] = []
    with _client(emu, sleeps, timeout=0.3) as client:
        emu.control.inject_fault("slow", count=1, origin="design", seconds=3)
        assert client.get("connections")["items"]
    assert len(sleeps) == 1


def test_server_error_is_raised(emu: Emulator) -> None:
    """A 500 is not retried: it is raised with status, method, path and OIC's words."""
    with _client(emu) as client:
        emu.control.inject_fault("500", count=1, origin="design")
        with pytest.raises(APIStatusError) as caught:
            client.get("connections")
    error = caught.value
    assert error.status == 500 and error.method == "GET"
    assert error.path.startswith("/ic/api/integration/v1/connections")
    assert "injected fault" in error.server_message and len(api_requests(emu, "design")) == 1


def test_malformed_body_is_a_format_error(emu: Emulator) -> None:
    """A garbled 200 from a single GET is a ResponseFormatError."""
    with _client(emu) as client:
        emu.control.inject_fault("malformed", count=1, origin="design")
        with pytest.raises(ResponseFormatError, match="malformed JSON"):
            client.get("connections")


def test_persistent_faults_end_in_clear_error(emu: Emulator) -> None:
    """A fault that never clears ends, after the retries, in the status error."""
    sleeps: list[float] = []
    with _client(emu, sleeps) as client:
        emu.control.inject_fault("503", origin="design")
        with pytest.raises(APIStatusError) as caught:
            client.get("connections")
    assert caught.value.status == 503 and len(sleeps) == 4


@pytest.mark.parametrize(("kind", "error"), [("503", APIStatusError), ("drop", TransportError)])
def test_post_not_retried_blindly(emu: Emulator, kind: str, error: type[Exception]) -> None:
    """A POST that meets a 503 or a dropped connection is raised, sent only once."""
    with _client(emu) as client:
        ident = client.get("connections", params={"limit": 1})["items"][0]["id"]
        emu.control.clear_requests()
        emu.control.inject_fault(kind, count=1, origin="design")
        with pytest.raises(error):
            client.request("POST", f"connections/{ident}/test")
    assert len(api_requests(emu)) == 1


def test_post_retried_after_429(emu: Emulator) -> None:
    """A POST refused with 429 was not processed and is sent again."""
    with _client(emu) as client:
        ident = client.get("connections", params={"limit": 1})["items"][0]["id"]
        emu.control.inject_fault("429", count=1, origin="design", retry_after=1)
        answer = client.request("POST", f"connections/{ident}/test").json()
    assert "status" in answer


def test_patch_activation_and_encoded_id(emu: Emulator) -> None:
    """PATCH reaches OIC as POST + override, on an id sent with %7C."""
    with _client(emu) as client:
        integration = client.paginate("integrations", where=["status=CONFIGURED"], limit=1)[0]
        client.request("PATCH", f"integrations/{integration['id']}", json={"status": "ACTIVATED"})
    last = api_requests(emu)[-1]
    assert last["method"] == "POST" and "%7C" in last["path"] and last["status"] < 300


def _truth(emu: Emulator) -> list[str]:
    ids: list[str] = []
    while True:
        page = emu.backend.resources.listing(
            "connections", {"offset": str(len(ids)), "limit": "100"}
        )
        ids += [item["id"] for item in page["items"]]
        if not page["items"] or len(ids) >= page["totalResults"]:
            return ids


def test_paging_ten_thousand_with_faults(emulator: Emulator) -> None:
    """10,000 connections read through injected faults equal the emulator's own listing."""
    emu = emulator
    emu.control.reseed(42, connections=10_000)
    pages: list[tuple[int, int | None]] = []
    with _client(emu) as client:
        for kind in ("503", "429", "drop", "malformed", "502", "html"):
            emu.control.inject_fault(
                kind, count=2, fraction=0.05, origin="design", pattern="/connections$"
            )
        listing = client.paginate(
            "connections", concurrency=8, progress=lambda d, t: pages.append((d, t))
        )
    ids = [item["id"] for item in listing]
    assert ids == _truth(emu) and len(set(ids)) == 10_000
    assert listing.status == "complete" and listing.total == 10_000
    assert pages[-1] == (100, 100)
    faulted = [e for e in api_requests(emu) if e["fault"]]
    assert len(faulted) == 12


def _import_archive(client: OICClient, code: str) -> None:
    """Import a one-file archive: OIC adds integration ``code`` to the list."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            f"icspackage/project/{code}_01.00.0000/PROJECT-INF/project.xml",
            f'<project code="{code}" version="01.00.0000" name="{code} flow"/>',
        )
    client.request(
        "POST",
        "integrations/archive",
        files={"file": (f"{code}.iar", buffer.getvalue(), "application/octet-stream")},
    )


def test_a_list_changed_during_the_read_is_read_again(emu: Emulator) -> None:
    """An integration imported after page 1: the read is redone, and it holds the new one."""
    imported: list[str] = []
    with _client(emu) as client:
        before = len(client.paginate("integrations"))

        def import_after_first_page(done: int, _total: int | None) -> None:
            if done == 1 and not imported:
                imported.append("NEW_DURING_READ")
                _import_archive(client, imported[0])

        listing = client.paginate(
            "integrations", page_size=10, concurrency=1, progress=import_after_first_page
        )
    ids = [item["id"] for item in listing]
    assert len(ids) == len(set(ids)) == before + 1 and "NEW_DURING_READ|01.00.0000" in ids
    assert listing.status == "complete" and listing.total == before + 1
    assert listing.warnings[0].startswith("read 1 of at most 3: the list changed")
    firsts = [
        e
        for e in api_requests(emu)
        if e["method"] == "GET"
        and e["path"].endswith("/integrations")
        and "&offset=0&" in e["query"]
    ]
    assert len(firsts) == 3  # the count before, the changed read, the read again


def test_a_list_changed_during_every_read_raises(emu: Emulator) -> None:
    """With rereads=0 the first change is final: ListChangedError with what arrived."""
    with _client(emu) as client:
        before = len(client.paginate("integrations"))
        done_once: list[int] = []

        def import_after_first_page(done: int, _total: int | None) -> None:
            if done == 1 and not done_once:
                done_once.append(1)
                _import_archive(client, "ANOTHER_ONE")

        with pytest.raises(ListChangedError, match="changed while it was read") as caught:
            client.paginate(
                "integrations",
                page_size=10,
                concurrency=1,
                rereads=0,
                progress=import_after_first_page,
            )
    assert caught.value.reads == 1 and caught.value.expected == before + 1
