"""The browser sign-in: authorization code with PKCE (RFC 7636, S256) and a loopback redirect.

1. :meth:`BrowserFlow.start` makes a fresh verifier, its S256 challenge, a ``state`` and a
   ``nonce``, and answers the identity domain's ``/oauth2/v1/authorize`` address to open.
2. The user signs in there (single sign-on, MFA) and the browser is sent to the redirect URI
   with ``code`` and ``state``. When the redirect URI is ``http://127.0.0.1:<port>/...`` (or
   ``localhost``) a :class:`LoopbackListener` on 127.0.0.1 answers that one request and
   closes; otherwise the user pastes the address they landed on.
3. :meth:`BrowserFlow.complete` checks that address (the registered redirect URI, the same
   ``state``, no ``error``) and trades the code with ``code_verifier`` at the token endpoint.

The redirect URI must be registered exactly in the identity domain's application, so it is a
setting (``redirect_uri``, ``OIC_REDIRECT_URI``), never a random port. The verifier, state,
nonce and code stay in this module: no repr, log or message shows them.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from ..exceptions import ConfigurationError, SignInDeniedError, SignInError
from ._auth import TokenEndpoint
from ._secret import Secret, redact_known
from ._token import Token

__all__ = [
    "DEFAULT_REDIRECT_URI",
    "BrowserFlow",
    "LoopbackListener",
    "Pkce",
    "authorize_url",
    "is_loopback_redirect",
]

logger = logging.getLogger("oic_magic.browser")

DEFAULT_REDIRECT_URI = "http://127.0.0.1:8765/callback"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def authorize_url(token_url: str) -> str:
    """The authorization endpoint beside the token endpoint ``.../token``."""
    base, _, last = token_url.rstrip("/").rpartition("/")
    return f"{base}/authorize" if last == "token" else token_url.rstrip("/") + "/authorize"


def is_loopback_redirect(redirect_uri: str) -> bool:
    """True for ``http://127.0.0.1:<port>/...`` or ``localhost``: this process can listen."""
    parts = urlsplit(redirect_uri)
    return parts.scheme == "http" and parts.hostname in _LOOPBACK_NAMES and bool(parts.port)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Pkce:
    """A code verifier (43-128 unreserved characters, held as a Secret) and its challenge."""

    secret: Secret = field(repr=False)
    challenge: str
    method: str = "S256"

    @property
    def verifier(self) -> str:
        """The code verifier's plain text."""
        return self.secret.reveal()

    @classmethod
    def new(cls) -> Pkce:
        """A fresh pair; 64 random bytes give an 86-character verifier."""
        verifier = Secret(_b64(secrets.token_bytes(64)))
        return cls(verifier, _b64(hashlib.sha256(verifier.reveal().encode("ascii")).digest()))


@dataclass(frozen=True)
class _Pending:
    pkce: Pkce = field(repr=False)
    state: str = field(repr=False)


class BrowserFlow:
    """One authorization-code sign-in: :meth:`start`, the user's browser, :meth:`complete`."""

    def __init__(
        self,
        endpoint: TokenEndpoint,
        *,
        scope: str,
        redirect_uri: str,
        url: str | None = None,
    ) -> None:
        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                [f"redirect_uri {redirect_uri!r} is not an absolute http(s) address"]
            )
        self.endpoint = endpoint
        self.scope = scope
        self.redirect_uri = redirect_uri
        self.url = url or authorize_url(endpoint.url)
        self._pending: _Pending | None = None

    def __repr__(self) -> str:
        return f"BrowserFlow(url={self.url!r}, redirect_uri={self.redirect_uri!r})"

    def start(self) -> str:
        """The address to open in the browser (a new verifier and state each time)."""
        pending = _Pending(Pkce.new(), secrets.token_urlsafe(24))
        self._pending = pending
        query = {
            "client_id": self.endpoint.client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "state": pending.state,
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": pending.pkce.challenge,
            "code_challenge_method": pending.pkce.method,
        }
        return f"{self.url}?{urlencode(query)}"

    def complete(self, landed: str) -> Token:
        """Check the address the browser landed on and trade its code for a token."""
        pending, self._pending = self._pending, None  # one answer per start
        if pending is None:
            raise SignInError("the browser sign-in was not started, or was already completed.")
        code = self._code(landed, state=pending.state)
        form: dict[str, str | Secret] = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": pending.pkce.secret,
        }
        return self.endpoint.grant(form, grant="authorization code")

    def _code(self, landed: str, *, state: str) -> Secret:
        got, want = urlsplit(landed.strip()), urlsplit(self.redirect_uri)
        same = (got.scheme, got.hostname, got.port, got.path or "/") == (
            want.scheme,
            want.hostname,
            want.port,
            want.path or "/",
        )
        if not same:
            raise SignInError(
                "the address is not the registered redirect URI "
                f"{self.redirect_uri}: nothing was sent.",
                hint="Paste the whole address the browser landed on after signing in.",
            )
        query = {k: v[0] for k, v in parse_qs(got.query, keep_blank_values=True).items()}
        if not hmac.compare_digest(query.get("state", ""), state):
            raise SignInError(
                "the sign-in answer does not carry this sign-in's state: it was refused "
                "and nothing was sent.",
                hint="Start the browser sign-in again and use only the page it opens.",
            )
        if "error" in query:
            error = query["error"]
            kind = SignInDeniedError if error == "access_denied" else SignInError
            raise kind(
                f"the identity domain refused the sign-in ({error}).",
                hint="Run the sign-in again, or ask an administrator about the application.",
                error=redact_known(error),
                description=redact_known(query.get("error_description") or "") or None,
            )
        if not query.get("code"):
            raise SignInError("the sign-in answer carries no authorization code.")
        return Secret(query["code"])


_DONE = (
    "<!doctype html><title>oic_magic</title><body style='font-family:sans-serif'>"
    "<h2>{}</h2><p>You can close this tab and return to the notebook.</p></body>"
)


class LoopbackListener:
    """A one-shot HTTP listener on 127.0.0.1 for the redirect: one answer, then closed.

    Bound before the browser opens (so the redirect cannot arrive first), on the redirect
    URI's own port. Requests for other paths (a browser's ``/favicon.ico``) are answered 404
    and do not count.
    """

    def __init__(self, redirect_uri: str) -> None:
        parts = urlsplit(redirect_uri)
        self.path = parts.path or "/"
        self.port = parts.port or 80
        self._base = f"{parts.scheme}://{parts.netloc}"
        self._socket: socket.socket | None = None

    def __repr__(self) -> str:
        return f"LoopbackListener(port={self.port}, open={self._socket is not None})"

    def open(self) -> LoopbackListener:
        """Bind 127.0.0.1 on the redirect port, or say why not."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # A second sign-in soon after the first finds the port in TIME_WAIT: allowed on Linux
        # and macOS (never two listeners at once, which SO_REUSEADDR does not permit there).
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", self.port))
        except OSError as exc:
            sock.close()
            raise ConfigurationError(
                [f"port {self.port} of the redirect URI is in use on 127.0.0.1 ({exc.strerror})"]
            ) from None
        sock.listen(4)
        self._socket = sock
        return self

    def close(self) -> None:
        """Stop listening (idempotent)."""
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def take(self, timeout: float) -> str | None:
        """Wait up to *timeout* for the redirect; its full address, once, or ``None``."""
        if self._socket is None:
            return None
        self._socket.settimeout(timeout)
        try:
            conn, _ = self._socket.accept()
        except (TimeoutError, BlockingIOError):
            return None
        with conn:
            target = _request_target(conn)
            if target is None or urlsplit(target).path != self.path:
                _answer(conn, 404, "Not the sign-in address.")
                return None
            _answer(conn, 200, "Sign-in received.")
        self.close()
        return self._base + target


def _request_target(conn: socket.socket) -> str | None:
    conn.settimeout(5.0)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        return None
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    if len(parts) != 3 or parts[0] != b"GET":
        return None
    return parts[1].decode("latin-1")


def _answer(conn: socket.socket, status: int, title: str) -> None:
    body = _DONE.format(title).encode()
    reason = "OK" if status == 200 else "Not Found"
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\n"
        "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):  # the browser may have gone already
        conn.sendall(head.encode() + body)


Tick = Callable[[float], None]


def wait_for_redirect(
    listener: LoopbackListener,
    *,
    deadline: float,
    clock: Callable[[], float] = time.time,
    tick: Tick | None = None,
    pasted: Callable[[], str | None] | None = None,
) -> str | None:
    """The landed address from the listener or a paste, or ``None`` at *deadline*."""
    while clock() < deadline:
        landed = listener.take(0.1) or (pasted() if pasted else None)
        if landed:
            return landed
        if tick is not None:
            tick(0.05)
    return None
