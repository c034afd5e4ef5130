"""Redirect trust: which redirect targets may receive the bearer token.

OIC answers a Developer API call sent to the runtime host with a 307 to the design-time
host, and the client follows it itself. The token is re-attached only where this module
says so, and only to an exact origin (scheme, host and port) from this list:

- the configured design-time and runtime URLs' origins;
- the design-time host of the configured runtime host's region (see
  :func:`design_time_origin`), the one place OIC itself sends the runtime's API calls;
- each ``trusted_hosts`` entry (a bare host means https on port 443).

Not every ``*.oraclecloud.com`` host: another tenant's OIC, object storage or any other
service under that name never receives the token. Every origin compared here comes
from :mod:`oic_magic.core._urls`, so a host with a backslash, userinfo, a ``%``, a
lookalike character or invalid punycode is never equal to a trusted one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import httpx

from ..exceptions import ConfigurationError
from ._settings import Settings
from ._urls import URLProblem, hide_userinfo, origin, parse_url, trusted_origin

__all__ = ["TrustedHosts", "design_time_origin"]

#: ``<instance>-<suffix>.integration.<region>.ocp.oraclecloud.com`` (OIC 3's runtime host).
_RUNTIME_HOST = re.compile(
    r"^(?P<name>[a-z0-9][a-z0-9-]*)\.integration\.(?P<region>[a-z0-9-]+)\.ocp\.oraclecloud\.com$"
)


def design_time_origin(runtime_url: str) -> str | None:
    """The design-time origin OIC sends the API calls of *runtime_url* to, if it is OIC's.

    What "the same tenant" means here, from what OIC's hosts look like: an instance's
    runtime host is ``<instance>-<suffix>.integration.<region>.ocp.oraclecloud.com``,
    and its Developer API lives on the region's one design-time host,
    ``design.integration.<region>.ocp.oraclecloud.com``, which serves every instance of
    the region and tells them apart by the ``integrationInstance`` query parameter. So
    the runtime host's tenant is reached at exactly one other origin: https, port 443,
    that region's design-time host. Another instance's runtime host (even in the same
    region), another region's design-time host, or a host of another shape is not it;
    a runtime URL that is not of this shape (a custom domain, the emulator on
    loopback) has no derived design-time origin, and its design-time URL is configured
    or listed in ``trusted_hosts`` instead.
    """
    try:
        parsed = parse_url(runtime_url if "://" in runtime_url else "https://" + runtime_url)
    except URLProblem:
        return None
    match = _RUNTIME_HOST.match(parsed.host)
    if parsed.scheme != "https" or parsed.port not in (None, 443):
        return None
    if not match or match["name"] == "design":  # not a runtime host of OIC's shape
        return None
    return f"https://design.integration.{match['region']}.ocp.oraclecloud.com"


class TrustedHosts:
    """Which redirect targets may receive the bearer token, for one session's settings.

    Raises :class:`~oic_magic.exceptions.ConfigurationError` naming each configured URL
    or trusted host that cannot be parsed.
    """

    def __init__(self, settings: Settings) -> None:
        problems: list[str] = []
        configured = [
            ("design_url", settings.design_url),
            ("runtime_url", settings.runtime_url),
        ]
        self._origins: set[str] = set()
        for name, url in configured:
            if url:
                self._origins.update(_origins_of(name, url.strip(), problems))
        for entry in settings.trusted_hosts:
            try:
                self._origins.add(trusted_origin(entry))
            except URLProblem as problem:
                problems.append(f"trusted host {hide_userinfo(entry)!r}: {problem}")
        if problems:
            raise ConfigurationError(problems)

    @property
    def origins(self) -> frozenset[str]:
        """Every origin that may receive the token."""
        return frozenset(self._origins)

    def allows(self, url: httpx.URL, *, came_from: httpx.URL) -> bool:
        """True when *url*, reached by a redirect from *came_from*, may receive the token."""
        if came_from.scheme == "https" and url.scheme != "https":
            return False  # never downgrade: the token would travel in clear text
        try:
            return origin(url) in self._origins
        except URLProblem:
            return False


def _origins_of(name: str, url: str, problems: list[str]) -> Iterable[str]:
    try:
        found = [origin(url)]
    except URLProblem as problem:
        problems.append(f"{name} {hide_userinfo(url)!r}: {problem}")
        return []
    derived = design_time_origin(url) if name == "runtime_url" else None
    return [*found, derived] if derived else found
