"""Shared by the notebook and browser tests: the report engine and the secret search.

The tests execute notebooks with the very functions ``oic-report`` uses (kernel
pinned to this interpreter, nbclient, widget state stored), so a passing test means the
report's own path works. ``tools/`` is not a package: it is loaded from its file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "artifacts"


def load_report() -> ModuleType:
    """The report's engine, ``oic_magic.report._build`` (what ``oic-report`` runs)."""
    import importlib

    return importlib.import_module("oic_magic.report._build")


def demo_secrets() -> dict[str, str]:
    """The secrets a demo sign-in uses, by a printable name."""
    from oic_magic.emulator import DEMO

    return {"the demo password": DEMO.password, "the demo client secret": DEMO.client_secret}


def secrets_in(text: str, secrets: Mapping[str, str] | None = None) -> list[str]:
    """What secret-looking things ``text`` holds: known values, JWTs, refresh tokens."""
    found: list[str] = load_report().find_secrets(
        text, demo_secrets() if secrets is None else secrets
    )
    return found


def secrets_in_files(paths: Iterable[Path], secrets: Mapping[str, str] | None = None) -> list[str]:
    """One line per file that holds a secret (the values themselves never printed)."""
    found: list[str] = load_report().scan_files(
        paths, demo_secrets() if secrets is None else secrets
    )
    return found


def history_text(ipython_dir: Path) -> str:
    """Everything the IPython history databases under ``ipython_dir`` hold."""
    return str(load_report().history_text(ipython_dir))


# --------------------------------------------------------------------------- the browser

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def chromium_path() -> str:
    """Debian's Chromium (``OIC_TEST_CHROMIUM`` overrides); never a downloaded browser."""
    import os
    import shutil

    return os.environ.get("OIC_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def browser_missing() -> str | None:
    """Why no headless browser can run here, or None when one can."""
    import os

    path = chromium_path()
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        return "Chromium not found (apt-get install chromium); browser tests NOT RUN"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python not installed; browser tests NOT RUN"
    return None
