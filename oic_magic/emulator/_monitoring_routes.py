"""Routes of recovery (resubmit, discard, recovery jobs) and of activity streams."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ._backend import Backend
from ._identity import Principal
from ._listing import BadRequest
from ._wire import Request, Response, json_response

Handler = Callable[..., Response]


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _act(action: str) -> Handler:
    return lambda b, r, p: json_response(202, b.recovery.act(action, _body(r)))


def _one(action: str) -> Handler:
    def handle(b: Backend, r: Request, p: Principal, ident: str) -> Response:
        b.monitoring.error(ident)  # 404 unless it is an error
        answer = b.recovery.act(action, {"ids": [ident]})
        if answer["non-recoverable-ids"]:
            return json_response(
                412,
                {
                    "title": "Precondition Failed",
                    "detail": f"Error {ident} is not recoverable",
                    "status": 412,
                },
            )
        answer.update(id=ident, status="RESUBMITTED" if action == "resubmit" else "DISCARDED")
        answer["resubmit-successful"] = action == "resubmit"
        return json_response(202, answer)

    return handle


def _payload(b: Backend, r: Request, p: Principal, ident: str, number: str) -> Response:
    return Response(200, b.activity.payload(ident, number), content_type="application/json")


MONITORING_ROUTES: list[tuple[str, tuple[str, ...], Handler]] = [
    ("POST", ("monitoring", "errors", "resubmit"), _act("resubmit")),
    ("POST", ("monitoring", "errors", "discard"), _act("discard")),
    (
        "GET",
        ("monitoring", "errors", "recoveryJobs"),
        lambda b, r, p: json_response(200, b.recovery.recovery_jobs(r.query)),
    ),
    (
        "GET",
        ("monitoring", "errors", "recoveryJobs", "*"),
        lambda b, r, p, i: json_response(200, b.recovery.recovery_job(i)),
    ),
    (
        "GET",
        ("monitoring", "errors", "*"),
        lambda b, r, p, i: json_response(200, b.monitoring.error(i)),
    ),
    ("POST", ("monitoring", "errors", "*", "resubmit"), _one("resubmit")),
    ("POST", ("monitoring", "errors", "*", "discard"), _one("discard")),
    (
        "GET",
        ("monitoring", "instances", "*", "activityStreamDetails"),
        lambda b, r, p, i: json_response(200, b.activity.details(i)),
    ),
    (
        "GET",
        ("monitoring", "instances", "*", "activityStream"),
        lambda b, r, p, i: json_response(200, b.activity.flat(i)),
    ),
    ("GET", ("monitoring", "instances", "*", "activityStreamDetails", "payloads", "*"), _payload),
]
