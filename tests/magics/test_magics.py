"""Every magic and option, in the user's syntax, against the emulator over sockets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from oic_magic import default_store
from oic_magic.emulator import DEMO, Emulator
from oic_magic.exceptions import NotSignedInError, RequestError, RowLimitError, TransportError

from .conftest import TestingShell as Shell


def run(ip: Shell, cell: str) -> Any:
    return ip.run_cell(cell).result


# -- signing in -----------------------------------------------------------------------------------
def test_login_headless_from_environment(
    ext: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """With no kernel, %oic_login signs in from OIC_* and says who, where, until when."""
    ext.run_cell("%oic_login")
    said = capsys.readouterr().out
    assert "Signed in as Ada Lovelace (ada.lovelace) to instance oic-demo" in said
    assert "valid until" in said and "renews itself" in said
    assert default_store().names() == ["default"]


def test_login_from_a_profile(
    ext: Shell,
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--profile reads the non-secret settings; the secrets come from the environment."""
    profile = tmp_path / "profiles.ini"
    profile.write_text(
        f"[emu]\nurl = {emu.design_url}\nidentity_url = {emu.identity_url}\n"
        f"client_id = {DEMO.client_id}\nscope = {emu.scope}\ninstance = {emu.instance}\n"
        f"username = {DEMO.username}\n"
    )
    monkeypatch.setenv("OIC_PROFILE_FILE", str(profile))
    monkeypatch.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    monkeypatch.setenv("OIC_PASSWORD", DEMO.password)
    ext.run_cell("%oic_login --profile emu --session emu")
    assert "to instance oic-demo" in capsys.readouterr().out
    assert len(run(ext, "%oic GET connections --session emu --limit 3")) == 3


def test_default_profile_from_config(
    ext: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """%config OICMagics.default_profile is read when no --profile is given."""
    profile = tmp_path / "profiles.ini"
    profile.write_text(
        f"[emu]\nurl = {emu.design_url}\nidentity_url = {emu.identity_url}\n"
        f"client_id = {DEMO.client_id}\naudience = {emu.audience}\ninstance = {emu.instance}\n"
        f"username = {DEMO.username}\nclient_secret = {DEMO.client_secret}\n"
    )
    profile.chmod(0o600)
    monkeypatch.setenv("OIC_PROFILE_FILE", str(profile))
    monkeypatch.setenv("OIC_PASSWORD", DEMO.password)
    ext.run_cell("%config OICMagics.default_profile = 'emu'")
    ext.run_cell("%oic_login")
    assert default_store().get().settings.instance == "oic-demo"


def test_login_demo_starts_the_emulator(ext: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    """--demo starts the built-in emulator in this process and signs in to it."""
    from oic_magic.notebook._login import stop_demo

    try:
        ext.run_cell("%oic_login --demo")
        assert "Signed in as Ada Lovelace" in capsys.readouterr().out
        assert len(run(ext, "%oic GET connections")) == 300
    finally:
        default_store().clear()
        stop_demo()


def test_client_credentials_grant(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--grant client_credentials signs in as the application, no user needed."""
    monkeypatch.delenv("OIC_USERNAME")
    monkeypatch.delenv("OIC_PASSWORD")
    ext.run_cell("%oic_login --grant client_credentials")
    assert default_store().get().grant == "client_credentials"


def test_remember_without_a_keyring_lasts_for_this_kernel(
    ext: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no keyring backend, --remember keeps the token in memory only, and says so."""
    ext.run_cell("%oic_login --remember")
    assert not bool(run(ext, "%oic_status").loc[0, "remembered"])  # nothing outlives the kernel
    ext.run_cell("%oic_logout")
    monkeypatch.delenv("OIC_PASSWORD")
    ext.run_cell("%oic_login")
    assert default_store().get().grant == "refresh_token"


# -- %oic --------------------------------------------------------------------------------------
def test_get_returns_every_page_as_a_frame(signed_in: Shell) -> None:
    """%oic GET connections reads all pages into one DataFrame with the facts."""
    signed_in.run_cell("%config OICMagics.page_size = 40")
    frame = run(signed_in, "%oic GET connections")
    assert isinstance(frame, pd.DataFrame) and len(frame) == 300
    assert frame["id"].is_unique and frame.columns[0] == "id"
    assert frame.attrs["pages"] == 8 and frame.attrs["total"] == 300
    url = frame.attrs["url"]
    assert url.endswith("/ic/api/integration/v1/connections?integrationInstance=oic-demo")
    assert isinstance(frame["lastUpdated"].dtype, pd.DatetimeTZDtype)


def test_assignment_form(signed_in: Shell) -> None:
    """df = %oic GET ... binds the frame."""
    signed_in.run_cell("df = %oic GET integrations")
    assert len(signed_in.user_ns["df"]) > 0


def test_output_variable_stores_and_shows_nothing(signed_in: Shell) -> None:
    """-o VAR pushes the result and the cell has no value."""
    assert run(signed_in, "%oic GET connections -o conns") is None
    assert len(signed_in.user_ns["conns"]) == 300


def test_raw_gives_parsed_json(signed_in: Shell) -> None:
    """--raw returns the items as dicts, links and all."""
    items = run(signed_in, "%oic GET connections --limit 2 --raw")
    assert isinstance(items, list) and "links" in items[0]


def test_single_resource_is_one_row(signed_in: Shell) -> None:
    """GET of one integration id (with its |) gives a one-row frame."""
    iid = run(signed_in, "%oic GET integrations --limit 1").loc[0, "id"]
    signed_in.user_ns["iid"] = iid
    frame = run(signed_in, "%oic GET integrations/{iid}")
    assert list(frame["id"]) == [iid]


def test_variables_expand_in_the_line(signed_in: Shell) -> None:
    """{code}|{version} expand as IPython does, and the id is encoded."""
    row = run(signed_in, "%oic GET integrations --limit 1").loc[0]
    signed_in.user_ns.update(code=row["code"], version=row["version"])
    assert run(signed_in, "%oic GET integrations/{code}|{version}").loc[0, "id"] == row["id"]


def test_where_exact_and_contains(signed_in: Shell) -> None:
    """--where key=value is exact; key~text is contains; both combine."""
    everything = run(signed_in, "%oic GET integrations")
    configured = run(signed_in, "%oic GET integrations --where status=CONFIGURED")
    assert 0 < len(configured) < len(everything)
    assert set(configured["status"]) == {"CONFIGURED"}
    both = run(signed_in, "%oic GET integrations --where status=CONFIGURED --where name~Bank")
    assert len(both) and all("Bank" in name for name in both["name"])


@pytest.mark.parametrize("spelling", ['"name={}"', 'name="{}"', "name='{}'", "'name={}'"])
def test_where_value_with_spaces_in_quotes(signed_in: Shell, emu: Emulator, spelling: str) -> None:
    """--where name="Two Words" (quoted whole or after =) reaches OIC as one exact value."""
    name = next(iter(emu.backend.data.connections.values()))["name"]
    assert " " in name
    condition = spelling.format(name)
    found = run(signed_in, f"%oic GET connections --where {condition} --where status~I")
    assert list(found["name"]) == [name]


def test_apostrophes_and_comments_read_as_written(signed_in: Shell) -> None:
    """O'Brien is a name, two apostrophes do not join two options, # starts a comment."""
    frame = run(signed_in, "%oic GET connections --where name~O'Brien")
    assert frame.empty and "name:/O'Brien/" in frame.attrs["url"]
    both = run(signed_in, "%oic GET connections --where name~Ada's --where type~Bob's")
    assert "name:/Ada's/" in both.attrs["url"] and "type:/Bob's/" in both.attrs["url"]
    assert len(run(signed_in, "%oic GET connections --limit 2   # two of them, as a note")) == 2


def test_raw_q_with_spaces_in_the_path(signed_in: Shell, emu: Emulator) -> None:
    """A raw q= whose quoted value holds spaces stays one path, quotes and all."""
    name = next(iter(emu.backend.data.connections.values()))["name"]
    signed_in.user_ns["q"] = "{name:'" + name + "'}"
    assert list(run(signed_in, "%oic GET connections?q={q}")["name"]) == [name]
    found = run(signed_in, "%oic GET connections?q={name:'" + name + "'} --limit 5")
    assert list(found["name"]) == [name]


def test_save_to_a_quoted_path_with_spaces(signed_in: Shell, tmp_path: Path) -> None:
    """--save "a file.csv" writes to that file: the quotes are not part of the name."""
    target = tmp_path / "my connections.csv"
    frame = run(signed_in, f'%oic GET connections --limit 3 --save "{target}"')
    assert len(pd.read_csv(target)) == len(frame) == 3


def test_limit(signed_in: Shell) -> None:
    """--limit N stops at N items."""
    assert len(run(signed_in, "%oic GET connections --limit 7")) == 7


def test_save_archive_bytes(signed_in: Shell, tmp_path: Path) -> None:
    """--save writes an archive's bytes as they came."""
    iid = run(signed_in, "%oic GET integrations --limit 1").loc[0, "id"]
    signed_in.user_ns.update(iid=iid, target=str(tmp_path / "x.iar"))
    assert run(signed_in, "%oic GET integrations/{iid}/archive --save {target}") is None
    signed_in.run_cell("%oic GET integrations/{iid}/archive -o blob")
    blob = signed_in.user_ns["blob"]
    assert (tmp_path / "x.iar").read_bytes() == blob and len(blob) > 0


def test_an_assigned_archive_keeps_its_bytes_and_shows_its_size(
    signed_in: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """x = %oic GET .../archive holds the bytes; shown, it is one line with the size."""
    iid = run(signed_in, "%oic GET integrations --limit 1").loc[0, "id"]
    signed_in.user_ns["iid"] = iid
    signed_in.run_cell("x = %oic GET integrations/{iid}/archive")
    archive = signed_in.user_ns["x"]
    assert isinstance(archive, bytes) and archive[:2] == b"PK"  # a zip, every byte of it
    capsys.readouterr()
    signed_in.run_cell("x")
    shown = capsys.readouterr().out.strip()
    assert shown.endswith(
        f"<{len(archive):,} bytes: write them with --save FILE, or keep them "
        "with -o NAME or x = %oic ...>"
    )
    assert "PK" not in shown


def test_save_csv(signed_in: Shell, tmp_path: Path) -> None:
    """--save PATH.csv writes the frame and still returns it."""
    signed_in.user_ns["target"] = str(tmp_path / "c.csv")
    frame = run(signed_in, "%oic GET connections --save {target}")
    assert len(pd.read_csv(tmp_path / "c.csv")) == len(frame) == 300


def test_save_csv_writes_nested_lists_as_json(
    signed_in: Shell, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lists left in cells (connectionProperties) are JSON in the CSV, readable back."""
    target = tmp_path / "one.csv"
    frame = run(signed_in, f"%oic GET connections --limit 1 --save {target}")
    assert "Saved 1 row to" in capsys.readouterr().out
    written = pd.read_csv(target)
    properties = json.loads(written.loc[0, "connectionProperties"])
    assert properties == frame.loc[0, "connectionProperties"] and properties


def test_sessions_by_name(signed_in: Shell) -> None:
    """--session picks a sign-in; an unknown one is refused."""
    signed_in.run_cell("%oic_login --session second")
    assert len(run(signed_in, "%oic GET connections --session second --limit 1")) == 1
    signed_in.run_cell("%oic_logout --session second")
    with pytest.raises(NotSignedInError, match="no session named 'second'"):
        signed_in.run_cell("%oic GET connections --session second")


def test_curl_prints_and_sends_nothing(
    signed_in: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """--curl prints a runnable command with $OIC_TOKEN, and no request leaves."""
    emu.control.clear_requests()
    signed_in.run_cell("%oic PATCH integrations/A|01.00.0000 --curl")
    text = capsys.readouterr().out
    assert text.splitlines()[-1].startswith("curl -sS -X POST ")
    assert "integrations/A%7C01.00.0000?integrationInstance=oic-demo" in text
    assert """@<(printf 'Authorization: Bearer %s\\n' "$OIC_TOKEN")""" in text
    assert "'X-HTTP-Method-Override: PATCH'" in text
    assert default_store().get().token.access_token not in text
    assert emu.control.requests() == []


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl command")
def test_curl_script_runs_in_a_shell(
    signed_in: Shell, oic_env: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The printed script, run by bash with the OIC_* variables set, gets a token and the page;
    no secret is ever an argument of a process (``ps`` would show it to every user)."""
    signed_in.run_cell("%oic GET connections --limit 3 --where status=CONFIGURED --curl")
    script = capsys.readouterr().out
    secrets = [oic_env["OIC_PASSWORD"], oic_env["OIC_CLIENT_SECRET"]]
    assert not [secret for secret in secrets if secret in script]
    # Every command the script runs goes through a shim that records its arguments.
    shims, argv_log = tmp_path / "bin", tmp_path / "argv.log"
    shims.mkdir()
    for name in ("curl", "base64", "tr", "python3"):
        real = shutil.which(name)
        assert real, name
        (shims / name).write_text(
            f'#!/bin/bash\nprintf "%s\\n" "$0 $*" >> {argv_log}\nexec {real} "$@"\n'
        )
        (shims / name).chmod(0o755)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=oic_env | {"PATH": f"{shims}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert len(page["items"]) == 3 and {i["status"] for i in page["items"]} == {"CONFIGURED"}
    arguments = argv_log.read_text()
    assert arguments.count("/curl ") == 2  # the shims did see both requests
    assert not [secret for secret in secrets if secret in arguments]
    assert "eyJ" not in arguments  # no access token (a JWT) either
    assert "Bearer" not in arguments and "Basic" not in arguments


def test_cell_post_with_override_header_and_body(signed_in: Shell) -> None:
    """%%oic POST with X-HTTP-Method-Override: PATCH and a JSON body activates."""
    iid = run(signed_in, "%oic GET integrations --where status=CONFIGURED --limit 1").loc[0, "id"]
    signed_in.user_ns.update(iid=iid, wanted="ACTIVATED")
    frame = run(
        signed_in,
        '%%oic POST integrations/{iid}\nX-HTTP-Method-Override: PATCH\n\n{"status": "{wanted}"}\n',
    )
    assert frame.loc[0, "status"] == "ACTIVATION_INPROGRESS"


def test_patch_verb_is_sent_as_oic_wants(signed_in: Shell, emu: Emulator) -> None:
    """%%oic PATCH goes out as POST + X-HTTP-Method-Override."""
    iid = run(signed_in, "%oic GET integrations --where status=CONFIGURED --limit 1").loc[0, "id"]
    signed_in.user_ns["iid"] = iid
    emu.control.clear_requests()
    signed_in.run_cell('%%oic PATCH integrations/{iid} -o result\n{"status": "ACTIVATED"}')
    assert signed_in.user_ns["result"].loc[0, "status"] == "ACTIVATION_INPROGRESS"
    assert [r["method"] for r in emu.control.requests()] == ["POST"]


# -- %oic_status / %oic_logout ------------------------------------------------------------------
def test_status_lists_sessions_without_secrets(signed_in: Shell, oic_env: dict[str, str]) -> None:
    """%oic_status: name, user, instance, host, expiry, refreshable, remembered; no secret."""
    frame = run(signed_in, "%oic_status")
    row = frame.loc[0]
    assert (row["name"], row["user"], row["instance"]) == ("default", "ada.lovelace", "oic-demo")
    assert bool(row["refreshable"]) and not bool(row["remembered"])
    text = frame.to_csv()
    token = default_store().get().token
    for secret in (
        oic_env["OIC_PASSWORD"],
        oic_env["OIC_CLIENT_SECRET"],
        token.access_token,
        token.refresh_token,
    ):
        assert secret not in text


def test_logout_one_all_and_forget(
    signed_in: Shell, oic_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """%oic_logout ends one session, --all ends every one, --forget clears the keyring."""
    signed_in.run_cell("%oic_login --session b --remember")
    signed_in.run_cell("%oic_logout")
    assert default_store().names() == ["b"]
    signed_in.run_cell("%oic_logout --session b --forget")
    monkeypatch.delenv("OIC_PASSWORD")
    with pytest.raises(Exception, match="password: OIC_PASSWORD"):
        signed_in.run_cell("%oic_login --session b")
    monkeypatch.setenv("OIC_PASSWORD", oic_env["OIC_PASSWORD"])
    signed_in.run_cell("%oic_login --session c")
    signed_in.run_cell("%oic_logout --all")
    assert default_store().names() == []


def test_logout_twice_is_a_message_not_an_error(
    signed_in: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clean-up cell that signs out what is already gone says so and lets Run All go on."""
    signed_in.run_cell('%oic_login --session "dev"')
    assert sorted(default_store().names()) == ["default", "dev"]  # quotes are not the name
    capsys.readouterr()
    for line in (
        '%oic_logout --session "dev"',
        "%oic_logout --session dev",
        "%oic_logout",
        "%oic_logout",
        "%oic_logout --all",
    ):
        assert signed_in.run_cell(line).success, line
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Signed out: dev.",
        "No session named 'dev' is signed in: nothing to sign out.",
        "Signed out: default.",
        "No session named 'default' is signed in: nothing to sign out.",
        "No session is signed in: nothing to sign out.",
    ]


def test_sessions_survive_reload(signed_in: Shell) -> None:
    """%reload_ext keeps the signed-in sessions."""
    signed_in.run_cell("%reload_ext oic_magic")
    assert len(run(signed_in, "%oic GET connections --limit 1")) == 1


# -- %config -----------------------------------------------------------------------------------
def test_row_cap(signed_in: Shell) -> None:
    """%config OICMagics.max_rows stops a list larger than the cap."""
    signed_in.run_cell("%config OICMagics.max_rows = 100")
    with pytest.raises(RowLimitError, match="more than max_rows=100"):
        signed_in.run_cell("%oic GET connections")


def test_config_changes_apply_to_the_next_call(signed_in: Shell) -> None:
    """%config set after a first call still governs the next one (page size, row cap)."""
    first = run(signed_in, "%oic GET connections")
    assert first.attrs["pages"] == 3
    signed_in.run_cell("%config OICMagics.page_size = 50")
    assert run(signed_in, "%oic GET connections").attrs["pages"] == 6
    signed_in.run_cell("%config OICMagics.max_rows = 100")
    with pytest.raises(RowLimitError, match="more than max_rows=100"):
        signed_in.run_cell("%oic GET connections")


def test_short_errors_switch(signed_in: Shell) -> None:
    """short_errors renders one line; off, the full traceback (frames, never their values)."""
    with pytest.raises(NotSignedInError) as short:
        signed_in.run_cell("%oic GET connections --session none")
    assert short.value._render_traceback_() == [f"NotSignedInError: {short.value}"]
    signed_in.run_cell("%config OICMagics.short_errors = False")
    with pytest.raises(NotSignedInError) as full:
        signed_in.run_cell("%oic GET connections --session none")
    lines = full.value._render_traceback_()
    assert lines[0] == "Traceback (most recent call last):"
    assert any("oic_magic/core/_store.py" in line for line in lines)
    assert lines[-1].startswith("oic_magic.exceptions.NotSignedInError: not signed in")


def test_timeout_from_config(signed_in: Shell) -> None:
    """%config OICMagics.timeout reaches the session's settings."""
    signed_in.run_cell("%config OICMagics.timeout = 12.5")
    signed_in.run_cell("%oic_login")
    assert default_store().get().settings.timeout == 12.5


def test_no_progress_bar_when_headless(
    signed_in: Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    """A multi-page fetch without a kernel displays no progress widget."""
    signed_in.run_cell("%config OICMagics.page_size = 10")
    run(signed_in, "%oic GET connections")
    assert "IntProgress" not in capsys.readouterr().out


@pytest.mark.parametrize(("path", "nothing"), [
    ("connections", "name~NO_SUCH_CONNECTION"),
    ("integrations", "name~NO_SUCH_INTEGRATION"),
    ("lookups", "name~NO_SUCH_LOOKUP"),
    ("packages", "name~NO_SUCH_PACKAGE"),
    ("projects", "name~NO_SUCH_PROJECT"),
    ("monitoring/instances --where timewindow=3d", "code=NO_SUCH_CODE"),
    ("monitoring/errors --where timewindow=3d", "code=NO_SUCH_CODE"),
    ("monitoring/integrations --where timewindow=3d", "code=NO_SUCH_CODE"),
])  # fmt: skip
def test_a_filter_that_finds_nothing_keeps_the_columns(
    signed_in: Shell, path: str, nothing: str
) -> None:
    """An empty answer has columns a full one has, with the same kind of timestamps."""
    full = run(signed_in, f"%oic GET {path} --limit 5")
    empty = run(signed_in, f"%oic GET {path} --where {nothing}")
    assert len(full) and empty.empty and empty.attrs["total"] == 0
    assert len(empty.columns) >= 2 and set(empty.columns) <= set(full.columns)
    for name in empty.columns:
        if isinstance(full[name].dtype, pd.DatetimeTZDtype):
            assert empty[name].dtype == full[name].dtype, name  # the same unit too
        else:
            assert not isinstance(empty[name].dtype, pd.DatetimeTZDtype), name
    assert empty.groupby(empty.columns[1]).size().empty


def test_config_timeout_applies_without_signing_in_again(signed_in: Shell, emu: Emulator) -> None:
    """%config OICMagics.timeout reaches the next call of a session signed in before it."""
    signed_in.run_cell("%config OICMagics.retries = 0")
    signed_in.run_cell("%config OICMagics.timeout = 0.3")
    emu.control.set_latency(1.5, pattern="/connections$")
    with pytest.raises(TransportError, match=r"within 0\.3 s.*%config OICMagics\.timeout"):
        signed_in.run_cell("%oic GET connections --limit 1")
    signed_in.run_cell("%config OICMagics.timeout = 10")
    assert len(run(signed_in, "%oic GET connections --limit 1")) == 1


def test_a_pasted_href_is_called_and_another_hosts_refused(
    signed_in: Shell, emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """links[].href of this instance works as the path (also for --curl); a foreign one never."""
    href = f"{emu.design_url}/ic/api/integration/v1/connections?integrationInstance=oic-demo"
    assert len(run(signed_in, f"%oic GET {href} --limit 4")) == 4
    signed_in.run_cell(f"%oic GET {href} --limit 4 --curl")
    script = capsys.readouterr().out
    assert f"'{emu.design_url}/ic/api/integration/v1/connections?" in script
    assert "v1/http" not in script
    emu.control.clear_requests()
    with pytest.raises(RequestError, match="is not this session's OIC") as caught:
        signed_in.run_cell(
            "%oic GET https://elsewhere.example.com/ic/api/integration/v1/connections"
        )
    assert caught.value._render_traceback_() == [f"RequestError: {caught.value}"]
    assert emu.control.requests() == []


def test_q_in_the_path_and_where_filter_together(signed_in: Shell) -> None:
    """connections?q={status:'CONFIGURED'} --where name~Bank: one q, both conditions."""
    both = run(signed_in, "%oic GET connections?q={status:'CONFIGURED'} --where name~Bank")
    assert len(both) and set(both["status"]) == {"CONFIGURED"}
    assert all("Bank" in name for name in both["name"])
    assert both.attrs["url"].count("q=") == 1
