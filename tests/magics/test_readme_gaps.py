"""What the README says of tuning, help, page-by-page reading and the notebooks holds."""

from __future__ import annotations

import re
from pathlib import Path

from _emulated import demo_settings

from oic_magic import OICClient
from oic_magic.emulator import Emulator
from oic_magic.notebook._magics import OICMagics

from .conftest import TestingShell as Shell

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_tuning_table_names_every_trait() -> None:
    """Finding: %config OICMagics.timezone was missing from the table."""
    table = README.split("### Tuning: `%config OICMagics`", 1)[1].split("\n\n", 2)[1]
    listed = set(re.findall(r"^\| `OICMagics\.(\w+)`", table, re.MULTILINE))
    assert listed == set(OICMagics.class_own_traits(config=True))


def test_more_names_every_notebook_and_the_monitoring_doc() -> None:
    more = README.split("## More", 1)[1]
    for notebook in sorted((ROOT / "notebooks").glob("*.py")):
        assert f"`{notebook.stem}`" in more, notebook.stem
    assert "`docs/monitoring.md`" in more and (ROOT / "docs" / "monitoring.md").is_file()


def test_help_in_an_executed_notebook_prints_the_usage(ext: Shell) -> None:
    assert 'print(get_ipython().find_line_magic("oic").__doc__)' in README
    doc = ext.find_line_magic("oic").__doc__  # type: ignore[no-untyped-call]
    assert isinstance(doc, str) and "%oic [-o VAR]" in doc and "--where" in doc


def test_one_page_read_as_the_readme_says(emu: Emulator) -> None:
    assert 'client.get("connections", params={"offset": 20, "limit": 10})' in README
    with OICClient.sign_in(demo_settings(emu)) as client:
        every = client.paginate("connections", page_size=10)
        page = client.get("connections", params={"offset": 20, "limit": 10})
    assert every.pages == -(-len(every) // 10) and len(every) > 30
    assert [item["id"] for item in page["items"]] == [item["id"] for item in every[20:30]]
    assert {"hasMore", "totalResults"} <= set(page)
