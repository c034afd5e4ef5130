"""Backups and promotion: archives exported to a folder with a manifest, and imported.

:func:`export_archives` writes integration archives (``CODE_VERSION.iar``), project
archives (``ID.car``) and lookups (``NAME.csv``) into a new folder, and
``manifest.json`` beside them: for each file what it is, its version and status, its
size and SHA-256, when and from which instance (host, integration instance, session)
it was exported. An integration that OIC will not export (423: locked or prebuilt) is
a *skipped* step, not a failure.

:func:`import_archive` imports one file and :func:`import_manifest` a whole folder
(lookups first, then integrations, then projects, so dependencies come first; every
file's SHA-256 checked against the manifest before it is sent). Each import *adds*
first (``POST``); when the item exists (409) it is *replaced* (``PUT``) only when asked,
otherwise the step says ``exists``. An accepted job (202) is waited for. With
``activate=True`` each integration imported is activated afterwards, and waited for.

Every step is a :class:`Step` row. When any failed, :class:`~oic_magic.exceptions.StepsFailedError`
is raised after the others were done, with every row in ``.steps``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..exceptions import APIStatusError, OICError, RequestError, StepsFailedError
from ._bounds import CONCURRENCY, INTERVAL, WAIT
from ._client import OICClient
from ._jobs import finish
from ._uploads import read_upload

__all__ = [
    "MANIFEST",
    "Step",
    "export_archives",
    "import_archive",
    "import_manifest",
    "read_manifest",
]

MANIFEST = "manifest.json"
#: Archives exported at the same time.
EXPORTS_AT_ONCE = 4
_SUFFIX = {"integration": ".iar", "project": ".car", "lookup": ".csv"}
_KIND_OF = {suffix: kind for kind, suffix in _SUFFIX.items()}
_ENDPOINT = {"integration": "integrations", "project": "projects", "lookup": "lookups"}
_ORDER = {"lookup": 0, "integration": 1, "project": 2}
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class Step:
    """One step of an export or an import, and how it ended.

    ``step`` is ``export``, ``verify``, ``add``, ``replace`` or ``activate``; ``outcome``
    is ``done``, ``exists`` (not replaced), ``skipped`` or ``failed``, with OIC's words
    (or ours) in ``detail``. Exports fill ``file``, ``size``, ``sha256``.
    """

    kind: str
    key: str
    step: str
    outcome: str
    detail: str = ""
    file: str | None = None
    version: str | None = None
    status: str | None = None
    size: int | None = None
    sha256: str | None = None


# -- export ------------------------------------------------------------------------------------
def export_archives(
    client: OICClient,
    folder: str | Path,
    *,
    integrations: Iterable[str] | None = None,
    where: Sequence[str] = (),
    lookups: bool | Iterable[str] = True,
    projects: bool | Iterable[str] = False,
    concurrency: int = EXPORTS_AT_ONCE,
) -> list[Step]:
    """Export archives into *folder* (created; it must hold no manifest yet) with a manifest.

    *integrations*: ``CODE|VERSION`` ids, or None for every integration (``where``
    filters them as ``%oic --where`` does). *lookups* and *projects*: True for all,
    False for none, or the names/ids. Answers one row per item.
    """
    concurrency = CONCURRENCY.count(concurrency, "concurrency")
    target = _new_folder(folder)
    wanted = _wanted(
        client, integrations=integrations, where=where, lookups=lookups, projects=projects
    )
    with ThreadPoolExecutor(concurrency, thread_name_prefix="oic-export") as pool:
        steps = list(pool.map(lambda item: _export_one(client, target, *item), wanted))
    exported = [s for s in steps if s.outcome == "done"]
    manifest = {
        "format": 1,
        "exported": _now(),
        "host": client.session.settings.api_origin,
        "instance": client.session.settings.instance,
        "session": client.session.name,
        "items": [asdict(s) for s in exported],
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    _raise_if_failed("export", steps)
    return steps


def _new_folder(folder: str | Path) -> Path:
    target = Path(folder).expanduser()
    if (target / MANIFEST).exists():
        raise RequestError(
            f"{target} holds a backup already ({MANIFEST}): export into a new folder, "
            "so no earlier backup is overwritten"
        )
    if target.exists() and not target.is_dir():
        raise RequestError(f"{target} is a file: name a folder")
    target.mkdir(parents=True, exist_ok=True)
    return target


Wanted = tuple[str, str, str | None, str | None]  # kind, key, version, status


def _wanted(
    client: OICClient,
    *,
    integrations: Iterable[str] | None,
    where: Sequence[str],
    lookups: bool | Iterable[str],
    projects: bool | Iterable[str],
) -> list[Wanted]:
    items: list[Wanted] = []
    listed = {r["id"]: r for r in client.paginate("integrations", where=list(where)).items}
    ids = sorted(listed) if integrations is None else list(integrations)
    for ident in ids:
        record = listed.get(ident) or {}
        items.append(("integration", ident, record.get("version"), record.get("status")))
    for kind, chosen, key in (("lookup", lookups, "name"), ("project", projects, "id")):
        if chosen is True:
            records = client.paginate(_ENDPOINT[kind]).items
            names = sorted(str(r.get(key) or r.get("name")) for r in records)
        else:
            names = [] if chosen is False else list(chosen)
        items += [(kind, name, None, None) for name in names]
    return items


def _export_one(
    client: OICClient, folder: Path, kind: str, key: str, version: str | None, status: str | None
) -> Step:
    step = Step(kind, key, "export", "done", version=version, status=status)
    try:
        body = _download(client, kind, key)
    except APIStatusError as error:
        outcome = "skipped" if error.status == 423 else "failed"
        return dataclasses.replace(step, outcome=outcome, detail=error.server_message or str(error))
    except OICError as error:
        return dataclasses.replace(step, outcome="failed", detail=str(error))
    name = _SAFE.sub("_", key.replace("|", "_")) + _SUFFIX[kind]
    (folder / name).write_bytes(body)
    digest = hashlib.sha256(body).hexdigest()
    return dataclasses.replace(step, file=name, size=len(body), sha256=digest)


def _download(client: OICClient, kind: str, key: str) -> bytes:
    if kind == "project":
        body = {"type": "DEVELOPED", "code": key, "label": "backup"}
        return client.request("POST", f"projects/{key}/archive", json=body).content
    return client.request("GET", f"{_ENDPOINT[kind]}/{key}/archive").content


# -- import ------------------------------------------------------------------------------------
def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a backup folder, checked for the fields an import needs."""
    path = Path(folder).expanduser() / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RequestError(f"{path.parent} holds no {MANIFEST}: is it a backup folder?") from None
    except ValueError:
        raise RequestError(f"{path} is not JSON: it was not written by an export") from None
    items = manifest.get("items") if isinstance(manifest, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and {"kind", "key", "file", "sha256"} <= set(i) for i in items
    ):
        raise RequestError(f"{path} lists no items with kind, key, file and sha256")
    return dict(manifest)


def import_manifest(
    client: OICClient,
    folder: str | Path,
    *,
    keys: Iterable[str] | None = None,
    replace: bool = False,
    activate: bool = False,
    timeout: float = 300.0,
    interval: float = 1.0,
) -> list[Step]:
    """Import what a backup folder's manifest lists (or only *keys* of it), checked first."""
    base = Path(folder).expanduser()
    items = read_manifest(base)["items"]
    if keys is not None:
        chosen = list(keys)
        unknown = sorted(set(chosen) - {i["key"] for i in items})
        if unknown:
            raise RequestError(f"not in the manifest: {', '.join(unknown)}")
        items = [i for i in items if i["key"] in chosen]
    items = sorted(items, key=lambda i: _ORDER.get(i["kind"], 9))
    steps: list[Step] = []
    for item in items:
        path = base / item["file"]
        body = path.read_bytes() if path.is_file() else b""
        if hashlib.sha256(body).hexdigest() != item["sha256"]:
            detail = "the file is missing" if not path.is_file() else "the file changed"
            why = f"{detail} since the export; not imported"
            steps.append(Step(item["kind"], item["key"], "verify", "failed", why, item["file"]))
            continue
        steps += _import(
            client, item["kind"], item["key"], path,
            replace=replace, activate=activate, timeout=timeout, interval=interval,
        )  # fmt: skip
    _raise_if_failed(f"import of {base}", steps)
    return steps


def import_archive(
    client: OICClient,
    file: str | Path,
    *,
    replace: bool = False,
    activate: bool = False,
    timeout: float = 300.0,
    interval: float = 1.0,
) -> list[Step]:
    """Import one ``.iar``, ``.car`` or lookup ``.csv`` (the kind from its suffix)."""
    path = Path(file).expanduser()
    kind = _KIND_OF.get(path.suffix.lower())
    if kind is None:
        raise RequestError(
            f"{path.name}: import .iar (integration), .car (project) or .csv (lookup)"
        )
    _, body = read_upload(path)
    key = archive_key(kind, path.name, body)
    steps = _import(client, kind, key, path, replace=replace, activate=activate,
                    timeout=timeout, interval=interval)  # fmt: skip
    _raise_if_failed(f"import of {path.name}", steps)
    return steps


def archive_key(kind: str, filename: str, body: bytes) -> str:
    """The id an archive imports as: ``CODE|VERSION`` from an .iar's folder, else its name."""
    stem = Path(filename).stem
    if kind != "integration":
        return stem
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                found = re.match(r"icspackage/project/(.+)_(\d\d\.\d\d\.\d{4})/", name)
                if found:
                    return f"{found[1]}|{found[2]}"
    except zipfile.BadZipFile:
        raise RequestError(f"{filename} is not an integration archive (not a zip)") from None
    return stem


def _import(
    client: OICClient, kind: str, key: str, path: Path, *, replace: bool, activate: bool,
    timeout: float, interval: float,
) -> list[Step]:  # fmt: skip
    # Checked before anything is sent: a bad wait must not follow an import already made.
    timeout = WAIT.seconds(timeout, "timeout")
    interval = INTERVAL.seconds(interval, "interval")
    name, body = read_upload(path)
    endpoint = f"{_ENDPOINT[kind]}/archive"
    files = {"file": (name, body, "application/octet-stream")}

    def send(method: str) -> str | None:
        response = client.request(method, endpoint, files=files)
        return finish(client, response, timeout=timeout, interval=interval)

    step = Step(kind, key, "add", "done", file=path.name)
    try:
        where = send("POST")
    except APIStatusError as error:
        if error.status != 409 or kind == "project":
            return [_failed(step, error)]
        if not replace:
            return [dataclasses.replace(step, outcome="exists", detail=error.server_message)]
        step = dataclasses.replace(step, step="replace")
        try:
            where = send("PUT")
        except OICError as again:
            return [_failed(step, again)]
    except OICError as error:
        return [_failed(step, error)]
    steps = [dataclasses.replace(step, detail=_decoded(where))]
    if activate and kind == "integration":
        steps.append(_activate(client, key, timeout=timeout, interval=interval))
    return steps


def _activate(client: OICClient, key: str, *, timeout: float, interval: float) -> Step:
    step = Step("integration", key, "activate", "done")
    try:
        activation = client.activate(key, timeout=timeout, interval=interval)
    except OICError as error:
        return _failed(step, error)
    return dataclasses.replace(step, status=activation.status, detail=f"{activation.polls} polls")


def _failed(step: Step, error: OICError) -> Step:
    detail = error.server_message if isinstance(error, APIStatusError) else ""
    status = f"HTTP {error.status}: " if isinstance(error, APIStatusError) else ""
    return dataclasses.replace(step, outcome="failed", detail=f"{status}{detail or error}")


def _decoded(location: str | None) -> str:
    return unquote(location.rsplit("/v1/", 1)[-1].split("?", 1)[0]) if location else ""


def _raise_if_failed(what: str, steps: list[Step]) -> None:
    failed = sum(s.outcome == "failed" for s in steps)
    if failed:
        raise StepsFailedError(what, steps=steps, failed=failed)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
