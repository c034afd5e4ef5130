"""Design-time resources and their rules: connections, integrations (with activation),
lookups, packages and projects.

Lists are served from sorted lists cached per ``orderBy`` and rebuilt only after a
change, so a page costs a slice; a ``q`` filter scans. Responses are fresh dicts with the
private ``_`` keys removed and secrets masked. Pages sent over HTTP join each item's
encoded JSON, kept until anything changes (an item's ``usage`` counts depend on other
collections, so one change forgets them all).
"""

from __future__ import annotations

import csv
import email.parser
import email.policy
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._answers import DEFAULT, Answers
from ._catalogue import ADAPTERS
from ._clock import Clock, oic_timestamp
from ._data import MASK, Dataset, Record
from ._listing import (
    ApiError,
    BadRequest,
    Page,
    compile_filter,
    envelope,
    not_found,
    page_of,
    parse_q,
)
from ._wire import encode

API = "/ic/api/integration/v1"
_ADAPTERS = {a.name: a for a in ADAPTERS}


@dataclass(frozen=True)
class Limits:
    """Paging caps; OIC's are partly unpublished, so every one is a setting."""

    page_default: int = 100
    page_max: int | None = 100
    monitoring_default: int = 50
    monitoring_limit_max: int | None = 50
    monitoring_offset_max: int | None = 500
    answers: Answers = DEFAULT  # how lists and errors are shaped where OIC's are not known


def public(record: Record) -> Record:
    """A copy without the private ``_`` keys."""
    return {k: v for k, v in record.items() if k[0] != "_"}


_ORDERS: dict[str, dict[str, tuple[Callable[[Record], Any], bool]]] = {
    "connections": {
        "name": (lambda r: r["name"].lower(), False),
        "time": (lambda r: r["_updated"], True),
        "type": (lambda r: (r["adapterType"]["name"], r["name"].lower()), False),
    },
    "integrations": {
        "name": (lambda r: (r["name"].lower(), r["version"]), False),
        "time": (lambda r: r["_updated"], True),
    },
    "lookups": {"name": (lambda r: r["name"].lower(), False)},
    "packages": {"name": (lambda r: r["name"], False)},
    "projects": {"name": (lambda r: r["name"].lower(), False)},
}
_FIELDS: dict[str, dict[str, Callable[[Record], Any]]] = {
    "connections": {
        "name": lambda r: r["name"],
        "id": lambda r: r["id"],
        "status": lambda r: r["status"],
        "role": lambda r: r["role"],
        "type": lambda r: r["adapterType"]["name"],
        "securitypolicy": lambda r: r["securityPolicy"],
    },
    "integrations": {
        "name": lambda r: r["name"],
        "code": lambda r: r["code"],
        "status": lambda r: r["status"],
        "type": lambda r: r["projectType"],
        "style": lambda r: r["style"],
        "version": lambda r: r["version"],
    },
    "lookups": {"name": lambda r: r["name"], "status": lambda r: r["status"]},
    "packages": {"name": lambda r: r["name"]},
    "projects": {"name": lambda r: r["name"], "id": lambda r: r["id"]},
}


class Resources:
    """The design-time state of one instance and the rules that change it."""

    def __init__(
        self, *, data: Dataset, clock: Clock, limits: Limits, activation_delay: float
    ) -> None:
        self.data, self.clock, self.limits = data, clock, limits
        self.activation_delay = activation_delay
        self.design_url = self.runtime_url = ""
        self._lock = threading.RLock()
        self._sorted: dict[tuple[str, str], list[Record]] = {}
        self._pending: set[str] = set()
        self._encoded: dict[tuple[str, str, frozenset[str]], bytes] = {}
        self._encoded_for = (self.design_url, self.runtime_url)
        self._generation = 0  # bumped by every change; a render begun before is not kept
        self._versions: dict[str, list[str]] = {}
        self._users_of: dict[str, list[str]] = {}
        self._project_of = {
            member: ident
            for ident, project in reversed(data.projects.items())
            for member in project["_integrations"]
        }
        for ident, record in data.integrations.items():
            self._versions.setdefault(record["code"], []).append(ident)
            for dep in record["dependencies"]["connections"]:
                self._users_of.setdefault(dep["id"], []).append(ident)

    # -- generic listing -------------------------------------------------------------------
    def _collection(self, kind: str) -> dict[str, Record]:
        collection: dict[str, Record] = getattr(self.data, kind)
        return collection

    def _ordered(self, kind: str, order: str | None) -> list[Record]:
        orders = _ORDERS[kind]
        order = (order or "name").lower()
        if order not in orders:
            raise BadRequest(f"orderBy must be one of {', '.join(orders)}")
        with self._lock:
            cached = self._sorted.get((kind, order))
            if cached is None:
                key, reverse = orders[order]
                cached = sorted(self._collection(kind).values(), key=key, reverse=reverse)
                self._sorted[(kind, order)] = cached
            return cached

    def _changed(self, kind: str) -> None:
        with self._lock:
            for key in [k for k in self._sorted if k[0] == kind]:
                del self._sorted[key]
            self._forget_encoded()

    def _forget_encoded(self) -> None:
        with self._lock:
            self._generation += 1
            self._encoded.clear()

    def listing(
        self, kind: str, query: dict[str, str], only: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """One page of a design-time collection with OIC's envelope."""
        chunk, total, page, expand = self._page(kind, query, only)
        render = getattr(self, f"_render_{kind}")
        variant = self.limits.answers
        items = [variant.item(kind, render(r, expand)) for r in chunk]
        return envelope(items, total, page, answers=variant)

    def listing_json(self, kind: str, query: dict[str, str]) -> dict[str, Any]:
        """``listing`` with each item as its encoded JSON (bytes), from the cache."""
        chunk, total, page, expand = self._page(kind, query, None)
        if self._encoded_for != (self.design_url, self.runtime_url):
            self._forget_encoded()  # links and endpoint URIs name the server
            self._encoded_for = (self.design_url, self.runtime_url)
        frozen = frozenset(expand)
        items = [self._encoded_item(kind, r, frozen) for r in chunk]
        return envelope(items, total, page, answers=self.limits.answers)

    def _encoded_item(self, kind: str, record: Record, expand: frozenset[str]) -> bytes:
        key = (kind, record.get("id") or record["name"], expand)
        cached = self._encoded.get(key)
        if cached is None:
            generation = self._generation
            rendered = getattr(self, f"_render_{kind}")(record, set(expand))
            cached = encode(self.limits.answers.item(kind, rendered))
            with self._lock:
                if generation == self._generation:
                    self._encoded[key] = cached
        return cached

    def _page(
        self,
        kind: str,
        query: dict[str, str],
        only: Sequence[str] | None,
    ) -> tuple[Sequence[Record], int, Page, set[str]]:
        """The records of one page, the count of all that match, the page and ``expand``."""
        self.settle()
        page = page_of(
            query,
            default=self.limits.page_default,
            maximum=self.limits.page_max,
            max_offset=None,
            strict=False,
        )
        page = Page(page.offset, self.limits.answers.page_limit(page.limit))
        records: Sequence[Record] = self._ordered(kind, query.get("orderBy"))
        if "q" in query:
            keep = compile_filter(parse_q(query["q"]), _FIELDS[kind])
            records = [r for r in records if keep(r)]
        if only is not None:
            wanted = set(only)
            key = "id" if kind != "lookups" else "name"
            records = [r for r in records if r[key] in wanted]
        chunk = records[page.offset : page.offset + page.limit]
        return chunk, len(records), page, _expand(query)

    def item(self, kind: str, ident: str, query: dict[str, str]) -> Record:
        """One item by id (lookups and packages by name)."""
        self.settle()
        record = self._collection(kind).get(ident)
        if record is None:
            raise not_found(kind[:-1].title(), ident)
        rendered: Record = getattr(self, f"_render_{kind}")(record, _expand(query), detail=True)
        return rendered

    def _link(self, path: str) -> list[dict[str, str]]:
        href = f"{self.design_url}{API}/{path}"
        return [{"rel": "self", "href": href}, {"rel": "canonical", "href": href}]

    # -- rendering -------------------------------------------------------------------------
    def _render_connections(self, record: Record, expand: set[str], detail: bool = False) -> Record:
        out = public(record)
        users = self._users_of.get(record["id"], ())
        out["usage"] = len(users)
        out["usageActive"] = sum(self.data.integrations[i]["status"] == "ACTIVATED" for i in users)
        if "adapter" in expand:
            out["adapter"] = _adapter(record)
        out["links"] = self._link(f"connections/{record['id']}")
        return out

    def _render_integrations(
        self, record: Record, expand: set[str], detail: bool = False
    ) -> Record:
        out = public(record)
        deps = record["dependencies"]
        out["dependencies"] = {
            **deps,
            "connections": [self._dependency(d["id"], expand) for d in deps["connections"]],
        }
        if record["status"] == "ACTIVATED" and record["style"] != "FREEFORM_SCHEDULED":
            major = f"{record['version'][:2].lstrip('0')}.0"
            project = self._project_of.get(record["id"])
            # A project's integration is called under v2/.../project/<PROJECT>/ (seen);
            # one outside a project under v1 (doc).
            where = f"v2/flows/rest/project/{project}" if project else "v1/flows/rest"
            out["endPointURI"] = (
                f"{self.runtime_url}/ic/api/integration/{where}/{record['code']}/{major}/"
            )
        out["links"] = self._link(f"integrations/{record['code']}%7C{record['version']}")
        return out

    def _dependency(self, ident: str, expand: set[str]) -> Record:
        conn = self.data.connections[ident]
        if not expand & {"connection", "connection.adapter"}:
            return {"id": ident}
        out = {k: conn[k] for k in ("id", "name", "adapterType", "role", "status")}
        if "connection.adapter" in expand:
            out["adapter"] = _adapter(conn)
        return out

    def _render_lookups(self, record: Record, expand: set[str], detail: bool = False) -> Record:
        out = public(record)
        if detail:
            out["rows"] = [list(row) for row in record["_rows"]]
        if "adapter" in expand:
            out["adapters"] = [{"name": c} for c in record["columns"] if c in _ADAPTERS]
        out["links"] = self._link(f"lookups/{record['name']}")
        return out

    def _render_packages(self, record: Record, expand: set[str], detail: bool = False) -> Record:
        return {**public(record), "links": self._link(f"packages/{record['name']}")}

    def _render_projects(self, record: Record, expand: set[str], detail: bool = False) -> Record:
        out = public(record)
        out["state"] = {**record.get("state", {}), "status": self._project_status(record)}
        out["links"] = self._link(f"projects/{record['id']}")
        return out

    def _project_status(self, project: Record) -> str:
        """ACTIVE when every integration is, DRAFT when one is a draft, else CONFIGURED (seen)."""
        statuses = {self.data.integrations[i]["status"] for i in project["_integrations"]}
        if statuses and statuses <= {"ACTIVATED"}:
            return "ACTIVE"
        return "DRAFT" if "INPROGRESS" in statuses else "CONFIGURED"

    # -- connections -----------------------------------------------------------------------
    def update_connection(self, ident: str, body: Record, user: str) -> Record:
        """PATCH a connection: description and property values; secrets kept, never shown."""
        record = self._existing("connections", ident)
        if record["lockedFlag"]:
            raise ApiError(
                412, "Precondition Failed", f"Connection {ident} is locked by {record['lockedBy']}"
            )
        with self._lock:
            if isinstance(body.get("description"), str):
                record["description"] = body["description"]
            for prop in body.get("securityProperties") or []:
                self._set_security(record, prop)
            for prop in body.get("connectionProperties") or []:
                _set_property(record["connectionProperties"], prop)
            self._touch(record, user)
        self._changed("connections")
        return self._render_connections(record, set(), detail=True)

    def _set_security(self, record: Record, prop: Record) -> None:
        name = prop.get("propertyName")
        for existing in record["securityProperties"]:
            if existing["propertyName"] == name:
                if existing["propertyType"] == "PASSWORD":
                    self.data.secrets[(record["id"], name)] = str(prop.get("propertyValue"))
                else:
                    existing["propertyValue"] = prop.get("propertyValue")

    def test_connection(self, ident: str) -> Record:
        """``POST connections/{id}/test``: 409 for a draft connection."""
        record = self._existing("connections", ident)
        if record["status"] != "CONFIGURED":
            raise ApiError(
                409,
                "Conflict",
                f"Connection {ident} is not configured ({record['percentageComplete']}% complete)",
            )
        return {
            "status": "SUCCESS",
            "id": ident,
            "details": f"Connection {record['name']} was tested successfully.",
        }

    def _existing(self, kind: str, ident: str) -> Record:
        record = self._collection(kind).get(ident)
        if record is None:
            raise not_found(kind[:-1].title(), ident)
        return record

    def _touch(self, record: Record, user: str) -> None:
        now = self.clock.now()
        record["_updated"], record["lastUpdated"], record["lastUpdatedBy"] = (
            now,
            oic_timestamp(now),
            user,
        )

    # -- integrations: activation ----------------------------------------------------------
    def change_status(self, ident: str, body: Record, user: str) -> Record:
        """Activate (asynchronously) or deactivate an integration version."""
        record = self._existing("integrations", ident)
        wanted = body.get("status")
        if wanted == "CONFIGURED":
            with self._lock:
                self._pending.discard(ident)
                record["status"] = "CONFIGURED"
                self._touch(record, user)
            self._changed("integrations")
            return _status_answer(record)
        if wanted != "ACTIVATED":
            raise BadRequest("status must be ACTIVATED or CONFIGURED")
        if record["percentageComplete"] < 100 or record["status"] == "INPROGRESS":
            raise ApiError(412, "Precondition Failed", f"Integration {ident} is not complete")
        self._start_activation(record, user)
        return _status_answer(record)

    def _start_activation(self, record: Record, user: str) -> None:
        major = record["version"][:2]
        with self._lock:
            for other in self._versions[record["code"]]:
                sibling = self.data.integrations[other]
                if (
                    other != record["id"]
                    and sibling["version"][:2] == major
                    and sibling["status"] in ("ACTIVATED", "ACTIVATION_INPROGRESS")
                ):
                    sibling["status"] = "CONFIGURED"  # one active version per major version
                    self._pending.discard(other)
            record["status"] = "ACTIVATION_INPROGRESS"
            record["_due"] = self.clock.now() + self.activation_delay
            self._touch(record, user)
            self._pending.add(record["id"])
        self._changed("integrations")

    def settle(self) -> None:
        """Finish every activation whose delay has passed on the emulator clock."""
        if not self._pending:
            return
        now = self.clock.now()
        with self._lock:
            for ident in [i for i in self._pending if self.data.integrations[i]["_due"] <= now]:
                record = self.data.integrations[ident]
                record["status"] = "FAILEDACTIVATION" if record["_fails"] else "ACTIVATED"
                self._pending.discard(ident)
                self._forget_encoded()

    def activation_status(self, ident: str) -> Record:
        """``GET integrations/{id}/activationStatus``."""
        self.settle()
        return {"activationStatus": self._existing("integrations", ident)["status"]}

    # -- archives (see _lifecycle.py) -----------------------------------------------------
    def _add_integration(self, code: str, version: str, name: str, user: str) -> str:
        ident = f"{code}|{version}"
        with self._lock:
            if ident in self.data.integrations:
                raise ApiError(409, "Conflict", f"Integration {ident} already exists")
            now = self.clock.now()
            self.data.integrations[ident] = {
                "id": ident,
                "code": code,
                "version": version,
                "name": name,
                "description": "Imported integration",
                "status": "CONFIGURED",
                "style": "FREEFORM_MAPMYDATA",
                "pattern": "Orchestration",
                "patternDescription": "App Driven Orchestration",
                "percentageComplete": 100,
                "lockedFlag": False,
                "lockedBy": None,
                "projectType": "DEVELOPED",
                "compatible": True,
                "created": oic_timestamp(now),
                "createdBy": user,
                "lastUpdated": oic_timestamp(now),
                "lastUpdatedBy": user,
                "scheduleApplicableFlag": False,
                "scheduleDefinedFlag": False,
                "tracingEnabledFlag": False,
                "dependencies": {"connections": [], "lookups": [], "libraries": []},
                "_updated": now,
                "_fails": False,
            }
            self._versions.setdefault(code, []).append(ident)
        self._changed("integrations")
        return f"{API}/integrations/{code}%7C{version}"

    def lookup_csv(self, name: str) -> bytes:
        """``GET lookups/{name}/archive``: the lookup as CSV."""
        record = self._existing("lookups", name)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(record["columns"])
        writer.writerows(record["_rows"])
        return buffer.getvalue().encode()

    def project_members(self, ident: str, kind: str, query: dict[str, str]) -> dict[str, Any]:
        """``projects/{id}/integrations`` and ``projects/{id}/connections``."""
        project = self._existing("projects", ident)
        return self.listing(kind, query, only=project[f"_{kind}"])


def _status_answer(record: Record) -> Record:
    """The answer to an activation or deactivation: the ten keys captured, no id (seen)."""
    return {
        "apiDeploymentInprogress": False,
        "compatible": record.get("compatible", True),
        "links": [],
        "lockedFlag": record.get("lockedFlag", False),
        "scheduleApplicableFlag": record.get("scheduleApplicableFlag", False),
        "scheduleDefinedFlag": record.get("scheduleDefinedFlag", False),
        "softDeactivated": False,
        "status": record["status"],
        "tempCopyExists": False,
        "totalEndPoints": 0 if record["style"] == "FREEFORM_SCHEDULED" else 1,
    }


def _expand(query: dict[str, str]) -> set[str]:
    return {part.strip() for part in query.get("expand", "").split(",") if part.strip()}


def _adapter(connection: Record) -> Record:
    adapter = _ADAPTERS[connection["adapterType"]["name"]]
    return {
        "id": f"oracle/cloud/{adapter.name}",
        "name": adapter.name,
        "displayName": adapter.display_name,
        "type": "PREINSTALLED",
        "version": "25.02.0",
        "vendor": adapter.vendor,
        "supportedRoles": list(adapter.roles),
        "supportedSecurityPolicies": list(adapter.policies),
        "agentRequired": adapter.agent,
    }


def _set_property(properties: list[Record], prop: Record) -> None:
    for existing in properties:
        if existing["propertyName"] == prop.get("propertyName"):
            existing["propertyValue"] = prop.get("propertyValue")


def _multipart_file(body: bytes, content_type: str) -> bytes:
    if not content_type.lower().startswith("multipart/"):
        raise BadRequest("the archive must be sent as multipart/form-data")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    for part in message.iter_parts():
        if part.get_filename():
            return bytes(part.get_payload(decode=True) or b"")
    raise BadRequest("the multipart body has no file part")


__all__ = ["API", "MASK", "Limits", "Resources", "public"]
