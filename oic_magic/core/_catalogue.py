"""The OIC catalogue: what the Developer API serves, in one place.

Resources and the lists among them, the fields a list's items carry, which field is an
item's id, the fields that hold timestamps, the values OIC knows for ``status`` and the
keys its ``q`` filter accepts, and the monitoring caps. Parsing, frames, help, hints and
completion read these tables; a fact's source is in ``/shared/OIC-API.md`` (doc: Oracle's
documentation; seen: a published real body; assumed: what other clients rely on).
"""

from __future__ import annotations

__all__ = [
    "API_PREFIX",
    "COLLECTIONS",
    "DEFAULT_COLUMNS",
    "FILTER_KEYS",
    "FILTER_VALUES",
    "FILTER_VALUES_ANY_CASE",
    "ID_FIELDS",
    "ITEM_PATHS",
    "LIST_COLUMNS",
    "MONITORING_LIMIT",
    "MONITORING_LISTS",
    "MONITORING_MAX_OFFSET",
    "RESOURCES",
    "RESOURCE_PATHS",
    "STATUSES",
    "TIME_FIELDS",
    "list_name",
]

#: Where the Developer API lives on the design-time host (doc).
API_PREFIX = "/ic/api/integration/v1/"

#: The first segments of the Developer API's resources (``/ic/api/integration/v1/<here>``).
RESOURCES = (
    "adapters", "agentgroups", "certificates", "connections", "flows", "integrations",
    "libraries", "lookups", "monitoring", "packages", "projects",
)  # fmt: skip

#: The lists under ``monitoring/`` (doc).
MONITORING_LISTS = ("instances", "errors", "integrations")

#: Paths under a resource that name no item (``integrations/archive`` imports; doc).
RESOURCE_PATHS: dict[str, tuple[str, ...]] = {
    "integrations": ("archive",),
    "monitoring": MONITORING_LISTS,
}

#: Paths below one item of a list (``integrations/{id}/archive``; doc).
ITEM_PATHS: dict[str, tuple[str, ...]] = {
    "connections": ("test",),
    "integrations": ("activationStatus", "archive"),
    "lookups": ("archive",),
    "projects": ("connections", "integrations"),
    "monitoring/errors": ("resubmit",),
}

#: Last path segments that name a list: those are read page by page, completely.
COLLECTIONS = frozenset({
    "connections", "integrations", "lookups", "packages", "projects", "libraries",
    "instances", "errors", "agentgroups", "adapters", "schedules", "certificates",
})  # fmt: skip

#: The item fields an empty list's frame still has, by list: those Oracle's docs name
#: (flattened as a full list's frame would be), less those only some items carry.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "connections": (
        "id", "name", "description", "adapterType.name", "adapterType.displayName",
        "adapterType.type", "role", "status", "securityPolicy", "percentageComplete",
        "lockedFlag", "lockedBy", "created", "createdBy", "lastUpdated", "lastUpdatedBy",
        "agentRequired", "connectionProperties", "securityProperties", "usage", "usageActive",
    ),
    "integrations": (
        "id", "code", "version", "name", "description", "status", "style", "pattern",
        "percentageComplete", "lockedFlag", "projectType", "compatible", "created",
        "createdBy", "lastUpdated", "lastUpdatedBy", "scheduleApplicableFlag",
        "scheduleDefinedFlag", "tracingEnabledFlag", "dependencies.connections",
        "dependencies.lookups", "dependencies.libraries",
    ),
    "lookups": ("name", "description", "status", "created", "lastUpdated"),
    "packages": ("id", "name"),
    "projects": (
        "id", "code", "name", "description", "type", "keyword", "state.status",
        "state.created.date", "state.updated.date",
    ),
    "monitoring/instances": (
        "id", "integrationId", "code", "version", "status", "creationDate",
        "lastTrackedTime", "duration", "primaryValue",
    ),
    "monitoring/errors": (
        "id", "integrationId", "code", "version", "creationDate", "lastTrackedTime",
        "primaryValue",
    ),
    "monitoring/integrations": ("id", "code", "version", "name", "status"),
}  # fmt: skip

#: The columns a list's table shows by default (``--columns all`` shows every one; the
#: frame always keeps them all): what a person scans first.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "connections": (
        "id", "name", "adapterType.displayName", "role", "status", "securityPolicy",
        "lastUpdated",
    ),
    "integrations": ("id", "name", "status", "style", "pattern", "lastUpdated"),
    "lookups": ("name", "description", "status", "lastUpdated"),
    "packages": ("id", "name"),
    "projects": ("id", "code", "name", "lastUpdated"),
    "monitoring/instances": (
        "id", "integrationId", "status", "creationDate", "duration", "primaryValue",
    ),
    "monitoring/errors": (
        "id", "integrationId", "creationDate", "errorCode", "errorMessage", "connectionCode",
        "recoverable", "primaryValue",
    ),
    "monitoring/integrations": ("id", "name", "status"),
}  # fmt: skip

#: The field that identifies an item of each list (integrations: ``CODE|VERSION``; doc).
ID_FIELDS: dict[str, str] = {
    "connections": "id",
    "integrations": "id",
    "lookups": "name",
    "packages": "name",
    "projects": "id",
    "monitoring/instances": "id",
    "monitoring/errors": "id",
    "monitoring/integrations": "id",
}

#: Fields that hold OIC timestamps: datetime columns even with no row to show it.
TIME_FIELDS = frozenset(
    {"created", "lastUpdated", "creationDate", "lastTrackedTime"}
    | {f"state.{when}.date" for when in ("created", "updated", "latest")}  # projects (seen)
)

#: The values OIC knows for ``status``, by list (doc).
STATUSES: dict[str, tuple[str, ...]] = {
    "integrations": ("ACTIVATED", "CONFIGURED", "INPROGRESS", "FAILEDACTIVATION"),
    "connections": ("CONFIGURED", "INPROGRESS"),
    "lookups": ("CONFIGURED", "LOCKED"),
    "monitoring/instances": ("COMPLETED", "FAILED", "ABORTED"),
}

#: The keys OIC's ``q`` filter accepts, by list (doc).
FILTER_KEYS: dict[str, tuple[str, ...]] = {
    "integrations": ("name", "status", "type", "style", "code"),
    "connections": ("name", "status", "role", "type"),
    "lookups": ("name", "status"),
    "monitoring/instances": (
        "timewindow", "status", "code", "version", "startdate", "enddate", "id",
        "primaryValue", "minDuration", "projectCode", "includePurged",
    ),
    "monitoring/errors": ("timewindow", "code", "version", "startdate", "enddate", "id",
                          "primaryValue"),
}  # fmt: skip

#: The values OIC knows for a ``q`` key, by list and key (doc): what a filter may say.
FILTER_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "integrations": {"status": STATUSES["integrations"]},
    "connections": {
        "status": STATUSES["connections"],
        "role": ("SOURCE", "TARGET", "SOURCE_AND_TARGET"),
    },
    "lookups": {"status": STATUSES["lookups"]},
    "monitoring/instances": {
        "status": STATUSES["monitoring/instances"],
        "timewindow": ("1h", "6h", "1d", "2d", "3d", "RETENTIONPERIOD"),
    },
    "monitoring/errors": {"timewindow": ("1h", "6h", "1d", "2d", "3d", "RETENTIONPERIOD")},
}

#: Keys whose values OIC is not known to read in one case only (``timewindow=1D`` and
#: ``retentionperiod`` are used by other clients): their case is not checked.
FILTER_VALUES_ANY_CASE = frozenset({"timewindow"})


def list_name(path: str) -> str:
    """The catalogue's name of the list at a relative *path*: ``monitoring/instances``.

    The query is left out; any other path is its last segment (``projects/P/integrations``
    is ``integrations``).
    """
    bare = path.partition("?")[0].strip().strip("/")
    for prefix in ("ic/api/integration/v1/", "/ic/api/integration/v1/"):
        bare = bare.removeprefix(prefix)
    segments = bare.split("/")
    if len(segments) >= 2 and segments[0] == "monitoring":
        return f"monitoring/{segments[1]}"
    return segments[-1]


#: OIC's caps on monitoring lists (assumed by two public clients): limit and offset.
MONITORING_LIMIT = 50
MONITORING_MAX_OFFSET = 500
