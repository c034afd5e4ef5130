"""OICClient: one pooled httpx.Client that calls the Developer API safely.

- Calls go to the design-time host when it is known, else to the runtime host.
- Redirects are followed by the client itself (httpx's ``follow_redirects`` stays
  off), at most ``max_redirects`` hops, and only to trusted origins: the configured
  OIC origins, the design-time host of the runtime host's region, and
  ``trusted_hosts`` (see :mod:`oic_magic.core._trust`), compared after strict
  parsing (:mod:`oic_magic.core._urls`); a malformed ``Location`` is refused.
  Only trusted hosts ever receive the token, so a redirect anywhere else is
  refused with :class:`~oic_magic.exceptions.RedirectError` rather than followed
  without it: an answer from a foreign host is never what the caller wanted, and
  following would hand it the request's body. An https -> http hop is refused.
- Retries: idempotent requests (GET, HEAD, OPTIONS, PUT, DELETE) are retried on
  429, 502, 503, 504 and on connection failures, honouring ``Retry-After``, with
  capped exponential backoff and jitter. POST (and PATCH, sent as POST) is
  retried only when the server cannot have acted on it: a 429, or a connection
  that could not be opened. A 5xx or a connection dropped mid-answer after a POST
  is raised, because repeating it could activate or import twice.
- A full URL (``links[].href``) is called by its path and query when its origin is
  this session's OIC (the design-time or runtime origin, or the one learned from a
  redirect); any other origin is refused with ``RequestError`` before anything is
  sent, so the token never travels to a host the user did not sign in to.
- Answers larger than ``max_body_bytes`` are refused with
  :class:`~oic_magic.exceptions.ResponseFormatError` while they are read, so a runaway
  body cannot fill the kernel's memory.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Unpack, cast

import httpx

from ..exceptions import (
    APIStatusError,
    RequestError,
    ResponseFormatError,
    TransportError,
    map_httpx_errors,
)
from . import _bounds, _credentials
from ._activation import (
    ACTIVATED,
    CONFIGURED,
    Activation,
    Target,
    WaitProgress,
    answered_status,
    check_id,
    check_target,
    wait_for,
)
from ._answer_checks import (
    MalformedLocation,
    malformed_redirect,
    read_capped,
    refuse_malformed_location,
    refused_redirect,
)
from ._client_options import ClientOptions, ClientSignInOptions, paging_options
from ._interactive import Prompt
from ._keyring import RememberedTokens
from ._paging import Listing, Progress, paginate
from ._query import Route, build_q, is_monitoring, route
from ._responses import parse_body, server_message
from ._retry import RETRYABLE_STATUS, Backoff
from ._secret import reveal
from ._session import Session, SessionStore, SignInOptions, tls_verify
from ._settings import Settings
from ._status_hints import status_hint
from ._trust import TrustedHosts, design_time_origin
from ._urls import URLProblem, join_location, origin, split_origin
from ._windows import Answer, read_window, server_time, windowed

__all__ = ["ClientOptions", "ClientSignInOptions", "OICClient"]

logger = logging.getLogger("oic_magic.client")

Params = Mapping[str, object] | Iterable[tuple[str, object]] | None

#: Largest answer read into memory (archives included); more is refused, not buffered.
MAX_BODY_BYTES = 512 * 1024 * 1024


class OICClient:
    """The Developer API of one OIC instance, for one signed-in :class:`Session`.

    Thread-safe: the underlying httpx.Client pools connections for concurrent calls.
    Usually made by :meth:`connect` (the credential chain) or :meth:`sign_in` (settings
    you built)::

        with OICClient.connect("prod") as client:
            connections = client.paginate("connections", where=["status=CONFIGURED"])
            hello = client.get("integrations/HELLO|01.00.0000")

    Parameters (all keyword-only but *session*):

    * **session** - the signed-in :class:`Session` whose token the calls carry.
    * **page_size** - items asked for per page of a list (monitoring lists are capped at 50).
    * **concurrency** - pages of a list fetched at once once its total is known; also the
      connection pool's size.
    * **max_rows** - a list longer than this raises ``RowLimitError`` instead of filling memory.
    * **retries** - how often a throttled (429), unavailable (502/503/504) or dropped call
      is retried, with jittered exponential back-off and ``Retry-After`` honoured.
    * **rereads** - how often a list whose total changed while it was read is read again
      before ``ListChangedError``.
    * **max_redirects** - redirects followed for one call (only to trusted OIC hosts).
    * **max_body_bytes** - the largest answer read into memory; a larger one is refused.
    * **timeout** - seconds to wait for OIC on each call; ``None`` keeps ``settings.timeout``.
    * **progress** - called after each page of a list with (pages done, pages in all).
    * **owns_session** - closing the client also closes the session.
    * **monitoring_caps** - respect OIC's monitoring caps (limit 50, offset 500); off only
      for a server without them.
    * **transport** - an ``httpx.BaseTransport`` to send requests through (a proxy, a
      ``MockTransport`` in tests); ``None`` is httpx's own.

    Test seams, not for everyday use: **clock** (a monotonic clock for waits), **sleep**
    (what waits between retries and polls) and **rng** (the jitter's random source), so a
    test can run a retry or an activation wait without sleeping.
    """

    def __init__(
        self,
        session: Session,
        *,
        page_size: int = 100,
        concurrency: int = 8,
        max_rows: int = 1_000_000,
        retries: int = 4,
        rereads: int = 2,
        max_redirects: int = 5,
        max_body_bytes: int = MAX_BODY_BYTES,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        progress: Progress | None = None,
        owns_session: bool = False,
        monitoring_caps: bool = True,
        timeout: float | None = None,
    ) -> None:
        settings = session.settings
        if not settings.api_origin:
            raise ValueError("the session's settings name no OIC URL")
        self.session = session
        self.page_size = _bounds.PAGE_SIZE.count(page_size, "page_size")
        self.concurrency = _bounds.CONCURRENCY.count(concurrency, "concurrency")
        self.max_rows = _bounds.MAX_ROWS.count(max_rows, "max_rows")
        self.rereads = _bounds.REREADS.count(rereads, "rereads")
        self.max_redirects = _bounds.MAX_REDIRECTS.count(max_redirects, "max_redirects")
        self.max_body_bytes = _bounds.MAX_BODY_BYTES.count(max_body_bytes, "max_body_bytes")
        retries = _bounds.RETRIES.count(retries, "retries")
        self.progress = progress
        #: Seconds to wait for OIC on each call (connect, send, answer).
        self.timeout = _bounds.TIMEOUT.seconds(
            settings.timeout if timeout is None else timeout, "timeout"
        )
        # OIC caps monitoring lists (limit 50, offset 500); off only for a server without
        # the caps, such as the emulator built with monitoring_caps=False.
        self.monitoring_caps = monitoring_caps
        self._origin = settings.api_origin
        self._clock = time.monotonic if clock is None else clock
        self._backoff = Backoff(
            retries=retries,
            sleep=time.sleep if sleep is None else sleep,
            rng=random.Random() if rng is None else rng,
        )
        self._trusted = TrustedHosts(settings)
        self._owns_session = owns_session
        self._http = httpx.Client(
            transport=transport,
            timeout=self.timeout,
            verify=tls_verify(settings),
            follow_redirects=False,
            limits=pool_limits(concurrency),
            event_hooks={"response": [refuse_malformed_location]},
        )

    @classmethod
    def sign_in(
        cls,
        settings: Settings,
        *,
        store: SessionStore | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
        **options: Unpack[ClientSignInOptions],
    ) -> OICClient:
        """Sign in with *grant* and return a client for the new session.

        Parameters (all keyword-only but *settings*):

        * **settings** - where and as whom to sign in (:class:`Settings`).
        * **grant** - ``password`` (the default), ``refresh_token``, ``client_credentials``,
          ``device``, ``browser`` or ``jwt``; ``device`` and ``browser`` show their code or
          address through **prompt** (by default a
          :class:`~oic_magic.core._interactive.ConsolePrompt`: printed, the browser opened).
        * **refresh_token** - what a ``refresh_token`` sign-in starts from (else the one
          **remembered** holds).
        * **keep_password** - keep the password, so a refused refresh token is answered by
          signing in again.
        * **remembered** - the keyring store of refresh tokens and client secrets.
        * **name** - the session's name (default ``default``).
        * **private_key** - the PEM text a ``jwt`` sign-in signs with.
        * **store** - keep the session there under *name*: it outlives the client; without
          one, closing the client closes the session.
        * **transport** - as :class:`OICClient`; the token requests go through it too.
        * **clock** - the session's clock (``time.time``); **sleep** - what waits between
          retries, for the sign-in and the client alike.
        * every other keyword is the client's own (``page_size``, ``timeout``, ... as
          :class:`OICClient` documents them); the sign-in itself waits ``settings.timeout``.

        These are :class:`~oic_magic.core._session.SignInOptions` and :class:`ClientOptions`;
        the sign-in's are passed on to :meth:`Session.sign_in` as they are.
        """
        signing = {k: v for k, v in options.items() if k in SignInOptions.__optional_keys__}
        own = {k: v for k, v in options.items() if k not in SignInOptions.__optional_keys__}
        session = Session.sign_in(
            settings,
            transport=transport,
            clock=time.time if clock is None else clock,
            backoff=Backoff(sleep=time.sleep if sleep is None else sleep),
            **cast(SignInOptions, signing),
        )
        if store is not None:
            store.put(session)
        return cls(
            session,
            transport=transport,
            sleep=sleep,
            owns_session=store is None,
            **cast(ClientOptions, own),
        )

    @classmethod
    def connect(
        cls,
        profile: str | None = None,
        *,
        grant: str | None = None,
        remember: bool = False,
        name: str = "default",
        store: SessionStore | None = None,
        environ: Mapping[str, str] | None = None,
        remembered: RememberedTokens | None = None,
        prompt: Prompt | None = None,
        **options: Any,
    ) -> OICClient:
        """Sign in from a profile, the ``OIC_*`` environment variables and the keyring.

        The same credential chain as ``%oic_login``: an explicit *profile* outranks the
        environment, which outranks the default profile (``OIC_PROFILE``); the keyring
        supplies a remembered refresh token (and client secret) when one is there. A password
        read from the environment or a private profile is kept by the session, so a refused
        refresh token is answered by signing in again, and a long run renews itself.

        *grant* (else ``OIC_GRANT``, else ``password``) may be ``device`` or ``browser``
        for single sign-on users: *prompt* shows the code or address (printed by default).
        *remember* keeps the rotated refresh token in the keyring (``RememberedTokens``);
        *remembered* replaces the keyring store (tests give one with a memory backend).
        Missing settings raise one :class:`~oic_magic.ConfigurationError` that names each
        and where it can come from. *options* are the client's own (``page_size``, ...).

            with OICClient.connect("prod") as client:
                print(client.paginate("connections").total)
        """
        keyring = RememberedTokens(remember_secret=remember) if remembered is None else remembered
        wanted = _credentials.LoginOptions(
            profile=profile, session=name, grant=grant, remember=remember
        )
        resolved = _credentials.resolve(wanted, environ=environ, remembered=keyring)
        session = _credentials.sign_in(
            resolved,
            wanted,
            store=store or SessionStore(),
            remembered=keyring,
            prompt=prompt,
            magic=False,
        )
        if store is None:
            return cls(session, owns_session=True, **options)
        return cls(session, **options)

    def __repr__(self) -> str:
        return f"OICClient(origin={self._origin!r}, session={self.session!r})"

    def __enter__(self) -> OICClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool (and the session, when this client owns it)."""
        self._http.close()
        if self._owns_session:
            self.session.close()

    # -- public calls ----------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        where: Iterable[str] | None = None,
        headers: Mapping[str, str] | None = None,
        **body: Any,
    ) -> httpx.Response:
        """Send one request and return the response; raise for 4xx/5xx.

        *path* is ``connections``, ``/ic/...``, or a full URL of this session's OIC (as
        in ``links[].href``). *body* is passed to httpx: ``json=``, ``content=``,
        ``data=`` or ``files=``.

        Raises :class:`~oic_magic.exceptions.RequestError` (also a ``ValueError``),
        before anything is sent, for a request that cannot be sent as written: a full
        URL of another host (the token is never sent there), a malformed *where*
        condition, or filters that cannot become OIC's one ``q``.
        """
        target = self._route(method, path, params=params, where=where, headers=headers)
        response = self._send(target, body)
        if response.status_code >= 400:
            raise self._status_error(target, response)
        return response

    def get(
        self,
        path: str,
        *,
        params: Params = None,
        where: Iterable[str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET *path*: parsed JSON, ``bytes`` for other content (archives), None if empty."""
        response = self.request("GET", path, params=params, where=where, headers=headers)
        # Named by its path alone: a pasted URL may carry a user name and password.
        return parse_body(response, what=f"GET {split_origin(path)[1]}")

    def paginate(
        self,
        path: str,
        *,
        where: Iterable[str] | None = None,
        params: Params = None,
        limit: int | None = None,
        page_size: int | None = None,
        concurrency: int | None = None,
        max_rows: int | None = None,
        progress: Progress | None = None,
        rereads: int | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Listing:
        """Every item of the list at *path* (at most *limit* if given), as a :class:`Listing`.

        *headers* go with every page's request.

        A list that changes while it is read is read again, up to *rereads* times
        (default: the client's ``rereads``, 2); see :func:`oic_magic._paging.paginate`.
        ``monitoring/instances`` and ``monitoring/errors`` are read whole past OIC's
        offset cap, in sub-windows of their time window (a ``WindowedListing``); *start*
        and *end* (timezone-aware datetimes) set that window instead of ``timewindow``.
        """
        limit, page_size, concurrency, max_rows, rereads = paging_options(
            limit=limit,
            page_size=page_size,
            concurrency=concurrency,
            max_rows=max_rows,
            rereads=rereads,
        )
        base = self._route("GET", path, params=params, where=where, headers=headers)
        fixed = [(k, v) for k, v in base.params if k not in ("offset", "limit")]
        if windowed(base.path) or start is not None or end is not None:
            return self._read_window(
                base,
                fixed,
                start=start,
                end=end,
                limit=limit,
                page_size=page_size,
                concurrency=concurrency,
                max_rows=max_rows,
                progress=progress,
                rereads=rereads,
            )

        def fetch(offset: int, size: int) -> Any:
            page = Route(
                method="GET",
                wire_method="GET",
                path=base.path,
                headers=dict(base.headers),
                params=[*fixed, ("offset", str(offset)), ("limit", str(size))],
            )
            response = self._send(page, {})
            if response.status_code >= 400:
                raise self._status_error(page, response)
            return parse_body(response, what=f"GET {base.path}")

        return paginate(
            fetch,
            url=self._origin + base.display,
            monitoring=self.monitoring_caps and is_monitoring(base.path),
            page_size=page_size or self.page_size,
            limit=limit,
            concurrency=concurrency or self.concurrency,
            max_rows=self.max_rows if max_rows is None else max_rows,
            progress=progress or self.progress,
            clock=self._clock,
            retries=self._backoff.retries,
            rereads=self.rereads if rereads is None else rereads,
        )

    def _read_window(
        self,
        base: Route,
        fixed: list[tuple[str, str]],
        *,
        start: datetime | None,
        end: datetime | None,
        limit: int | None,
        page_size: int | None,
        concurrency: int | None,
        max_rows: int | None,
        progress: Progress | None,
        rereads: int | None,
    ) -> Listing:
        if not windowed(base.path):
            raise RequestError(
                f"a time window (start/end, --since/--between) applies to monitoring/instances "
                f"and monitoring/errors, not to {base.path}"
            )
        others = [(k, v) for k, v in fixed if k != "q"]
        query = next((v for k, v in fixed if k == "q"), None)

        def fetch(q: str, offset: int, size: int) -> Answer:
            page = Route(
                method="GET",
                wire_method="GET",
                path=base.path,
                headers=dict(base.headers),
                params=[
                    *others,
                    *([("q", q)] if q != "{}" else []),
                    ("offset", str(offset)),
                    ("limit", str(size)),
                ],
            )
            response = self._send(page, {})
            if response.status_code >= 400:
                raise self._status_error(page, response)
            body = parse_body(response, what=f"GET {base.path}")
            return Answer(body, server_time(response.headers.get("date")))

        return read_window(
            fetch,
            q=query,
            url=self._origin + base.display,
            start=start,
            end=end,
            capped=self.monitoring_caps,
            order=next((v for k, v in fixed if k == "orderBy"), None),
            limit=limit,
            concurrency=concurrency or self.concurrency,
            max_rows=self.max_rows if max_rows is None else max_rows,
            progress=progress or self.progress,
            clock=self._clock,
            retries=self._backoff.retries,
            rereads=self.rereads if rereads is None else rereads,
            page_size=page_size or self.page_size,
        )

    # -- building and sending ------------------------------------------------------------

    def _route(
        self,
        method: str,
        path: str,
        *,
        params: Params,
        where: Iterable[str] | None,
        headers: Mapping[str, str] | None,
    ) -> Route:
        path = self.local_path(path)
        extra = list(_pairs(params))
        conditions = list(where or [])
        if conditions:
            # route() merges this q with one written in the path: OIC reads only one.
            extra.append(("q", build_q(conditions, monitoring=is_monitoring(path))))
        return route(
            method, path, instance=self.session.settings.instance, params=extra, headers=headers
        )

    def local_path(self, path: str) -> str:
        """The path and query of a full URL on this session's OIC; other paths unchanged.

        A URL of any other origin raises ``RequestError`` naming both hosts: the request
        would carry the token there.
        """
        named, rest = split_origin(path)
        if named is None or named in self._own_origins():
            return rest
        own = origin(self._origin)
        raise RequestError(
            f"{named} is not this session's OIC ({own}); nothing was sent, so the token "
            f"did not leave OIC. Give the path (such as 'connections'), or a URL on {own}; "
            "to call the other instance, sign in to it."
        )

    def _own_origins(self) -> set[str]:
        """Origins a full URL may name: the API origin, design-time, runtime, and learned."""
        settings = self.session.settings
        derived = design_time_origin(settings.runtime_url) if settings.runtime_url else None
        candidates = [self._origin, settings.api_origin, *settings.oic_origins, derived]
        return {origin(candidate) for candidate in candidates if candidate}

    def _send(self, target: Route, body: Mapping[str, Any]) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self._follow(target, body)
            except TransportError as exc:
                if attempt >= self._backoff.retries or not _may_retry_failure(target, exc):
                    raise
                waited = self._backoff.wait(attempt)
                logger.debug(
                    "%s %s: %s; retry in %.2fs",
                    target.method,
                    target.path,
                    type(exc.__cause__).__name__,
                    waited,
                )
            else:
                if attempt >= self._backoff.retries or not _may_retry_status(target, response):
                    return response
                response.close()
                waited = self._backoff.wait(attempt, response)
                logger.debug(
                    "%s %s: HTTP %d; retry in %.2fs",
                    target.method,
                    target.path,
                    response.status_code,
                    waited,
                )
            attempt += 1

    def _follow(self, target: Route, body: Mapping[str, Any]) -> httpx.Response:
        url = httpx.URL(self._origin + target.path, params=target.params)
        method = target.wire_method
        statuses: list[int] = []  # the redirects of this call, in order
        same_path = True
        for _hop in range(self.max_redirects + 1):
            response = self._send_once(method, url, target, body)
            if not response.is_redirect:
                if statuses == [307] and same_path:
                    self._learn_origin(url)
                return response
            response.close()
            statuses.append(response.status_code)
            url, method = self._next_hop(target, response, url, method)
            same_path = url.raw_path.decode("ascii").split("?", 1)[0] == target.path
            logger.debug("following HTTP %d to %s", response.status_code, url.host)
        raise refused_redirect(
            target,
            response.status_code,
            f"more than {self.max_redirects} redirects",
            hint="Use the design-time URL, which answers without redirecting.",
        )

    def _learn_origin(self, url: httpx.URL) -> None:
        # OIC sends Developer API calls from the runtime host to the design-time host: once
        # one trusted 307 that kept the path has shown where, later calls go there directly
        # and skip a round trip. Only that one origin is learned, never from a chain (a
        # 301/302/303/308, or several hops), and every hop was checked by _next_hop.
        learned = origin(url)
        if learned != self._origin:
            logger.debug("Developer API calls go to %s from now on", url.host)
            self._origin = learned

    def _send_once(
        self, method: str, url: httpx.URL, target: Route, body: Mapping[str, Any]
    ) -> httpx.Response:
        request = self._http.build_request(method, url, headers=target.headers, **body)
        with map_httpx_errors(
            host=url.netloc.decode("ascii"), ca_bundle=self.session.settings.ca_bundle
        ):
            try:
                response = self._http.send(request, auth=self.session.auth, stream=True)
            except MalformedLocation as bad:
                raise malformed_redirect(target, bad.status, bad.problem) from None
            try:
                read_capped(response, self.max_body_bytes, target)
            finally:
                response.close()
        return response

    def _next_hop(
        self, target: Route, response: httpx.Response, url: httpx.URL, method: str
    ) -> tuple[httpx.URL, str]:
        location = response.headers.get("Location")
        status = response.status_code
        if not location:
            raise refused_redirect(target, status, "a redirect without a Location header")
        try:
            new_url = join_location(url, location)
        except URLProblem as problem:
            raise malformed_redirect(target, status, problem) from None
        if not self._trusted.allows(new_url, came_from=url):
            raise refused_redirect(
                target,
                status,
                f"redirected to {origin(new_url)}, which is not a trusted "
                "OIC host; not followed, and the token was not sent there",
                hint=_untrusted_hint(origin(new_url), downgrade=url.scheme != new_url.scheme),
            )
        if status in (307, 308) or method in ("GET", "HEAD"):
            return new_url, method
        raise refused_redirect(
            target,
            status,
            f"HTTP {status} would turn the {method} into a GET; not followed",
            hint="Use the design-time URL for calls that change things.",
        )

    def _status_error(self, target: Route, response: httpx.Response) -> APIStatusError:
        response.read()
        status = response.status_code
        message = self._redact(server_message(response))
        hint = status_hint(status, message)
        return APIStatusError(
            status=status,
            method=target.method,
            path=target.display,
            server_message=message,
            hint=hint,
        )

    def _redact(self, text: str) -> str:
        token = self.session.token
        for secret in (
            token.access_token,
            token.refresh_token,
            self.session.settings.password,
            self.session.settings.client_secret,
        ):
            plain = reveal(secret)
            if plain:
                text = text.replace(plain, "[hidden]")
        return text

    # -- activation (asynchronous in OIC: change, then poll activationStatus) ---------------

    def activate(
        self,
        integration_id: str,
        *,
        wait: bool = True,
        timeout: float = 300.0,
        interval: float = 1.0,
        progress: WaitProgress | None = None,
    ) -> Activation:
        """Activate ``CODE|VERSION`` and, with *wait*, poll until it is ``ACTIVATED``.

        Raises :class:`~oic_magic.exceptions.ActivationFailedError` when OIC reports
        ``FAILEDACTIVATION`` and :class:`~oic_magic.exceptions.ActivationTimeoutError`
        after *timeout* seconds (the activation may still complete). Activating a version
        deactivates the other versions of its major version. Without *wait*, the
        :class:`Activation` holds OIC's first answer (``ACTIVATION_INPROGRESS``).
        """
        return self._change_status(
            integration_id,
            ACTIVATED,
            wait=wait,
            timeout=timeout,
            interval=interval,
            progress=progress,
        )

    def deactivate(
        self,
        integration_id: str,
        *,
        wait: bool = True,
        timeout: float = 300.0,
        interval: float = 1.0,
        progress: WaitProgress | None = None,
    ) -> Activation:
        """Deactivate ``CODE|VERSION`` and, with *wait*, poll until it is ``CONFIGURED``.

        OIC may finish a deactivation before it answers; then nothing is polled.
        """
        return self._change_status(
            integration_id,
            CONFIGURED,
            wait=wait,
            timeout=timeout,
            interval=interval,
            progress=progress,
        )

    def wait_for_activation(
        self,
        integration_id: str,
        *,
        until: str = ACTIVATED,
        answered: str | None = None,
        timeout: float = 300.0,
        interval: float = 1.0,
        progress: WaitProgress | None = None,
    ) -> Activation:
        """Poll ``integrations/{id}/activationStatus`` until it reads *until*.

        For a change sent some other way (``client.request("PATCH", ...)``, a ``%%oic``
        cell). *answered* is the status that change answered: it is recorded first, and
        when it already is *until* nothing is polled. Raises as :meth:`activate` does.
        """
        ident = check_id(integration_id)
        return self._wait(
            ident,
            check_target(until),
            answered=answered,
            started=self._clock(),
            timeout=timeout,
            interval=interval,
            progress=progress,
        )

    def _change_status(
        self,
        integration_id: str,
        wanted: Target,
        *,
        wait: bool,
        timeout: float,
        interval: float,
        progress: WaitProgress | None,
    ) -> Activation:
        ident = check_id(integration_id)
        if wait:  # checked before the change is sent, not after
            _bounds.WAIT.seconds(timeout, "timeout")
            _bounds.INTERVAL.seconds(interval, "interval")
        started = self._clock()
        answer = self.request("PATCH", f"integrations/{ident}", json={"status": wanted})
        answered = answered_status(parse_body(answer, what=f"PATCH integrations/{ident}"))
        if not wait:
            return Activation(
                id=ident,
                wanted=wanted,
                status=answered or "",
                polls=0,
                observed=((0.0, answered),) if answered else (),
                elapsed=max(0.0, self._clock() - started),
            )
        return self._wait(
            ident,
            wanted,
            answered=answered,
            started=started,
            timeout=timeout,
            interval=interval,
            progress=progress,
        )

    def _wait(
        self,
        ident: str,
        wanted: Target,
        *,
        answered: str | None,
        started: float,
        timeout: float,
        interval: float,
        progress: WaitProgress | None,
    ) -> Activation:
        path = f"integrations/{ident}/activationStatus"

        def read_status() -> str:
            status = self.get(path)
            value = status.get("activationStatus") if isinstance(status, dict) else None
            if not isinstance(value, str):
                raise ResponseFormatError(f"GET {path} answered without an activationStatus.")
            return value

        return wait_for(
            read_status,
            integration_id=ident,
            wanted=wanted,
            answered=answered,
            started=started,
            clock=self._clock,
            sleep=self._backoff.sleep,
            timeout=timeout,
            interval=interval,
            progress=progress,
        )


def pool_limits(concurrency: int) -> httpx.Limits:
    """The connection pool of a client: every connection it may open, it may also keep.

    Keeping fewer than it opens (``max_keepalive_connections < max_connections``) lets
    httpcore's pool (1.0.x) close a keep-alive connection it has just handed to a waiting
    request, as surplus, before or while that request uses it: the request then hangs
    until its read timeout (or fails with EBADF) and is retried - a 30 s stall under
    more threads than connections (encode/httpcore#1110). With equal limits the pool
    never has a surplus to close.
    """
    connections = max(10, 2 * concurrency)
    return httpx.Limits(max_connections=connections, max_keepalive_connections=connections)


def _untrusted_hint(target: str, *, downgrade: bool) -> str:
    """What to do about a redirect to the untrusted origin *target*: the exact entry."""
    if downgrade and target.startswith("http://"):
        return "Use the design-time URL: a redirect from https to http is never followed."
    return (
        "Use the design-time URL, or, if that host is yours, add exactly this entry to "
        f"trusted_hosts: {target} (OIC_TRUSTED_HOSTS={target})."
    )


# -- retry decisions -----------------------------------------------------------------------


def _may_retry_status(target: Route, response: httpx.Response) -> bool:
    if response.status_code not in RETRYABLE_STATUS:
        return False
    # A 429 is refused before processing; 5xx after a POST may hide a completed action.
    return target.idempotent or response.status_code == 429


def _may_retry_failure(target: Route, exc: TransportError) -> bool:
    if target.idempotent:
        return True
    # Only a connection that never opened proves the POST was not received.
    return isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout)


def _pairs(params: Params) -> Iterable[tuple[str, object]]:
    if params is None:
        return []
    return list(params.items()) if isinstance(params, Mapping) else list(params)
