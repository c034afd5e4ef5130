"""Magics for the work between instances: drift, backups, promotion, sweeps, dependencies.

::

    %oic_drift dev prod                        # what differs, one row per difference
    %oic_export dev backups/dev-2026-12-01     # every archive and lookup, with a manifest
    %oic_import prod backups/dev-2026-12-01 --only HELLO|01.00.0000 --activate
    %oic_sweep prod                            # test every connection
    %oic_deps prod --uses ERP_CLOUD            # which integrations use this connection

Reading is safe against any instance: ``%oic_drift``, ``%oic_export``, ``%oic_deps``
change nothing, and ``%oic_sweep`` only asks OIC to reach each endpoint. ``%oic_import``
changes the target, so it asks first: with a person at the notebook it shows what
it will do and a button to go ahead; headless it runs only with ``--yes``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError as IPythonUsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments

from ..core._archives import (
    archive_key,
    export_archives,
    import_archive,
    import_manifest,
    read_manifest,
)
from ..core._client import OICClient
from ..core._dependencies import dependencies, used_by
from ..core._drift import KINDS, compare
from ..core._fanout import session_names
from ..core._session import Session, default_store
from ..core._sweep import sweep
from ..exceptions import OICError, RequestError, StepsFailedError
from . import _login, _tracebacks
from ._command import parse_line, user_path
from ._errors import UsageError, as_cell_output

__all__ = ["OICLifecycleMagics", "rows_frame"]


def rows_frame(rows: list[Any], columns: list[str] | None = None) -> Any:
    """Dataclass rows as a DataFrame (the columns kept when there is no row)."""
    import pandas as pd

    records = [dataclasses.asdict(row) for row in rows]
    return pd.DataFrame(records, columns=columns or (list(records[0]) if records else None))


def _where(help: str) -> Any:
    """The ``--where KEY=VALUE|KEY~TEXT`` filter (repeatable), as ``%oic`` has it."""
    return argument("--where", action="append", default=[], metavar="KEY=VALUE|KEY~TEXT", help=help)


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    try:
        return session_names(value)  # the same rule: comma-separated, no blank, no repeat
    except RequestError as error:
        raise UsageError(error.message.replace("session names", "names")) from None


@magics_class
class OICLifecycleMagics(Magics):
    """``%oic_drift``, ``%oic_export``, ``%oic_import``, ``%oic_sweep``, ``%oic_deps``."""

    # -- %oic_drift ------------------------------------------------------------------------
    @magic_arguments()
    @argument("left", help="Session read as the source (e.g. dev).")
    @argument("right", help="Session compared with it (e.g. prod).")
    @argument(
        "--kinds",
        metavar="KIND[,KIND...]",
        help=f"What to compare (default all): {', '.join(KINDS)}.",
    )
    @argument(
        "--major",
        action="store_true",
        help="Match integrations by CODE|MAJOR version: the newest of each major compared.",
    )
    @argument("-o", "--output", metavar="VAR", help="Store the frame in VAR; show nothing.")
    @line_magic
    def oic_drift(self, line: str = "") -> Any:
        """What differs between two sessions' instances: one row per difference.

        ``change`` reads left to right: ``added`` (right only), ``removed`` (left only),
        ``changed`` (``field`` differs; the values under the two session names).
        Reads only. Example::

            %oic_drift dev prod --kinds integrations,connections
        """
        args = parse_line(self.oic_drift, line)
        kinds = _names(args.kinds) or list(KINDS)
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise UsageError(f"--kinds {args.kinds}: choose from {', '.join(KINDS)}")

        def work() -> Any:
            found = compare(args.left, args.right, kinds=kinds, major=args.major,
                            client_for=self._client_for())  # fmt: skip
            frame = rows_frame(found, ["kind", "key", "change", "field", "left", "right", "detail"])
            frame = frame.rename(columns={"left": args.left, "right": args.right})
            frame.attrs = {"left": args.left, "right": args.right, "major": args.major}
            return frame

        return self._deliver(args.output, self._guard(work))

    # -- %oic_export -----------------------------------------------------------------------
    @magic_arguments()
    @argument("session", help="Session to back up.")
    @argument("folder", help="New folder for the archives and manifest.json.")
    @argument("--integrations", metavar="ID[,ID...]", help="Only these CODE|VERSION ids.")
    @_where("Only the integrations that match, as %%oic --where.")
    @argument("--no-lookups", action="store_true", help="Leave the lookups out.")
    @argument("--projects", action="store_true", help="Export the project archives too.")
    @argument("-o", "--output", metavar="VAR", help="Store the frame in VAR; show nothing.")
    @line_magic
    def oic_export(self, line: str = "") -> Any:
        """Export archives (.iar, .car) and lookups (.csv) into a new folder, with a manifest.

        One row per item: done, skipped (OIC will not export it: locked) or failed.
        Reads only. Example::

            %oic_export dev backups/dev --projects
        """
        args = parse_line(self.oic_export, line)
        ids = _names(args.integrations)
        folder = user_path(args.folder, "%oic_export")

        def work(client: OICClient) -> Any:
            _new_folder(folder)
            steps = export_archives(
                client, folder, integrations=ids, where=args.where,
                lookups=not args.no_lookups, projects=args.projects,
            )  # fmt: skip
            return rows_frame(steps)

        return self._on_session(args, work)

    # -- %oic_import -----------------------------------------------------------------------
    @magic_arguments()
    @argument("session", help="Session to import into.")
    @argument("path", help="A backup folder (its manifest.json), or one .iar, .car or .csv.")
    @argument("--only", metavar="KEY[,KEY...]", help="Only these items of the manifest.")
    @argument("--replace", action="store_true", help="Replace what exists (else: kept).")
    @argument("--activate", action="store_true", help="Activate each integration imported.")
    @argument(
        "--yes",
        action="store_true",
        help="Go ahead without asking (headless runs need it: an import changes the target).",
    )
    @argument("-o", "--output", metavar="VAR", help="Store the steps' frame in VAR.")
    @line_magic
    def oic_import(self, line: str = "") -> Any:
        """Import archives into a session's instance: add first, replace only when asked.

        With a person at the notebook it first shows what it will import and a button
        to go ahead; headless it needs ``--yes``. One row per step (add, replace,
        activate, verify). Example::

            %oic_import prod backups/dev --only HELLO|01.00.0000 --activate --yes
        """
        args = parse_line(self.oic_import, line)
        path = user_path(args.path, "%oic_import")
        only = _names(args.only)
        if not _exists(path):
            raise UsageError(f"{path}: there is no such folder or file")
        if path.is_file() and path.suffix.lower() not in (".iar", ".car", ".csv"):
            raise UsageError(f"{path.name}: import .iar, .car or lookup .csv files, or a folder")
        session = self._guard(lambda: default_store().get(args.session))

        def run() -> Any:
            client = self._client_for()(session)
            options = {"replace": args.replace, "activate": args.activate}
            if path.is_dir():
                steps = import_manifest(client, path, keys=only, **options)
            else:
                steps = import_archive(client, path, **options)
            return rows_frame(steps)

        if args.yes:
            return self._deliver(args.output, self._guard(run))
        if _login.is_headless(self.shell):
            raise UsageError(
                f"%oic_import changes {args.session} ({session.settings.instance}); "
                "a headless run must say so: add --yes"
            )
        preview = self._guard(lambda: _preview(path, only, args))
        return _confirm(self, preview, run, args.output, args.session)

    # -- %oic_sweep ------------------------------------------------------------------------
    @magic_arguments()
    @argument("session", help="Session whose connections are tested.")
    @_where("Only the connections that match.")
    @argument("--only", metavar="ID[,ID...]", help="Only these connection ids.")
    @argument("--concurrency", type=int, default=4, help="Tests at the same time (default 4).")
    @argument("-o", "--output", metavar="VAR", help="Store the frame in VAR; show nothing.")
    @line_magic
    def oic_sweep(self, line: str = "") -> Any:
        """Test connections; one row each: success, failed (OIC's words), not configured, locked.

        Changes nothing in OIC, but each test reaches the connection's endpoint.
        Example::

            %oic_sweep prod --where status=CONFIGURED
        """
        args = parse_line(self.oic_sweep, line)
        if args.concurrency < 1:
            raise UsageError(f"--concurrency {args.concurrency}: test at least one at a time")
        ids = _names(args.only)

        def work(client: OICClient) -> Any:
            rows = sweep(client, ids=ids, where=args.where, concurrency=args.concurrency)
            return rows_frame(rows, ["id", "outcome", "http_status", "detail"])

        return self._on_session(args, work)

    # -- %oic_deps -------------------------------------------------------------------------
    @magic_arguments()
    @argument("session", help="Session whose integrations are read.")
    @argument("--uses", metavar="NAME", help="Only what uses this connection id or lookup name.")
    @argument(
        "--archives",
        metavar="FOLDER",
        help="A backup folder: its .iar files answer where the API gives no dependencies.",
    )
    @argument("-o", "--output", metavar="VAR", help="Store the frame in VAR; show nothing.")
    @line_magic
    def oic_deps(self, line: str = "") -> Any:
        """Integration -> connection / lookup / library edges; ``--uses`` answers who uses one.

        Reads only. Example::

            %oic_deps prod --uses ERP_CLOUD
        """
        args = parse_line(self.oic_deps, line)
        archives = None if args.archives is None else user_path(args.archives, "--archives")
        if archives is not None and not _is_folder(archives):
            raise UsageError(f"--archives {archives}: there is no such folder")

        def work(client: OICClient) -> Any:
            edges = dependencies(client, archives=archives)
            if args.uses:
                edges = used_by(edges, args.uses)
            return rows_frame(edges, ["integration", "status", "kind", "target", "source"])

        return self._on_session(args, work)

    # -- shared ----------------------------------------------------------------------------
    def _main(self) -> Any:
        assert self.shell is not None, "the magics are used from a shell"
        return self.shell.magics_manager.registry.get("OICMagics")

    def _client_for(self) -> Callable[[Session], OICClient]:
        """The pooled clients of ``%oic`` (its %config traits), or plain ones."""
        main = self._main()
        if main is not None:
            client_for: Callable[[Session], OICClient] = main._client
            return client_for
        return lambda session: OICClient(session)

    def _on_session(self, args: Any, work: Callable[[OICClient], Any]) -> Any:
        """*work* with the client of ``args.session``, guarded; its frame in ``-o`` or shown."""
        return self._deliver(
            args.output,
            self._guard(lambda: work(self._client_for()(default_store().get(args.session)))),
        )

    def _guard(self, work: Callable[[], Any]) -> Any:
        main = self._main()
        short = main.short_errors if main is not None else True
        try:
            with _tracebacks.guarded(self.shell, short=short):
                return work()
        except StepsFailedError as error:
            error.frame = rows_frame(error.steps)  # type: ignore[attr-defined]
            raise
        except IPythonUsageError as error:
            # IPython's own UsageError reaches stderr only: no cell output, no log line.
            raise as_cell_output(error) from None

    def _deliver(self, output: str | None, frame: Any) -> Any:
        if output:
            if not output.isidentifier():
                raise UsageError(f"-o {output!r}: give a Python variable name")
            assert self.shell is not None
            self.shell.user_ns[output] = frame
            return None
        return frame


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long, a loop of links: nothing there to read either
        return False


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _new_folder(folder: Path) -> None:
    """Create the export's folder before anything is read, or say why it cannot be."""
    if _exists(folder) and not _is_folder(folder):
        return  # export_archives says it is a file
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(
            f"%oic_export {folder}: the folder cannot be created "
            f"({error.strerror or error}); nothing was exported"
        ) from None


def _preview(path: Path, only: list[str] | None, args: Any) -> Any:
    """What an import would send: one row per file, nothing sent yet."""
    import pandas as pd

    if path.is_dir():
        items = read_manifest(path)["items"]
        items = [i for i in items if only is None or i["key"] in only]
        rows = [{"kind": i["kind"], "key": i["key"], "file": i["file"]} for i in items]
    else:
        kind = {".iar": "integration", ".car": "project", ".csv": "lookup"}.get(path.suffix, "?")
        rows = [{"kind": kind, "key": archive_key(kind, path.name, path.read_bytes()),
                 "file": path.name}]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["kind", "key", "file"])
    frame["if it exists"] = "replace" if args.replace else "keep"
    frame["activate"] = bool(args.activate) & (frame["kind"] == "integration")
    return frame


def _confirm(
    magics: OICLifecycleMagics, preview: Any, run: Callable[[], Any], output: str | None,
    session: str,
) -> Any:  # fmt: skip
    """The preview and a button: the import runs only when it is pressed."""
    import ipywidgets as widgets
    from IPython.display import display

    go = widgets.Button(description=f"Import into {session}", button_style="warning")
    out = widgets.Output()
    box = widgets.VBox([out, go])
    with out:
        display(preview)

    def clicked(_: Any) -> None:
        go.disabled = True
        out.clear_output()
        with out:
            try:
                frame = magics._guard(run)
            except OICError as error:
                print(f"{type(error).__name__}: {error}")
                frame = getattr(error, "frame", None)
            if frame is not None:
                if output:
                    magics._deliver(output, frame)
                display(frame)
        box.result = frame

    go.on_click(clicked)
    return box
