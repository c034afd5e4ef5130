"""The keyword options of :class:`~oic_magic.core._client.OICClient`, its sign-in and its lists."""

from __future__ import annotations

import random
from typing import TypedDict

from . import _bounds
from ._paging import Progress
from ._session import SignInOptions

__all__ = ["ClientOptions", "ClientSignInOptions", "paging_options"]


class ClientOptions(TypedDict, total=False):
    """The keyword arguments of :class:`~oic_magic.core._client.OICClient` its sign-ins pass on."""

    page_size: int
    concurrency: int
    max_rows: int
    retries: int
    rereads: int
    max_redirects: int
    max_body_bytes: int
    rng: random.Random | None
    progress: Progress | None
    monitoring_caps: bool
    timeout: float | None


class ClientSignInOptions(SignInOptions, ClientOptions, total=False):
    """What ``OICClient.sign_in`` takes by keyword: the session's sign-in and the client's."""


def paging_options(**given: int | None) -> tuple[int | None, ...]:
    """The options of one paginate() call, each checked against its range (None: default)."""
    bounds = {
        "limit": _bounds.LIMIT,
        "page_size": _bounds.PAGE_SIZE,
        "concurrency": _bounds.CONCURRENCY,
        "max_rows": _bounds.MAX_ROWS,
        "rereads": _bounds.REREADS,
    }
    return tuple(
        None if value is None else bounds[name].count(value, name) for name, value in given.items()
    )
