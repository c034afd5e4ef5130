"""Tab completion of the magics in a real InteractiveShell, as Jupyter asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from _emulated import api_requests
from IPython.core.completer import provisionalcompleter

from oic_magic.core._catalogue import RESOURCES, STATUSES
from oic_magic.core._credentials import GRANTS
from oic_magic.emulator import Emulator
from oic_magic.notebook._completion import MATCHER_ID

from .conftest import TestingShell as Shell


def complete(ip: Shell, text: str) -> list[str]:
    """The texts Jupyter would offer with the cursor at the end of *text*."""
    with provisionalcompleter():
        return [c.text for c in ip.Completer.completions(text, len(text))]


def replaced(ip: Shell, text: str) -> list[str]:
    """The line as it reads once each completion is applied (start..end replaced)."""
    with provisionalcompleter():
        found = list(ip.Completer.completions(text, len(text)))
    return [text[: c.start] + c.text + text[c.end :] for c in found]


def test_verbs_instead_of_python_keywords(ext: Shell) -> None:
    """Finding: `%oic GET ` + Tab offered Python keywords, every magic and a file name."""
    assert complete(ext, "%oic ") == ["GET", "POST", "PUT", "PATCH", "DELETE"]
    assert complete(ext, "%oic pa") == ["PATCH"]


def test_resources_from_the_catalogue(ext: Shell) -> None:
    """Finding: `%oic GET con` + Tab offered %conda and %config."""
    assert complete(ext, "%oic GET con") == ["connections"]
    assert complete(ext, "%oic GET ") == list(RESOURCES)
    assert replaced(ext, "df = %oic GET int") == ["df = %oic GET integrations"]


def test_nested_paths(ext: Shell) -> None:
    assert complete(ext, "%oic GET monitoring/") == [
        "monitoring/instances",
        "monitoring/errors",
        "monitoring/integrations",
    ]
    assert complete(ext, "%oic GET monitoring/e") == ["monitoring/errors"]
    assert complete(ext, "%oic GET integrations/HELLO|01.00.0000/a") == [
        "integrations/HELLO|01.00.0000/activationStatus",
        "integrations/HELLO|01.00.0000/archive",
    ]
    assert complete(ext, "%oic POST connections/C1/") == ["connections/C1/test"]
    assert complete(ext, "%oic GET projects/P/") == [
        "projects/P/connections",
        "projects/P/integrations",
    ]


def test_ids_of_what_this_session_listed(signed_in: Shell, emu: Emulator) -> None:
    """Ids come from lists already returned; completing sends nothing."""
    assert complete(signed_in, "%oic GET integrations/HEL") == []  # nothing listed yet
    signed_in.run_cell("%oic GET integrations")
    signed_in.run_cell("%oic GET connections -o conns")
    signed_in.run_cell("%oic GET lookups -o lookups")
    sent = len(api_requests(emu))
    integrations = complete(signed_in, "%oic GET integrations/HEL")
    assert integrations and all(i.startswith("integrations/HELLO|") for i in integrations)
    assert all(len(i.split("|", 1)[1].split(".")) == 3 for i in integrations)  # CODE|01.00.0000
    first = signed_in.user_ns["conns"]["id"].iloc[0]
    assert f"connections/{first}" in complete(signed_in, f"%oic GET connections/{first[:3]}")
    name = signed_in.user_ns["lookups"]["name"].iloc[0]
    assert f"lookups/{name}" in complete(signed_in, "%oic GET lookups/")
    # The line as Jupyter rewrites it: the `|` (a delimiter to IPython) stays in the word.
    line = "%oic GET integrations/HELLO|"
    assert all(r.startswith("%oic GET integrations/HELLO|0") for r in replaced(signed_in, line))
    assert len(api_requests(emu)) == sent


def test_ids_are_per_session(signed_in: Shell) -> None:
    signed_in.run_cell("%oic GET integrations")
    assert complete(signed_in, "%oic GET integrations/HEL")
    assert complete(signed_in, "%oic GET integrations/HEL --session other") == []
    assert complete(signed_in, "%oic GET --session other integrations/HEL") == []
    signed_in.run_cell("%oic_logout")
    assert complete(signed_in, "%oic GET integrations/HEL") == []


def test_option_names_from_the_parsers(ext: Shell) -> None:
    """Finding: `--` + Tab offered nothing."""
    options = complete(ext, "%oic GET connections --")
    assert {"--where", "--limit", "--save", "--session", "--raw", "--curl", "--columns"} <= set(
        options
    )
    assert complete(ext, "%oic GET connections --li") == ["--limit"]
    assert "--raw" not in complete(ext, "%oic GET connections --raw --")  # used once
    assert "--where" in complete(ext, "%oic GET connections --where a=b --")  # repeatable
    assert complete(ext, "%oic_logout --") == ["--all", "--forget", "--profile", "--session"]
    assert complete(ext, "%oic_login --grant ") == list(GRANTS)


def test_where_keys_and_values(ext: Shell) -> None:
    assert complete(ext, "%oic GET integrations --where ") == [
        "name=",
        "status=",
        "type=",
        "style=",
        "code=",
    ]
    assert complete(ext, "%oic GET integrations --where st") == ["status=", "style="]
    assert complete(ext, "%oic GET integrations --where status=") == [
        f"status={s}" for s in STATUSES["integrations"]
    ]
    assert complete(ext, "%oic GET integrations --where status=con") == ["status=CONFIGURED"]
    assert complete(ext, "%oic GET connections --where role=S") == [
        "role=SOURCE",
        "role=SOURCE_AND_TARGET",
    ]
    assert "timewindow=1d" in complete(ext, "%oic GET monitoring/instances --where timewindow=")


def test_column_names(ext: Shell) -> None:
    assert complete(ext, "%oic GET integrations --columns ")[:3] == ["all", "id", "code"]
    assert complete(ext, "%oic GET integrations --columns id,st") == [
        "id,status",
        "id,style",
    ]
    assert "id,id" not in complete(ext, "%oic GET integrations --columns id,")


def test_session_names(signed_in: Shell) -> None:
    assert complete(signed_in, "%oic GET connections --session ") == ["default"]
    assert complete(signed_in, "%oic_logout --session d") == ["default"]


def test_save_paths(ext: Shell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "old.csv").write_text("")
    (tmp_path / ".hidden").write_text("")
    monkeypatch.chdir(tmp_path)
    assert complete(ext, "%oic GET connections --save ") == ["ipython/", "old.csv", "reports/"]
    assert complete(ext, "%oic GET connections --save re") == ["reports/"]
    assert complete(ext, f"%oic GET connections --save {tmp_path}/o") == [f"{tmp_path}/old.csv"]


def test_python_and_other_magics_are_left_alone(ext: Shell) -> None:
    ext.user_ns["connections_count"] = 1
    assert "connections_count" in complete(ext, "connections_c")
    assert "%oic_login" in complete(ext, "%oic_l")
    assert any(c.endswith("config") for c in complete(ext, "%conf"))


def test_unload_removes_the_completer(ext: Shell) -> None:
    def ours() -> list[object]:
        return [
            m
            for m in ext.Completer.custom_matchers
            if getattr(m, "matcher_identifier", None) == MATCHER_ID
        ]

    assert len(ours()) == 1
    ext.run_cell("%reload_ext oic_magic")
    assert len(ours()) == 1
    ext.run_cell("%unload_ext oic_magic")
    assert ours() == []
    assert "connections" not in complete(ext, "%oic GET con")
