"""HTTP servers: one ``ThreadingHTTPServer`` per origin, HTTP/1.1 keep-alive, optional TLS.

Parsing is the standard library's; this module only reads bodies, hands a ``Request`` to
the app and writes the ``Response`` - waiting first when told to, and cutting the
connection mid-body for the ``drop`` fault. Stopping closes every open connection so no
handler thread outlives its emulator.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._app import App
from ._wire import Request, Response, json_response


class OriginServer(ThreadingHTTPServer):
    """One origin on its own port; tracks its connections so ``close`` can end them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        *,
        origin: str,
        app: App,
        stopping: threading.Event,
        ssl_context: ssl.SSLContext | None,
    ) -> None:
        self.origin, self.app, self.stopping = origin, app, stopping
        self.ssl_context = ssl_context
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        """``http(s)://127.0.0.1:<port>`` without a trailing slash."""
        host, port = self.server_address[:2]
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{host!s}:{port}"

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        if self.ssl_context is not None:
            # the handshake happens in the connection's own thread (finish_request)
            sock = self.ssl_context.wrap_socket(
                sock, server_side=True, do_handshake_on_connect=False
            )
        with self._open_lock:
            self._open.add(sock)
        return sock, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        try:
            if isinstance(request, ssl.SSLSocket):
                request.do_handshake()
            super().finish_request(request, client_address)
        except (OSError, ssl.SSLError):
            pass  # a client that hung up or failed the handshake is not the server's error

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open keep-alive connection (their threads then return)."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "OICEmulator/1.0"
    disable_nagle_algorithm = True
    timeout = 300  # an idle keep-alive connection is closed after five minutes
    server: OriginServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence: the app keeps its own request log."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header on the emulator's clock, which tests move forward."""
        now = self.server.app.backend.clock.now() if timestamp is None else timestamp
        return super().date_time_string(now)

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        path, _, query = self.path.partition("?")
        request = Request(
            self.server.origin, self.command, path, query, dict(self.headers.items()), body
        )
        try:
            response = self.server.app.handle(request)
        except Exception as error:  # noqa: BLE001 - a bug must answer 500, not kill the thread
            response = json_response(
                500, {"title": "Internal Server Error", "detail": type(error).__name__}
            )
        self._send(response)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(json_response(411, {"title": "Length Required"}))
            self.close_connection = True
            return None
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, response: Response) -> None:
        if response.delay > 0 and self.server.stopping.wait(response.delay):
            self.close_connection = True
            return
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.drop:
            self._drop(response.body)
            return
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _drop(self, body: bytes) -> None:
        """Send part of the body, then cut the connection."""
        self.wfile.write(body[: max(1, len(body) // 2)])
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
