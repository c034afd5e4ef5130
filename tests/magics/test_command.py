"""Reading a %oic line: words, quotes, comments, and what a path names."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from oic_magic.notebook._command import developer_path, split_line, unknown_resource


@pytest.mark.parametrize(("line", "words"), [
    ('GET connections --where name="Two Words"', ["GET", "connections", "--where",
                                                  'name="Two Words"']),
    ("GET connections?q={name:'A B'}", ["GET", "connections?q={name:'A B'}"]),
    ('--session "dev"', ["--session", "dev"]),
    ("--where name~O'Brien --limit 2", ["--where", "name~O'Brien", "--limit", "2"]),
    ("--where a~Ada's --where b~Bob's", ["--where", "a~Ada's", "--where", "b~Bob's"]),
    ("GET connections   # every page", ["GET", "connections"]),
    ("GET a#b", ["GET", "a#b"]),
])  # fmt: skip
def test_split_line(line: str, words: list[str]) -> None:
    assert split_line(line) == words


def test_an_opened_quote_must_close() -> None:
    with pytest.raises(UsageError, match='unclosed " in'):
        split_line('GET connections --where name="Two Words')


@pytest.mark.parametrize(("path", "expected"), [
    ("connections", "connections"),
    ("connections/", "connections"),
    ("/ic/api/integration/v1/integrations/A%7C01.00.0000", "integrations/A|01.00.0000"),
    ("ic/api/integration/v1/integrations/A|01.00.0000?x=1", "integrations/A|01.00.0000"),
    ("https://h.example.com/ic/api/integration/v1/lookups/L", "lookups/L"),
    ("/ic/api/other/v1/x", None),
])  # fmt: skip
def test_developer_path_of_every_spelling(path: str, expected: str | None) -> None:
    assert developer_path(path) == expected


def test_unknown_resource_names_the_closest() -> None:
    assert "Did you mean integrations?" in (
        unknown_resource("ic/api/integration/v1/intgrations") or ""
    )
    assert unknown_resource("flows/rest/HELLO/1.0/") is None
    assert unknown_resource("/ic/api/other/x") is None
