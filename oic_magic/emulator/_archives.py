"""Archives as OIC writes them: integration ``.iar``, project ``.car``, lookup CSV.

An ``.iar`` is a zip: ``icspackage/project/CODE_VERSION/PROJECT-INF/project.xml`` (the
descriptor), one ``icspackage/appinstances/ID.xml`` per connection it uses, one
``icspackage/dvms/NAME.xml`` per lookup, and ``META-INF/MANIFEST.MF``. A ``.car`` is a
zip of ``project.json`` and the ``.iar`` of each of its integrations under
``integrations/``. Every entry has a fixed date, so the same integration always
exports to the same bytes; an imported archive is kept as it came and exported again
byte for byte, as the file a user promoted.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

from ._listing import BadRequest

__all__ = ["Descriptor", "build_car", "build_iar", "read_car", "read_csv", "read_iar"]

Record = dict[str, Any]
Descriptor = dict[str, Any]
_DATE = (2024, 1, 1, 0, 0, 0)
_PROJECT = re.compile(
    r'code="(?P<code>[^"]+)" version="(?P<version>[^"]+)" name="(?P<name>[^"]*)"'
    r'(?: style="(?P<style>[^"]*)")?'
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=_DATE), body)
    return buffer.getvalue()


def build_iar(record: Record) -> bytes:
    """The integration's archive: descriptor, manifest, its connections and lookups."""
    code, version = record["code"], record["version"]
    base = f"icspackage/project/{code}_{version}"
    deps = record["dependencies"]
    entries = {
        f"{base}/PROJECT-INF/project.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<project code="{code}" '
            f'version="{version}" name="{record["name"]}" style="{record["style"]}"/>\n'
        ).encode(),
        "META-INF/MANIFEST.MF": (
            f"Manifest-Version: 1.0\nIntegration-Code: {code}\nIntegration-Version: {version}\n"
        ).encode(),
    }
    for dep in deps["connections"]:
        entries[f"icspackage/appinstances/{dep['id']}.xml"] = (
            f'<appInstance id="{dep["id"]}"/>\n'.encode()
        )
    for dep in deps["lookups"]:
        entries[f"icspackage/dvms/{dep['name']}.xml"] = f'<dvm name="{dep["name"]}"/>\n'.encode()
    return _zip(entries)


def read_iar(payload: bytes) -> Descriptor:
    """Code, version, name, style and dependencies read from an ``.iar``; 400 if it is none."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            names = archive.namelist()
            text = next(archive.read(n) for n in names if n.endswith("project.xml")).decode()
    except (zipfile.BadZipFile, StopIteration, UnicodeDecodeError):
        raise BadRequest("the archive is not an integration archive (.iar)") from None
    found = _PROJECT.search(text)
    if found is None:
        raise BadRequest("the archive has no project descriptor")
    return {
        "code": found["code"],
        "version": found["version"],
        "name": found["name"],
        "style": found["style"] or "FREEFORM_MAPMYDATA",
        "connections": sorted(_stem(n) for n in names if n.startswith("icspackage/appinstances/")),
        "lookups": sorted(_stem(n) for n in names if n.startswith("icspackage/dvms/")),
    }


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def build_car(project: Record, archives: dict[str, bytes]) -> bytes:
    """The project's archive: ``project.json`` and each integration's ``.iar``."""
    meta = {
        "id": project["id"],
        "code": project["code"],
        "name": project["name"],
        "description": project.get("description", ""),
        "integrations": sorted(archives),
    }
    entries = {"project.json": json.dumps(meta, indent=1, sort_keys=True).encode()}
    for ident, body in sorted(archives.items()):
        entries[f"integrations/{ident.replace('|', '_')}.iar"] = body
    return _zip(entries)


def read_car(payload: bytes) -> tuple[Record, list[bytes]]:
    """The project's descriptor and its integrations' archives; 400 if it is no ``.car``."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            meta = json.loads(archive.read("project.json"))
            iars = [archive.read(n) for n in sorted(archive.namelist()) if n.endswith(".iar")]
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise BadRequest("the archive is not a project archive (.car)") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("id"), str):
        raise BadRequest("the project archive has no project id")
    return meta, iars


def read_csv(payload: bytes) -> tuple[list[str], list[list[str]]]:
    """A lookup's CSV: its columns (the first row) and rows; 400 when it has no columns."""
    try:
        lines = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        raise BadRequest("the lookup file is not UTF-8 CSV") from None
    if not lines or len(lines[0]) < 2:
        raise BadRequest("a lookup CSV starts with a row of at least two column names")
    width = len(lines[0])
    if any(len(row) != width for row in lines[1:]):
        raise BadRequest(f"every row of the lookup CSV needs {width} values")
    return lines[0], lines[1:]
