"""The Developer API route table: (method, path pattern) -> small handler.

Patterns are tuples of decoded path segments after ``/ic/api/integration/v1/``; ``*``
captures one segment (so ``CODE|VERSION`` sent as ``CODE%7CVERSION`` arrives whole).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ._backend import Backend
from ._identity import Principal
from ._listing import ApiError, BadRequest
from ._monitoring_routes import MONITORING_ROUTES
from ._resources import API
from ._wire import Request, Response, encode, json_list, json_response

Handler = Callable[..., Response]
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        raise BadRequest("the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return body


def _list(kind: str) -> Handler:
    return lambda b, r, p: json_list(b.resources.listing_json(kind, r.query))


def _item(kind: str) -> Handler:
    return lambda b, r, p, ident: json_response(200, b.resources.item(kind, ident, r.query))


def _members(kind: str) -> Handler:
    return lambda b, r, p, ident: json_response(
        200, b.resources.project_members(ident, kind, r.query)
    )


def _update_connection(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    return json_response(200, b.resources.update_connection(ident, _body(r), p.subject))


def _test_connection(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    return json_response(200, b.lifecycle.test_connection(ident))


def _change_status(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    return json_response(200, b.resources.change_status(ident, _body(r), p.subject))


def _activation_status(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    return json_response(200, b.resources.activation_status(ident))


def _export(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    code, _, version = ident.partition("|")
    return Response(
        200,
        b.lifecycle.export_integration(ident),
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{code}_{version}.iar"'},
    )


def _content_type(r: Request) -> str:
    return {k.lower(): v for k, v in r.headers.items()}.get("content-type", "")


def _located(b: Backend, status: int, location: str) -> Response:
    headers = {"Location": f"{b.resources.design_url}{location}"}
    if status == 204:
        return Response(204, content_type=None, headers=headers)
    return Response(
        status, encode({"status": "IN_PROGRESS", "location": headers["Location"]}), headers=headers
    )


def _import(replace: bool) -> Handler:
    def handler(b: Backend, r: Request, p: Principal) -> Response:
        status, location = b.lifecycle.import_integration(
            r.body, _content_type(r), p.subject, replace=replace
        )
        return _located(b, status, location)

    return handler


def _import_lookup(replace: bool) -> Handler:
    def handler(b: Backend, r: Request, p: Principal) -> Response:
        location = b.lifecycle.import_lookup(r.body, _content_type(r), p.subject, replace=replace)
        return _located(b, 204, location)

    return handler


def _export_project(b: Backend, r: Request, p: Principal, ident: str) -> Response:
    return Response(
        200,
        b.lifecycle.export_project(ident),
        content_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{ident}.car"'},
    )


def _import_project(b: Backend, r: Request, p: Principal) -> Response:
    return _located(b, 202, b.lifecycle.import_project(r.body, _content_type(r), p.subject))


def _lookup_csv(b: Backend, r: Request, p: Principal, name: str) -> Response:
    return Response(
        200,
        b.resources.lookup_csv(name),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


ROUTES: list[tuple[str, tuple[str, ...], Handler]] = [
    ("GET", ("connections",), _list("connections")),
    ("GET", ("connections", "*"), _item("connections")),
    ("PATCH", ("connections", "*"), _update_connection),
    ("POST", ("connections", "*", "test"), _test_connection),
    ("GET", ("integrations",), _list("integrations")),
    ("POST", ("integrations", "archive"), _import(replace=False)),
    ("PUT", ("integrations", "archive"), _import(replace=True)),
    ("POST", ("lookups", "archive"), _import_lookup(replace=False)),
    ("PUT", ("lookups", "archive"), _import_lookup(replace=True)),
    ("POST", ("projects", "archive"), _import_project),
    ("POST", ("projects", "*", "archive"), _export_project),
    ("GET", ("importJobs", "*"), lambda b, r, p, i: json_response(200, b.lifecycle.job(i))),
    ("GET", ("integrations", "*"), _item("integrations")),
    ("PATCH", ("integrations", "*"), _change_status),
    ("GET", ("integrations", "*", "activationStatus"), _activation_status),
    ("GET", ("integrations", "*", "archive"), _export),
    ("GET", ("lookups",), _list("lookups")),
    ("GET", ("lookups", "*"), _item("lookups")),
    ("GET", ("lookups", "*", "archive"), _lookup_csv),
    ("GET", ("packages",), _list("packages")),
    ("GET", ("packages", "*"), _item("packages")),
    ("GET", ("projects",), _list("projects")),
    ("GET", ("projects", "*"), _item("projects")),
    ("GET", ("projects", "*", "integrations"), _members("integrations")),
    ("GET", ("projects", "*", "connections"), _members("connections")),
    (
        "GET",
        ("monitoring", "instances"),
        lambda b, r, p: json_response(200, b.monitoring.instances(r.query)),
    ),
    (
        "GET",
        ("monitoring", "instances", "*"),
        lambda b, r, p, i: json_response(200, b.monitoring.instance(i)),
    ),
    (
        "GET",
        ("monitoring", "errors"),
        lambda b, r, p: json_response(200, b.monitoring.instances(r.query, failed_only=True)),
    ),
    *MONITORING_ROUTES,
    (
        "GET",
        ("monitoring", "integrations"),
        lambda b, r, p: json_response(200, b.monitoring.integrations(r.query)),
    ),
]


def _matches(pattern: tuple[str, ...], segments: Sequence[str]) -> list[str] | None:
    if len(pattern) != len(segments):
        return None
    args = []
    for want, got in zip(pattern, segments, strict=True):
        if want == "*":
            args.append(got)
        elif want != got:
            return None
    return args


def find(
    routes: list[tuple[str, tuple[str, ...], Handler]], method: str, segments: Sequence[str]
) -> tuple[Handler, list[str]]:
    """The handler for a request; 404 for an unknown path, 405 for a wrong method."""
    path_known = False
    for want_method, pattern, handler in routes:
        args = _matches(pattern, segments)
        if args is None:
            continue
        if want_method == method:
            return handler, args
        path_known = True
    if path_known:
        raise ApiError(405, "Method Not Allowed", f"{method} is not allowed here")
    raise ApiError(404, "Not Found", f"No resource at {API}/{'/'.join(segments)}")
