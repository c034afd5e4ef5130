"""--where checked against the catalogue: OIC's values in OIC's case, other keys applied here."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from _emulated import api_requests
from IPython.core.error import UsageError

from oic_magic.emulator import Emulator
from oic_magic.exceptions import RequestError

from .conftest import TestingShell as Shell


def run(ip: Shell, cell: str) -> Any:
    """What the cell shows: a DataFrame, or the JSON with ``--raw``."""
    return ip.run_cell(cell).result


def _queries(emu: Emulator) -> list[str]:
    return [e.get("query", "") or "" for e in api_requests(emu)]


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("%oic GET integrations --where status=configured", "Did you mean status=CONFIGURED?"),
        ("%oic GET integrations --where status=CONFIGURD", "Did you mean status=CONFIGURED?"),
        ("%oic GET connections --where role=source", "Did you mean role=SOURCE?"),
        ("%oic GET monitoring/instances --where status=failed", "Did you mean status=FAILED?"),
        ("%oic GET integrations --where Status=ACTIVATED", "Did you mean status=ACTIVATED?"),
        ("%oic GET integrations --where status~activ", "Did you mean status~ACTIVATED?"),
    ],
)
def test_a_value_in_the_wrong_case_is_refused_before_sending(
    signed_in: Shell, emu: Emulator, line: str, said: str
) -> None:
    """Finding: `--where status=configured` silently returned 0 rows."""
    sent = len(api_requests(emu))
    with pytest.raises(UsageError) as raised:
        signed_in.run_cell(line)
    assert said in str(raised.value)
    assert len(api_requests(emu)) == sent


def test_a_time_window_in_any_case_is_sent_an_unknown_one_refused(signed_in: Shell) -> None:
    frame = run(signed_in, "%oic GET monitoring/instances --where timewindow=1H --limit 3")
    assert len(frame) <= 3
    with pytest.raises(UsageError, match="Did you mean timewindow=1d?"):
        signed_in.run_cell("%oic GET monitoring/instances --where timewindow=1dd")


def test_known_values_still_go_to_oic(signed_in: Shell, emu: Emulator) -> None:
    frame = run(signed_in, "%oic GET integrations --where status=CONFIGURED")
    assert len(frame) and set(frame["status"]) == {"CONFIGURED"}
    assert "status" in api_requests(emu)[-1]["query"]


def test_a_nested_field_is_filtered_after_reading(
    signed_in: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: `--where adapterType...` was refused by OIC, no way to filter on it."""
    everything = run(signed_in, "%oic GET connections")
    capsys.readouterr()
    kind = everything["adapterType.name"].iloc[0]
    signed_in.run_cell(f"%oic GET connections --where adapterType.name={kind} -o frame")
    frame, said = signed_in.user_ns["frame"], capsys.readouterr().out
    expected = everything[everything["adapterType.name"] == kind]
    assert list(frame["id"]) == list(expected["id"])
    assert 0 < len(frame) < len(everything)
    assert said.count("\n") == 1 and "OIC cannot filter" in said and "adapterType.name" in said
    assert f"{len(everything)} items read, {len(frame)} kept" in said
    assert "adapterType" not in api_requests(emu)[-1]["query"]


def test_local_and_oic_filters_combine_with_a_limit(signed_in: Shell, emu: Emulator) -> None:
    everything = run(signed_in, "%oic GET connections")
    kind = everything["adapterType.name"].iloc[0]
    line = f"%oic GET connections --where adapterType.name~{kind.lower()} --where status=CONFIGURED"
    frame = run(signed_in, f"{line} --limit 2")
    want = everything[
        (everything["adapterType.name"].str.lower().str.contains(kind.lower()))
        & (everything["status"] == "CONFIGURED")
    ]
    assert list(frame["id"]) == list(want["id"])[:2]
    assert "status" in api_requests(emu)[-1]["query"]
    raw = run(signed_in, f"{line} --raw")
    assert [item["id"] for item in raw] == list(want["id"])


def test_an_object_or_a_missing_field_says_what_to_write(signed_in: Shell) -> None:
    with pytest.raises(RequestError, match=r"adapterType is an object.*adapterType\.name"):
        signed_in.run_cell("%oic GET connections --where adapterType=REST")
    with pytest.raises(
        RequestError,
        match=r"no item read has a field 'secrutyPolicy'.*"
        r"Did you mean securityPolicy\?",
    ):
        signed_in.run_cell("%oic GET connections --where secrutyPolicy=BASIC_AUTH")


def test_curl_leaves_out_what_is_applied_here(
    signed_in: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    signed_in.run_cell(
        "%oic GET connections --where adapterType.name=REST --where status=CONFIGURED --curl"
    )
    script = capsys.readouterr().out
    assert "CONFIGURED" in script and "adapterType" not in script


def test_a_list_the_catalogue_has_no_keys_for_is_left_to_oic(
    signed_in: Shell, emu: Emulator
) -> None:
    frame = run(signed_in, "%oic GET packages --where name~a")
    assert isinstance(frame, pd.DataFrame)
    assert "name" in api_requests(emu)[-1]["query"]
