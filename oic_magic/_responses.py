"""What an OIC answer says: OIC's own words from an error, the JSON (or bytes) of a success.

OIC's error bodies are not published and vary (JSON with ``detail``/``message``,
an nginx HTML page, plain text), so nothing here depends on one shape.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from .exceptions import ResponseFormatError, trim

__all__ = ["parse_body", "server_message"]

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _is_html(response: httpx.Response) -> bool:
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    return response.content.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def server_message(response: httpx.Response) -> str:
    """OIC's own words from an error answer, whatever its shape, trimmed."""
    if _is_html(response):
        match = _TITLE.search(response.text)
        title = trim(match.group(1)) if match else "untitled"
        return f"an HTML error page ({title!r}) instead of an API answer"
    try:
        body = response.json()
    except ValueError:
        return trim(response.text)
    if isinstance(body, dict):
        for key in ("detail", "message", "title", "error_description", "error", "errorMessage"):
            if isinstance(body.get(key), str) and body[key].strip():
                return trim(body[key])
    return trim(response.text)


def parse_body(response: httpx.Response, *, what: str) -> Any:
    """The JSON of a 2xx answer, bytes for non-JSON content, None when empty."""
    if not response.content:
        return None
    content_type = response.headers.get("Content-Type", "").lower()
    if _is_html(response):
        raise ResponseFormatError(
            f"{what} answered with an HTML page instead of the API's JSON "
            f"({server_message(response)}).",
            hint="A proxy or login page may be in the way; check the OIC URL.",
        )
    looks_json = response.content.lstrip()[:1] in (b"{", b"[")
    if "json" not in content_type and not looks_json:
        return response.content
    try:
        return response.json()
    except ValueError:
        host = urlsplit(str(response.url)).netloc
        raise ResponseFormatError(
            f"{what} answered with malformed JSON from {host}.",
            hint="Try again; if it persists, something between you and OIC alters the answers.",
        ) from None
