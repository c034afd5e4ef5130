"""Checks on each answer as it arrives: a redirect's Location parsed strictly, a body capped.

Both run before the client looks at the answer: a Location strict parsing refuses is a
refused redirect (the token is never sent there), and a body over ``max_body_bytes`` is
refused while it is read, so a runaway answer cannot fill the kernel's memory.
"""

from __future__ import annotations

import httpx

from ..exceptions import RedirectError, ResponseFormatError
from ._query import Route
from ._urls import URLProblem, join_location

__all__ = [
    "MalformedLocation",
    "malformed_redirect",
    "read_capped",
    "refuse_malformed_location",
    "refused_redirect",
    "too_large",
]


class MalformedLocation(Exception):
    """A redirect's Location that strict parsing refuses (raised by the response hook)."""

    def __init__(self, status: int, problem: URLProblem) -> None:
        super().__init__(str(problem))
        self.status, self.problem = status, problem


def refuse_malformed_location(response: httpx.Response) -> None:
    # httpx reads a redirect's Location (to offer response.next_request) before send()
    # returns, and one it cannot parse comes out as a dropped connection, or as a raw
    # idna.IDNAError: the strict parse runs first, so either is a refused redirect.
    location = response.headers.get("Location")
    if not response.is_redirect or location is None:
        return
    try:
        join_location(response.request.url, location)
    except URLProblem as problem:
        response.close()
        raise MalformedLocation(response.status_code, problem) from None


def refused_redirect(
    target: Route, status: int, why: str, *, hint: str | None = None
) -> RedirectError:
    """The error of a redirect answering *target* that is not followed, and *why*."""
    return RedirectError(
        status=status, method=target.method, path=target.display, server_message=why, hint=hint
    )


def malformed_redirect(target: Route, status: int, problem: URLProblem) -> RedirectError:
    return refused_redirect(
        target,
        status,
        f"a redirect to a malformed URL ({problem}); not followed, "
        "and the token was not sent there",
    )


def read_capped(response: httpx.Response, limit: int, target: Route) -> None:
    """Read the body into the response, refusing one larger than *limit* bytes."""
    declared = response.headers.get("Content-Length", "").strip()
    # Only plain ASCII digits are a length (RFC 9110); more digits than any limit has is
    # too large without reading them as a number (int() refuses thousands of digits).
    digits = declared.isascii() and declared.isdigit()
    if digits and (len(declared) > len(str(limit)) or int(declared) > limit):
        raise too_large(target, limit)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large(target, limit)
        chunks.append(chunk)
    # Hand the bytes back to the response, so .content/.json() work as after a plain send.
    response._content = b"".join(chunks)


def too_large(target: Route, limit: int) -> ResponseFormatError:
    return ResponseFormatError(
        f"{target.method} {target.display} answered with more than {limit:,} bytes; "
        "the answer was not read.",
        hint="Narrow the request (--where, --limit), or raise max_body_bytes if it is expected.",
    )
