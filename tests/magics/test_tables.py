"""Tables people read: compact columns, summarised lists, local times, blanks; exports."""

from __future__ import annotations

import pickle
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.error import UsageError

from oic_magic.core._catalogue import DEFAULT_COLUMNS, LIST_COLUMNS
from oic_magic.emulator import Emulator

from .conftest import TestingShell as Shell


def run(ip: Shell, cell: str) -> pd.DataFrame:
    frame = ip.run_cell(cell).result
    assert isinstance(frame, pd.DataFrame), type(frame).__name__
    return frame


def html(ip: Shell, value: object) -> str:
    formatter = ip.display_formatter
    assert formatter is not None, "a started shell has a display formatter"
    # IPython leaves DisplayFormatter.format unannotated; the shown HTML is a str.
    shown: str = formatter.format(value)[0]["text/html"]  # type: ignore[no-untyped-call]
    return shown


def headers(table: str) -> list[str]:
    head = table.split("</thead>", 1)[0]
    return [h for h in re.findall(r"<th>([^<]*)</th>", head) if h]


def test_a_list_shows_its_compact_columns_and_keeps_them_all(signed_in: Shell) -> None:
    """Finding: every table showed all 21 columns."""
    frame = run(signed_in, "%oic GET connections")
    shown = html(signed_in, frame)
    assert headers(shown) == list(DEFAULT_COLUMNS["connections"])
    assert f"{len(frame)} rows × 21 columns, 7 shown" in shown
    assert "--columns all" in shown
    assert list(frame.columns) == list(LIST_COLUMNS["connections"])
    properties = frame["connectionProperties"].dropna()
    assert isinstance(properties.iloc[0], list) and isinstance(properties.iloc[0][0], dict)


def test_columns_all_shows_every_column_with_lists_summarised(signed_in: Shell) -> None:
    """Finding: lists of dicts (connectionProperties) spilled five lines tall."""
    frame = run(signed_in, "%oic GET connections --columns all")
    shown = html(signed_in, frame)
    assert headers(shown) == list(frame.columns)
    assert "propertyName" not in shown and "{" not in shown.split("</style>", 1)[1]
    count = len(frame["connectionProperties"].iloc[0])
    assert f"<td>{count} {'item' if count == 1 else 'items'}</td>" in shown
    assert isinstance(frame["connectionProperties"].iloc[0][0], dict)  # the frame keeps them


def test_columns_chosen_are_the_frame(signed_in: Shell) -> None:
    frame = run(signed_in, "%oic GET integrations --columns id,name,status")
    assert list(frame.columns) == ["id", "name", "status"]
    assert headers(html(signed_in, frame)) == ["id", "name", "status"]
    with pytest.raises(UsageError, match="no column 'staus'.*Did you mean status"):
        signed_in.run_cell("%oic GET integrations --columns id,staus")


def test_times_in_the_users_zone_to_the_second(signed_in: Shell) -> None:
    """Finding: times read 2025-12-30 04:16:04.628+00:00."""
    signed_in.run_cell("%config OICMagics.timezone = 'Asia/Kolkata'")
    frame = run(signed_in, "%oic GET connections --columns id,lastUpdated")
    first = frame["lastUpdated"].iloc[0]
    assert str(frame["lastUpdated"].dt.tz) == "UTC"  # the frame keeps UTC datetimes
    local = first.tz_convert("Asia/Kolkata").strftime("%Y-%m-%d %H:%M:%S")
    shown = html(signed_in, frame)
    assert f"<td>{local}</td>" in shown and "times in Asia/Kolkata" in shown
    assert "+00:00" not in shown and not re.search(r"\d\d:\d\d:\d\d\.\d", shown)
    assert local in repr(frame)


def test_a_bad_time_zone_is_refused(ext: Shell, caplog: pytest.LogCaptureFixture) -> None:
    ext.run_cell("%config OICMagics.timezone = 'Europe/Pari'")  # %config logs the error
    assert "Did you mean 'Europe/Paris'?" in caplog.text
    magics = ext.magics_manager.registry["OICMagics"]
    assert magics.timezone is None


def test_missing_values_are_blank_whatever_pandas_holds(signed_in: Shell) -> None:
    frame = run(signed_in, "%oic GET integrations --columns all")
    assert frame.isna().any().any()  # some items lack some fields
    shown = html(signed_in, frame)
    body = shown.split("<tbody>", 1)[1]
    for word in ("None", "NaN", "NaT", "&lt;NA&gt;"):
        assert f"<td>{word}</td>" not in body


def test_what_is_derived_is_a_plain_frame(signed_in: Shell) -> None:
    frame = run(signed_in, "%oic GET connections")
    derived = frame[frame["status"] == "CONFIGURED"]
    assert type(derived) is pd.DataFrame
    assert "connectionProperties" in html(signed_in, derived)
    again = pickle.loads(pickle.dumps(frame))
    assert again.equals(frame) and again.attrs == frame.attrs


def test_save_as_excel_and_parquet(signed_in: Shell, tmp_path: Path) -> None:
    """Finding: --save x.xlsx and .parquet were refused."""
    frame = run(signed_in, f"%oic GET connections --save {tmp_path}/c.parquet")
    back = pd.read_parquet(tmp_path / "c.parquet")
    assert list(back.columns) == list(frame.columns) and len(back) == len(frame)
    assert (back["lastUpdated"] == frame["lastUpdated"]).all()
    run(signed_in, f"%oic GET connections --save {tmp_path}/c.xlsx")
    sheet = pd.read_excel(tmp_path / "c.xlsx")
    assert list(sheet["id"]) == list(frame["id"])
    assert sheet["lastUpdated"].iloc[0] == frame["lastUpdated"].iloc[0].tz_localize(None)
    assert sheet["connectionProperties"].iloc[0].startswith('[{"')


@pytest.mark.parametrize(
    ("suffix", "module", "extra"),
    [(".xlsx", "openpyxl", "excel"), (".parquet", "pyarrow", "parquet")],
)
def test_a_missing_extra_is_named_before_fetching(
    signed_in: Shell,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    emu: Emulator,
    suffix: str,
    module: str,
    extra: str,
) -> None:
    from _emulated import api_requests

    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    sent = len(api_requests(emu))
    with pytest.raises(UsageError, match=rf"needs {module}.*pip install 'oic_magic\[{extra}\]'"):
        signed_in.run_cell(f"%oic GET connections --save {tmp_path}/c{suffix}")
    assert len(api_requests(emu)) == sent
    assert not (tmp_path / f"c{suffix}").exists()


def test_the_errors_table_shows_what_an_operator_acts_on(signed_in: Shell) -> None:
    """Finding: errorCode, errorMessage, connectionCode and recoverable were hidden."""
    frame = run(signed_in, "%oic GET monitoring/errors --since 24h")
    shown = headers(html(signed_in, frame))
    for column in ("errorCode", "errorMessage", "connectionCode", "recoverable"):
        assert column in shown and column in frame.columns
    assert shown[0] == "id"


def test_operations_frames_show_as_compact_tables(signed_in: Shell, emu: Emulator) -> None:
    """Finding: the activity, triage and preview frames used pandas' default display."""
    from oic_magic.notebook._recovery_view import PREVIEW_COLUMNS

    signed_in.run_cell("%config OICMagics.timezone = 'Asia/Tokyo'")
    preview = run(signed_in, "%oic_resubmit --since 24h --preview")
    shown = html(signed_in, preview)
    assert headers(shown) == [c for c in PREVIEW_COLUMNS if c in preview.columns]
    assert f"{len(preview):,} rows × {len(preview.columns)} columns" in shown
    tokyo = preview["creationDate"].iloc[0].tz_convert("Asia/Tokyo")
    assert "times in Asia/Tokyo" in shown and tokyo.strftime("%Y-%m-%d %H:%M:%S") in shown
    assert "UTC" in str(preview["creationDate"].dtype)  # the frame keeps UTC datetimes
    by_error = run(signed_in, "%oic_triage --since 24h --by error")
    assert "rows ×" in html(signed_in, by_error)
    ident = str(preview["id"].iloc[0])
    steps = run(signed_in, f"%oic_activity {ident}")
    assert "rows ×" in html(signed_in, steps) and len(steps) > 0
