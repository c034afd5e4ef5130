"""What a ``%oic`` call hands back: one-row frames, saved files, status rows, curl lines."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from IPython.core.error import UsageError

from ..core._activation import Activation
from ..core._filters import plan
from ..core._paging import Listing
from ..core._query import build_q, is_monitoring, route
from ..core._responses import parse_body
from ..core._session import Session
from ._command import SUFFIX_EXTRAS, TABLE_SUFFIXES, Command, check_extra
from ._frames import list_columns, to_frame

__all__ = [
    "STATUS_COLUMNS",
    "Download",
    "activation_frame",
    "answer",
    "curl_command",
    "listing_frame",
    "public_url",
    "save",
    "status_row",
]


class Download(bytes):
    """An answer's bytes (an archive), shown by its size instead of all of its bytes.

    ``x = %oic GET integrations/ID/archive`` keeps them: a ``bytes`` in every way.
    """

    def __repr__(self) -> str:
        return (
            f"<{len(self):,} bytes: write them with --save FILE, or keep them with "
            "-o NAME or x = %oic ...>"
        )


def answer(response: httpx.Response, command: Command) -> Any:
    """A single answer: bytes for archives, JSON (raw) or a one-row frame."""
    body = parse_body(response, what=f"{command.method} {command.path}")
    if body is None or isinstance(body, bytes) or command.raw:
        if body is None:
            print(f"HTTP {response.status_code}: {command.method} {command.path} done, no content.")
        return body
    facts = {
        "url": public_url(response.request.url),
        "method": command.method,
        "status": response.status_code,
        "pages": 1,
        "elapsed": response.elapsed.total_seconds() if response.is_closed else None,
    }
    return to_frame(body, facts=facts)


def listing_frame(listing: Listing, path: str, items: Sequence[Any] | None = None) -> Any:
    """A listing's items (or *items*, those kept of them) as a frame, with the list's facts.

    The facts (url, pages, total, elapsed, warnings) are the whole listing's; the columns
    are those of the list at *path*, kept even when no item is left.
    """
    facts = {
        "url": listing.url,
        "method": "GET",
        "status": 200,
        "pages": listing.pages,
        "total": listing.total,
        "elapsed": listing.elapsed,
        "warnings": list(listing.warnings) or None,
    }
    kept = listing.items if items is None else items
    return to_frame(kept, facts=facts, columns=list_columns(path))


def activation_frame(activation: Activation, response: httpx.Response) -> Any:
    """One row: id, status, polls, elapsed; the status change's facts in ``attrs``."""
    row = {
        "id": activation.id,
        "status": activation.status,
        "polls": activation.polls,
        "elapsed": activation.elapsed,
    }
    facts = {
        "url": public_url(response.request.url),
        "method": "PATCH",
        "status": response.status_code,
        "elapsed": activation.elapsed,
    }
    return to_frame(row, facts=facts)


def public_url(url: httpx.URL) -> str:
    # The query holds the instance, q and paging: no secret travels in an OIC URL.
    if not url.userinfo:
        return str(url)  # rebuilding the URL cost more than the rest of the facts
    return str(url.copy_with(username=None, password=None))


def save(result: Any, path: Path) -> Any:
    """Write the answer; archives as their bytes, tables by the file's suffix.

    The path was tried before anything was fetched (``_command._check_writable``); a
    failure now (the disk filled, the folder went) is a UsageError naming it.
    """
    try:
        return _save(result, path)
    except OSError as error:
        raise UsageError(
            f"--save {path}: writing failed ({error.strerror or error}); the answer was "
            "fetched but not saved: run the call again with another path, or with -o NAME"
        ) from None


def _save(result: Any, path: Path) -> Any:
    import pandas as pd

    if isinstance(result, bytes):
        path.write_bytes(result)
        print(f"Saved {len(result):,} bytes to {path}.")
        return result
    if isinstance(result, pd.DataFrame):
        suffix = path.suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise UsageError(f"--save {path}: save a table as {', '.join(TABLE_SUFFIXES)}")
        if suffix in SUFFIX_EXTRAS:
            check_extra(path, suffix)
        writer = {
            ".csv": lambda: _as_json_cells(result).to_csv(path, index=False),
            ".json": lambda: result.to_json(path, orient="records", date_format="iso"),
            ".html": lambda: result.to_html(path, index=False),
            ".xlsx": lambda: _for_excel(_as_json_cells(result)).to_excel(path, index=False),
            ".parquet": lambda: _as_json_cells(result).to_parquet(path, index=False),
        }[suffix]
        writer()
        print(f"Saved {len(result):,} {'row' if len(result) == 1 else 'rows'} to {path}.")
        return result
    path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"Saved the JSON answer to {path}.")
    return result


def _for_excel(frame: Any) -> Any:
    """Excel holds no time zone: its times are UTC, written without the offset."""
    import pandas as pd

    zoned = [name for name in frame.columns if isinstance(frame[name].dtype, pd.DatetimeTZDtype)]
    if not zoned:
        return frame
    copy = frame.copy()
    for name in zoned:
        copy[name] = copy[name].dt.tz_convert("UTC").dt.tz_localize(None)
    return copy


def _as_json_cells(frame: Any) -> Any:
    """Lists and objects left in cells (``connectionProperties``) as JSON, not Python reprs."""
    nested = [
        name
        for name in frame.columns
        if frame[name].dtype == object
        and frame[name].map(lambda value: isinstance(value, list | dict)).any()
    ]
    if not nested:
        return frame
    copy = frame.copy()
    for name in nested:
        copy[name] = copy[name].map(
            lambda value: (
                json.dumps(value, default=str) if isinstance(value, list | dict) else value
            )
        )
    return copy


STATUS_COLUMNS = ("name", "user", "instance", "host", "token_expires", "refreshable", "remembered")


def status_row(session: Session) -> dict[str, Any]:
    token = session.token
    host = session.settings.api_origin
    return {
        "name": session.name, "user": session.user, "instance": session.settings.instance,
        "host": host, "token_expires": dt.datetime.fromtimestamp(token.expires_at, tz=dt.UTC),
        "refreshable": bool(token.refresh_token) or session.grant == "client_credentials",
        "remembered": session.remembered,
    }  # fmt: skip


def curl_command(session: Session, command: Command) -> str:
    """The request as a bash script: a token by Oracle's documented grant, then the call.

    Every secret is left to a variable the user sets (the same ``OIC_*`` names a
    headless sign-in reads): none is printed. Nor does one reach curl's command line,
    which other users of the machine can read in ``ps``: secrets go to curl through
    ``<(printf ...)`` files (``printf`` is a bash builtin, so no process shows them).
    """
    # Conditions OIC cannot filter on are applied after reading: not in the URL.
    where = plan(command.where, command.path).server
    params = [("q", build_q(where, monitoring=is_monitoring(command.path)))] if where else []
    if command.limit is not None:
        params.append(("limit", str(command.limit)))
    target = route(
        command.method,
        command.path,
        instance=session.settings.instance,
        params=params,
        headers=command.cell.headers,
    )
    url = httpx.URL(f"{session.settings.api_origin}{target.path}", params=target.params)
    parts = [
        "curl",
        "-sS",
        "-X",
        target.wire_method,
        shlex.quote(str(url)),
        "-H",
        """@<(printf 'Authorization: Bearer %s\\n' "$OIC_TOKEN")""",
    ]
    for name, value in target.headers.items():
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if command.cell.has_body:
        parts += [
            "-H",
            shlex.quote("Content-Type: application/json"),
            "--data",
            shlex.quote(json.dumps(command.cell.body)),
        ]
    if command.save is not None and target.path.endswith("/archive"):
        parts += ["-o", shlex.quote(str(command.save))]
    call = "# 2. The call"
    if command.is_listing:
        call += ": one page only (add &offset=N for the next ones; %oic reads them all), as JSON"
    return "\n".join([*_token_script(session), call, " ".join(parts)])


_ACCESS_TOKEN = "python3 -c 'import json, sys; print(json.load(sys.stdin)[\"access_token\"])'"


def _token_script(session: Session) -> list[str]:
    """Oracle's token request with the session's grant, its secrets left to variables."""
    settings = session.settings
    as_client = session.grant == "client_credentials"
    needs = "OIC_CLIENT_ID, OIC_CLIENT_SECRET" + (
        "" if as_client else ", OIC_USERNAME, OIC_PASSWORD"
    )
    form = [
        "--data-urlencode",
        "grant_type=client_credentials" if as_client else "grant_type=password",
    ]
    if not as_client:
        form += [
            "--data-urlencode",
            '"username=$OIC_USERNAME"',
            "--data-urlencode",
            """password@<(printf %s "$OIC_PASSWORD")""",
        ]
    form += ["--data-urlencode", shlex.quote(f"scope={settings.resolved_scope or ''}")]
    request = [
        "curl",
        "-sS",
        "-H",
        """@<(printf 'Authorization: Basic %s\\n' "$OIC_BASIC")""",
        *form,
        shlex.quote(settings.resolved_token_url or ""),
    ]
    grant = "client-credentials" if as_client else "password"
    return [
        f"# 1. A token, by the {grant} grant (set {needs} first; run it with bash)",
        """OIC_BASIC=$(printf %s "$OIC_CLIENT_ID:$OIC_CLIENT_SECRET" | base64 | tr -d '\\n')""",
        f"OIC_TOKEN=$({' '.join(request)} | {_ACCESS_TOKEN})",
    ]
