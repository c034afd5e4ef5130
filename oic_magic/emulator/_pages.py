"""The identity domain's sign-in pages: the device verification page and the authorize page.

Plain HTML forms, as a browser test (or a person) uses them:

- ``GET /ui/v1/device``: fields ``user_code``, ``username``, ``password`` and the buttons
  ``action=approve`` / ``action=deny``; ``POST`` the same address;
- ``GET /oauth2/v1/authorize?...``: checks the client and redirect URI (an error here is a
  page, never a redirect), then a form with ``username`` and ``password`` (the request's
  parameters carried as hidden fields) posted to the same address, answered by a 302 to the
  redirect URI with ``code`` and ``state`` (or ``error=access_denied`` on Cancel).
"""

from __future__ import annotations

import html
import urllib.parse

from ._identity import Identity
from ._signin import PageError, check_user
from ._wire import Request, Response

DEVICE_PAGE = "/ui/v1/device"
AUTHORIZE_PATH = "/oauth2/v1/authorize"
_CARRIED = (
    "client_id", "response_type", "redirect_uri", "scope", "state", "nonce",
    "code_challenge", "code_challenge_method",
)  # fmt: skip

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:30em;margin:3em auto}}
label{{display:block;margin:.6em 0}} input{{font-size:1.1em}} .msg{{color:#a00}}
.ok{{color:#070}}</style></head>
<body><h1>{title}</h1>{body}</body></html>"""


def _page(status: int, title: str, body: str) -> Response:
    text = _PAGE.format(title=html.escape(title), body=body)
    return Response(
        status,
        text.encode(),
        content_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _form(request: Request) -> dict[str, str]:
    pairs = urllib.parse.parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)


def _message(text: str, kind: str = "msg") -> str:
    return f'<p class="{kind}" role="alert">{html.escape(text)}</p>' if text else ""


def _field(label: str, name: str, value: str = "", kind: str = "text") -> str:
    return (
        f'<label>{label} <input name="{name}" id="{name}" type="{kind}" '
        f'value="{html.escape(value)}" autocomplete="off"></label>'
    )


# -- device verification --------------------------------------------------------------------
def device_page(identity: Identity, request: Request) -> Response:
    """The verification page: GET shows the form, POST approves or denies a user code."""
    if request.method == "GET":
        return _device_form(request.query.get("user_code", ""), "")
    form = _form(request)
    code = form.get("user_code", "")
    approve = form.get("action", "approve") == "approve"
    try:
        username = check_user(identity.user(form.get("username")), form.get("password", ""))
        identity.signin.decide_device(code, username=username, approve=approve)
    except PageError as error:
        return _device_form(code, str(error), status=400)
    if approve:
        return _page(200, "Device connected", _message("Done: return to your device.", "ok"))
    return _page(200, "Request denied", _message("The device was not signed in.", "ok"))


def _device_form(code: str, error: str, status: int = 200) -> Response:
    body = (
        f"{_message(error)}<p>Enter the code shown on your device, then sign in.</p>"
        f'<form method="post" action="{DEVICE_PAGE}">'
        f"{_field('Code', 'user_code', code)}{_field('User name', 'username')}"
        f"{_field('Password', 'password', kind='password')}"
        '<button name="action" value="approve" type="submit">Approve</button> '
        '<button name="action" value="deny" type="submit">Deny</button></form>'
    )
    return _page(status, "Connect a device", body)


# -- authorization code ---------------------------------------------------------------------
def authorize_page(identity: Identity, request: Request) -> Response:
    """GET: check, then the sign-in form; POST: sign in, then the redirect with the code."""
    params = request.query if request.method == "GET" else _form(request)
    try:
        client = identity.signin.check_authorize(params)
    except PageError as error:
        return _page(400, "Sign-in error", _message(str(error)))
    failure = identity.signin.authorize_error(client, params)
    if failure:
        return _redirect(params, {"error": failure})
    if request.method == "GET":
        return _sign_in_form(params, "")
    if params.get("action") == "cancel":
        return _redirect(params, {"error": "access_denied"})
    try:
        subject = check_user(identity.user(params.get("username")), params.get("password", ""))
    except PageError as error:
        return _sign_in_form(params, str(error), status=400)
    return _redirect(params, {"code": identity.signin.issue_code(client, params, subject)})


def _sign_in_form(params: dict[str, str], error: str, status: int = 200) -> Response:
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(params[k])}">'
        for k in _CARRIED
        if k in params
    )
    body = (
        f'{_message(error)}<form method="post" action="{AUTHORIZE_PATH}">{hidden}'
        f"{_field('User name', 'username', params.get('username', ''))}"
        f"{_field('Password', 'password', kind='password')}"
        '<button name="action" value="sign-in" type="submit">Sign In</button> '
        '<button name="action" value="cancel" type="submit">Cancel</button></form>'
    )
    return _page(status, "Sign in to the identity domain", body)


def _redirect(params: dict[str, str], answer: dict[str, str]) -> Response:
    if "state" in params:
        answer = answer | {"state": params["state"]}
    target = params["redirect_uri"]
    joiner = "&" if "?" in target else "?"
    location = f"{target}{joiner}{urllib.parse.urlencode(answer)}"
    return Response(302, b"", content_type=None, headers={"Location": location})
