"""IPython magics for the Oracle Integration 3 Developer REST API.

Load the extension and sign in::

    %load_ext oic_magic
    %oic_login                      # a form, prefilled from profile and environment
    %oic_login --profile prod       # non-secret settings from ~/.oic/profiles.ini [prod]
    %oic_login --demo               # the built-in emulator, signed in as its demo user
    %oic_login --grant device       # single sign-on / MFA: a link and a code (any kernel)
    %oic_login --grant browser      # single sign-on / MFA: the browser beside the kernel

Headless (papermill, nbclient, plain IPython) no form is shown: the settings come
from the ``OIC_*`` environment variables, a profile and the keyring, or one error
lists what is missing and where it can come from.  Secrets (client secret,
password) are never magic arguments: the line is kept in ``In``, ``_ih`` and the
history database.

Read and change things::

    %oic GET connections                               # every page, as a DataFrame
    df = %oic GET integrations --where status=ACTIVATED --where code~ERP_
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

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Bool, Float, Int, TraitError, Unicode, validate

from ..core._activation import answered_status
from ..core._catalogue import MONITORING_LIMIT
from ..core._client import OICClient
from ..core._filters import keep, plan
from ..core._keyring import RememberedTokens
from ..core._query import is_monitoring
from ..core._responses import parse_body
from ..core._session import Session, default_store
from ..core._uploads import upload
from ..exceptions import APIStatusError, ConfigurationError, IncompleteResultError
from . import _completion, _login, _signin_flow, _tracebacks, _traits
from ._across import is_across, run_across
from ._command import Command, login_options, parse_command, parse_line, unknown_resource
from ._errors import as_cell_output
from ._frames import list_columns, to_frame
from ._login import LoginOptions, Resolved
from ._progress import activation_progress, page_progress
from ._results import (
    STATUS_COLUMNS,
    Download,
    activation_frame,
    answer,
    curl_command,
    listing_frame,
    save,
    status_row,
)
from ._waiting import Pump, pumping
from ._window import attach_frame, limit_note, window_facts

__all__ = ["OICMagics", "load_ipython_extension", "unload_ipython_extension"]


@magics_class
class OICMagics(Magics):
    """``%oic_login``, ``%oic``/``%%oic``, ``%oic_status``, ``%oic_logout``."""

    page_size = Int(100, min=1, help="Items asked for per page of a list.").tag(config=True)
    concurrency = Int(8, min=1, help="Pages fetched at the same time once the total is known.").tag(
        config=True
    )
    max_rows = Int(
        1_000_000, min=1, help="Row cap: a larger list raises instead of filling memory."
    ).tag(config=True)
    timeout = Float(
        None,
        allow_none=True,
        min=0.001,
        help="Seconds to wait for OIC (default: OIC_TIMEOUT, else 30).",
    ).tag(config=True)
    retries = Int(
        4, min=0, help="Retries of throttled (429) or unavailable (5xx) idempotent calls."
    ).tag(config=True)
    rereads = Int(
        2,
        min=0,
        help="Times a list that changed while it was read is read again before it raises.",
    ).tag(config=True)
    monitoring_caps = Bool(
        True,
        help="Read monitoring lists within OIC's caps (limit 50, offset 500); turn off "
        "only for a server without them, such as the emulator built with monitoring_caps=False.",
    ).tag(config=True)
    progress = Bool(True, help="Progress bar on multi-page lists (never in headless runs).").tag(
        config=True
    )
    activation_timeout = Float(
        300.0,
        min=0.0,
        help="Seconds %oic ... --wait waits for an activation before giving up "
        "(it may still complete).",
    ).tag(config=True)
    activation_interval = Float(
        1.0, min=0.01, help="Seconds between two reads of the activation status with --wait."
    ).tag(config=True)
    short_errors = Bool(
        True, help="Expected failures print one message instead of a traceback."
    ).tag(config=True)
    sign_in_timeout = Float(
        300.0,
        min=1.0,
        help="Seconds %oic_login waits for the form, a device code or the browser to be "
        "finished before the cell fails (Run All waits for it).",
    ).tag(config=True)
    timezone = Unicode(
        None,
        allow_none=True,
        help="IANA time zone the tables show times in, to the second, such as "
        "'Europe/Paris' (default: the kernel machine's zone); the frames keep UTC datetimes.",
    ).tag(config=True)
    default_profile = Unicode(
        None,
        allow_none=True,
        help="Profile read when %oic_login names none (default: OIC_PROFILE).",
    ).tag(config=True)

    # Below the minimum, traitlets refuses first; above the maximum, inf and nan, these do.
    @validate("page_size", "concurrency", "max_rows", "timeout", "retries", "rereads")
    def _check_counts(self, proposal: Any) -> Any:
        return _traits.in_range(proposal, "OICMagics")

    @validate("activation_timeout", "activation_interval", "sign_in_timeout")
    def _check_waits(self, proposal: Any) -> Any:
        return _traits.in_range(proposal, "OICMagics")

    @validate("timezone")
    def _check_timezone(self, proposal: Any) -> Any:
        from ._view import check_timezone

        try:
            return check_timezone(proposal["value"])
        except ValueError as error:
            raise TraitError(str(error)) from None

    def __init__(self, shell: Any = None, **kwargs: Any) -> None:
        super().__init__(shell=shell, **kwargs)
        # Read-only use of the keyring for every sign-in; writing happens with --remember.
        self._remembered = RememberedTokens(remember_secret=True)
        self._clients: dict[str, OICClient] = {}
        self._client_options: dict[str, dict[str, Any]] = {}
        #: What lets time pass while a sign-in waits, where no kernel can be pumped (tests).
        self.ui_pump: Callable[[float], None] | None = None
        #: Ids of the lists returned so far, for completion (never a request).
        self.known_ids = _completion.KnownIds()

    # -- %oic_login ---------------------------------------------------------------------
    @magic_arguments()
    @argument("--profile", metavar="NAME", help="Section of the profile file to read.")
    @argument(
        "--session",
        metavar="NAME",
        default="default",
        help="Name of this sign-in, for several instances at once (default: default).",
    )
    @argument(
        "--grant",
        choices=_login.GRANTS,
        default=None,
        help="device (a link and a code; single sign-on and MFA, any kernel), browser "
        "(authorization code with PKCE), jwt (a signed user assertion, for automation), "
        "password (legacy: local users only; the default) or client_credentials "
        "(the application itself). Default: OIC_GRANT, else password.",
    )
    @argument(
        "--remember",
        action="store_true",
        help="Keep the refresh token and client secret in the keyring for next time.",
    )
    @argument(
        "--demo",
        action="store_true",
        help="Start the built-in emulator in this kernel and sign in as its demo user. "
        "With --session NAME, an emulated instance of its own (oic-NAME): dev as seeded, "
        "test, prod or any other name with a few planted differences.",
    )
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
        return self._guard(lambda: self._login(login_options(parse_line(self.oic_login, line))))

    # -- %oic / %%oic ---------------------------------------------------------------------
    @magic_arguments()
    @argument("method", help="GET, POST, PUT, PATCH or DELETE.")
    @argument("path", nargs="?", help="connections, integrations/CODE|VERSION, /ic/api/...")
    @argument("-o", "--output", metavar="VAR", help="Store the result in VAR; show nothing.")
    @argument(
        "--raw",
        action="store_true",
        help="The parsed JSON instead of a DataFrame "
        "(with --wait: the Activation, with every status seen).",
    )
    @argument(
        "--save",
        metavar="PATH",
        help="Write the answer: archives as bytes, tables as .csv, .json, .html, "
        ".xlsx (extra: excel) or .parquet (extra: parquet).",
    )
    @argument(
        "--columns",
        metavar="all|A,B,C",
        help="A list's table shows a compact set of columns and keeps them all: all shows "
        "every column; A,B,C keeps only those in the frame.",
    )
    @argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE|KEY~TEXT",
        help="Filter: key=value is exact, key~text contains. Repeat to combine.",
    )
    @argument("--limit", type=int, metavar="N", help="At most N items of a list.")
    @argument(
        "--since",
        metavar="SPAN|MOMENT",
        help="Monitoring window from then until now: 24h, 90m, 2d, 1w, or a moment "
        "(this machine's time zone unless it says Z, UTC or +01:00).",
    )
    @argument(
        "--between",
        nargs=2,
        metavar=("START", "END"),
        help='Monitoring window between two moments: 2026-12-01 "2026-12-01 12:00".',
    )
    @argument(
        "--file",
        metavar="PATH",
        help="Send this file as the multipart 'file' part (POST/PUT: imports of .iar, "
        ".car, lookup .csv).",
    )
    @argument(
        "--session",
        metavar="NAME[,NAME...]",
        default="default",
        help="Which sign-in to use. Several, comma-separated, read at once: one frame "
        "with a session column (GET only).",
    )
    @argument(
        "--curl",
        action="store_true",
        help="Print a bash script instead: Oracle's token request, then this call with "
        "curl (secrets left to OIC_* variables); send nothing.",
    )
    @argument(
        "--wait",
        action="store_true",
        help="After a PATCH of integrations/ID that sets status, poll the activation "
        "to the end; one row: id, status, polls, elapsed.",
    )
    @line_cell_magic
    def oic(self, line: str, cell: str | None = None) -> Any:
        """Call the Developer API; lists come back complete, as a DataFrame.

        Examples::

            %oic GET connections
            df = %oic GET integrations --where status=ACTIVATED --where code~ERP_
            %oic GET integrations/{code}|{version} --raw
            %oic GET integrations/HELLO|01.00.0000/archive --save hello.iar
            %oic PATCH integrations/HELLO|01.00.0000 --curl

            %%oic POST integrations/{iid} -o result
            X-HTTP-Method-Override: PATCH

            {"status": "ACTIVATED"}

            %%oic PATCH integrations/{iid} --wait
            {"status": "ACTIVATED"}
        """
        return self._guard(
            lambda: self._run(parse_command(parse_line(self.oic, line), cell, self._user_ns))
        )

    # -- %oic_status / %oic_logout ------------------------------------------------------
    @magic_arguments()
    @line_magic
    def oic_status(self, line: str = "") -> Any:
        """The signed-in sessions as a DataFrame (never a secret).

        Example::

            %oic_status
        """
        return self._guard(lambda: self._status(parse_line(self.oic_status, line)))

    @magic_arguments()
    @argument("--session", metavar="NAME", default="default", help="Session to end.")
    @argument("--all", action="store_true", help="End every session.")
    @argument(
        "--forget",
        action="store_true",
        help="Also remove what the keyring remembers for it. With no such session "
        "signed in, the settings of --profile and the environment say what.",
    )
    @argument(
        "--profile",
        metavar="NAME",
        help="With --forget and no session: the profile the sign-in used.",
    )
    @line_magic
    def oic_logout(self, line: str = "") -> None:
        """End a session: its tokens are dropped from memory.

        Examples::

            %oic_logout
            %oic_logout --session dev --forget
            %oic_logout --all
            %oic_logout --forget --profile prod   # a new kernel: wipe what --remember kept
        """
        args = self._guard(lambda: parse_line(self.oic_logout, line))
        if args.forget and not args.all and args.session not in default_store():
            self._guard(lambda: self._forget_without_session(args.profile))
            return
        self._guard(lambda: self._logout(args.session, every=args.all, forget=args.forget))

    # -- the work behind the magics -----------------------------------------------------
    @property
    def _user_ns(self) -> dict[str, Any]:
        assert self.shell is not None, "the magics are used from a shell"
        return self.shell.user_ns

    def _guard(self, work: Callable[[], Any]) -> Any:
        """Let every failure raise (Run All must stop), short or long as configured."""
        try:
            with _tracebacks.guarded(self.shell, short=self.short_errors):
                return work()
        except UsageError as error:
            # IPython's own UsageError reaches stderr only: no cell output, no log line.
            raise as_cell_output(error) from None

    def _login(self, options: _login.LoginOptions) -> Any:
        store = default_store()
        if options.demo:
            resolved = _login.demo_resolved(options)
        else:
            resolved = _login.resolve(
                options,
                default_profile=self.default_profile,
                timeout=self.timeout,
                remembered=self._remembered,
            )
        headless = _login.is_headless(self.shell)
        if resolved.missing() and not options.demo and not headless:
            with pumping(self.shell) as pump:
                return _form(self, options, resolved, pump=pump or self.ui_pump)
        if _login.needs_a_person(resolved) and not resolved.missing():
            if headless:
                raise _login.headless_refusal(resolved.grant)
            with pumping(self.shell) as pump:
                self._interactive_sign_in(resolved, options, pump=pump)
            return None
        session = _login.sign_in(resolved, options, store=store, remembered=self._remembered)
        self._forget_client(options.session)
        print(_login.describe_session(session, remembered=options.remember))
        return None

    def _interactive_sign_in(
        self, resolved: Resolved, options: LoginOptions, *, pump: Pump | None
    ) -> Session:
        """A device or browser sign-in with its panel shown in the cell's output."""
        session = _signin_flow.with_panel(
            resolved, options, remembered=self._remembered, pump=pump or self.ui_pump
        )
        self._forget_client(session.name)
        return session

    def _run(self, command: Command) -> Any:
        if is_across(command):
            return self._deliver(command, run_across(command, self._client))
        session = default_store().get(command.session)
        client = self._client(session)
        # A pasted links[].href of this instance becomes its path; another host's is refused.
        command = dataclasses.replace(command, path=client.local_path(command.path))
        if command.curl:
            print(curl_command(session, command))
            return None
        try:
            result = self._fetch(client, command)
        except APIStatusError as error:
            unknown = unknown_resource(command.path) if error.status == 404 else None
            if unknown is None:
                raise
            raise APIStatusError(
                status=error.status,
                method=error.method,
                path=error.path,
                server_message=error.server_message,
                hint=unknown,
            ) from None
        return self._deliver(command, result)

    def _deliver(self, command: Command, result: Any) -> Any:
        if command.save is not None:
            result = save(result, command.save)
        if command.output:
            self._user_ns[command.output] = result
            return None
        if isinstance(result, bytes):
            return None if command.save is not None else Download(result)
        return result

    def _fetch(self, client: OICClient, command: Command) -> Any:
        if command.waits_for is not None:
            return self._wait(client, command, *command.waits_for)
        if command.is_listing:
            capped = self.monitoring_caps and is_monitoring(command.path)
            step = min(self.page_size, MONITORING_LIMIT) if capped else self.page_size
            progress = page_progress(self.shell, page_size=step) if self.progress else None
            start, end = command.window or (None, None)
            # Conditions OIC cannot filter on are applied to the items, read without a limit.
            filters = plan(command.where, command.path)
            try:
                listing = client.paginate(
                    command.path,
                    where=list(filters.server),
                    limit=None if filters.local else command.limit,
                    progress=progress,
                    start=start,
                    end=end,
                    headers=command.cell.headers,
                )
            except IncompleteResultError as error:
                if progress is not None:
                    progress.abandon()
                attach_frame(error, to_frame(error.items, columns=list_columns(command.path)))
                raise
            except BaseException:
                if progress is not None:
                    progress.abandon()
                raise
            if progress is not None:
                progress.finish(
                    rows=len(listing.items), pages=listing.pages, elapsed=listing.elapsed
                )
            note = limit_note(listing, command.limit)
            if note is not None:
                print(note)
            items: Sequence[Any] = listing.items
            if filters.local:
                items = keep(items, filters.local)[: command.limit]
                print(filters.describe(read=len(listing.items), kept=len(items), what=command.path))
            self.known_ids.note(command.session, command.path, listing.items)
            if command.raw:
                return list(items)
            frame = listing_frame(listing, command.path, items)
            frame.attrs.update(window_facts(listing))
            from ._view import list_frame, local_zone

            zone = self.timezone or local_zone()
            return list_frame(frame, path=command.path, columns=command.columns, timezone=zone)
        if command.file is not None:
            response = upload(
                client, command.method, command.path, command.file, headers=command.cell.headers
            )
            return answer(response, command)
        response = client.request(
            command.method,
            command.path,
            headers=command.cell.headers,
            **({"json": command.cell.body} if command.cell.has_body else {}),
        )
        return answer(response, command)

    def _wait(self, client: OICClient, command: Command, ident: str, wanted: str) -> Any:
        """Send the status change as written, then poll the activation to its end."""
        response = client.request(
            command.method, command.path, headers=command.cell.headers, json=command.cell.body
        )
        answered = answered_status(parse_body(response, what=f"{command.method} {command.path}"))
        watching = self.progress and not _login.is_headless(self.shell)
        activation = client.wait_for_activation(
            ident,
            until=wanted,
            answered=answered,
            timeout=self.activation_timeout,
            interval=self.activation_interval,
            progress=activation_progress(wanted=wanted, timeout=self.activation_timeout)
            if watching
            else None,
        )
        return activation if command.raw else activation_frame(activation, response)

    def _client(self, session: Session) -> OICClient:
        # One pooled client per session, made anew when the session or a %config trait
        # it was built with has changed since.
        options: dict[str, Any] = {
            "page_size": self.page_size,
            "concurrency": self.concurrency,
            "max_rows": self.max_rows,
            "retries": self.retries,
            "rereads": self.rereads,
            "monitoring_caps": self.monitoring_caps,
            "timeout": self.timeout,
        }
        client = self._clients.get(session.name)
        stale = self._client_options.get(session.name) != options
        if client is None or client.session is not session or stale:
            self._forget_client(session.name)
            client = OICClient(session, **options)
            self._clients[session.name] = client
            self._client_options[session.name] = options
        return client

    def _forget_client(self, name: str) -> None:
        client = self._clients.pop(name, None)
        if client is not None:
            client.close()

    def close(self) -> None:
        """Close the connection pools (the sessions stay in the store)."""
        for name in list(self._clients):
            self._forget_client(name)

    def _status(self, _args: Any = None) -> Any:
        import pandas as pd

        rows = [status_row(default_store().get(name)) for name in default_store().names()]
        return pd.DataFrame(rows, columns=list(STATUS_COLUMNS))

    def _logout(self, name: str, *, every: bool, forget: bool) -> None:
        # Signing out twice is no error: a clean-up cell must not stop "Run All".
        store = default_store()
        names = store.names() if every else [name] if name in store else []
        for each in names:
            session = store.get(each)
            if forget:
                self._remembered.forget(session.settings)
            self._forget_client(each)
            self.known_ids.forget(each)
            store.remove(each)
        if not names:
            which = "No session is" if every else f"No session named {name!r} is"
            print(f"{which} signed in: nothing to sign out.")
            return
        print(f"{self._forgotten() if forget else ''}Signed out: {', '.join(names)}.")

    def _forgotten(self) -> str:
        """What --forget did, in words: the keyring entries went, or there was no keyring."""
        if self._remembered.memory_only:
            return (
                "No keyring is usable here, so nothing was kept beyond this kernel; "
                "the kernel's own copy is dropped. "
            )
        return "Remembered tokens removed from the keyring. "

    def _forget_without_session(self, profile: str | None) -> None:
        """Remove what the keyring remembers for the settings a sign-in would use."""
        options = _login.LoginOptions(profile=profile)
        try:
            resolved = _login.resolve(
                options, default_profile=self.default_profile, timeout=self.timeout
            )
            settings = resolved.settings()
        except ConfigurationError as error:  # a sign-in's hint ("sign in again") misleads here
            raise UsageError(
                f"--forget: {error.message} Nothing was removed from the keyring."
            ) from None
        if not (settings.client_id and settings.identity_host):
            raise UsageError(
                "no session is signed in, and no settings say which keyring entry "
                "to remove: name the sign-in with --profile NAME, or set "
                "OIC_CLIENT_ID and OIC_IDENTITY_URL (and OIC_USERNAME)"
            )
        self._remembered.forget(settings)
        who = settings.username or "the application"
        if self._remembered.memory_only:
            print(
                "No keyring is usable here, so nothing was remembered for "
                f"{who} at {settings.identity_host}. No session was signed in."
            )
            return
        print(
            f"Remembered tokens of {who} at {settings.identity_host} removed from the keyring."
            " No session was signed in."
        )


# -- the form (only with a person at the notebook) -------------------------------------------
def _form(
    magics: OICMagics,
    options: _login.LoginOptions,
    resolved: _login.Resolved,
    *,
    pump: Pump | None = None,
) -> Any:
    """The form: returned at once where nothing can be pumped, else shown and waited for."""
    from ..widgets import LoginForm, LoginValues, Outcome

    asked: list[LoginValues] = []

    def submit(values: LoginValues) -> Outcome:
        def signed_in(again: Resolved, chosen: LoginOptions) -> Session:
            session = _login.sign_in(
                again, chosen, store=default_store(), remembered=magics._remembered
            )
            magics._forget_client(session.name)
            return session

        return _signin_flow.form_sign_in(
            magics,
            options,
            values,
            sign_in=signed_in,
            guard=lambda: _tracebacks.guarded(magics.shell, short=magics.short_errors),
        )

    def interactive(values: LoginValues) -> Outcome | None:
        if pump is not None:  # the waiting cell runs it, with its widgets alive
            asked.append(values)
            return Outcome(ok=True, text="Continue with the sign-in below.")
        return _signin_flow.from_form(magics, options, values, pump=None)

    prefill = {k: v for k, v in resolved.values.items() if k not in _login.SECRETS}
    prefill["url"] = prefill.get("design_url") or prefill.get("runtime_url")
    prefill["scope"] = prefill.get("scope") or prefill.get("audience")
    prefill.update(session=options.session, grant=resolved.grant, remember=options.remember)
    sources = {k: resolved.sources[k] for k in _login.SECRETS if resolved.values.get(k)}
    form = LoginForm(
        submit=submit,
        prefill=prefill,
        secret_sources=sources,
        interactive=interactive,
        waiting=pump is not None,
    )
    if pump is None:
        return form
    return _signin_flow.wait_for_form(magics, options, form, asked, pump=pump)


# -- extension -----------------------------------------------------------------------------------
def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext oic_magic``: register the magics (sessions live on in the store)."""
    from ._lifecycle_magics import OICLifecycleMagics
    from ._ops_magics import OICOperations

    magics = OICMagics(shell=ipython)
    ipython.register_magics(magics)
    ipython.register_magics(OICOperations)
    ipython.register_magics(OICLifecycleMagics)
    _completion.install(ipython, magics)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext oic_magic``: remove the magics; signed-in sessions stay in memory."""
    _completion.uninstall(ipython)
    manager = ipython.magics_manager
    for registered in ("OICLifecycleMagics", "OICOperations", "OICMagics"):
        magics = manager.registry.pop(registered, None)
        if magics is None:
            continue
        for kind, names in magics.magics.items():
            for name in names:
                manager.magics[kind].pop(name, None)
        if magics in ipython.configurables:
            ipython.configurables.remove(magics)
        if isinstance(magics, OICMagics):
            magics.close()
