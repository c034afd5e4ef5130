"""Request -> response translation for the four origins, with faults and the request log.

Handlers are a few lines each: parse the request, call the backend, wrap the answer.
The server layer (``_server.py``) only moves bytes; what to answer, how long to wait and
whether to cut the connection short is decided here.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Mapping

from ._backend import Backend, Fault
from ._control import ROUTES as CONTROL_ROUTES
from ._control import Control
from ._identity import DEVELOPER_ROLES, READER_ROLES, OAuthError, Principal
from ._listing import ApiError, BadRequest
from ._pages import AUTHORIZE_PATH, DEVICE_PAGE, authorize_page, device_page
from ._routes import ROUTES, WRITE_METHODS, find
from ._wire import Request, Response, api_error, json_response

API_PREFIX = "/ic/api/integration/v1/"
CONTROL_PREFIX = "/_emulator/"
DEVICE_PATH = "/oauth2/v1/device"
SIGN_IN_PAGES = {DEVICE_PAGE: device_page, AUTHORIZE_PATH: authorize_page}
NOT_AUTHENTICATED = {
    "code": "NotAuthenticated",
    "message": "The required information to "
    "complete authentication was not provided or was incorrect.",
}
_HTML = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>"
    "{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Bodies a server should never send; the client must answer each with a clear error.
HUGE_BYTES = 24 * 1024 * 1024
DEEP_LEVELS = 100_000


def _huge() -> Response:
    """Valid JSON of HUGE_BYTES: a runaway answer a client must not buffer blindly."""
    padding = b"x" * HUGE_BYTES
    return Response(200, b'{"items": [], "totalResults": 0, "padding": "' + padding + b'"}')


def _deep() -> Response:
    """JSON nested deeper than any parser's recursion limit."""
    return Response(200, b'{"items": ' + b"[" * DEEP_LEVELS + b"]" * DEEP_LEVELS + b"}")


def _latin1() -> Response:
    """A JSON body encoded in Latin-1 although JSON must be UTF-8."""
    text = (
        '{"items": [{"id": "CAF\u00c9", "name": "Caf\u00e9 Z\u00fcrich"}], '
        '"totalResults": 1, "hasMore": false}'
    )
    return Response(200, text.encode("latin-1"))


def _text() -> Response:
    """A gateway's plain-text answer with status 200."""
    return Response(
        200,
        b"upstream connect error or disconnect/reset before headers",
        content_type="text/plain; charset=utf-8",
    )


def _items_not_list() -> Response:
    """A list endpoint whose ``items`` is an object."""
    return json_response(200, {"items": {"id": "NOT-A-LIST"}, "totalResults": 1, "hasMore": False})


BAD_BODIES: dict[str, Callable[[], Response]] = {
    "huge": _huge,
    "deep": _deep,
    "latin1": _latin1,
    "text": _text,
    "items-not-list": _items_not_list,
}


class App:
    """Routes requests of every origin to the backend."""

    def __init__(self, backend: Backend, *, instance: str) -> None:
        self.backend, self.instance = backend, instance
        self.control = Control(backend)
        self.urls: dict[str, str] = {}
        self._answers = backend.settings.limits.answers
        self._origins: dict[str, Callable[[Request], Response]] = {
            "identity": self._identity,
            "design": self._design,
            "runtime": self._runtime,
            "foreign": self._foreign,
        }

    def handle(self, request: Request) -> Response:
        """Answer one request, applying latency and faults and logging it."""
        if request.path.startswith(CONTROL_PREFIX):
            return self._control(request)
        fault = self.backend.take_fault(request.origin, request.path)
        response = self._faulted(fault, request)
        response.delay += self.backend.latency_for(request.path)
        self.backend.record(
            {
                "method": request.method,
                "path": request.path,
                "query": request.raw_query,
                "origin": request.origin,
                "authorization": "authorization" in _lower(request.headers),
                # Extension headers only (X-...): never the Authorization's token.
                "x_headers": {
                    k: v for k, v in _lower(request.headers).items() if k.startswith("x-")
                },
                "grant_type": _grant_type(request),
                "status": response.status,
                "fault": fault.kind if fault else None,
                "time": self.backend.clock.now(),
            }
        )
        return response

    def _faulted(self, fault: Fault | None, request: Request) -> Response:
        if fault is None or fault.kind in ("slow", "drop"):
            response = self._origins[request.origin](request)
            if fault is not None and fault.kind == "slow":
                response.delay += fault.seconds
            if fault is not None and fault.kind == "drop":
                response.drop = True
            return response
        if fault.kind == "malformed":
            return Response(200, b'{"items": [{"id": "BROKEN", "name": ')
        if fault.kind in BAD_BODIES:
            return BAD_BODIES[fault.kind]()
        if fault.kind == "html":
            status = fault.status or 502
            return Response(
                status,
                _HTML.format(status=status, reason=_REASONS.get(status, "Error")).encode(),
                content_type="text/html",
            )
        status = int(fault.kind)
        headers = {} if fault.retry_after is None else {"Retry-After": _seconds(fault.retry_after)}
        body = self._answers.error_body(
            status, _REASONS[status], f"{_REASONS[status]} (injected fault)"
        )
        return json_response(status, body, **headers)

    # -- control ---------------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        name = request.path[len(CONTROL_PREFIX) :].strip("/")
        route = CONTROL_ROUTES.get((request.method, name))
        if route is None:
            return json_response(404, {"title": "Not Found", "detail": f"no control {name!r}"})
        try:
            body = json.loads(request.body or b"{}")
            answer = route(self.control, body)
        except (ValueError, KeyError, TypeError) as error:
            return json_response(400, {"title": "Bad Request", "detail": str(error)})
        return json_response(200, answer if answer is not None else {"ok": True})

    # -- identity domain -------------------------------------------------------------------
    def _identity(self, request: Request) -> Response:
        if request.path in SIGN_IN_PAGES and request.method in ("GET", "POST"):
            return SIGN_IN_PAGES[request.path](self.backend.identity, request)
        if request.path == DEVICE_PATH and request.method == "POST":
            return self._device(request)
        if request.path != "/oauth2/v1/token":
            return json_response(404, {"error": "not_found", "error_description": "Not found"})
        if request.method != "POST":
            return json_response(
                405, {"error": "invalid_request", "error_description": "Use POST."}, Allow="POST"
            )
        form = dict(
            urllib.parse.parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        )
        try:
            answer = self.backend.identity.grant(form, _lower(request.headers).get("authorization"))
        except OAuthError as error:
            return _oauth_error(error)
        return json_response(200, answer, **{"Cache-Control": "no-store", "Pragma": "no-cache"})

    def _device(self, request: Request) -> Response:
        form = dict(
            urllib.parse.parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        )
        page = self.urls.get("identity", "") + DEVICE_PAGE
        try:
            answer = self.backend.identity.device_authorization(
                form, _lower(request.headers).get("authorization"), page
            )
        except OAuthError as error:
            return _oauth_error(error)
        return json_response(200, answer, **{"Cache-Control": "no-store"})

    # -- runtime and foreign ---------------------------------------------------------------
    def _runtime(self, request: Request) -> Response:
        if not request.path.startswith("/ic/api/"):
            return api_error(
                ApiError(404, "Not Found", f"No integration endpoint at {request.path}"),
                self._answers,
            )
        query = request.raw_query
        if "integrationInstance" not in request.query:
            extra = urllib.parse.urlencode({"integrationInstance": self.instance})
            query = f"{query}&{extra}" if query else extra
        target = self.backend.redirect_target
        base = self.urls.get(target, target)
        return Response(
            self.backend.redirect_status,
            b"",
            content_type=None,
            headers={"Location": f"{base}{request.path}?{query}"},
        )

    def _foreign(self, request: Request) -> Response:
        self.backend.record_foreign(
            {
                "method": request.method,
                "path": request.path,
                "query": request.raw_query,
                "headers": dict(request.headers.items()),
            }
        )
        return json_response(200, {})

    # -- design time -----------------------------------------------------------------------
    def _design(self, request: Request) -> Response:
        if not request.path.startswith(API_PREFIX):
            return api_error(
                ApiError(404, "Not Found", f"No resource at {request.path}"), self._answers
            )
        principal = self.backend.identity.verify(_lower(request.headers).get("authorization"))
        if principal is None:
            return json_response(401, NOT_AUTHENTICATED)
        try:
            self._check_instance(request)
            return self._route(request, principal)
        except ApiError as error:
            return api_error(error, self._answers)

    def _check_instance(self, request: Request) -> None:
        instance = request.query.get("integrationInstance")
        if not instance:
            raise BadRequest("The query parameter integrationInstance is required")
        if instance != self.instance:
            raise ApiError(404, "Not Found", f"Integration instance {instance!r} not found")

    def _route(self, request: Request, principal: Principal) -> Response:
        if not set(principal.roles) & READER_ROLES:
            raise ApiError(403, "Forbidden", "The user has no role that allows the Developer API")
        method = _effective_method(request)
        segments = [urllib.parse.unquote(s) for s in request.path[len(API_PREFIX) :].split("/")]
        handler, args = find(ROUTES, method, segments)
        if method in WRITE_METHODS and not set(principal.roles) & DEVELOPER_ROLES:
            raise ApiError(403, "Forbidden", "This operation needs the ServiceDeveloper role")
        return handler(self.backend, request, principal, *args)


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _effective_method(request: Request) -> str:
    override = _lower(request.headers).get("x-http-method-override")
    if request.method == "POST" and override:
        return override.upper()
    return request.method


def _grant_type(request: Request) -> str | None:
    if request.origin != "identity" or request.method != "POST":
        return None
    form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"))
    values = form.get("grant_type")
    return values[0] if values else None


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _oauth_error(error: OAuthError) -> Response:
    headers = {"Cache-Control": "no-store"}
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="identity"'
    if error.status == 429:
        headers["Retry-After"] = "1"
    return json_response(
        error.status,
        {
            "error": error.error,
            "error_description": error.description,
            "ecid": "emulator-" + error.error,
        },
        **headers,
    )
