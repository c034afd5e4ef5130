"""The documentation notebooks, executed in real kernels against the emulator.

The numbers each notebook computes (its closing summary line and its CSV exports) are
compared with the emulator's own data set; the executed notebooks, the HTML report and
the kernels' history are searched for every secret; the report is opened in Chromium.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from _jupyter import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    NOTEBOOKS,
    browser_missing,
    chromium_path,
    demo_secrets,
    secrets_in_files,
)

DAY = 86400.0
QUICKSTART = "01-quickstart.ipynb"
INVENTORY = "02-connection-inventory.ipynb"
HEALTH = "03-integration-health.ipynb"
TRIAGE = "04-error-triage.ipynb"
EMBEDDED_PNG = re.compile(r"<img[^>]+src=\"data:image/png;base64,[A-Za-z0-9+/=]{100,}")


def _counts(records: Any, key: Any) -> dict[str, int]:
    return dict(Counter(key(r) for r in records))


def _used_connections(truth: Any) -> set[str]:
    return {c["id"] for r in truth.integrations.values() for c in r["dependencies"]["connections"]}


def test_every_notebook_runs_to_the_end(report: Any) -> None:
    """Each notebook in notebooks/ executes top to bottom without a failing cell."""
    names = sorted(o.source.name for o in report.outcomes)
    assert names == sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert {QUICKSTART, INVENTORY, HEALTH} <= set(names)
    assert [str(o.failure) for o in report.outcomes if o.failure] == []


def test_stored_notebooks_have_no_outputs() -> None:
    """The notebooks in the repository are committed without outputs or execution counts."""
    import nbformat

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert "parameters" in code[0].metadata.get("tags", []), path.name


def test_no_secret_in_anything_the_report_wrote(report: Any) -> None:
    """Executed notebooks, HTML pages, exports and the kernels' history hold no secret."""
    assert report.problems == []
    written = [p for p in report.out.rglob("*") if p.is_file()]
    assert len(written) >= 3 + 3 + 1  # executed notebooks, their pages, the index
    assert secrets_in_files(written) == []


def test_the_secret_search_would_see_a_leak(tmp_path: Path) -> None:
    """The search used above finds the demo password, a JWT and a refresh token in a file."""
    password = demo_secrets()["the demo password"]
    leak = tmp_path / "leak.ipynb"
    leak.write_text(
        f'{{"text": "{password} eyJhbGciOiJIUzI1.eyJzdWIiOiJhZGEi.c2ln AQAg'
        'Y2MzNjVlOTVhOTRhvM5S0MkrFSpzc"}'
    )
    (found,) = secrets_in_files([leak])
    assert "the demo password" in found
    assert "an access token (JWT)" in found
    assert "a refresh token" in found


def test_quickstart_numbers_match_the_emulator(report: Any, truth: Any) -> None:
    """The quickstart lists every connection and draft, follows the redirect, refreshes."""
    summary = report.summary(QUICKSTART)
    statuses = _counts(truth.connections.values(), lambda r: r["status"])
    assert summary["connections"] == len(truth.connections) == 300
    assert summary["pages"] == 3  # 300 connections, 100 a page
    assert summary["drafts"] == statuses["INPROGRESS"]
    activated = [r for r in truth.integrations.values() if r["status"] == "ACTIVATED"]
    assert summary["activated_integrations"] == len(activated)
    assert summary["redirect_followed"] is True
    assert summary["refreshed"] is True
    assert summary["sessions_after_logout"] == 0


def test_inventory_numbers_match_the_emulator(report: Any, truth: Any) -> None:
    """Counts by status, role, policy and adapter, drafts, locked and unused are exact."""
    summary = report.summary(INVENTORY)
    conns = list(truth.connections.values())
    assert summary["connections"] == len(conns)
    assert summary["integrations"] == len(truth.integrations)
    assert summary["by_status"] == _counts(conns, lambda r: r["status"])
    assert summary["by_role"] == _counts(conns, lambda r: r["role"])
    assert summary["by_policy"] == _counts(conns, lambda r: r["securityPolicy"])
    assert summary["by_adapter"] == _counts(conns, lambda r: r["adapterType"]["displayName"])
    assert summary["drafts"] == sum(r["status"] == "INPROGRESS" for r in conns)
    assert summary["locked"] == sum(bool(r["lockedFlag"]) for r in conns)
    assert summary["unused"] == len(truth.connections.keys() - _used_connections(truth)) > 0
    pairs = sum(len(r["dependencies"]["connections"]) for r in truth.integrations.values())
    assert summary["pairs"] == pairs


def test_inventory_csv_holds_every_connection(report: Any, truth: Any) -> None:
    """The exported inventory has one row per connection, with its usage count."""
    path = report.out / report.summary(INVENTORY)["inventory_csv"]
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} == set(truth.connections)
    users = Counter(
        c["id"] for r in truth.integrations.values() for c in r["dependencies"]["connections"]
    )
    assert {r["id"]: int(r["integrations"]) for r in rows} == {
        ident: users.get(ident, 0) for ident in truth.connections
    }


def test_health_design_time_numbers_match_the_emulator(report: Any, truth: Any) -> None:
    """Integrations by status and style, failed activations and the activation's outcome."""
    summary = report.summary(HEALTH)
    records = list(truth.integrations.values())
    assert summary["integrations"] == len(records)
    assert summary["by_status"] == _counts(records, lambda r: r["status"])
    assert summary["by_style"] == _counts(records, lambda r: r["style"])
    assert summary["codes"] == len({r["code"] for r in records})
    failed = sorted(r["id"] for r in records if r["status"] == "FAILEDACTIVATION")
    assert summary["failed_activations"] == failed
    target = truth.integrations[summary["activated"]]
    assert target["status"] == "CONFIGURED"  # it was configured before the notebook ran
    assert summary["activation"] == "ACTIVATED"


def test_health_failed_instances_match_the_emulator(report: Any, truth: Any) -> None:
    """Failed instances of the last day: exactly the emulator's, give or take the clock.

    The kernel's emulator made its data a few seconds before the notebook asked, so an
    instance just over a day old may or may not be in the window: the notebook's list
    must hold every failure younger than a day and none older than a day and ten minutes.
    """
    summary = report.summary(HEALTH)
    failed = [r for r in truth.instances if r["status"] == "FAILED"]
    surely = {r["id"] for r in failed if truth.anchor - r["_created"] <= DAY - 1}
    maybe = {r["id"] for r in failed if truth.anchor - r["_created"] <= DAY + 600}
    seen = set(summary["failed_ids"])
    assert len(seen) == summary["failed_instances"] > 0
    assert surely <= seen <= maybe
    durations = [
        r["duration"] or 0 for r in truth.instances if truth.anchor - r["_created"] <= DAY + 600
    ]
    assert summary["slowest_ms"] in sorted(durations)[-3:]


def test_report_pages_embed_the_charts(report: Any) -> None:
    """The HTML pages carry their charts as embedded PNGs, and the index links them all."""
    charts = {
        name: len(EMBEDDED_PNG.findall((report.out / name.replace(".ipynb", ".html")).read_text()))
        for name in (QUICKSTART, INVENTORY, HEALTH)
    }
    assert charts[INVENTORY] >= 3
    assert charts[HEALTH] >= 4
    index = (report.out / "index.html").read_text()
    for name in (QUICKSTART, INVENTORY, HEALTH):
        assert f'href="{name.replace(".ipynb", ".html")}"' in index
    assert 'href="exports/connection-inventory.csv"' in index


def _screenshot_report(out: Path, shots: Path) -> dict[str, Any]:
    """Open the index and the inventory page in Chromium; what the pages showed."""
    from playwright.sync_api import sync_playwright

    seen: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto((out / "index.html").as_uri())
            seen["links"] = page.locator("ol li a").count()
            page.screenshot(path=str(shots / "report-index.png"), full_page=True)
            page.goto((out / INVENTORY.replace(".ipynb", ".html")).as_uri())
            images = page.locator("img[src^='data:image/png']")
            seen["images"] = images.count()
            seen["widths"] = images.evaluate_all("els => els.map(e => e.naturalWidth)")
            images.first.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "report-inventory.png"))
        finally:
            browser.close()
    return seen


@pytest.mark.browser
def test_report_opens_in_chromium(report: Any) -> None:
    """The report's index and a page render in headless Chromium, charts loaded (screenshots)."""
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    # A thread of its own: Playwright's sync API refuses to start inside another's loop,
    # and the browser tests may hold one open for the whole session.
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(_screenshot_report, report.out, shots).result(timeout=120)
    assert seen["links"] == len(report.outcomes)  # one per notebook
    assert seen["images"] >= 3
    assert min(seen["widths"]) > 100  # decoded, not broken images
    assert (shots / "report-inventory.png").stat().st_size > 10_000


def test_kernels_talk_over_private_unix_sockets(tmp_path: Path, capfd: Any) -> None:
    """The main job's kernels use Unix sockets in a private directory, not open TCP ports.

    ipykernel warns on every TCP start that any local user can reach the kernel; the
    kernel's stderr is this process's, so the warning would be captured here.
    """
    import nbformat
    from _jupyter import load_report

    source = tmp_path / "where.ipynb"
    code = "from ipykernel.kernelapp import IPKernelApp; print(IPKernelApp.instance().transport)"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), source)
    nb, failure = load_report().execute_notebook(source, cwd=tmp_path)
    assert failure is None
    assert nb.cells[0].outputs[0]["text"].strip() == "ipc"
    assert "without encryption" not in capfd.readouterr().err
