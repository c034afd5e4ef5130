"""CONTRIBUTING.md names only files and dev.py jobs that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "CONTRIBUTING.md").read_text()
# Paths written in backticks: `oic_magic/emulator/_routes.py`, `_resources.py`, `tests/core`.
PATH = re.compile(r"`([\w./-]+\.(?:py|md|yaml|toml)|tests/[\w/]+|oic_magic/[\w/]+)`")


def _named_paths() -> set[str]:
    return {m for m in PATH.findall(TEXT) if "NN" not in m}


def test_every_named_path_exists() -> None:
    """Each backticked path is a file or folder of the repository (emulator modules by name)."""
    emulator = ROOT / "oic_magic" / "emulator"
    missing = sorted(
        name
        for name in _named_paths()
        if not (ROOT / name).exists() and not (emulator / name).exists()
    )
    assert len(_named_paths()) > 20
    assert not missing, missing


def test_every_dev_job_it_names_exists() -> None:
    """`python3 dev.py JOB` in the text is a job dev.py has."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    named = set(re.findall(r"dev\.py (\w+)", TEXT))
    assert {"test", "check", "bench"} <= named
    assert named <= set(dev.JOBS)
