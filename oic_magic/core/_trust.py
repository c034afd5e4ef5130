"""Redirect trust: which redirect targets may receive the bearer token.

OIC answers a Developer API call sent to the runtime host with a 307 to the design-time
host, and the client follows it itself. The token is re-attached only where this module
says so; every origin it compares comes from :func:`oic_magic.core._urls.origin`.
"""

from __future__ import annotations

import httpx

from ._settings import Settings
from ._urls import origin

__all__ = ["TrustedHosts"]


class TrustedHosts:
    """Which redirect targets may receive the bearer token, for one session's settings."""

    def __init__(self, settings: Settings) -> None:
        configured = [settings.design_url, settings.runtime_url]
        self._origins: set[str] = set()
        self._hosts: set[str] = set()
        for entry in [*filter(None, configured), *settings.trusted_hosts]:
            if "://" in entry:
                self._origins.add(origin(entry))
            else:
                self._hosts.add(entry.strip().lower())

    def allows(self, url: httpx.URL, *, came_from: httpx.URL) -> bool:
        """True when *url*, reached by a redirect from *came_from*, may receive the token."""
        if came_from.scheme == "https" and url.scheme != "https":
            return False  # never downgrade: the token would travel in clear text
        if origin(url) in self._origins:
            return True
        if url.scheme != "https":
            return False
        host = url.host.lower()
        return host in self._hosts or host.endswith(".oraclecloud.com")
