"""Fixtures for the browser tests: an emulator, a real JupyterLab, Debian's Chromium.

Every test here is marked ``browser``. Where Chromium or Playwright cannot be had, the
tests are skipped with the reason, and the end of the test run says so in capitals:
a machine without a browser never reports these tests as passed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # the shared helpers (_jupyter) by name
    sys.path.insert(0, str(ROOT / "tests"))

from _jupyter import CHROMIUM_ARGS, browser_missing, chromium_path  # noqa: E402

from ._lab import JupyterLab  # noqa: E402

ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = chromium_path()
MISSING = browser_missing()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the browser tests, and skip them loudly when no browser can run."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if MISSING:
                item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say at the end of the run, in capitals, that the browser tests were skipped."""
    if MISSING and terminalreporter.stats.get("skipped"):
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: {MISSING}", red=True, bold=True)


@pytest.fixture(scope="session")
def browser_emulator() -> Iterator[Any]:
    """An emulator for the whole browser session (the Lab server points its kernels at it)."""
    from oic_magic.emulator import Emulator

    with Emulator() as emu:
        yield emu


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory, browser_emulator: Any) -> Iterator[JupyterLab]:
    """A JupyterLab server whose kernels see the emulator's non-secret settings."""
    env = {
        "OIC_DESIGN_URL": browser_emulator.design_url,
        "OIC_RUNTIME_URL": browser_emulator.runtime_url,
        "OIC_IDENTITY_URL": browser_emulator.identity_url,
        "OIC_CLIENT_ID": _demo().client_id,
        "OIC_INSTANCE": browser_emulator.instance,
        "OIC_SCOPE": browser_emulator.scope,
    }
    server = JupyterLab(tmp_path_factory.mktemp("lab"), env_overrides=env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _demo() -> Any:
    from oic_magic.emulator import DEMO

    return DEMO


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page, 1280x1000."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(60_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def screenshots() -> Path:
    """Where screenshots go (kept as test artefacts)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
