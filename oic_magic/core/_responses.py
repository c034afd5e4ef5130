"""What an OIC answer says: OIC's own words from an error, the JSON (or bytes) of a success.

OIC's error bodies are not published and vary (problem details with ``detail``,
Oracle's ``o:errorDetails``, ``message``, an nginx HTML page, plain text), so nothing
here depends on one shape.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..exceptions import ResponseFormatError, trim
from ._problem import problem_words

__all__ = ["load_json", "parse_body", "server_message"]

_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _is_html(response: httpx.Response) -> bool:
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    return response.content.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def load_json(response: httpx.Response) -> Any:
    """The body as JSON; ``ValueError`` for anything that is not (bad UTF-8, too deep).

    The JSON decoder answers nesting deeper than Python's recursion limit with
    ``RecursionError``, which no caller expects from a parse: it becomes a
    ``ValueError`` here, like every other unreadable body.
    """
    try:
        return response.json()
    except RecursionError:
        raise ValueError("JSON nested too deeply to read") from None


def server_message(response: httpx.Response) -> str:
    """OIC's own words from an error answer, whatever its shape, trimmed."""
    if _is_html(response):
        match = _TITLE.search(response.text)
        title = trim(match.group(1)) if match else "untitled"
        return f"an HTML error page ({title!r}) instead of an API answer"
    try:
        body = load_json(response)
    except ValueError:
        return trim(response.text)
    words = problem_words(body)
    return trim(words) if words else trim(response.text)


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
        if content_type.startswith("text/plain"):
            # OIC answers JSON or files; plain text on a 2xx is a proxy talking, not OIC.
            raise ResponseFormatError(
                f"{what} answered with {len(response.content)} bytes of plain text "
                "instead of the API's JSON.",
                hint="A proxy or gateway may be in the way; check the OIC URL and try again.",
            )
        return response.content
    try:
        return load_json(response)
    except ValueError as exc:
        raise ResponseFormatError(
            f"{what} answered with {_what_is_wrong(exc)} from {_host(response)}.",
            hint="Try again; if it persists, something between you and OIC alters the answers.",
        ) from None


def _what_is_wrong(exc: ValueError) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "JSON that is not UTF-8 (malformed JSON)"
    if "nested too deeply" in str(exc):
        return "JSON nested too deeply to read (malformed JSON)"
    return "malformed JSON"


def _host(response: httpx.Response) -> str:
    try:
        return urlsplit(str(response.url)).netloc
    except RuntimeError:  # a response built by hand has no request
        return "the server"
