"""%oic_resubmit and %oic_discard say when their choice finds nothing to act on."""

from __future__ import annotations

import pytest
from _emulated import api_requests
from IPython.core.error import UsageError

from oic_magic.emulator import Emulator

from .conftest import TestingShell as Shell


def _posts(emu: Emulator) -> int:
    return sum(1 for e in api_requests(emu) if e["method"] == "POST")


def test_nothing_recoverable_headless_returns_the_preview(
    signed_in: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: 0 recoverable still asked for --yes; nothing to act on needs no confirmation."""
    errors = signed_in.run_cell("%oic GET monitoring/errors --since 24h").result
    stuck = errors[~errors["recoverable"].astype(bool)].head(2)
    assert len(stuck) == 2
    signed_in.user_ns["stuck"] = stuck
    capsys.readouterr()
    preview = signed_in.run_cell("%oic_resubmit stuck").result
    assert list(preview["id"]) == list(stuck["id"])
    assert set(preview["will"]) == {"left alone: not recoverable"}
    assert "nothing to send. 0 error(s) would be resubmitted" in capsys.readouterr().out
    assert _posts(emu) == 0


def test_an_undefined_variable_is_not_taken_for_an_id(signed_in: Shell, emu: Emulator) -> None:
    """Finding: `failed` (never defined) read as an id: 'nothing: no such error', silently."""
    with pytest.raises(UsageError, match="failed: no variable of that name, and no such error id"):
        signed_in.run_cell("%oic_resubmit failed --preview")
    assert _posts(emu) == 0


def test_a_real_id_word_still_works(signed_in: Shell, emu: Emulator) -> None:
    errors = signed_in.run_cell("%oic GET monitoring/errors --since 24h").result
    ident = str(errors["id"].iloc[0])
    preview = signed_in.run_cell(f"%oic_discard {ident} --preview").result
    assert list(preview["id"]) == [ident] and list(preview["will"]) == ["discard"]


def test_an_unknown_integration_says_so(signed_in: Shell, emu: Emulator) -> None:
    """Finding: --integration NOSUCH gave an empty frame with no hint."""
    with pytest.raises(UsageError, match="NOSUCH_INTEGRATION: OIC has no such integration"):
        signed_in.run_cell("%oic_resubmit --integration NOSUCH_INTEGRATION --since 24h")
    known = next(r for r in emu.backend.data.instances if r["status"] != "FAILED")
    code = known["code"]
    # A known integration without errors in the window: an empty preview, no complaint.
    preview = signed_in.run_cell(f"%oic_discard --integration {code} --since 1s --preview").result
    assert len(preview) == 0
