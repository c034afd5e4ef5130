"""Every injected fault against every kind of call gives the outcome of the one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from _emulated import api_requests, token_requests

from oic_magic import IncompleteResultError, OICClient, OICError
from oic_magic.core._responses import parse_body
from oic_magic.emulator import DEMO, Emulator

from ._hardening import Sleeps, settings_for
from ._matrix import BEGIN, END, EXPECTED, cases, render

DOC = Path(__file__).resolve().parents[2] / "docs" / "reliability.md"
SLOW_TIMEOUT = 0.5
TOKEN_FAULTS = ("revoked", "consumed", "token-429")


@dataclass
class Run:
    """One cell of the matrix being played: the emulator, the waits, what came back."""

    emu: Emulator
    fault: str
    sleeps: Sleeps
    client: OICClient | None = None
    before: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def sign_in(self) -> OICClient:
        timeout = SLOW_TIMEOUT if self.fault == "slow" else 5.0
        self.client = OICClient.sign_in(
            settings_for(self.emu, timeout=timeout), sleep=self.sleeps, page_size=50
        )
        return self.client


def _inject(run: Run, origin: str) -> None:
    """Make the fault happen to the next request(s) of *origin*."""
    emu, fault = run.emu, run.fault
    if fault in TOKEN_FAULTS:
        _token_fault(run, renew=origin == "design")
        return
    kind = {"429+Retry-After": "429"}.get(fault, fault)
    retry_after = 1 if fault == "429+Retry-After" else None
    emu.control.inject_fault(kind, count=1, origin=origin, retry_after=retry_after, seconds=2.0)


def _token_fault(run: Run, *, renew: bool) -> None:
    emu = run.emu
    if run.fault == "consumed" and run.client is not None:
        session = run.client.session
        assert session.token.refresh_token
        session.endpoint.refresh(session.token.refresh_token)  # another process used it
    if run.fault == "token-429":
        emu.control.set_token_rate_limit(0)  # every token request 429 until a wait lifts it
    if run.fault == "revoked" or renew:
        emu.control.revoke_tokens()  # the next API call meets a 401 and must renew


# -- the five kinds of call -----------------------------------------------------------------


def _sign_in(run: Run) -> Any:
    if run.fault == "consumed":
        earlier = run.sign_in()
        _token_fault(run, renew=False)
        earlier.close()
    else:
        _inject(run, "identity")
    client = run.sign_in()
    assert client.session.user == DEMO.username
    return client.session.token


def _refresh(run: Run) -> Any:
    client = run.sign_in()
    run.before = client.session.token.access_token
    _inject(run, "identity")
    token = client.session.refresh()
    assert token.access_token != run.before
    return token


def _get(run: Run) -> Any:
    client = run.sign_in()
    _inject(run, "design")
    body = client.get("connections")
    assert [item["id"] for item in body["items"]] == _truth(run.emu)[:100]
    return body


def _paged(run: Run) -> Any:
    client = run.sign_in()

    def after_first_page(done: int, total: int | None) -> None:
        if done == 1:
            _inject(run, "design")

    listing = client.paginate("connections", concurrency=4, progress=after_first_page)
    assert [item["id"] for item in listing] == _truth(run.emu)
    assert listing.status == "complete" and listing.total == 300
    return listing


def _post(run: Run) -> Any:
    client = run.sign_in()
    ident = _truth(run.emu)[0]
    _inject(run, "design")
    response = client.request("POST", f"connections/{ident}/test")
    body = parse_body(response, what="POST test")
    assert isinstance(body, dict) and body.get("status")
    return body


CALL: dict[str, Callable[[Run], Any]] = {
    "sign-in": _sign_in,
    "refresh": _refresh,
    "get": _get,
    "paged": _paged,
    "post": _post,
}


def _truth(emu: Emulator) -> list[str]:
    """The emulator's own listing of connection ids, read from its backend."""
    ids: list[str] = []
    for _ in range(100):
        page = emu.backend.resources.listing(
            "connections", {"offset": str(len(ids)), "limit": "100"}
        )
        ids += [item["id"] for item in page["items"]]
        if not page["items"] or len(ids) >= page["totalResults"]:
            break
    return ids


# -- checks ----------------------------------------------------------------------------------


def _fault_was_met(run: Run, call: str) -> bool:
    """The emulator's log shows the fault happened (so 'recovered' means something)."""
    log = run.emu.control.requests()
    if run.fault == "revoked":
        return any(e["status"] == 401 for e in log)
    if run.fault == "token-429":
        return any(e["status"] == 429 for e in token_requests(run.emu))
    if run.fault == "consumed":
        return True  # consumed before the call, by the test itself
    return any(e["fault"] for e in log)


def _check_error(run: Run, call: str, error: OICError) -> None:
    if isinstance(error, IncompleteResultError):
        # Never silent: what arrived is carried, counted, and less than announced.
        assert error.expected == 300 and 0 < error.received < 300
        assert len(error.items) == error.received
        assert isinstance(error.__cause__, OICError)
        assert f"{error.received} of 300" in str(error)
    if call == "post":
        posts = [e for e in api_requests(run.emu, "design") if e["method"] == "POST"]
        assert len(posts) <= 1 + (run.fault in TOKEN_FAULTS)  # never repeated blindly


@pytest.mark.parametrize(
    ("fault", "call", "expected"), cases(), ids=[f"{f}-{c}" for f, c, _ in cases()]
)
def test_fault_matrix(emu: Emulator, fault: str, call: str, expected: str) -> None:
    """Each (fault, call) cell ends as the table says: complete result or that typed error."""
    sleeps = Sleeps(then=lambda _s: emu.control.set_token_rate_limit(None))
    run = Run(emu=emu, fault=fault, sleeps=sleeps)
    try:
        CALL[call](run)
    except OICError as error:
        outcome = type(error).__name__
        _check_error(run, call, error)
    else:
        outcome = "recovered" if expected == "recovered" else "unaffected"
        if expected == "recovered":
            assert _fault_was_met(run, call), "the fault never happened"
    finally:
        if run.client is not None:
            run.client.close()
    assert outcome == expected
    if fault == "429+Retry-After" and expected == "recovered":
        assert 1.0 in sleeps  # Retry-After honoured, through the injected sleep


def test_table_covers_every_cell() -> None:
    """Thirteen faults by five calls, every outcome a known word or an exported error."""
    import oic_magic

    assert len(EXPECTED) == 13 and len(cases()) == 65
    names = {outcome for _f, _c, outcome in cases()} - {"recovered", "unaffected"}
    assert names <= set(oic_magic.__all__)


def test_docs_carry_the_same_table() -> None:
    """docs/reliability.md holds exactly the rendered table (regenerate it from _matrix.py)."""
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    assert text[start:end] == render()
