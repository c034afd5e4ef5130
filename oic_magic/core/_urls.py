"""URLs and origins: one normalisation, used wherever origins are compared.

Who receives the token is decided by comparing origins (the configured OIC hosts, the
origin a pasted URL names, a redirect's target, the design-time origin learned from a
307), so every such origin is computed here, the same way: scheme and host in lower
case, IPv6 hosts in brackets, the default port dropped, no ``user:password@``.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import httpx

from ..exceptions import RequestError

__all__ = ["is_loopback", "origin", "split_origin", "with_scheme"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def with_scheme(url: str) -> str:
    """*url* with ``https://`` in front when it has no scheme.

    A bare host (the identity domain's "Domain URL" copied without scheme) means https.
    """
    return url if "://" in url else "https://" + url


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 — the only hosts allowed plain http."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _join(scheme: str, host: str, port: int | None) -> str:
    scheme, host = scheme.lower(), host.lower()
    host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    suffix = f":{port}" if port is not None and port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{suffix}"


def origin(url: str | httpx.URL) -> str:
    """The normalised origin of *url* (a bare host means https).

    Raises ``ValueError`` for a port that is not a number.
    """
    if isinstance(url, httpx.URL):
        return _join(url.scheme, url.host, url.port)
    parts = urlsplit(with_scheme(url.strip()))
    return _join(parts.scheme, parts.hostname or "", parts.port)


def split_origin(path: str) -> tuple[str | None, str]:
    """Split a full URL into its origin and the path with its query.

    ``https://host/ic/api/integration/v1/connections?q=x`` gives
    ``("https://host", "/ic/api/integration/v1/connections?q=x")``; a path without a
    scheme gives ``(None, path)``. The origin never carries a ``user:password@``.
    """
    path = path.strip()
    if not _SCHEME.match(path):
        return None, path
    parts = urlsplit(path)
    try:
        found = origin(path)
    except ValueError:
        raise RequestError(
            "the URL's port is not a number; give a path such as "
            "'connections', or the URL OIC shows in links[].href"
        ) from None
    rest = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return found, rest
