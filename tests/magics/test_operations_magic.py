"""%oic_triage, %oic_resubmit, %oic_discard and %oic_activity in a real shell, against the
emulator: groupings counted against its own records, nothing sent without a confirmation."""

from __future__ import annotations

from collections import Counter
from typing import Any, NoReturn

import pandas as pd
import pytest
from _emulated import api_requests
from IPython.core.error import UsageError

from oic_magic import APIStatusError
from oic_magic.emulator import Emulator
from oic_magic.emulator._listing import ApiError

from .conftest import TestingShell as Shell

DAY = 86400.0


class Kernel:
    """A kernel whose current request lets a person answer (JupyterLab)."""

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": True}}


def _failed(emu: Emulator, frame: pd.DataFrame) -> list[dict[str, Any]]:
    low = frame.attrs["window_start"].timestamp()
    high = frame.attrs["window_end"].timestamp()
    return [
        r
        for r in emu.backend.data.instances
        if low <= r["_created"] <= high and r["status"] == "FAILED"
    ]


def _touched(emu: Emulator) -> set[str]:
    return {r["id"] for r in emu.backend.data.instances if r.get("_recovery")}


def _posts(emu: Emulator) -> list[dict[str, Any]]:
    return [e for e in api_requests(emu) if e["method"] == "POST"]


# -- triage ------------------------------------------------------------------------------------


def test_triage_groups_the_days_errors_four_ways(signed_in: Shell, emu: Emulator) -> None:
    emu.control.add_instances(3000, seed=9)
    result = signed_in.run_cell("%oic_triage --since 24h").result
    own = _failed(emu, result.errors)
    assert result.total == len(own) > 50
    assert set(result.errors["id"]) == {r["id"] for r in own}
    for grouping in (result.by_integration, result.by_error, result.by_connection, result.by_hour):
        assert grouping["errors"].sum() == len(own)
    by_code = Counter(r["errorCode"] for r in own)
    summed = result.by_error.groupby("errorCode")["errors"].sum().to_dict()
    assert summed == dict(by_code)
    top = result.by_integration.iloc[0]
    assert top["errors"] == max(Counter((r["code"], r["version"]) for r in own).values())
    assert result.by_integration["errors"].is_monotonic_decreasing
    recoverable = sum(not r["nonRecoverable"] for r in own)
    assert result.by_integration["recoverable"].sum() == recoverable
    assert "By connection" in result._repr_html_()


def test_triage_one_grouping(signed_in: Shell, emu: Emulator) -> None:
    frame = signed_in.run_cell("%oic_triage --since 2d --by hour").result
    assert list(frame.columns) == ["hour", "errors", "recoverable"]
    assert frame["hour"].is_monotonic_increasing
    assert frame["errors"].sum() == len(_failed(emu, frame))


# -- resubmit and discard ------------------------------------------------------------------------


def test_headless_without_yes_refuses_and_sends_nothing(signed_in: Shell, emu: Emulator) -> None:
    with pytest.raises(UsageError, match="nothing was sent") as caught:
        signed_in.run_cell("%oic_resubmit --since 24h")
    assert "--yes" in str(caught.value) and "would be resubmitted" in str(caught.value)
    assert not _touched(emu) and not _posts(emu)


def test_preview_then_yes_touches_what_was_previewed(signed_in: Shell, emu: Emulator) -> None:
    emu.control.set_recovery_delay(0)
    preview = signed_in.run_cell("%oic_resubmit --since 24h --preview").result
    assert not _touched(emu) and not _posts(emu)
    will = set(preview.loc[preview["will"] == "resubmit", "id"])
    alone = set(preview.loc[preview["will"] == "left alone: not recoverable", "id"])
    assert will and will | alone == set(preview["id"])
    outcome = signed_in.run_cell("%oic_resubmit --since 24h --yes --wait").result
    assert _touched(emu) == will == set(outcome.loc[outcome["outcome"] == "accepted", "id"])
    assert set(outcome["jobStatus"].dropna()) == {"COMPLETED"}
    assert outcome.attrs["requests"] == -(-len(will) // 50)


def test_ids_from_a_variable(signed_in: Shell, emu: Emulator) -> None:
    errors = signed_in.run_cell("%oic GET monitoring/errors --since 24h").result
    signed_in.user_ns["some"] = errors[errors["recoverable"]].head(3)
    outcome = signed_in.run_cell("%oic_resubmit some --yes").result
    assert list(outcome["id"]) == list(signed_in.user_ns["some"]["id"])
    assert set(outcome["outcome"]) == {"accepted"} and _touched(emu) == set(outcome["id"])


def test_ids_expanded_from_a_list(signed_in: Shell, emu: Emulator) -> None:
    """{ids} of a Python list (IPython writes its repr) and comma lists both read as ids."""
    failed = [r["id"] for r in emu.backend.data.instances if r["status"] == "FAILED"][:3]
    signed_in.user_ns["picked"] = failed[:2]
    preview = signed_in.run_cell(f"%oic_discard {{picked}} {failed[2]} --preview").result
    assert list(preview["id"]) == failed and set(preview["will"]) == {"discard"}


def test_a_person_confirms_with_the_button_once(signed_in: Shell, emu: Emulator) -> None:
    signed_in.kernel = Kernel()
    try:
        box = signed_in.run_cell("%oic_discard --since 24h -o gone").result
    finally:
        del signed_in.kernel
    import ipywidgets as w

    button = next(child for child in box.children if isinstance(child, w.Button))
    assert not _touched(emu) and not _posts(emu)  # shown, not sent
    button.click()
    gone = signed_in.user_ns["gone"]
    discarded = set(gone.loc[gone["outcome"] == "accepted", "id"])
    assert discarded and _touched(emu) == discarded
    posts = len(_posts(emu))
    button.click()  # a second click sends nothing again
    assert len(_posts(emu)) == posts and box.result is gone


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("%oic_resubmit", "say which errors"),
        ("%oic_resubmit abc --integration X", "not both"),
        ("%oic_resubmit --since 1h --yes --preview", "give one"),
        ("%oic_resubmit nothing_here_ns", "no such|not an instance|say which|0 error"),
    ],
)
def test_unclear_recovery_calls_are_usage_errors(
    signed_in: Shell, emu: Emulator, line: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        signed_in.run_cell(line)
    assert not _posts(emu)


# -- activity stream ---------------------------------------------------------------------------


def _an_error(emu: Emulator) -> str:
    now = emu.backend.clock.now()
    ident: str = next(
        r["id"]
        for r in emu.backend.data.instances
        if r["status"] == "FAILED" and now - r["_created"] < 3600 * 12
    )
    return ident


def test_activity_rows_and_payloads(signed_in: Shell, emu: Emulator) -> None:
    signed_in.user_ns["iid"] = _an_error(emu)
    frame = signed_in.run_cell("%oic_activity {iid} --payloads --payload-limit 300").result
    assert frame.attrs["source"] == "activityStreamDetails"
    assert list(frame["step"]) == list(range(1, len(frame) + 1))
    assert (frame["depth"] > 0).any() and frame["isErrorMilestone"].iloc[-1]
    shown = frame["payload"].dropna()
    assert not shown.empty and all(len(p) <= 300 + 60 for p in shown)
    assert any("cut at 300" in p for p in shown)


def test_activity_falls_back_to_the_deprecated_stream(
    signed_in: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(ident: str) -> NoReturn:
        raise ApiError(404, "Not Found", "No resource at activityStreamDetails")

    monkeypatch.setattr(emu.backend.activity, "details", missing)
    signed_in.user_ns["iid"] = _an_error(emu)
    frame = signed_in.run_cell("%oic_activity {iid}").result
    assert frame.attrs["source"] == "activityStream" and "message" in frame


def test_activity_past_retention(signed_in: Shell, emu: Emulator) -> None:
    signed_in.user_ns["iid"] = _an_error(emu)
    emu.control.advance_clock(2 * DAY)
    signed_in.run_cell("%oic_login")  # the clock moved past the token's lifetime
    frame = signed_in.run_cell("%oic_activity {iid} --payloads").result
    assert not frame["payloadExists"].any() and frame["payload"].isna().all()
    emu.control.advance_clock(32 * DAY)
    signed_in.run_cell("%oic_login")
    with pytest.raises(APIStatusError, match="purged") as caught:
        signed_in.run_cell("%oic_activity {iid}")
    assert caught.value.status == 410 and "32 days" in str(caught.value)
