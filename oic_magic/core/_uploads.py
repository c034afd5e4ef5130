"""A request body from a file: checked before anything is sent, never silently empty.

OIC's imports take the archive as the ``file`` part of a ``multipart/form-data`` body
(``POST integrations/archive``, ``POST lookups/archive``, ``POST projects/archive``).
A missing, unreadable, empty or folder path is a
:class:`~oic_magic.exceptions.RequestError` before the request is built, so a typo
never sends an empty import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from ..exceptions import RequestError

__all__ = ["read_upload", "upload"]

#: Largest file sent in one request; OIC's own limit is not published.
MAX_UPLOAD_BYTES = 1024 * 1024 * 1024


def read_upload(source: str | Path | bytes, *, name: str | None = None) -> tuple[str, bytes]:
    """``(file name, bytes)`` of *source*: a path, or bytes named *name*."""
    if isinstance(source, bytes):
        if not source:
            raise RequestError(f"the file {name or ''!s} to send is empty: nothing was sent")
        return name or "upload.bin", source
    path = Path(source).expanduser()
    if path.is_dir():
        raise RequestError(f"{path} is a folder: name a file in it")
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise RequestError(f"{path} has {size} bytes, more than one upload may carry")
        body = path.read_bytes()
    except FileNotFoundError:
        raise RequestError(f"there is no file {path}: nothing was sent") from None
    except OSError as error:
        raise RequestError(f"{path} cannot be read ({error.strerror}): nothing was sent") from None
    if not body:
        raise RequestError(f"{path} is empty: nothing was sent")
    return name or path.name, body


def upload(
    client: Any,
    method: str,
    path: str,
    source: str | Path | bytes,
    *,
    name: str | None = None,
    field: str = "file",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send *source* as the *field* part of a multipart body; the response (4xx/5xx raise)."""
    filename, body = read_upload(source, name=name)
    files = {field: (filename, body, "application/octet-stream")}
    response: httpx.Response = client.request(method, path, files=files, headers=headers)
    return response
