"""Loading, unloading, reloading and help of the magics."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from .conftest import TestingShell as Shell

MAGICS = ("oic_login", "oic_status", "oic_logout")


def test_load_registers_every_magic(ext: Shell) -> None:
    """%load_ext oic_magic adds the line magics and the %%oic cell magic."""
    line = ext.magics_manager.magics["line"]
    assert all(name in line for name in (*MAGICS, "oic"))
    assert "oic" in ext.magics_manager.magics["cell"]


def test_unload_removes_them(ext: Shell) -> None:
    """%unload_ext oic_magic leaves no oic magic behind."""
    ext.run_cell("%unload_ext oic_magic")
    assert not [n for n in ext.magics_manager.magics["line"] if n.startswith("oic")]
    with pytest.raises(UsageError, match="Line magic function `%oic_status` not found"):
        ext.run_cell("%oic_status")


def test_reload_works(ext: Shell) -> None:
    """%reload_ext oic_magic leaves exactly one working set of magics."""
    ext.run_cell("%reload_ext oic_magic")
    frame = ext.run_cell("%oic_status").result
    assert list(frame.columns) == [
        "name",
        "user",
        "instance",
        "host",
        "token_expires",
        "refreshable",
        "remembered",
    ]
    assert sum(type(c).__name__ == "OICMagics" for c in ext.configurables) == 1


@pytest.mark.parametrize("magic", ["oic", "oic_login", "oic_status", "oic_logout"])
def test_help_has_usage_and_examples(
    ext: Shell, magic: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """%name? prints the magic_arguments usage and at least one example."""
    ext.run_cell(f"%{magic}?")
    text = capsys.readouterr().out
    assert f"%{magic}" in text and "Example" in text


def test_config_lists_every_setting(ext: Shell, capsys: pytest.CaptureFixture[str]) -> None:
    """%config OICMagics shows page size, concurrency, row cap, timeout and the rest."""
    ext.run_cell("%config OICMagics")
    text = capsys.readouterr().out
    for trait in (
        "page_size",
        "concurrency",
        "max_rows",
        "timeout",
        "retries",
        "progress",
        "short_errors",
        "default_profile",
    ):
        assert f"OICMagics.{trait}" in text


def test_config_changes_a_setting(ext: Shell) -> None:
    """%config OICMagics.page_size = 25 reaches the magics."""
    ext.run_cell("%config OICMagics.page_size = 25")
    assert ext.magics_manager.registry["OICMagics"].page_size == 25


@pytest.mark.parametrize(("trait", "value", "bound"), [
    ("page_size", "0", "less than 1"), ("concurrency", "-2", "less than 1"),
    ("max_rows", "0", "less than 1"), ("retries", "-1", "less than 0"),
    ("rereads", "-1", "less than 0"), ("timeout", "0", "less than 0.001"),
    ("activation_interval", "0", "less than 0.01"),
])  # fmt: skip
def test_config_refuses_a_value_out_of_range(
    ext: Shell, caplog: pytest.LogCaptureFixture, trait: str, value: str, bound: str
) -> None:
    """%config OICMagics.page_size = 0 is refused with the bound; the setting stays."""
    magics = ext.magics_manager.registry["OICMagics"]
    before = getattr(magics, trait)
    ext.run_cell(f"%config OICMagics.{trait} = {value}")
    assert getattr(magics, trait) == before
    assert f"'{trait}' trait of an OICMagics instance should not be {bound}" in caplog.text
