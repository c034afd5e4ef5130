"""Secrets in what the report wrote: named when found, never printed."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["find_secrets", "history_text", "known_secrets", "scan_files"]

# An access token is a JWT: three base64url parts, the first a JSON header ("eyJ" = '{"').
JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
# A refresh token: OCI IAM's start with "AQAg" (so do the emulator's), or one written
# next to its name in a JSON document or a repr, whatever its shape.
REFRESH_PATTERNS = (
    re.compile(r"AQAg[A-Za-z0-9_+/=-]{20,}"),
    re.compile(r"""["']?refresh_token["']?\s*[:=]\s*["']([^"'\s]{8,})"""),
)
# Embedded images are long base64 runs: a token-shaped pattern would match them by chance.
EMBEDDED_DATA = re.compile(
    r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+|\"image/[\w+.-]+\":\s*\"[^\"]*\""
)
SECRET_VARIABLES = ("OIC_PASSWORD", "OIC_CLIENT_SECRET")


def known_secrets(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The secret values this run may have used, by a name that is safe to print."""
    from oic_magic.emulator import DEMO

    secrets = {"the demo password": DEMO.password, "the demo client secret": DEMO.client_secret}
    for variable in SECRET_VARIABLES:
        if environ.get(variable):
            secrets[f"the value of ${variable}"] = environ[variable]
    return secrets


def find_secrets(text: str, secrets: Mapping[str, str]) -> list[str]:
    """Name every secret, token or refresh token found in ``text`` (values not repeated)."""
    found = [label for label, value in secrets.items() if value and value in text]
    text = EMBEDDED_DATA.sub("", text)
    if JWT_PATTERN.search(text):
        found.append("an access token (JWT)")
    if any(pattern.search(text) for pattern in REFRESH_PATTERNS):
        found.append("a refresh token")
    return found


def history_text(ipython_dir: Path) -> str:
    """Every input and output line stored in the IPython history databases under a dir."""
    chunks: list[str] = []
    for database in ipython_dir.rglob("history.sqlite"):
        with sqlite3.connect(database) as connection:
            for table, columns in (("history", "source, source_raw"), ("output_history", "output")):
                try:
                    rows = connection.execute(f"SELECT {columns} FROM {table}").fetchall()
                except sqlite3.OperationalError:
                    continue
                chunks.extend(str(value) for row in rows for value in row)
    return "\n".join(chunks)


def scan_files(paths: Iterable[Path], secrets: Mapping[str, str]) -> list[str]:
    """One line per file that holds a secret: the file and what was found in it."""
    problems = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = find_secrets(text, secrets)
        if found:
            problems.append(f"{path}: {', '.join(found)}")
    return problems
