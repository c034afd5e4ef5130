"""The report a manager opens: code-free pages, headline numbers, offline in Chromium.

Findings of a first look, each a test: the pages were mostly code, chart axes read raw
column names (``adapterType.displayName``), the hourly chart had fractional count
ticks, every page ended in an ``OIC_SUMMARY {...}`` blob, the index had no numbers, and
the pages loaded require.js, MathJax and a widget manager from public CDNs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
from _jupyter import ARTIFACTS, CHROMIUM_ARGS, browser_missing, chromium_path

from oic_magic.emulator._data import Dataset
from oic_magic.report._pages import external_resources

from .conftest import Report

if TYPE_CHECKING:
    from playwright.sync_api import Route

PAGES = (
    "01-quickstart.html",
    "02-connection-inventory.html",
    "03-integration-health.html",
    "04-error-triage.html",
    "05-promote-and-compare.html",
)


def _page(report: Report, name: str) -> str:
    return (report.out / name).read_text(encoding="utf-8")


def test_pages_show_no_code_and_keep_headings_and_charts(report: Report) -> None:
    for name in PAGES:
        page = _page(report, name)
        body = page.split("<main>", 1)[1]
        assert "jp-InputArea-editor" not in body and "highlight hl-ipython3" not in body
        assert "plt.show()" not in body and "import pandas" not in body
        assert re.search(r"<h2[^>]*>", body)  # the notebooks' sections
        code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', body)
        assert code_cells and all("jp-mod-noInput" in c for c in code_cells)
    assert _page(report, "03-integration-health.html").count("data:image/png") >= 4


def test_no_machine_summary_in_a_page(report: Report) -> None:
    for name in PAGES:
        page = _page(report, name)
        assert "OIC_SUMMARY" not in page and "summary+json" not in page
        assert '"failed_ids"' not in page and '"by_status"' not in page
    # ... but the executed notebooks keep them for the tests and scheduled runs.
    assert report.summary("03-integration-health.ipynb")["integrations"] > 0


def test_no_page_loads_anything_from_the_network(report: Report) -> None:
    for name in (*PAGES, "index.html"):
        page = _page(report, name)
        assert external_resources(page) == [], name
        assert not re.search(r"<script[^>]+src=", page), name
        for cdn in ("require.js", "MathJax", "mathjax", "html-manager", "unpkg", "cdnjs"):
            assert cdn not in page.split("</style>")[-1], (name, cdn)


def test_the_index_shows_the_headline_numbers(report: Report, truth: Dataset) -> None:
    index = _page(report, "index.html")
    rows = dict(re.findall(r"<th scope='row'[^>]*>([^<]+)</th><td>([^<]+)</td>", index))
    assert rows["Connections"].startswith(f"{len(truth.connections):,}")
    statuses = Counter(r["status"] for r in truth.integrations.values())
    assert rows["Integration versions"] == f"{len(truth.integrations):,}"
    assert rows["Activated"] == f"{statuses['ACTIVATED']:,}"
    assert rows["Configured"] == f"{statuses['CONFIGURED']:,}"
    health = report.summary("03-integration-health.ipynb")
    assert rows["Failed instances, last 1d"] == f"{health['failed_instances']:,}"
    rate = 100 * health["total_errors"] / health["messages"]
    assert rows["Error rate, last 1d"].startswith(f"{rate:.1f}%")


def _charts(report: Report, name: str) -> list[Any]:
    nb = nbformat.read(report.executed(name), as_version=4)
    return [
        (cell.source, output)
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]


def test_chart_labels_are_words_and_count_ticks_whole(report: Report, tmp_path: Path) -> None:
    """Re-run the chart cells' axes checks in the executed notebooks' own terms."""
    for name in (
        "02-connection-inventory.ipynb",
        "03-integration-health.ipynb",
        "04-error-triage.ipynb",
    ):
        sources = "\n".join(source for source, _ in _charts(report, name))
        assert "set_ylabel" in sources and "set_params(integer=True)" in sources
    probe = tmp_path / "probe.py"
    probe.write_text(
        _AXES_PROBE.format(executed=str(report.executed("03-integration-health.ipynb")))
    )
    done = subprocess.run(
        [sys.executable, str(probe)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    labels, ticks = done.stdout.strip().split("\n", 1)
    assert "." not in labels.replace("% ", "")  # no adapterType.displayName-like label
    assert all(float(t).is_integer() for t in ticks.split())


# Draws the failed-per-hour chart again from the failures the notebook exported, as the
# notebook's own cell does, and prints its axis labels and count ticks.
_AXES_PROBE = """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
from matplotlib.ticker import MaxNLocator

nb = nbformat.read({executed!r}, as_version=4)
cell = next(c for c in nb.cells if c.cell_type == "code" and "per_hour" in c.source)
lines = cell.source.splitlines()
start = next(i for i, l in enumerate(lines) if "per_hour = " in l)
end = next(i for i, l in enumerate(lines) if i > start and "plt.show()" in l)
lines = lines[start:end]
failed = pd.DataFrame({{"creationDate": pd.date_range("2025-01-01", periods=7, freq="37min",
                                                      tz="UTC")}})
TIME_WINDOW = "1d"
code = "\\n".join(l[4:] for l in lines)
scope = dict(failed=failed, TIME_WINDOW=TIME_WINDOW, plt=plt, MaxNLocator=MaxNLocator)
exec(code, scope)
ax = scope["ax"]
plt.gcf().canvas.draw()
print(ax.get_xlabel() + "|" + ax.get_ylabel())
print(" ".join(str(t) for t in ax.get_yticks()))
"""


def _open_offline(out: Path, shots: Path) -> dict[str, Any]:
    """Every page in Chromium with every request that is not the report's own refused."""
    from playwright.sync_api import sync_playwright

    own = {p.resolve().as_uri() for p in out.rglob("*") if p.is_file()}
    seen: dict[str, Any] = {"refused": [], "pages": {}}

    def route(request_route: Route) -> None:
        url = request_route.request.url
        if url.split("#", 1)[0] in own or url.startswith("data:"):
            request_route.continue_()
        else:
            seen["refused"].append(url)
            request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", route)
            page = context.new_page()
            for name in ("index.html", *PAGES):
                page.goto((out / name).as_uri(), wait_until="load")
                images = page.locator("img")
                tables = page.locator("table")
                seen["pages"][name] = {
                    "images": images.count(),
                    "widths": images.evaluate_all("els => els.map(e => e.naturalWidth)"),
                    "tables": tables.count(),
                    "visible_tables": tables.evaluate_all(
                        "els => els.filter(e => e.getBoundingClientRect().height > 0).length"
                    ),
                }
                page.screenshot(
                    path=str(shots / f"report-offline-{name.replace('.html', '')}.png"),
                    full_page=name == "index.html",
                )
        finally:
            browser.close()
    return seen


@pytest.mark.browser
def test_the_report_renders_offline_in_chromium(report: Report) -> None:
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(_open_offline, report.out, shots).result(timeout=180)
    assert seen["refused"] == []  # not one request left for the network
    pages = seen["pages"]
    assert pages["index.html"]["tables"] == 1
    charts = {
        PAGES[0]: 0,
        PAGES[1]: 3,
        PAGES[2]: 4,
        PAGES[3]: 1,
        PAGES[4]: 0,
    }  # the quickstart draws none
    for name in PAGES:
        assert pages[name]["images"] == len(pages[name]["widths"]) >= charts[name]
        assert all(width > 100 for width in pages[name]["widths"])  # every chart decoded
        assert pages[name]["tables"] == pages[name]["visible_tables"] >= 1
