"""Lifecycle on the emulated instance: exports, imports, import jobs, connection tests.

- ``GET integrations/{id}/archive``: the ``.iar`` (423 when the integration is locked);
  an imported archive comes back byte for byte.
- ``POST integrations/archive`` (multipart ``file``) adds: 204 + ``Location``, 409 when
  it exists; ``PUT`` replaces: 404 when it does not exist, 409 while it is active.
  With ``async_imports`` on, both answer 202 + ``Location`` of an import job instead,
  and the integration appears when the job completes (``GET importJobs/{id}``:
  ``{"id", "status": IN_PROGRESS|COMPLETED|FAILED, "details", "location"}``; the path
  and shape of the job are the emulator's own, OIC publishes none for this import).
- ``POST|PUT lookups/archive``: a lookup from its CSV, named by the file name.
- ``POST projects/{id}/archive``: the ``.car``; ``POST projects/archive`` imports one,
  always as a job (202 + ``Location``).
- ``POST connections/{id}/test``: SUCCESS, 409 not configured, 412 locked, or a 200
  whose status is FAILED with the reason in ``details`` for a connection whose
  endpoint does not answer (every ninth, by a stable hash of its id).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import threading
from typing import Any

from ._archives import Descriptor, build_car, build_iar, read_car, read_csv, read_iar
from ._clock import oic_timestamp
from ._listing import ApiError, BadRequest
from ._resources import API, Resources, _multipart_file

__all__ = ["Lifecycle"]

Record = dict[str, Any]


class Lifecycle:
    """Archives, imports and connection tests over one instance's :class:`Resources`."""

    def __init__(self, resources: Resources, *, async_imports: bool = False) -> None:
        self.resources = resources
        self.async_imports = async_imports
        self.job_delay = 1.0  # seconds on the emulator clock
        self._jobs: dict[str, Record] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- exports ---------------------------------------------------------------------------
    def export_integration(self, ident: str) -> bytes:
        record = self.resources._existing("integrations", ident)
        if record["lockedFlag"]:
            raise ApiError(423, "Locked", f"Integration {ident} is locked by {record['lockedBy']}")
        kept: bytes | None = record.get("_archive")
        return kept if kept is not None else build_iar(record)

    def export_project(self, ident: str) -> bytes:
        project = self.resources._existing("projects", ident)
        archives = {
            i: self.export_integration(i)
            for i in project["_integrations"]
            if not self.resources.data.integrations[i]["lockedFlag"]
        }
        return build_car(project, archives)

    # -- integration imports ---------------------------------------------------------------
    def import_integration(
        self, body: bytes, content_type: str, user: str, *, replace: bool
    ) -> tuple[int, str]:
        """``(status, location)``: 204 and the integration, or 202 and its job."""
        payload = _multipart_file(body, content_type)
        descriptor = read_iar(payload)
        if self.async_imports:
            return 202, self._job(lambda: self._apply(descriptor, payload, user, replace))
        return 204, self._apply(descriptor, payload, user, replace)

    def _apply(self, found: Descriptor, payload: bytes, user: str, replace: bool) -> str:
        ident = f"{found['code']}|{found['version']}"
        data = self.resources.data
        with self.resources._lock:
            existing = data.integrations.get(ident)
            if replace and existing is None:
                raise ApiError(404, "Not Found", f"Integration {ident} does not exist to replace")
            if not replace and existing is not None:
                raise ApiError(409, "Conflict", f"Integration {ident} already exists")
            if existing is not None and existing["status"] in (
                "ACTIVATED",
                "ACTIVATION_INPROGRESS",
            ):
                raise ApiError(
                    409, "Conflict", f"Integration {ident} is active; deactivate it first"
                )
            if existing is None:
                self.resources._add_integration(
                    found["code"], found["version"], found["name"], user
                )
            record = data.integrations[ident]
            record.update(name=found["name"], style=found["style"], _archive=payload)
            record["dependencies"] = {
                "connections": [{"id": c} for c in found["connections"] if c in data.connections],
                "lookups": [{"name": n} for n in found["lookups"]],
                "libraries": [],
            }
            for dep in record["dependencies"]["connections"]:
                users = self.resources._users_of.setdefault(dep["id"], [])
                if ident not in users:
                    users.append(ident)
            self.resources._touch(record, user)
        self.resources._changed("integrations")
        self.resources._changed("connections")
        return f"{API}/integrations/{found['code']}%7C{found['version']}"

    # -- lookups -----------------------------------------------------------------------------
    def import_lookup(self, body: bytes, content_type: str, user: str, *, replace: bool) -> str:
        payload, filename = _file_and_name(body, content_type)
        name = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if not name:
            raise BadRequest("the lookup file needs a name (the lookup is named after it)")
        columns, rows = read_csv(payload)
        lookups = self.resources.data.lookups
        with self.resources._lock:
            existing = lookups.get(name)
            if replace and existing is None:
                raise ApiError(404, "Not Found", f"Lookup {name} does not exist to replace")
            if not replace and existing is not None:
                raise ApiError(409, "Conflict", f"Lookup {name} already exists")
            now = self.resources.clock.now()
            record: Record = existing if existing is not None else {
                "name": name, "description": "Imported lookup", "status": "CONFIGURED",
                "created": oic_timestamp(now), "createdBy": user,
            }  # fmt: skip
            record.update(columns=columns, _rows=rows, rowCount=len(rows))
            self.resources._touch(record, user)
            lookups[name] = record
        self.resources._changed("lookups")
        return f"{API}/lookups/{name}"

    # -- projects ----------------------------------------------------------------------------
    def import_project(self, body: bytes, content_type: str, user: str) -> str:
        payload = _multipart_file(body, content_type)
        meta, iars = read_car(payload)
        descriptors = [(read_iar(iar), iar) for iar in iars]
        return self._job(lambda: self._apply_project(meta, descriptors, user))

    def _apply_project(
        self, meta: Record, descriptors: list[tuple[Descriptor, bytes]], user: str
    ) -> str:
        projects = self.resources.data.projects
        if meta["id"] in projects:
            raise ApiError(409, "Conflict", f"Project {meta['id']} already exists")
        members = []
        for found, payload in descriptors:
            ident = f"{found['code']}|{found['version']}"
            if ident not in self.resources.data.integrations:
                self._apply(found, payload, user, replace=False)
            members.append(ident)
        now = self.resources.clock.now()
        with self.resources._lock:
            when = {"by": user, "date": oic_timestamp(now)}
            # The captured Gen3 project shape (seen), as _data seeds it.
            projects[meta["id"]] = {
                "cloneRestrict": "NONE", "code": meta.get("code", meta["id"]),
                "description": meta.get("description", ""), "id": meta["id"],
                "keyword": "", "name": meta.get("name", meta["id"]), "origin": {},
                "state": {
                    "assets": {}, "created": when, "latest": dict(when), "lockStatus": False,
                    "locked": {}, "projectRevisionId": 0, "serviceInstanceId": 0,
                    "updated": dict(when),
                },
                "type": "DEVELOPED", "viewRestricted": False,
                "_integrations": members, "_connections": [], "_updated": now,
            }  # fmt: skip
        self.resources._changed("projects")
        return f"{API}/projects/{meta['id']}"

    # -- jobs --------------------------------------------------------------------------------
    def _job(self, work: Any) -> str:
        with self._lock:
            ident = f"job-{next(self._ids)}"
            self._jobs[ident] = {
                "id": ident,
                "status": "IN_PROGRESS",
                "_due": self.resources.clock.now() + self.job_delay,
                "_work": work,
            }
        return f"{API}/importJobs/{ident}"

    def job(self, ident: str) -> Record:
        with self._lock:
            job = self._jobs.get(ident)
            if job is None:
                raise ApiError(404, "Not Found", f"Import job not found: {ident}")
            if job["status"] == "IN_PROGRESS" and self.resources.clock.now() >= job["_due"]:
                try:
                    job["location"] = job.pop("_work")()
                    job["status"], job["details"] = "COMPLETED", "Import completed."
                except ApiError as error:
                    job["status"], job["details"] = "FAILED", error.detail
            return {k: copy.copy(v) for k, v in job.items() if not k.startswith("_")}

    # -- connection tests --------------------------------------------------------------------
    def test_connection(self, ident: str) -> Record:
        record = self.resources._existing("connections", ident)
        if record["lockedFlag"]:
            raise ApiError(
                412, "Precondition Failed", f"Connection {ident} is locked by {record['lockedBy']}"
            )
        answer = self.resources.test_connection(ident)  # 409 when not configured
        if hashlib.sha256(ident.encode()).digest()[0] % 9 == 0:
            host = next(
                (p["propertyValue"] for p in record["connectionProperties"]), "the endpoint"
            )
            return {
                "status": "FAILED",
                "id": ident,
                "details": f"Unable to establish a connection to {host}: Connection timed out.",
            }
        return answer


def _file_and_name(body: bytes, content_type: str) -> tuple[bytes, str]:
    import email.parser
    import email.policy

    if not content_type.lower().startswith("multipart/"):
        raise BadRequest("the file must be sent as multipart/form-data")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    for part in message.iter_parts():
        filename = part.get_filename()
        if filename:
            return bytes(part.get_payload(decode=True) or b""), filename
    raise BadRequest("the multipart body has no file part")
