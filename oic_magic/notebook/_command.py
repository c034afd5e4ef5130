"""A ``%oic`` line (and cell) parsed into a :class:`Command`, or a plain ``UsageError``.

Argument parsing is kept out of the magic methods: everything here is checked before
anything is sent, and nothing secret can be in a command (the line lands in history).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from IPython.core import error as ipython

from ..core import _credentials
from ..core._activation import ACTIVATED, CONFIGURED, check_id
from ..core._catalogue import API_PREFIX, COLLECTIONS, RESOURCES
from ..core._filters import plan
from ..core._query import api_path, build_q, is_monitoring, split_path
from ..core._urls import split_origin
from ._arguments import UNEXPANDED, check_output_name, check_word, check_writable, user_path
from ._cell import CellRequest, parse_cell
from ._errors import UsageError, as_cell_output
from ._window import Window, check_one_window, parse_window

__all__ = [
    "COLLECTIONS", "RESOURCES", "SUFFIX_EXTRAS", "TABLE_SUFFIXES", "VERBS", "Command",
    "check_extra", "check_output_name", "login_options", "developer_path", "parse_command",
    "parse_line", "session_name", "split_line", "unknown_resource", "user_path",
]  # fmt: skip

VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: What --save writes a table as.
TABLE_SUFFIXES = (".csv", ".json", ".html", ".xlsx", ".parquet")
#: The optional extra each of those needs, with the module it brings.
SUFFIX_EXTRAS = {".xlsx": ("excel", "openpyxl"), ".parquet": ("parquet", "pyarrow")}


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
    #: With --since/--between: the monitoring window (start, end; None is open).
    window: Window | None = None
    #: With --file: the file sent as the multipart ``file`` part (OIC's imports).
    file: Path | None = None
    #: --columns: None (the list's default view), ("all",) or the names to keep.
    columns: tuple[str, ...] | None = None

    @property
    def is_listing(self) -> bool:
        last = self.path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        listing = last in COLLECTIONS or bool(self.where) or self.limit is not None
        listing = listing or self.window is not None
        return self.method == "GET" and listing


_OPENS_A_QUOTE = frozenset("=~:{(,")


def split_line(line: str) -> list[str]:
    """Split a magic's line into words the way it reads.

    Whitespace separates words. A quote that opens a word, or follows ``=``, ``~``,
    ``:``, ``{``, ``(`` or ``,`` in it, runs to the same quote again:
    ``--where name="Two Words"`` and ``connections?q={name:'Two Words'}`` are one word
    each (IPython's own splitting cuts both in two). Anywhere else a quote is a
    letter (``--where name~O'Brien``). A word quoted whole loses its quotes, as in a
    shell (``--session "dev"`` is ``dev``); quotes inside a word are kept, since in a
    path they are OIC's syntax. A ``#`` that starts a word starts a comment.
    """
    words: list[str] = []
    word: list[str] | None = None
    quote = ""
    for char in line:
        if quote:
            if char == quote:
                quote = ""
        elif char.isspace():
            if word is not None:
                words.append("".join(word))
            word = None
            continue
        elif char == "#" and word is None:
            break
        elif char in "'\"" and (word is None or word[-1] in _OPENS_A_QUOTE):
            quote = char
        if word is None:
            word = []
        word.append(char)
    if quote:
        raise UsageError(
            f"unclosed {quote} in: {line.strip()} (close the quote, or use "
            "the other kind of quote around a value that holds one)"
        )
    if word is not None:
        words.append("".join(word))
    return [_bare(word) for word in words]


def parse_line(magic: Any, line: str) -> Any:
    """``parse_argstring`` of a magic, with :func:`split_line`'s words.

    Words left over that are no option are most often a value with spaces that was
    not quoted: say so.
    """
    try:
        args = magic.parser.parse_args(split_line(line))
    except ipython.UsageError as error:
        left = str(error).partition("unrecognized arguments:")[2].split()
        if not left or any(word.startswith("-") for word in left):
            # argparse's words, as the cell's error output (IPython's go to stderr only)
            raise as_cell_output(error) from None
        raise UsageError(
            f'{error}. A value with spaces needs quotes: --where name="Bank ATP Prod"'
        ) from None
    for name, value in vars(args).items():
        for word in value if isinstance(value, list | tuple) else [value]:
            if isinstance(word, str):
                check_word(name, word, magic.parser)
    if getattr(args, "output", None) is not None:
        check_output_name(args.output)
    return args


def unknown_resource(path: str) -> str | None:
    """Words for a path whose first segment names no Developer API resource, else None."""
    rest = developer_path(path)
    if rest is None:
        return None  # another API of OIC's (/ic/api/...): not ours to judge
    first = rest.split("/", 1)[0]
    if not first or first in RESOURCES:
        return None
    close = difflib.get_close_matches(first.lower(), RESOURCES, n=1, cutoff=0.6)
    guess = f" Did you mean {close[0]}?" if close else ""
    return (
        f"{first!r} is not a Developer API resource.{guess} The resources are "
        f"{', '.join(RESOURCES)}."
    )


def developer_path(path: str) -> str | None:
    """``integrations/A|01`` for every spelling of a Developer API path, else None.

    Relative, ``/ic/api/integration/v1/...``, ``ic/...`` or a full URL: the query is
    left out and ids are decoded. Another of OIC's APIs (``/ic/api/other``) is None.
    """
    full = api_path(split_path(split_origin(path)[1])[0])
    if not full.startswith(API_PREFIX):
        return None
    return unquote(full[len(API_PREFIX) :])


def login_options(args: Any) -> _credentials.LoginOptions:
    return _credentials.LoginOptions(
        profile=args.profile,
        session=session_name(args.session),
        grant=args.grant,
        remember=args.remember,
        demo=args.demo,
    )


def parse_command(args: Any, cell: str | None, namespace: dict[str, Any]) -> Command:
    method = args.method.upper()
    if method not in VERBS:
        raise UsageError(f"unknown verb {args.method!r}: use {', '.join(VERBS)}")
    if not args.path:
        raise UsageError(f"missing the path: %oic {method} connections (or integrations/ID, ...)")
    _check_no_credentials(args.path)
    if args.limit is not None and args.limit < 1:
        raise UsageError(f"--limit {args.limit}: give a positive number of items")
    where = [_unquoted(condition) for condition in args.where]
    _check_where(where, args.path)
    check_one_window(getattr(args, "since", None), getattr(args, "between", None), where)
    _check_expanded(args.path)
    if args.output is not None:
        check_output_name(args.output)
    request = parse_cell(cell, namespace) if cell is not None else CellRequest()
    command = Command(
        method=method, path=args.path, output=args.output, raw=args.raw,
        save=user_path(args.save, "--save") if args.save else None,
        where=tuple(where), limit=args.limit, session=session_name(args.session),
        curl=args.curl, cell=request,
        waits_for=_waits_for(method, args, request) if args.wait else None,
        window=parse_window(getattr(args, "since", None), getattr(args, "between", None)),
        file=_checked_file(method, getattr(args, "file", None), request),
        columns=_columns(args.columns),
    )  # fmt: skip
    _check_paging_in_path(command)
    _check_save(command)
    if command.file is not None and command.curl:
        raise UsageError("--curl prints no file upload: drop --file or --curl")
    return command


def _checked_file(method: str, file: str | None, request: CellRequest) -> Path | None:
    """The --file to upload, checked now: never a silent empty body."""
    if file is None:
        return None
    path = user_path(file, "--file")
    if method not in ("POST", "PUT"):
        raise UsageError(f"--file {file}: a file is sent with POST or PUT, not {method}")
    if request.has_body:
        raise UsageError(f"--file {file}: the cell has a body too; send one or the other")
    if not path.is_file():
        raise UsageError(f"--file {file}: there is no such file")
    if path.stat().st_size == 0:
        raise UsageError(f"--file {file}: the file is empty; nothing would be imported")
    return path


def _columns(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    if not names:
        raise UsageError("--columns needs names: --columns id,name,status (or all)")
    return names


def _check_save(command: Command) -> None:
    """Refuse a --save that could not be written before anything is fetched."""
    target = command.save
    if target is None:
        return
    folder = target.parent
    try:
        if not folder.is_dir():
            raise UsageError(f"--save {target}: there is no folder {folder}; create it first")
        if target.is_dir():
            raise UsageError(f"--save {target}: that is a folder; name a file in it")
    except OSError as error:  # a name too long, a loop of links
        raise UsageError(f"--save {target}: {error.strerror or error}") from None
    suffix = target.suffix.lower()
    if command.raw and suffix in TABLE_SUFFIXES and suffix != ".json":
        raise UsageError(
            f"--save {target}: --raw keeps the JSON answer, so save it as .json "
            f"(or drop --raw to save the table as {suffix})"
        )
    # Only a single GET may answer with bytes (an archive, a log): any other answer is a
    # table, checked now, before a change is made that a late error would hide.
    table = command.is_listing or command.method != "GET" or command.waits_for is not None
    if table and not command.raw and suffix not in TABLE_SUFFIXES:
        what = "a list" if command.is_listing else f"the answer to {command.method}"
        raise UsageError(
            f"--save {target}: {what} is saved as a table, as {', '.join(TABLE_SUFFIXES)}"
        )
    if suffix in SUFFIX_EXTRAS and table:
        check_extra(target, suffix)
    check_writable(target)


def check_extra(target: Path, suffix: str) -> None:
    """A UsageError saying which extra to install when *suffix* needs a missing module."""
    import importlib.util

    extra, module = SUFFIX_EXTRAS[suffix]
    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise UsageError(
            f"--save {target}: writing {suffix} needs {module}, which is not installed: "
            f"pip install 'oic_magic[{extra}]' (then restart the kernel), or save as .csv"
        )


_QUOTED = re.compile(r"""^(?P<key>[^=~'"]+)(?P<op>[=~])(?P<q>['"])(?P<value>.*)(?P=q)$""")


def _bare(value: str) -> str:
    """A value quoted whole, ``"my file.csv"``, without its quotes."""
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _unquoted(condition: str) -> str:
    """``"name=Bank ATP"`` or ``name="Bank ATP"`` as the line spells them: quotes off."""
    condition = _bare(condition)
    match = _QUOTED.match(condition)
    return f"{match['key']}{match['op']}{match['value']}" if match else condition


def _check_no_credentials(path: str) -> None:
    # Never repeated in a message: it would print the password it carries.
    try:
        parts = urlsplit(path.strip())
    except ValueError:
        return  # not a URL at all: the client's strict parser says what is wrong with it
    if parts.scheme and (parts.username is not None or parts.password is not None):
        raise UsageError(
            "the URL carries a user name or password: leave them out (the "
            "sign-in is %oic_login's), and give the path or the plain URL"
        )


def _check_expanded(path: str) -> None:
    # IPython leaves {name} as written when no such variable exists: never send that to OIC.
    left = UNEXPANDED.search(path)
    if left:
        raise UsageError(
            f"{left.group()} in the path: no variable of that name in the "
            "notebook; define it first (or write the value itself)"
        )


def _check_paging_in_path(command: Command) -> None:
    # A listing reads every page itself: offset/limit in the path would be silently lost.
    if command.is_listing:
        written = {name for name, _ in split_path(command.path)[1]}
        if written & {"limit", "offset"}:
            raise UsageError(
                f"{command.path}: lists are read completely, so limit= and "
                "offset= in the path are not used; write --limit N instead"
            )


_WAIT_USE = (
    "--wait waits for an activation: %%oic PATCH integrations/CODE|VERSION --wait "
    'with the body {"status": "ACTIVATED"} (or "CONFIGURED")'
)


def _waits_for(method: str, args: Any, request: CellRequest) -> tuple[str, str]:
    """The integration id and status a ``--wait`` request changes, or a UsageError."""
    overridden = any(
        name.lower() == "x-http-method-override" and value.upper() == "PATCH"
        for name, value in request.headers.items()
    )
    if method != "PATCH" and not (method == "POST" and overridden):
        raise UsageError(f"{_WAIT_USE}; {method} changes no status")
    if args.curl:
        raise UsageError(f"{_WAIT_USE}; --curl sends nothing to wait for")
    ident = _integration_id(args.path)
    if not request.has_body:
        raise UsageError(
            f"{_WAIT_USE}; this call has no body (--wait needs the cell form, "
            "%%oic, with the body in the cell)"
        )
    body = request.body
    wanted = body.get("status") if isinstance(body, dict) else None
    if (
        isinstance(wanted, str)
        and wanted.upper() in (ACTIVATED, CONFIGURED)
        and wanted not in (ACTIVATED, CONFIGURED)
    ):
        raise UsageError(f'{_WAIT_USE}; write the status in upper case: "{wanted.upper()}"')
    if wanted not in (ACTIVATED, CONFIGURED):
        raise UsageError(f"{_WAIT_USE}; this body sets no such status")
    return ident, wanted


def _integration_id(path: str) -> str:
    kind, _, ident = (developer_path(path) or "").partition("/")
    try:
        if kind != "integrations":
            raise ValueError(path)
        # Shown and polled as CODE|VERSION, however the path spelled it.
        return check_id(ident)
    except ValueError:
        raise UsageError(f"{_WAIT_USE}; {path!r} is not integrations/CODE|VERSION") from None


def _check_where(conditions: list[str], path: str) -> None:
    try:
        build_q(conditions, monitoring=is_monitoring(path))
        plan(conditions, path)
    except ValueError as error:
        raise UsageError(str(error)) from None


def session_name(value: str) -> str:
    if not value.strip():
        raise UsageError("--session needs a name")
    return value.strip()
