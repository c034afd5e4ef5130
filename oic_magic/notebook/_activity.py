"""The activity stream of one instance as rows, payloads on request with a size cap.

``activityStreamDetails`` (a tree of milestones) is read first; where OIC has no such
resource (404 for the path, the instance itself known), the deprecated
``activityStream`` is read instead. Rows come depth first: ``step`` (1, 2, ...),
``depth`` (0 for the top level), then the milestone's own fields, ``payloadUrl`` from
its ``links[rel=payload]``. With payloads asked for, each is fetched with a second GET
and cut at the cap; one past its retention says so in its cell.

A purged instance (410) raises with a hint on OIC's retention: minimal details are kept
32 days, payloads 24 hours with debug tracing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..core._client import OICClient
from ..exceptions import APIStatusError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["PAYLOAD_LIMIT", "activity_frame"]

#: Characters of a payload kept in its cell by default.
PAYLOAD_LIMIT = 64 * 1024
_RETENTION_HINT = (
    "OIC keeps an instance's minimal details for its retention period (32 days by "
    "default) and its payloads 24 hours with debug tracing; a newer instance of the same "
    "integration may still have them (%oic GET monitoring/instances --where code=...)."
)
_COLUMNS = (
    "step", "depth", "id", "name", "type", "status", "date", "elapsedTime",
    "isErrorMilestone", "loopIterations", "payloadExists", "payloadUrl",
)  # fmt: skip


def activity_frame(
    client: OICClient,
    instance: str,
    *,
    payloads: bool = False,
    payload_limit: int = PAYLOAD_LIMIT,
    flat: bool = False,
) -> pd.DataFrame:
    """The milestones of *instance* as rows (see the module docstring)."""
    import pandas as pd

    from ._frames import to_frame

    if not instance or any(c in instance for c in "/?#|"):
        from IPython.core.error import UsageError

        raise UsageError(f"{instance!r} is not an instance id")
    base = f"monitoring/instances/{instance}"
    source = "activityStream" if flat else "activityStreamDetails"
    try:
        body = _read(client, f"{base}/{source}")
    except APIStatusError as error:
        if error.status != 404 or flat:
            raise
        client.get(base)  # the instance is known (else this 404 is the answer) ...
        source = "activityStream"  # ... so the details are what this OIC lacks
        body = _read(client, f"{base}/{source}")
    rows = list(_walk(body.get("items", []) if isinstance(body, dict) else []))
    if payloads:
        for row in rows:
            row["payload"] = _payload(client, row.get("payloadUrl"), payload_limit)
    frame = to_frame(rows) if rows else pd.DataFrame(columns=list(_COLUMNS))
    if len(rows) == 1:
        frame = frame.reset_index(drop=True)
    present = [c for c in _COLUMNS if c in frame]
    frame = frame[present + [c for c in frame.columns if c not in present]]
    frame.attrs.update(instance=instance, source=source, milestones=len(rows))
    if isinstance(body, dict) and body.get("status") is not None:
        frame.attrs["status"] = body["status"]
    return frame


def _read(client: OICClient, path: str) -> Any:
    try:
        return client.get(path)
    except APIStatusError as error:
        if error.status != 410:
            raise
        raise APIStatusError(
            status=error.status,
            method=error.method,
            path=error.path,
            server_message=error.server_message,
            hint=f"The instance is purged. {_RETENTION_HINT}",
        ) from None


def _walk(nodes: Iterable[Any], depth: int = 0, counter: list[int] | None = None) -> Any:
    counter = [0] if counter is None else counter
    for node in nodes:
        if not isinstance(node, dict):
            continue
        counter[0] += 1
        links = node.get("links") or []
        href = next(
            (
                link.get("href")
                for link in links
                if isinstance(link, dict) and link.get("rel") == "payload"
            ),
            None,
        )
        row = {k: v for k, v in node.items() if k not in ("children", "links")}
        row.update(step=counter[0], depth=depth, payloadUrl=href)
        yield row
        yield from _walk(node.get("children") or [], depth + 1, counter)


def _payload(client: OICClient, href: Any, limit: int) -> str | None:
    if not isinstance(href, str):
        return None
    try:
        response = client.request("GET", href)
    except APIStatusError as error:
        if error.status == 410:
            return "(past retention: payloads are kept 24 hours with debug tracing)"
        raise
    text = response.text
    if len(text) > limit:
        return f"{text[:limit]}… (cut at {limit} of {len(text)} characters)"
    return text
