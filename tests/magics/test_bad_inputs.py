"""Bad inputs: each gives one clear message and leaves no secret anywhere.

Every case runs in a shell with history ON (in a temporary directory), then the
message is checked, and ``In``, ``_ih``, the history database, the printed
output and the message itself are searched for every secret of the run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from IPython.core.error import UsageError

from oic_magic import default_store
from oic_magic.emulator import DEMO, Emulator
from oic_magic.exceptions import (
    APIStatusError,
    BadCredentialsError,
    ConfigurationError,
    FederatedUserError,
    InvalidClientError,
    InvalidScopeError,
    LockedUserError,
    NotSignedInError,
)

from ._environment import emulator_environment
from .conftest import TestingShell as Shell

WRONG = "Wr0ng-Passw0rd!-under-test"
PROFILE = "[p]\nurl = https://design.integration.r.ocp.oraclecloud.com\ninstance = i\n"


@dataclass(frozen=True)
class Case:
    cell: str
    error: type[BaseException]
    message: str
    env: dict[str, str] = field(default_factory=dict)  # overrides of the emulator env
    bare: bool = False  # no OIC_* variables at all
    signed_in: bool = False
    profile: str | None = None
    profile_mode: int = 0o600
    before: tuple[str, ...] = ()
    fault: tuple[str, str] | None = None


CASES = {
    "unknown verb": Case("%oic FETCH connections", UsageError, "unknown verb 'FETCH': use GET"),
    "missing path": Case("%oic GET", UsageError, "missing the path"),
    "unclosed quote": Case(
        '%oic GET connections --where name="Two Words',
        UsageError,
        'unclosed " in: GET connections --where name="Two Words',
    ),
    "bad JSON body": Case(
        '%%oic POST integrations/X|01\n\n{"status": ACTIVATED}',
        UsageError,
        r"not valid JSON: Expecting value at cell line 3, column 12",
    ),
    "bad header line": Case(
        "%%oic POST integrations/X|01\nnot a header\n\n{}",
        UsageError,
        "cell line 2: expected a header",
    ),
    "body written as a header": Case(
        "%%oic PATCH integrations/X|01.00.0000\nstatus: ACTIVATED",
        UsageError,
        "cell line 2: 'status: ...' would be sent as "
        r'an HTTP header .* Write the body as JSON: \{"status": ',
    ),
    "unknown body variable": Case(
        '%%oic POST integrations/X|01\n\n{"a": {nothing_here}}',
        UsageError,
        r"\{nothing_here\} names no variable",
    ),
    "unknown variable in the path": Case(
        "%oic GET integrations/{no_such_name}",
        UsageError,
        r"\{no_such_name\} in the path: no variable",
    ),
    "paging written in a list path": Case(
        "%oic GET connections?limit=5", UsageError, "limit= and offset= in the path are not used"
    ),
    "unknown session": Case(
        "%oic GET connections --session nope",
        NotSignedInError,
        "no session named 'nope'",
        signed_in=True,
    ),
    "not signed in": Case(
        "%oic GET connections",
        NotSignedInError,
        "not signed in: there is no session named 'default'",
    ),
    "save into a missing folder": Case(
        "%oic GET connections --save no/such/dir/c.csv",
        UsageError,
        "there is no folder no/such/dir; create it",
    ),
    "save raw JSON as CSV": Case(
        "%oic GET connections --raw --save c.csv",
        UsageError,
        "--raw keeps the JSON answer, so save it as .json",
    ),
    "value with spaces not quoted": Case(
        "%oic GET connections --where name=Bank ATP",
        UsageError,
        'unrecognized arguments: ATP. A value with spaces needs quotes: --where name="Bank',
    ),
    "where without operator": Case(
        "%oic GET integrations --where status", UsageError, r"write key=value \(exact\) or key~text"
    ),
    "where bad key": Case(
        "%oic GET integrations --where 'st atus=X'", UsageError, "is not a field name"
    ),
    "limit zero": Case("%oic GET connections --limit 0", UsageError, "positive number"),
    "limit not a number": Case(
        "%oic GET connections --limit many", UsageError, "invalid int value: 'many'"
    ),
    "output not a name": Case(
        "%oic GET connections -o 1st", UsageError, "give a Python variable name"
    ),
    "unknown option": Case(
        "%oic GET connections --bogus", UsageError, "unrecognized arguments: --bogus"
    ),
    "save table bad suffix": Case(
        "%oic GET connections --save out.txt",
        UsageError,
        r"a list is saved as a table, as \.csv, \.json, \.html",
    ),
    "save a status change as text": Case(
        '%%oic PATCH integrations/X|01.00.0000 --wait --save out.txt\n{"status": "ACTIVATED"}',
        UsageError,
        r"the answer to PATCH is saved as a table, as \.csv, \.json, \.html",
    ),
    "URL with a password in it": Case(
        "%oic GET https://ada:S3cr3t-in-url@example.com/ic/api/integration/v1/connections",
        UsageError,
        "the URL carries a user name or password: leave them out",
    ),
    "misspelt resource": Case(
        "%oic GET conections",
        APIStatusError,
        r"HTTP 404.*'conections' is not a Developer API resource\. "
        r"Did you mean connections\?",
        signed_in=True,
    ),
    "wait with a lower-case status": Case(
        '%%oic PATCH integrations/X|01.00.0000 --wait\n{"status": "activated"}',
        UsageError,
        'write the status in upper case: "ACTIVATED"',
    ),
    "wait on a GET": Case(
        "%oic GET integrations/X|01.00.0000 --wait",
        UsageError,
        r"--wait waits for an activation: .*GET changes no status",
    ),
    "wait without a status": Case(
        '%%oic PATCH integrations/X|01.00.0000 --wait\n{"a": 1}',
        UsageError,
        "this body sets no such status",
        signed_in=True,
    ),
    "status takes no arguments": Case("%oic_status now", UsageError, "unrecognized arguments"),
    "unknown grant": Case("%oic_login --grant magic", UsageError, "invalid choice: 'magic'"),
    "invalid URL": Case(
        "%oic_login",
        ConfigurationError,
        "design_url is not an http\\(s\\) URL",
        env={"OIC_DESIGN_URL": "ftp://somewhere"},
    ),
    "http off loopback": Case(
        "%oic_login",
        ConfigurationError,
        "design_url uses plain http:// off loopback",
        env={"OIC_DESIGN_URL": "http://design.integration.example.com"},
    ),
    "bad timeout": Case(
        "%oic_login",
        ConfigurationError,
        "OIC_TIMEOUT must be a positive number of seconds from 0.001 to 3,600",
        env={"OIC_TIMEOUT": "soon"},
    ),
    "unknown profile": Case(
        "%oic_login --profile nope",
        ConfigurationError,
        r"no profile \[nope\] .*profiles there: p",
        profile=PROFILE,
    ),
    "no profile file": Case("%oic_login --profile p", ConfigurationError, "no profile file at"),
    "secret in shared profile": Case(
        "%oic_login --profile p",
        ConfigurationError,
        "holds a secret but the file is readable by others",
        profile=PROFILE + f"password = {WRONG}\n",
        profile_mode=0o644,
    ),
    "unknown key in profile": Case(
        "%oic_login --profile p",
        ConfigurationError,
        "unknown settings colour",
        profile=PROFILE + "colour = red\n",
    ),
    "bad grant in profile": Case(
        "%oic_login --profile p",
        ConfigurationError,
        "grant 'magic' is not one of",
        profile=PROFILE + "grant = magic\n",
    ),
    "everything missing headless": Case(
        "%oic_login",
        ConfigurationError,
        r"8 setting\(s\) missing .*headless.*\n.*OIC_URL",
        bare=True,
    ),
    "password missing headless": Case(
        "%oic_login",
        ConfigurationError,
        r"1 setting\(s\) missing[^\n]*\n  - password: OIC_PASSWORD",
        env={"OIC_PASSWORD": ""},
    ),
    "wrong password": Case(
        "%oic_login",
        BadCredentialsError,
        "wrong user name or password",
        env={"OIC_PASSWORD": WRONG},
    ),
    "locked user": Case(
        "%oic_login", LockedUserError, "the user is locked", env={"OIC_USERNAME": "locked.user"}
    ),
    "federated user": Case(
        "%oic_login",
        FederatedUserError,
        r"federated \(single sign-on\) user cannot use the password grant",
        env={"OIC_USERNAME": "sso.user"},
    ),
    "wrong client secret": Case(
        "%oic_login", InvalidClientError, "the client was refused", env={"OIC_CLIENT_SECRET": WRONG}
    ),
    "wrong scope": Case(
        "%oic_login",
        InvalidScopeError,
        "the scope was refused",
        env={"OIC_SCOPE": "https://other.example.com:443urn:opc:resource:consumer::all"},
    ),
    "unknown id": Case(
        "%oic GET integrations/NOPE|01.00.0000",
        APIStatusError,
        r"GET /ic/api/integration/v1/integrations/NOPE%7C01.00.0000\?"
        r"integrationInstance=oic-demo failed with HTTP 404",
        signed_in=True,
    ),
    "server error": Case(
        "%oic GET connections",
        APIStatusError,
        "failed with HTTP 500",
        signed_in=True,
        before=("%config OICMagics.retries = 0",),
        fault=("500", "connections"),
    ),
}


def _secrets(env: dict[str, str]) -> set[str]:
    values = {DEMO.client_secret, DEMO.password, WRONG, env.get("OIC_PASSWORD", "")}
    for name in default_store().names():
        token = default_store().get(name).token
        values |= {token.access_token, token.refresh_token or ""}
    return {value for value in values if value}


def _history(path: Path) -> str:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT source, source_raw FROM history").fetchall()
        rows += db.execute("SELECT output FROM output_history").fetchall()
    return repr(rows)


def test_there_are_at_least_thirty_cases() -> None:
    """The table covers the issue's list of bad inputs, thirty or more."""
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input(
    case: Case,
    ip_history: Shell,
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One clear message, raised; no secret in In, _ih, history.sqlite or the output."""
    ip = ip_history
    env = {} if case.bare else emulator_environment(emu, **case.env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if case.profile is not None:
        (tmp_path / "profiles.ini").write_text(case.profile)
        (tmp_path / "profiles.ini").chmod(case.profile_mode)
        monkeypatch.setenv("OIC_PROFILE_FILE", str(tmp_path / "profiles.ini"))
    ip.run_cell("%load_ext oic_magic")
    if case.signed_in:
        ip.run_cell("%oic_login")
    for cell in case.before:
        ip.run_cell(cell)
    if case.fault:
        emu.control.inject_fault(case.fault[0], pattern=case.fault[1])

    with pytest.raises(case.error, match=case.message) as caught:
        ip.run_cell(case.cell)

    ip.history.writeout_cache()
    history = _history(Path(ip.history.hist_file))
    assert case.cell.split()[0] in history  # the database really holds the session
    places = {
        "message": str(caught.value),
        "In": repr(ip.user_ns["In"]),
        "_ih": repr(ip.user_ns["_ih"]),
        "history.sqlite": history,
        "output": "".join(capsys.readouterr()),
    }
    for secret in _secrets(env):
        leaks = [where for where, text in places.items() if secret in text]
        assert not leaks, f"a secret leaked into {leaks}"
    if hasattr(caught.value, "_render_traceback_"):
        assert len(caught.value._render_traceback_()) == 1


def test_role_missing(ext: Shell, emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user without a Developer API role gets OIC's 403, with what to ask for."""
    for name, value in emulator_environment(emu, OIC_USERNAME="alan.turing").items():
        monkeypatch.setenv(name, value)
    ext.run_cell("%oic_login")
    with pytest.raises(APIStatusError, match="HTTP 403.*lacks the role"):
        ext.run_cell("%oic GET connections")
