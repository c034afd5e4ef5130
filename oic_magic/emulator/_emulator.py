"""``Emulator``: the four origins, their threads, and the handles tests and notebooks use."""

from __future__ import annotations

import ssl
import threading
from types import TracebackType

from ._answers import Answers, parse_answers
from ._app import App
from ._backend import Backend, Settings
from ._control import Control
from ._resources import Limits
from ._server import OriginServer

ORIGIN_NAMES = ("identity", "design", "runtime", "foreign")


class Emulator:
    """Oracle Integration 3 and its identity domain on loopback, as a context manager.

    ``with Emulator() as emu:`` starts four servers (identity domain, design-time,
    runtime, a foreign origin) on free ports in background threads and stops them on exit.
    ``answers`` chooses how it answers where OIC's answers are not published (list
    totals, ``hasMore``, page caps, error bodies, list item fields): a
    :class:`~oic_magic.emulator.Answers`, a name of ``NAMED`` or ``key=value`` parts
    such as ``"totals=page,no-has-more"`` (see ``oic_magic.emulator._answers``).
    """

    def __init__(
        self,
        *,
        seed: int = 42,
        connections: int = 300,
        instances: int | None = None,
        access_token_ttl: float = 3600,
        refresh_token_ttl: float = 7 * 86400,
        activation_delay: float = 2.0,
        instance: str = "oic-demo",
        host: str = "127.0.0.1",
        ports: dict[str, int] | None = None,
        ssl_context: ssl.SSLContext | None = None,
        page_limit: int = 100,
        page_limit_max: int | None = 100,
        monitoring_caps: bool = True,
        variant: str | None = None,
        answers: str | Answers | None = None,
    ) -> None:
        """*variant* names another instance of the same estate: the data of *seed* with a
        few differences planted (``control.planted()`` lists them), so several emulators
        side by side hold a dev and a prod that have drifted apart."""
        self.instance = instance
        self.audience = f"https://{instance}.integration.emulator.ocp.oraclecloud.com:443"
        self.scope = f"{self.audience}urn:opc:resource:consumer::all offline_access"
        limits = Limits(
            page_default=page_limit,
            page_max=page_limit_max,
            monitoring_limit_max=50 if monitoring_caps else None,
            monitoring_offset_max=500 if monitoring_caps else None,
            answers=parse_answers(answers),
        )
        self.answers = limits.answers
        self.backend = Backend(
            Settings(
                seed=seed,
                connections=connections,
                instances=instances,
                access_ttl=access_token_ttl,
                refresh_ttl=refresh_token_ttl,
                activation_delay=activation_delay,
                limits=limits,
                audience=self.audience,
                variant=variant,
            )
        )
        self.control = Control(self.backend)
        self._app = App(self.backend, instance=instance)
        self._host, self._ports = host, dict(ports or {})
        self._ssl_context = ssl_context
        self._stopping = threading.Event()
        self._servers: dict[str, OriginServer] = {}
        self._threads: list[threading.Thread] = []

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind the four ports and serve in background threads; ready when this returns."""
        if self._servers:
            return self
        self._stopping.clear()
        try:
            for name in ORIGIN_NAMES:
                self._servers[name] = OriginServer(
                    (self._host, self._ports.get(name, 0)),
                    origin=name,
                    app=self._app,
                    stopping=self._stopping,
                    ssl_context=self._ssl_context,
                )
        except OSError:
            self._close_servers()
            raise
        self._app.urls = {name: server.url for name, server in self._servers.items()}
        self._app.backend.identity.token_url = self._app.urls["identity"] + "/oauth2/v1/token"
        self.backend.set_urls(self.design_url, self.runtime_url)
        for name, server in self._servers.items():
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"oic-emulator-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and free the ports."""
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
        self._close_servers()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def _close_servers(self) -> None:
        for server in self._servers.values():
            server.close_connections()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the servers are up."""
        return bool(self._servers)

    # -- addresses -------------------------------------------------------------------------
    def url(self, origin: str) -> str:
        """Base URL of ``identity``, ``design``, ``runtime`` or ``foreign``."""
        if not self._servers:
            raise RuntimeError("the emulator is not running; use start() or a with block")
        return self._servers[origin].url

    @property
    def identity_url(self) -> str:
        """The identity domain's origin."""
        return self.url("identity")

    @property
    def design_url(self) -> str:
        """The design-time origin (Developer API)."""
        return self.url("design")

    @property
    def runtime_url(self) -> str:
        """The runtime origin: Developer API paths answer 307 to the design-time origin."""
        return self.url("runtime")

    @property
    def foreign_url(self) -> str:
        """A foreign origin that records the headers it receives."""
        return self.url("foreign")

    @property
    def token_url(self) -> str:
        """The token endpoint."""
        return self.identity_url + "/oauth2/v1/token"

    def __repr__(self) -> str:
        where = self.design_url if self._servers else "stopped"
        return f"<Emulator instance={self.instance!r} design={where}>"
