"""``%%oic PATCH integrations/{id} --wait``: activation waited to the end, in the user's syntax.

The emulator's activation delay is set to 0 (done by the first look) or left long with
``OICMagics.activation_timeout = 0`` (one look, then the timeout): no test sleeps.
"""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.error import UsageError

from oic_magic import Activation, ActivationFailedError, ActivationTimeoutError
from oic_magic.emulator import Emulator

from .conftest import TestingShell as Shell


class Kernel:
    """A kernel whose current request lets a person answer (JupyterLab)."""

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": True}}


def _first(emu: Emulator, status: str) -> str:
    return min(
        i
        for i, r in emu.backend.data.integrations.items()
        if r["status"] == status and r["percentageComplete"] == 100
    )


def test_wait_returns_one_row_when_activated(signed_in: Shell, emu: Any) -> None:
    """--wait polls activationStatus and returns id, status, polls, elapsed."""
    emu.control.set_activation_delay(0)
    iid = _first(emu, "CONFIGURED")
    signed_in.user_ns["iid"] = iid
    frame = signed_in.run_cell(
        '%%oic PATCH integrations/{iid} --wait\n{"status": "ACTIVATED"}'
    ).result
    assert list(frame.columns) == ["id", "status", "polls", "elapsed"]
    assert frame[["id", "status", "polls"]].to_dict("records") == [
        {"id": iid, "status": "ACTIVATED", "polls": 1}
    ]
    assert frame["elapsed"].iloc[0] >= 0
    assert frame.attrs["method"] == "PATCH" and frame.attrs["status"] == 200
    assert emu.backend.data.integrations[iid]["status"] == "ACTIVATED"


@pytest.mark.parametrize(
    "spelling",
    [
        "ic/api/integration/v1/integrations/HELLO|01.00.0001",
        "{design}/ic/api/integration/v1/integrations/HELLO%7C01.00.0001",
    ],
)
def test_wait_on_a_full_path_or_a_pasted_url(signed_in: Shell, emu: Any, spelling: str) -> None:
    """--wait knows the integration however its path is spelled: ic/..., a links[].href."""
    emu.control.set_activation_delay(0)
    signed_in.user_ns["design"] = emu.design_url
    frame = signed_in.run_cell(f'%%oic PATCH {spelling} --wait\n{{"status": "ACTIVATED"}}').result
    assert frame[["id", "status"]].to_dict("records") == [
        {"id": "HELLO|01.00.0001", "status": "ACTIVATED"}
    ]
    # Oracle's rule: activating 01.00.0001 deactivates 01.00.0000 of the same major version.
    assert emu.backend.data.integrations["HELLO|01.00.0000"]["status"] == "CONFIGURED"


def test_wait_with_post_and_override_header_and_raw(signed_in: Shell, emu: Any) -> None:
    """POST with X-HTTP-Method-Override: PATCH waits too; --raw gives the Activation record."""
    emu.control.set_activation_delay(0)
    signed_in.user_ns["iid"] = iid = _first(emu, "CONFIGURED")
    signed_in.run_cell(
        "%%oic POST integrations/{iid} --wait --raw -o done\n"
        'X-HTTP-Method-Override: PATCH\n\n{"status": "ACTIVATED"}'
    )
    done = signed_in.user_ns["done"]
    assert isinstance(done, Activation)
    assert done.id == iid and done.status == "ACTIVATED"
    assert [status for _, status in done.observed] == ["ACTIVATION_INPROGRESS", "ACTIVATED"]


def test_wait_for_a_deactivation_done_at_once(signed_in: Shell, emu: Any) -> None:
    """A deactivation OIC finishes before answering returns CONFIGURED after no poll."""
    signed_in.user_ns["iid"] = iid = _first(emu, "ACTIVATED")
    frame = signed_in.run_cell(
        '%%oic PATCH integrations/{iid} --wait\n{"status": "CONFIGURED"}'
    ).result
    assert frame[["id", "status", "polls"]].to_dict("records") == [
        {"id": iid, "status": "CONFIGURED", "polls": 0}
    ]


def test_failed_activation_raises(signed_in: Shell, emu: Any) -> None:
    """FAILEDACTIVATION stops the cell with ActivationFailedError, one short line."""
    emu.control.set_activation_delay(0)
    signed_in.user_ns["iid"] = iid = _first(emu, "FAILEDACTIVATION")
    with pytest.raises(ActivationFailedError, match=f"activation of {iid} failed") as caught:
        signed_in.run_cell('%%oic PATCH integrations/{iid} --wait\n{"status": "ACTIVATED"}')
    assert len(caught.value._render_traceback_()) == 1


def test_timeout_from_config_raises_and_says_how_to_check(signed_in: Shell, emu: Any) -> None:
    """%config OICMagics.activation_timeout bounds the wait; the error names the check."""
    emu.control.set_activation_delay(600)
    signed_in.run_cell("%config OICMagics.activation_timeout = 0")
    signed_in.user_ns["iid"] = iid = _first(emu, "CONFIGURED")
    with pytest.raises(ActivationTimeoutError, match="may still complete") as caught:
        signed_in.run_cell('%%oic PATCH integrations/{iid} --wait\n{"status": "ACTIVATED"}')
    assert f"%oic GET integrations/{iid}/activationStatus" in str(caught.value)
    assert caught.value.activation.polls == 1


def test_progress_shown_to_a_person_only_while_waiting(
    signed_in: Shell, emu: Any, capsys: Any
) -> None:
    """With a person watching, a wait shows a bar; an activation done at once shows none."""
    signed_in.kernel = Kernel()
    emu.control.set_activation_delay(600)
    signed_in.run_cell("%config OICMagics.activation_timeout = 0")
    signed_in.user_ns["iid"] = _first(emu, "CONFIGURED")
    with pytest.raises(ActivationTimeoutError):
        signed_in.run_cell('%%oic PATCH integrations/{iid} --wait\n{"status": "ACTIVATED"}')
    assert "FloatProgress" in capsys.readouterr().out
    emu.control.set_activation_delay(0)
    signed_in.run_cell('%%oic PATCH integrations/{iid} --wait\n{"status": "CONFIGURED"}')
    assert "FloatProgress" not in capsys.readouterr().out


def test_headless_wait_is_quiet(signed_in: Shell, emu: Any, capsys: Any) -> None:
    """Without a person (no kernel), --wait displays no widget."""
    emu.control.set_activation_delay(600)
    signed_in.run_cell("%config OICMagics.activation_timeout = 0")
    signed_in.user_ns["iid"] = _first(emu, "CONFIGURED")
    with pytest.raises(ActivationTimeoutError):
        signed_in.run_cell('%%oic PATCH integrations/{iid} --wait\n{"status": "ACTIVATED"}')
    assert "Progress" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("%oic GET integrations/X|01.00.0000 --wait", "GET changes no status"),
        (
            '%%oic POST integrations/X|01.00.0000 --wait\n\n{"status": "ACTIVATED"}',
            "POST changes no status",
        ),
        (
            '%%oic PATCH connections/X --wait\n{"status": "ACTIVATED"}',
            "'connections/X' is not integrations/CODE|VERSION",
        ),
        (
            '%%oic PATCH integrations/X|01.00.0000/archive --wait\n{"status": "ACTIVATED"}',
            "is not integrations/CODE|VERSION",
        ),
        (
            '%%oic PATCH integrations/X|01.00.0000 --wait\n{"description": "x"}',
            "this body sets no such status",
        ),
        ("%oic PATCH integrations/X|01.00.0000 --wait", "this call has no body"),
        (
            '%%oic PATCH integrations/X|01.00.0000 --wait --curl\n{"status": "ACTIVATED"}',
            "--curl sends nothing to wait for",
        ),
    ],
    ids=[
        "GET",
        "POST without override",
        "not an integration",
        "sub-resource",
        "no status",
        "no body",
        "with --curl",
    ],
)
def test_wait_misuse_is_a_usage_error(signed_in: Shell, emu: Any, cell: str, message: str) -> None:
    """--wait on anything but a status PATCH of one integration is refused before sending."""
    emu.control.clear_requests()
    with pytest.raises(UsageError, match="--wait waits for an activation") as caught:
        signed_in.run_cell(cell)
    assert message in str(caught.value)
    assert [r for r in emu.control.requests() if r["path"].startswith("/ic/")] == []
