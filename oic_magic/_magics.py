"""IPython magics for the Oracle Integration 3 Developer REST API.

Load the extension and sign in::

    %load_ext oic_magic
    %oic_login                      # a form, prefilled from profile and environment
    %oic_login --profile prod       # non-secret settings from ~/.oic/profiles.ini [prod]
    %oic_login --demo               # the built-in emulator, signed in as its demo user

Headless (papermill, nbclient, plain IPython) no form is shown: the settings come
from the ``OIC_*`` environment variables, a profile and the keyring, or one error
lists what is missing and where it can come from.  Secrets (client secret,
password) are never magic arguments: the line is kept in ``In``, ``_ih`` and the
history database.

Read and change things::

    %oic GET connections                               # every page, as a DataFrame
    df = %oic GET integrations --where status=ACTIVATED --where name~ERP_
    %oic GET integrations/{code}|{version} --raw       # variables expand; the id is encoded
    %oic GET integrations/HELLO|01.00.0000/archive --save hello.iar
    %oic GET connections -o conns                      # store in a variable, show nothing
    %oic GET connections --limit 10 --curl             # print the curl command instead

    %%oic POST integrations/{iid} -o result
    X-HTTP-Method-Override: PATCH

    {"status": "ACTIVATED"}

Activation is asynchronous in OIC: it answers ``ACTIVATION_INPROGRESS`` at once.
``--wait`` polls ``integrations/{id}/activationStatus`` to the end and returns one row
(id, status, polls, elapsed); ``FAILEDACTIVATION`` raises ``ActivationFailedError``,
and a wait longer than ``%config OICMagics.activation_timeout`` (300 s) raises
``ActivationTimeoutError`` (the activation may still complete)::

    %%oic PATCH integrations/{iid} --wait
    {"status": "ACTIVATED"}

``{"status": "CONFIGURED"}`` deactivates, and ``--wait`` waits for that too.  A bar
shows the wait when a person is at the notebook; headless runs stay quiet.

``PATCH`` may be written as the verb: it is sent as OIC expects (``POST`` with
``X-HTTP-Method-Override: PATCH``).  Paths without ``/ic/`` are relative to
``/ic/api/integration/v1/`` and ``integrationInstance`` is added.  In the cell
body, ``{name}`` expands a notebook variable with JSON-safe quoting.

Sessions: ``%oic_status`` (a DataFrame: name, user, instance, host, token
expiry, refreshable, remembered; never a secret) and ``%oic_logout [--session
NAME] [--all] [--forget]``.  Settings: ``%config OICMagics``.

Errors always raise, so "Run All" and papermill stop at a failed cell; expected
failures print one short message (``%config OICMagics.short_errors = False`` for
full tracebacks) and bad arguments a plain ``UsageError``.
"""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from traitlets import Bool, Float, Int, Unicode

from . import _login
from ._activation import (
    ACTIVATED,
    CONFIGURED,
    FAILED,
    Activation,
    WaitProgress,
    answered_status,
    check_id,
)
from ._cell import CellRequest, parse_cell
from ._client import OICClient
from ._frames import to_frame
from ._keyring import RememberedTokens
from ._query import API_PREFIX, build_q, is_monitoring, route, split_path
from ._responses import parse_body
from ._session import Session, default_store
from .exceptions import OICError

__all__ = ["OICMagics", "load_ipython_extension", "unload_ipython_extension"]

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Last path segments that name a list: those are read page by page, completely.
COLLECTIONS = frozenset({
    "connections", "integrations", "lookups", "packages", "projects", "libraries",
    "instances", "errors", "agentgroups", "adapters", "schedules", "certificates",
})  # fmt: skip
TABLE_SUFFIXES = (".csv", ".json", ".html")


@dataclass(frozen=True)
class Command:
    """One ``%oic`` call, parsed; no secret can be in it (the line is history)."""

    method: str
    path: str
    output: str | None = None
    raw: bool = False
    save: Path | None = None
    where: tuple[str, ...] = ()
    limit: int | None = None
    session: str = "default"
    curl: bool = False
    cell: CellRequest = field(default_factory=CellRequest)
    #: With --wait: the integration id and the status to wait for.
    waits_for: tuple[str, str] | None = None

    @property
    def is_listing(self) -> bool:
        last = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        listing = last in COLLECTIONS or bool(self.where) or self.limit is not None
        return self.method == "GET" and listing


@magics_class
class OICMagics(Magics):
    """``%oic_login``, ``%oic``/``%%oic``, ``%oic_status``, ``%oic_logout``."""

    page_size = Int(100, help="Items asked for per page of a list.").tag(config=True)
    concurrency = Int(8, help="Pages fetched at the same time once the total is known.").tag(
        config=True
    )
    max_rows = Int(
        1_000_000, help="Row cap: a larger list raises instead of filling memory."
    ).tag(config=True)
    timeout = Float(
        None, allow_none=True, help="Seconds to wait for OIC (default: OIC_TIMEOUT, else 30)."
    ).tag(config=True)
    retries = Int(4, help="Retries of throttled (429) or unavailable (5xx) idempotent calls.").tag(
        config=True
    )
    monitoring_caps = Bool(
        True, help="Read monitoring lists within OIC's caps (limit 50, offset 500); turn off "
        "only for a server without them, such as the emulator built with monitoring_caps=False.",
    ).tag(config=True)
    progress = Bool(True, help="Progress bar on multi-page lists (never in headless runs).").tag(
        config=True
    )
    activation_timeout = Float(
        300.0, help="Seconds %oic ... --wait waits for an activation before giving up "
        "(it may still complete).",
    ).tag(config=True)
    activation_interval = Float(
        1.0, help="Seconds between two reads of the activation status with --wait."
    ).tag(config=True)
    short_errors = Bool(
        True, help="Expected failures print one message instead of a traceback."
    ).tag(config=True)
    default_profile = Unicode(
        None, allow_none=True,
        help="Profile read when %oic_login names none (default: OIC_PROFILE).",
    ).tag(config=True)

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        # Read-only use of the keyring for every sign-in; writing happens with --remember.
        self._remembered = RememberedTokens(remember_secret=True)
        self._clients: dict[str, OICClient] = {}

    # -- %oic_login ---------------------------------------------------------------------
    @magic_arguments()
    @argument("--profile", metavar="NAME", help="Section of the profile file to read.")
    @argument("--session", metavar="NAME", default="default",
              help="Name of this sign-in, for several instances at once (default: default).")
    @argument("--grant", choices=_login.GRANTS, default=None,
              help="password (a user; the default) or client_credentials (the application).")
    @argument("--remember", action="store_true",
              help="Keep the refresh token and client secret in the keyring for next time.")
    @argument("--demo", action="store_true",
              help="Start the built-in emulator in this kernel and sign in as its demo user.")
    @line_magic
    def oic_login(self, line: str = "") -> Any:
        """Sign in to an OIC instance: a form, or headless from profile, environment, keyring.

        Examples::

            %oic_login
            %oic_login --profile prod --remember
            %oic_login --session dev --profile dev
            %oic_login --demo

        Secrets are never arguments: they come from the form, OIC_CLIENT_SECRET /
        OIC_PASSWORD, the keyring, or a profile file only you can read.
        """
        options = _login_options(parse_argstring(self.oic_login, line))
        return self._guard(lambda: self._login(options))

    # -- %oic / %%oic ---------------------------------------------------------------------
    @magic_arguments()
    @argument("method", help="GET, POST, PUT, PATCH or DELETE.")
    @argument("path", nargs="?", help="connections, integrations/CODE|VERSION, /ic/api/...")
    @argument("-o", "--output", metavar="VAR", help="Store the result in VAR; show nothing.")
    @argument("--raw", action="store_true", help="The parsed JSON instead of a DataFrame.")
    @argument("--save", metavar="PATH", help="Write the answer: archives as bytes, tables "
              "as .csv, .json or .html.")
    @argument("--where", action="append", default=[], metavar="KEY=VALUE|KEY~TEXT",
              help="Filter: key=value is exact, key~text contains. Repeat to combine.")
    @argument("--limit", type=int, metavar="N", help="At most N items of a list.")
    @argument("--session", metavar="NAME", default="default", help="Which sign-in to use.")
    @argument("--curl", action="store_true",
              help="Print the equivalent curl command (token as $OIC_TOKEN); send nothing.")
    @argument("--wait", action="store_true",
              help="After a PATCH of integrations/ID that sets status, poll the activation "
              "to the end; one row: id, status, polls, elapsed.")
    @line_cell_magic
    def oic(self, line: str, cell: str | None = None) -> Any:
        """Call the Developer API; lists come back complete, as a DataFrame.

        Examples::

            %oic GET connections
            df = %oic GET integrations --where status=ACTIVATED --where name~ERP_
            %oic GET integrations/{code}|{version} --raw
            %oic GET integrations/HELLO|01.00.0000/archive --save hello.iar
            %oic PATCH integrations/HELLO|01.00.0000 --curl

            %%oic POST integrations/{iid} -o result
            X-HTTP-Method-Override: PATCH

            {"status": "ACTIVATED"}

            %%oic PATCH integrations/{iid} --wait
            {"status": "ACTIVATED"}
        """
        command = _command(parse_argstring(self.oic, line), cell, self._user_ns)
        return self._guard(lambda: self._run(command))

    # -- %oic_status / %oic_logout ------------------------------------------------------
    @magic_arguments()
    @line_magic
    def oic_status(self, line: str = "") -> Any:
        """The signed-in sessions as a DataFrame (never a secret).

        Example::

            %oic_status
        """
        parse_argstring(self.oic_status, line)
        return self._guard(self._status)

    @magic_arguments()
    @argument("--session", metavar="NAME", default="default", help="Session to end.")
    @argument("--all", action="store_true", help="End every session.")
    @argument("--forget", action="store_true",
              help="Also remove what the keyring remembers for it.")
    @line_magic
    def oic_logout(self, line: str = "") -> None:
        """End a session: its tokens are dropped from memory.

        Examples::

            %oic_logout
            %oic_logout --session dev --forget
            %oic_logout --all
        """
        args = parse_argstring(self.oic_logout, line)
        self._guard(lambda: self._logout(args.session, every=args.all, forget=args.forget))

    # -- the work behind the magics -----------------------------------------------------
    @property
    def _user_ns(self) -> dict[str, Any]:
        assert self.shell is not None, "the magics are used from a shell"
        return self.shell.user_ns
    def _guard(self, work: Callable[[], Any]) -> Any:
        """Let every failure raise (Run All must stop), short or long as configured."""
        try:
            return work()
        except OICError as error:
            error.short_traceback = self.short_errors
            raise

    def _login(self, options: _login.LoginOptions) -> Any:
        store = default_store()
        if options.demo:
            resolved = _login.demo_resolved(options)
        else:
            resolved = _login.resolve(options, default_profile=self.default_profile,
                                      timeout=self.timeout, remembered=self._remembered)
        if resolved.missing() and not options.demo and not _login.is_headless(self.shell):
            return _form(self, options, resolved)
        session = _login.sign_in(resolved, options, store=store, remembered=self._remembered)
        self._forget_client(options.session)
        print(_login.describe_session(session, remembered=options.remember))
        return None

    def _run(self, command: Command) -> Any:
        session = default_store().get(command.session)
        if command.curl:
            print(curl_command(session, command))
            return None
        result = self._fetch(self._client(session), command)
        if command.save is not None:
            result = _save(result, command.save)
        if command.output:
            self._user_ns[command.output] = result
            return None
        return None if isinstance(result, bytes) else result

    def _fetch(self, client: OICClient, command: Command) -> Any:
        if command.waits_for is not None:
            return self._wait(client, command, *command.waits_for)
        if command.is_listing:
            progress = _progress_bar(self.shell) if self.progress else None
            listing = client.paginate(command.path, where=command.where, limit=command.limit,
                                      progress=progress)
            facts = {"url": listing.url, "method": "GET", "status": 200, "pages": listing.pages,
                     "total": listing.total, "elapsed": listing.elapsed,
                     "warnings": list(listing.warnings) or None}
            return list(listing.items) if command.raw else to_frame(listing.items, facts=facts)
        response = client.request(command.method, command.path, headers=command.cell.headers,
                                  **({"json": command.cell.body} if command.cell.has_body else {}))
        return _answer(response, command)

    def _wait(self, client: OICClient, command: Command, ident: str, wanted: str) -> Any:
        """Send the status change as written, then poll the activation to its end."""
        response = client.request(command.method, command.path, headers=command.cell.headers,
                                  json=command.cell.body)
        answered = answered_status(parse_body(response, what=f"{command.method} {command.path}"))
        watching = self.progress and not _login.is_headless(self.shell)
        activation = client.wait_for_activation(
            ident, until=wanted, answered=answered, timeout=self.activation_timeout,
            interval=self.activation_interval,
            progress=_wait_indicator(wanted=wanted, timeout=self.activation_timeout)
            if watching else None)
        return activation if command.raw else _activation_frame(activation, response)

    def _client(self, session: Session) -> OICClient:
        client = self._clients.get(session.name)
        if client is None or client.session is not session:
            self._forget_client(session.name)
            client = OICClient(session, page_size=self.page_size, concurrency=self.concurrency,
                               max_rows=self.max_rows, retries=self.retries,
                               monitoring_caps=self.monitoring_caps)
            self._clients[session.name] = client
        return client

    def _forget_client(self, name: str) -> None:
        client = self._clients.pop(name, None)
        if client is not None:
            client.close()

    def close(self) -> None:
        """Close the connection pools (the sessions stay in the store)."""
        for name in list(self._clients):
            self._forget_client(name)

    def _status(self) -> Any:
        import pandas as pd

        rows = [_status_row(default_store().get(name)) for name in default_store().names()]
        return pd.DataFrame(rows, columns=list(_STATUS_COLUMNS))

    def _logout(self, name: str, *, every: bool, forget: bool) -> None:
        store = default_store()
        names = store.names() if every else [store.get(name).name]
        for each in names:
            session = store.get(each)
            if forget:
                self._remembered.forget(session.settings)
            self._forget_client(each)
            store.remove(each)
        what = "Remembered tokens removed from the keyring. " if forget else ""
        print(f"{what}Signed out: {', '.join(names) or 'no session'}.")


# -- parsing (kept out of the magic methods) --------------------------------------------------
def _login_options(args: Any) -> _login.LoginOptions:
    return _login.LoginOptions(profile=args.profile, session=_name(args.session),
                               grant=args.grant, remember=args.remember, demo=args.demo)


def _command(args: Any, cell: str | None, namespace: dict[str, Any]) -> Command:
    method = args.method.upper()
    if method not in VERBS:
        raise UsageError(f"unknown verb {args.method!r}: use {', '.join(VERBS)}")
    if not args.path:
        raise UsageError(f"missing the path: %oic {method} connections (or integrations/ID, ...)")
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit {args.limit}: give a positive number of items")
    _check_where(args.where, args.path)
    if args.output is not None and not args.output.isidentifier():
        raise UsageError(f"-o {args.output!r}: give a Python variable name")
    request = parse_cell(cell, namespace) if cell is not None else CellRequest()
    return Command(
        method=method, path=args.path, output=args.output, raw=args.raw,
        save=Path(args.save).expanduser() if args.save else None,
        where=tuple(args.where), limit=args.limit, session=_name(args.session), curl=args.curl,
        cell=request, waits_for=_waits_for(method, args, request) if args.wait else None,
    )  # fmt: skip


_WAIT_USE = ("--wait waits for an activation: %%oic PATCH integrations/CODE|VERSION --wait "
             'with the body {"status": "ACTIVATED"} (or "CONFIGURED")')


def _waits_for(method: str, args: Any, request: CellRequest) -> tuple[str, str]:
    """The integration id and status a ``--wait`` request changes, or a UsageError."""
    overridden = any(name.lower() == "x-http-method-override" and value.upper() == "PATCH"
                     for name, value in request.headers.items())
    if method != "PATCH" and not (method == "POST" and overridden):
        raise UsageError(f"{_WAIT_USE}; {method} changes no status")
    if args.curl:
        raise UsageError(f"{_WAIT_USE}; --curl sends nothing to wait for")
    ident = _integration_id(args.path)
    body = request.body if request.has_body else None
    wanted = body.get("status") if isinstance(body, dict) else None
    if wanted not in (ACTIVATED, CONFIGURED):
        raise UsageError(f"{_WAIT_USE}; this body sets no such status")
    return ident, wanted


def _integration_id(path: str) -> str:
    bare = split_path(path.strip())[0]
    if bare.startswith(API_PREFIX):
        bare = bare[len(API_PREFIX):]
    kind, _, ident = bare.lstrip("/").partition("/")
    try:
        if kind != "integrations":
            raise ValueError(path)
        # Shown and polled as CODE|VERSION, however the path spelled it.
        return check_id(unquote(ident))
    except ValueError:
        raise UsageError(f"{_WAIT_USE}; {path!r} is not integrations/CODE|VERSION") from None


def _check_where(conditions: list[str], path: str) -> None:
    try:
        build_q(conditions, monitoring=is_monitoring(path))
    except ValueError as error:
        raise UsageError(str(error)) from None


def _name(value: str) -> str:
    if not value.strip():
        raise UsageError("--session needs a name")
    return value.strip()


# -- results -----------------------------------------------------------------------------------
def _answer(response: httpx.Response, command: Command) -> Any:
    """A single answer: bytes for archives, JSON (raw) or a one-row frame."""
    from ._client import parse_body

    body = parse_body(response, what=f"{command.method} {command.path}")
    if body is None or isinstance(body, bytes) or command.raw:
        if body is None:
            print(f"HTTP {response.status_code}: {command.method} {command.path} done, no content.")
        return body
    facts = {"url": _public_url(response.request.url), "method": command.method,
             "status": response.status_code, "pages": 1,
             "elapsed": response.elapsed.total_seconds() if response.is_closed else None}
    return to_frame(body, facts=facts)


def _activation_frame(activation: Activation, response: httpx.Response) -> Any:
    """One row: id, status, polls, elapsed; the status change's facts in ``attrs``."""
    row = {"id": activation.id, "status": activation.status, "polls": activation.polls,
           "elapsed": activation.elapsed}
    facts = {"url": _public_url(response.request.url), "method": "PATCH",
             "status": response.status_code, "elapsed": activation.elapsed}
    return to_frame(row, facts=facts)


def _public_url(url: httpx.URL) -> str:
    # The query holds the instance, q and paging: no secret travels in an OIC URL.
    if not url.userinfo:
        return str(url)  # rebuilding the URL cost more than the rest of the facts
    return str(url.copy_with(username=None, password=None))


def _save(result: Any, path: Path) -> Any:
    """Write the answer; archives as their bytes, tables by the file's suffix."""
    import pandas as pd

    if isinstance(result, bytes):
        path.write_bytes(result)
        print(f"Saved {len(result):,} bytes to {path}.")
        return result
    if isinstance(result, pd.DataFrame):
        suffix = path.suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise UsageError(f"--save {path}: save a table as {', '.join(TABLE_SUFFIXES)}")
        writer = {".csv": lambda: result.to_csv(path, index=False),
                  ".json": lambda: result.to_json(path, orient="records", date_format="iso"),
                  ".html": lambda: result.to_html(path, index=False)}[suffix]
        writer()
        print(f"Saved {len(result):,} rows to {path}.")
        return result
    path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"Saved the JSON answer to {path}.")
    return result


_STATUS_COLUMNS = ("name", "user", "instance", "host", "token_expires", "refreshable",
                   "remembered")


def _status_row(session: Session) -> dict[str, Any]:
    token = session.token
    host = session.settings.api_origin
    return {
        "name": session.name, "user": session.user, "instance": session.settings.instance,
        "host": host, "token_expires": dt.datetime.fromtimestamp(token.expires_at, tz=dt.UTC),
        "refreshable": bool(token.refresh_token) or session.grant == "client_credentials",
        "remembered": session.remembered,
    }  # fmt: skip


# -- curl ----------------------------------------------------------------------------------------
def curl_command(session: Session, command: Command) -> str:
    """The same request for a shell; the token is left to ``$OIC_TOKEN``."""
    params = [("q", build_q(command.where, monitoring=is_monitoring(command.path)))] \
        if command.where else []
    if command.limit is not None:
        params.append(("limit", str(command.limit)))
    target = route(command.method, command.path, instance=session.settings.instance,
                   params=params, headers=command.cell.headers)
    url = httpx.URL(f"{session.settings.api_origin}{target.path}", params=target.params)
    parts = ["curl", "-sS", "-X", target.wire_method, shlex.quote(str(url)),
             "-H", '"Authorization: Bearer $OIC_TOKEN"']
    for name, value in target.headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if command.cell.has_body:
        parts += ["-H", shlex.quote("Content-Type: application/json"),
                  "--data", shlex.quote(json.dumps(command.cell.body))]
    return " ".join(parts)


# -- the form and the progress bar (only with a person at the notebook) ---------------------------
def _form(magics: OICMagics, options: _login.LoginOptions, resolved: _login.Resolved) -> Any:
    from .widgets import LoginForm, LoginValues, Outcome

    def submit(values: LoginValues) -> Outcome:
        chosen = _login.LoginOptions(profile=options.profile, session=values.session,
                                     grant=values.grant, remember=values.remember)
        try:
            again = _login.resolve(chosen, default_profile=magics.default_profile,
                                   timeout=magics.timeout, form=values,
                                   remembered=magics._remembered)
            session = _login.sign_in(again, chosen, store=default_store(),
                                     remembered=magics._remembered)
        except OICError as error:
            return _login.describe_failure(error)
        magics._forget_client(session.name)
        return Outcome(ok=True, text=_login.describe_session(session, remembered=values.remember))

    prefill = {k: v for k, v in resolved.values.items() if k not in _login.SECRETS}
    prefill["url"] = prefill.get("design_url") or prefill.get("runtime_url")
    prefill["scope"] = prefill.get("scope") or prefill.get("audience")
    prefill.update(session=options.session, grant=resolved.grant, remember=options.remember)
    sources = {k: resolved.sources[k] for k in _login.SECRETS if resolved.values.get(k)}
    return LoginForm(submit=submit, prefill=prefill, secret_sources=sources)


def _progress_bar(shell: Any) -> Callable[[int, int | None], None] | None:
    """An ipywidgets bar shown from the second page on; nothing when nobody watches."""
    if _login.is_headless(shell):
        return None
    import ipywidgets as w
    from IPython.display import display

    bar = w.IntProgress(min=0, max=1, description="Pages")
    shown = False

    def report(done: int, total: int | None) -> None:
        nonlocal shown
        if total is not None and total <= 1:
            return
        if not shown:
            display(bar)
            shown = True
        bar.max = max(total or done + 1, done)
        bar.value = done
        bar.description = f"{done}/{total or '?'} pages"

    return report


def _wait_indicator(*, wanted: str, timeout: float) -> WaitProgress:
    """A bar filling towards the timeout while OIC works, shown once there is a wait."""
    import ipywidgets as w
    from IPython.display import display

    bar = w.FloatProgress(min=0.0, max=max(timeout, 1.0), description="Activation")
    label = w.Label()
    shown = False

    def report(status: str, elapsed: float) -> None:
        nonlocal shown
        final = status in (wanted, FAILED)
        if final and not shown:
            return  # done at the first look: nothing to watch
        if not shown:
            display(w.HBox([bar, label]))
            shown = True
        bar.value = min(elapsed, bar.max)
        label.value = f"{status}, {elapsed:.0f}s"
        if final:
            bar.bar_style = "success" if status == wanted else "danger"

    return report


# -- extension -----------------------------------------------------------------------------------
def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext oic_magic``: register the magics (sessions live on in the store)."""
    ipython.register_magics(OICMagics)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext oic_magic``: remove the magics; signed-in sessions stay in memory."""
    manager = ipython.magics_manager
    magics = manager.registry.pop("OICMagics", None)
    if magics is None:
        return
    for kind, names in magics.magics.items():
        for name in names:
            manager.magics[kind].pop(name, None)
    if magics in ipython.configurables:
        ipython.configurables.remove(magics)
    magics.close()
