#!/usr/bin/env python3
"""Set up oic_magic in a local virtual environment and run one of its jobs.

    python3 dev.py report    # set up, run the documentation notebooks against the
                             # built-in emulator, write report/index.html
    python3 dev.py test      # set up, run the whole test suite (extra args go to pytest)
    python3 dev.py bench     # set up, run the benchmarks, write benchmarks/RESULTS.md
    python3 dev.py check     # set up, check formatting (ruff format), lint (ruff), types (mypy)

Standard library only: this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".oic_magic-installed"


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def check(*cmd: str | Path) -> None:
    code = run(*cmd)
    if code:
        sys.exit(f"[dev] failed ({code}): {' '.join(map(str, cmd))}")


def ensure_python() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"[dev] oic_magic needs Python 3.11 or newer; this is {sys.version.split()[0]}")


def ensure_venv() -> None:
    if PYTHON.exists():
        return
    say(f"creating the virtual environment in {VENV.relative_to(ROOT)}/")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except Exception as exc:  # Debian without python3-venv lands here
        sys.exit(
            f"[dev] could not create a virtual environment ({exc}); "
            "on Debian/Ubuntu install the python3-venv package first"
        )


def install_fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_packages() -> None:
    # Re-install only when pyproject.toml changed: a second run starts in seconds.
    if STAMP.exists() and STAMP.read_text() == install_fingerprint():
        return
    say("installing oic_magic and its test and notebook dependencies (pip)")
    check(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # The package with its notebook and export extras, and the test and benchmark tools
    # (dependency groups).
    groups = ("--group", "test", "--group", "bench")
    check(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[notebooks,excel,parquet]", *groups)
    STAMP.write_text(install_fingerprint())


def ensure_tools() -> None:
    """Install Debian's Chromium (browser tests) and curl (--curl test) when allowed."""
    missing = [name for name in ("chromium", "curl") if not shutil.which(name)]
    if not missing:
        return
    can_apt = shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0
    if not can_apt:
        say(f"not installed, and cannot be installed here (needs root and apt-get): {missing}")
        say("THE TESTS THAT NEED THEM WILL BE SKIPPED. Install Debian's packages to run them.")
        return
    say(f"installing {', '.join(missing)} for the tests (apt-get)")
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if run("apt-get", "update", "-qq", env=quiet) or run(
        "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=quiet
    ):
        say(f"apt-get could not install {missing}: THE TESTS THAT NEED THEM WILL BE SKIPPED.")


def setup(*, browser: bool) -> None:
    ensure_python()
    ensure_venv()
    ensure_packages()
    if browser:
        ensure_tools()


def job_report(args: list[str]) -> int:
    setup(browser=False)
    # The installed command's code (oic-report), on this checkout's notebooks, into report/.
    return run(PYTHON, "-m", "oic_magic.report", *args)


def job_test(args: list[str]) -> int:
    setup(browser=True)
    return run(PYTHON, "-m", "pytest", *args)


def job_bench(args: list[str]) -> int:
    setup(browser=False)
    return run(PYTHON, ROOT / "benchmarks" / "run.py", *args)


# What `dev.py check` runs, each from the repository root, configured in pyproject.toml.
CHECKS = {
    "format": ("ruff", "format", "--check", "."),
    "lint": ("ruff", "check", "."),
    "types": ("mypy",),
}


def job_check(args: list[str]) -> int:
    if args:
        say(f"check takes no arguments (got {' '.join(args)})")
        return 2
    setup(browser=False)
    failed = []
    for name, cmd in CHECKS.items():
        say(f"{name}: {' '.join(cmd)}")
        if run(BIN / cmd[0], *cmd[1:]):
            failed.append(f"{name} ({' '.join(cmd)})")
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    say("format, lint and types: all clean")
    return 0


JOBS = {"report": job_report, "test": job_test, "bench": job_bench, "check": job_check}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in JOBS:
        print(__doc__)
        return 2
    return JOBS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
