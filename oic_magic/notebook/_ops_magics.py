"""Magics for the operator's day: error triage, resubmit and discard, activity streams.

::

    %oic_triage --since 24h                     # errors grouped four ways, in one object
    %oic_triage --since 24h --by error          # one grouping, as a DataFrame
    %oic_resubmit --integration ORDERS|01.00.0000 --since 24h   # a preview and a button
    %oic_resubmit failed_ids --yes --wait       # headless: --yes acts, --wait follows the jobs
    %oic_discard --connection ERP_DB --since 6h --preview
    %oic_activity ID --payloads                 # the activity stream, payloads fetched

Nothing is resubmitted or discarded without a confirmation: the button (a person at
the notebook) or ``--yes``. Sessions and clients are those of ``%oic``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from IPython.core.error import UsageError as IPythonUsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments
from traitlets import Float, validate

from ..core._client import OICClient
from ..core._recovery import RecoveryPlan, plan_recovery, recover, wait_for_recovery
from ..core._session import default_store
from ..exceptions import IncompleteResultError, RequestError
from . import _login, _tracebacks, _traits
from ._activity import PAYLOAD_LIMIT, activity_frame
from ._command import parse_line, session_name
from ._errors import UsageError, as_cell_output
from ._frames import list_columns, to_frame
from ._recovery_view import (
    PREVIEW_COLUMNS,
    confirm_widget,
    outcome_frame,
    preview_frame,
    refuse,
)
from ._triage import GROUPINGS, triage
from ._window import attach_frame, check_one_window, parse_window, window_facts

__all__ = ["OICOperations"]

_WINDOW_ARGS = (
    argument(
        "--since",
        metavar="SPAN|MOMENT",
        help="From then until now: 24h, 90m, 2d, 1w, or a moment "
        "(this machine's time zone unless it says Z, UTC or +01:00).",
    ),
    argument("--between", nargs=2, metavar=("START", "END"), help="Between two moments."),
    argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="More filters of monitoring/errors (timewindow=1d, code=..., version=...).",
    ),
    argument("--session", metavar="NAME", default="default", help="Which sign-in to use."),
    argument("-o", "--output", metavar="VAR", help="Store the result in VAR; show nothing."),
)


def _with(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(function: Any) -> Any:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def _choice_args(what: str) -> tuple[Callable[[Any], Any], ...]:
    return (
        argument(
            "ids",
            nargs="*",
            help="Instance ids (space or comma separated), or the name of a variable "
            "holding them (a list, or a DataFrame with an id column).",
        ),
        argument("--integration", metavar="CODE[|VERSION]", help="Errors of this integration."),
        argument("--connection", metavar="CODE", help="Errors on this connection."),
        argument(
            "--preview", action="store_true", help=f"Show what would be {what}; send nothing."
        ),
        argument("--yes", action="store_true", help=f"Act without asking: the errors are {what}."),
    )


@magics_class
class OICOperations(Magics):
    """``%oic_triage``, ``%oic_resubmit``, ``%oic_discard``, ``%oic_activity``."""

    recovery_timeout = Float(
        300.0, min=0.0, help="Seconds --wait follows a recovery job before giving up."
    ).tag(config=True)
    recovery_interval = Float(
        2.0, min=0.01, help="Seconds between two reads of a recovery job with --wait."
    ).tag(config=True)

    @validate("recovery_timeout", "recovery_interval")
    def _check_waits(self, proposal: Any) -> Any:
        return _traits.in_range(proposal, "OICOperations")

    # -- %oic_triage -----------------------------------------------------------------------
    @magic_arguments()
    @argument(
        "--by",
        choices=sorted(GROUPINGS),
        help="One grouping as a DataFrame (default: all four, in one Triage).",
    )
    @_with(*_WINDOW_ARGS)
    @line_magic
    def oic_triage(self, line: str = "") -> Any:
        """The errors of a window grouped by integration, error, connection and hour.

        Examples::

            %oic_triage --since 24h
            t = %oic_triage --between 2026-12-01 2026-12-02
            t.by_error.head()
            %oic_triage --since 6h --by connection
        """
        args = parse_line(self.oic_triage, line)
        return self._guard(lambda: self._triage(args))

    # -- %oic_resubmit / %oic_discard ------------------------------------------------------
    @magic_arguments()
    @argument(
        "--wait", action="store_true", help="Follow the recovery jobs to their end (with --yes)."
    )
    @_with(*_choice_args("resubmitted"), *_WINDOW_ARGS)
    @line_magic
    def oic_resubmit(self, line: str = "") -> Any:
        """Resubmit errored instances, by ids or criteria, after a preview.

        Examples::

            %oic_resubmit --integration ORDERS|01.00.0000 --since 24h
            %oic_resubmit failed_ids --yes --wait
            %oic_resubmit --connection ERP_DB --since 6h --preview
        """
        args = parse_line(self.oic_resubmit, line)
        return self._guard(lambda: self._recover("resubmit", args))

    @magic_arguments()
    @_with(*_choice_args("discarded"), *_WINDOW_ARGS)
    @line_magic
    def oic_discard(self, line: str = "") -> Any:
        """Discard errored instances, by ids or criteria, after a preview.

        Examples::

            %oic_discard --integration ORDERS --since 24h
            %oic_discard ids --yes
        """
        args = parse_line(self.oic_discard, line)
        args.wait = False
        return self._guard(lambda: self._recover("discard", args))

    # -- %oic_activity ---------------------------------------------------------------------
    @magic_arguments()
    @argument("instance", help="The instance id.")
    @argument("--payloads", action="store_true", help="Fetch each milestone's payload too.")
    @argument(
        "--payload-limit",
        type=int,
        default=PAYLOAD_LIMIT,
        metavar="CHARS",
        help=f"Characters of a payload kept (default {PAYLOAD_LIMIT}).",
    )
    @argument("--flat", action="store_true", help="Read the deprecated activityStream.")
    @argument("--session", metavar="NAME", default="default", help="Which sign-in to use.")
    @argument("-o", "--output", metavar="VAR", help="Store the result in VAR; show nothing.")
    @line_magic
    def oic_activity(self, line: str = "") -> Any:
        """The activity stream of one instance, as rows (payloads on request).

        Examples::

            %oic_activity 4gVm0XhYQkqv3p2sZ7yT1w
            %oic_activity {iid} --payloads --payload-limit 2000
        """
        args = parse_line(self.oic_activity, line)
        if args.payload_limit < 1:
            raise UsageError(f"--payload-limit {args.payload_limit}: give a positive number")
        return self._guard(
            lambda: self._output(
                args,
                self._shown(
                    activity_frame(
                        self._client(args.session),
                        args.instance.strip(),
                        payloads=args.payloads,
                        payload_limit=args.payload_limit,
                        flat=args.flat,
                    )
                ),
            )
        )

    # -- the work --------------------------------------------------------------------------
    def _guard(self, work: Callable[[], Any]) -> Any:
        try:
            with _tracebacks.guarded(self.shell, short=lambda: bool(self._main.short_errors)):
                return work()
        except IPythonUsageError as error:
            # IPython's own UsageError reaches stderr only: no cell output, no log line.
            raise as_cell_output(error) from None

    @property
    def _main(self) -> Any:
        assert self.shell is not None, "the magics are used from a shell"
        main = self.shell.magics_manager.registry.get("OICMagics")
        if main is None:
            raise UsageError("load the extension first: %load_ext oic_magic")
        return main

    def _client(self, name: str) -> OICClient:
        client: OICClient = self._main._client(default_store().get(session_name(name)))
        return client

    def _shown(self, frame: Any, columns: Iterable[str] | None = None) -> Any:
        """*frame* shown as ``%oic``'s tables are: local times, summaries, blanks."""
        from ._view import ListFrame, View, local_zone  # pandas, once there is a frame

        chosen = None if columns is None else tuple(c for c in columns if c in frame.columns)
        shown = ListFrame(frame)
        shown.attrs = dict(frame.attrs)
        shown.oic_view = View(chosen or None, self._main.timezone or local_zone())
        return shown

    def _output(self, args: Any, value: Any) -> Any:
        if getattr(args, "output", None):
            if not args.output.isidentifier():
                raise UsageError(f"-o {args.output!r}: give a Python variable name")
            assert self.shell is not None
            self.shell.user_ns[args.output] = value
            return None
        return value

    def _window(self, args: Any) -> tuple[Any, Any]:
        check_one_window(args.since, args.between, args.where)
        window = parse_window(args.since, args.between)
        return window or (None, None)

    def _triage(self, args: Any) -> Any:
        client = self._client(args.session)
        start, end = self._window(args)
        where = list(args.where)
        if start is None and not any(
            w.lower().startswith(("timewindow", "startdate")) for w in where
        ):
            where.append("timewindow=1d")  # a day, unless the call says otherwise
        try:
            listing = client.paginate("monitoring/errors", where=where, start=start, end=end)
        except IncompleteResultError as error:
            attach_frame(error, to_frame(error.items, columns=list_columns("monitoring/errors")))
            raise
        errors = to_frame(
            list(listing.items),
            facts={"url": listing.url, "total": listing.total, "pages": listing.pages},
            columns=list_columns("monitoring/errors"),
        )
        errors.attrs.update(window_facts(listing))
        result = triage(errors)
        return self._output(args, self._shown(result.group(args.by)) if args.by else result)

    def _recover(self, action: str, args: Any) -> Any:
        if args.yes and args.preview:
            raise UsageError("--preview sends nothing and --yes acts: give one of them")
        client = self._client(args.session)
        start, end = self._window(args)
        ids = self._ids(args.ids)
        try:
            plan = plan_recovery(
                client,
                "resubmit" if action == "resubmit" else "discard",
                ids=ids or None,
                integration=args.integration,
                connection=args.connection,
                start=start,
                end=end,
                where=tuple(args.where),
            )
        except RequestError as error:
            raise UsageError(f"%oic_{action}: {error.message}") from None
        self._check_found(plan, args, client)
        if args.preview:
            return self._output(args, self._shown(preview_frame(plan), PREVIEW_COLUMNS))
        if not plan.ids and not args.yes:
            # Nothing to act on: no confirmation is needed, say so and show the preview.
            print(f"%oic_{action}: nothing to send. {plan.describe()}")
            return self._output(args, self._shown(preview_frame(plan), PREVIEW_COLUMNS))

        def act() -> Any:
            result = recover(client, plan)
            if args.wait and result.job_ids:
                result = wait_for_recovery(
                    client, result, timeout=self.recovery_timeout, interval=self.recovery_interval
                )
            return self._shown(outcome_frame(result))

        if args.yes:
            return self._output(args, act())
        if _login.is_headless(self.shell):
            raise refuse(plan, magic=f"%oic_{action}")

        def store(value: Any) -> None:
            if args.output:
                assert self.shell is not None
                self.shell.user_ns[args.output] = value

        return confirm_widget(plan, act, store=store)

    def _check_found(self, plan: RecoveryPlan, args: Any, client: OICClient) -> None:
        """A word that is no variable and no error, or an integration OIC does not know."""
        assert self.shell is not None
        unknown = [
            word
            for word in args.ids
            if word.isidentifier() and word not in self.shell.user_ns and word in plan.invalid
        ]
        if unknown:
            names = ", ".join(unknown)
            raise UsageError(
                f"{names}: no variable of that name, and no such error id. Put the ids in "
                f"a variable first (failed = t.errors, from %oic_triage) or give the ids."
            )
        if (
            args.integration
            and not plan.errors
            and not _integration_exists(client, args.integration)
        ):
            raise UsageError(
                f"--integration {args.integration}: OIC has no such integration "
                f"(%oic GET integrations lists them; CODE or CODE|VERSION)"
            )

    def _ids(self, words: Iterable[str]) -> list[str]:
        assert self.shell is not None
        ids: list[str] = []
        for word in words:
            value = self.shell.user_ns.get(word) if word.isidentifier() else None
            if value is not None and not isinstance(value, str):
                ids += _ids_of(value, word)
            else:
                # A list expanded by IPython ({ids}) reads as "['a'," "'b']": keep the ids.
                ids += [p.strip(" []()'\"") for p in word.split(",") if p.strip(" []()'\"")]
        return ids


def _integration_exists(client: OICClient, integration: str) -> bool:
    """Whether OIC knows *integration* (``CODE`` or ``CODE|VERSION``)."""
    code, _, version = integration.partition("|")
    where = [f"code={code}"] + ([f"version={version}"] if version else [])
    try:
        listing = client.paginate("integrations", where=where, limit=1)
    except RequestError:
        return True  # not ours to judge: the plan itself was read
    return bool(list(listing.items))


def _ids_of(value: Any, name: str) -> list[str]:
    """The ids a variable holds: a list/tuple/set/Series of ids, or a frame's id column."""
    columns = getattr(value, "columns", None)
    if columns is not None:
        if "id" not in columns:
            raise UsageError(f"{name} is a DataFrame without an id column")
        value = value["id"]
    if isinstance(value, dict) or not hasattr(value, "__iter__"):
        raise UsageError(
            f"{name} holds no ids: give a list of ids or a DataFrame with an id column"
        )
    ids = [str(item) for item in value]
    if not ids:
        raise UsageError(f"{name} holds no ids")
    return ids
