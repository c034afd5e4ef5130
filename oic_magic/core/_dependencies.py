"""Who uses what: integration -> connection / lookup / library edges, as rows.

Each integration's ``dependencies`` (``connections``, ``lookups``, ``libraries``) is read
from the list, or from ``GET integrations/{id}`` when the list leaves it out. Where the
API says nothing, an exported archive does: an ``.iar`` names each connection it uses in
``icspackage/appinstances/ID.xml`` and each lookup in ``icspackage/dvms/NAME.xml``
(the layout OIC writes; such edges have ``source`` ``archive``). :func:`used_by`
answers "what breaks if I change this connection or lookup".
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exceptions import RequestError
from ._client import OICClient

__all__ = ["Edge", "archive_edges", "dependencies", "used_by"]

_KINDS = (("connections", "connection", "id"), ("lookups", "lookup", "name"),
          ("libraries", "library", "id"))  # fmt: skip


@dataclass(frozen=True)
class Edge:
    """Integration ``integration`` (``CODE|VERSION``, status ``status``) uses ``target``
    of ``kind`` (connection, lookup, library); ``source`` is ``api`` or ``archive``."""

    integration: str
    status: str | None
    kind: str
    target: str
    source: str = "api"


def dependencies(
    client: OICClient, *, where: Sequence[str] = (), archives: str | Path | None = None
) -> list[Edge]:
    """Every edge of the integrations (filtered by *where*), sorted.

    *archives*: a backup folder; an integration the API gives no dependencies for is
    read from its ``.iar`` there.
    """
    edges: list[Edge] = []
    for record in client.paginate("integrations", where=list(where)).items:
        ident, status = str(record["id"]), record.get("status")
        deps = record.get("dependencies")
        if not isinstance(deps, dict):
            deps = client.get(f"integrations/{ident}").get("dependencies")
        if isinstance(deps, dict):
            edges += _api_edges(ident, status, deps)
        elif archives is not None:
            iar = Path(archives).expanduser() / f"{ident.replace('|', '_')}.iar"
            if iar.is_file():
                edges += archive_edges(iar.read_bytes(), integration=ident, status=status)
    return sorted(edges, key=lambda e: (e.integration, e.kind, e.target))


def _api_edges(ident: str, status: Any, deps: dict[str, Any]) -> list[Edge]:
    out = []
    for field, kind, key in _KINDS:
        for dep in deps.get(field) or []:
            target = (
                dep.get(key) or dep.get("name") or dep.get("id") if isinstance(dep, dict) else dep
            )
            if target:
                out.append(Edge(ident, status, kind, str(target)))
    return out


def archive_edges(body: bytes, *, integration: str, status: str | None = None) -> list[Edge]:
    """The connections and lookups an ``.iar`` names."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        raise RequestError(f"the archive of {integration} is not a zip") from None
    out = []
    for folder, kind in (
        ("icspackage/appinstances/", "connection"),
        ("icspackage/dvms/", "lookup"),
    ):
        for name in names:
            if name.startswith(folder) and name.endswith(".xml"):
                target = name[len(folder) : -4]
                out.append(Edge(integration, status, kind, target, source="archive"))
    return out


def used_by(edges: Iterable[Edge], target: str, *, kind: str | None = None) -> list[Edge]:
    """The edges into *target* (a connection id or lookup name): what uses it."""
    return [e for e in edges if e.target == target and (kind is None or e.kind == kind)]
