"""URLs, hosts and origins: one strict parser, used wherever a host is compared.

Who receives the token is decided by comparing origins (the configured OIC hosts, the
trusted hosts, the origin a pasted URL names, a redirect's target, the design-time
origin learned from a 307), so every such origin is computed here, the same way:

- the scheme is ``http`` or ``https``, in lower case;
- the host is an IP literal (IPv6 in brackets) or a DNS name in its ASCII (IDNA) form,
  in lower case; a name with a backslash, a ``%`` (``%2e``, ``%2f``, ``%00``...), a
  space or control character, a ``[`` or ``]`` outside an IPv6 literal, an empty label,
  a trailing dot, characters that NFKC folds into others (fullwidth letters and dots,
  ``。``) or an invalid IDNA/punycode label (``xn--zz``) is refused, never repaired;
- the port is a number from 1 to 65535, and the default port is dropped;
- a ``user:password@`` is never part of an origin.

Every refusal is an :class:`URLProblem` (a ``ValueError``) whose message says what is
wrong without quoting any user name or password; the callers turn it into their own
error (``ConfigurationError`` for settings, ``RequestError`` for a pasted URL,
``RedirectError`` for a redirect), so nothing else (``idna.IDNAError``,
``httpx.InvalidURL``) escapes.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any, NamedTuple

import httpx
import idna  # httpx's own dependency: the IDNA encoding httpx applies on the wire

from ..exceptions import RequestError

__all__ = [
    "ParsedURL",
    "URLProblem",
    "hide_userinfo",
    "is_loopback",
    "join_location",
    "normalise_host",
    "origin",
    "parse_url",
    "split_origin",
    "trusted_origin",
    "with_scheme",
]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
#: Characters IDNA reads as a dot besides ``.`` itself (UTS 46 maps them all to it).
_OTHER_DOTS = "\u3002\uff0e\uff61"
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


class URLProblem(ValueError):
    """A URL or host that cannot be used as written; the message says why."""


class ParsedURL(NamedTuple):
    """A URL taken apart by :func:`parse_url`; ``host`` is already normalised."""

    scheme: str
    host: str
    port: int | None
    rest: str  # the path and query (and fragment) as written, ``/`` when empty
    has_userinfo: bool

    @property
    def origin(self) -> str:
        return _join(self.scheme, self.host, self.port)


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


def normalise_host(host: str) -> str:
    """The canonical form of *host*: lower-case ASCII (IDNA), IPv6 without brackets.

    Raises :class:`URLProblem` for anything that is not plainly one host (see the module).
    """
    if not host:
        raise URLProblem("the URL names no host")
    if host.startswith("[") or ":" in host:
        return _ipv6(host)
    if _UNSAFE.search(host):
        raise URLProblem("the host holds a backslash, a space or a control character")
    if "%" in host:
        raise URLProblem("the host holds a percent-encoded character (such as %2e or %2f)")
    if any(char in host for char in "[]@/?#"):
        raise URLProblem("the host holds one of [ ] @ / ? #")
    if unicodedata.normalize("NFKC", host) != host or any(d in host for d in _OTHER_DOTS):
        raise URLProblem(
            "the host holds lookalike characters (such as fullwidth letters or dots); "
            "type it in plain letters"
        )
    ascii_host = _idna(host).lower()
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise URLProblem(
            "the host is not a valid host name: labels of letters, digits and hyphens "
            "(none at either end) between single dots, no trailing dot"
        )
    if labels[-1].isdigit():
        try:
            return str(ipaddress.IPv4Address(ascii_host))
        except ValueError:
            raise URLProblem("the host is not a valid IPv4 address") from None
    return ascii_host


def _ipv6(host: str) -> str:
    inner = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if "%" in inner or not inner:
        raise URLProblem("the host is not a valid IPv6 address (no zone ids)")
    try:
        return ipaddress.IPv6Address(inner).compressed
    except ValueError:
        raise URLProblem(
            "the host is not a valid IPv6 address: an IPv6 host goes in brackets, "
            "as in https://[::1]:8000, and a host name has no [ ] or :"
        ) from None


def _idna(host: str) -> str:
    try:
        if host.isascii():
            # Validate the A-labels (xn--...) as httpx would before it connects.
            if "xn--" in host.lower():
                idna.decode(host)
            return host
        return idna.encode(host.lower()).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise URLProblem(
            "the host is not a valid international domain name (IDNA/punycode)"
        ) from None


def _join(scheme: str, host: str, port: int | None) -> str:
    host = f"[{host}]" if ":" in host else host
    suffix = f":{port}" if port is not None and port != _DEFAULT_PORTS.get(scheme) else ""
    return f"{scheme}://{host}{suffix}"


def parse_url(url: str) -> ParsedURL:
    """Take the absolute http(s) URL *url* apart, strictly (see the module).

    Raises :class:`URLProblem`. The ``user:password@`` is noted, never kept.
    """
    if not _SCHEME.match(url):
        raise URLProblem("the URL has no scheme (give https://...)")
    scheme, _, remainder = url.partition("://")
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise URLProblem("the URL is not an http(s) URL")
    end = min((i for i in map(remainder.find, "/?#") if i >= 0), default=len(remainder))
    authority, rest = remainder[:end], remainder[end:]
    if _UNSAFE.search(authority):  # the path and query are the request's business
        raise URLProblem("the URL's host part holds a backslash, a space or a control character")
    has_userinfo = "@" in authority
    host, port = _host_and_port(authority.rpartition("@")[2])
    return ParsedURL(scheme, normalise_host(host), port, rest or "/", has_userinfo)


def _host_and_port(hostport: str) -> tuple[str, int | None]:
    if hostport.startswith("["):
        close = hostport.find("]")
        if close < 0:
            raise URLProblem("the URL opens a [ for an IPv6 host and never closes it")
        host, tail = hostport[: close + 1], hostport[close + 1 :]
        if tail and not tail.startswith(":"):
            raise URLProblem("the URL has characters after the IPv6 host's ]")
        port_text = tail[1:] if tail else None
    elif hostport.count(":") > 1:
        raise URLProblem(
            "the URL has more than one ':' after the host: a port is one number, "
            "and an IPv6 host goes in brackets, as in https://[::1]:8000"
        )
    else:
        host, colon, text = hostport.partition(":")
        port_text = text if colon else None
    if port_text is None:
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise URLProblem("the URL's port is not a number from 1 to 65535")
    return host, int(port_text)


def origin(url: str | httpx.URL) -> str:
    """The normalised origin of *url* (a bare host means https).

    Raises :class:`URLProblem` (a ``ValueError``) for a URL that :func:`parse_url`
    refuses, or an ``httpx.URL`` whose host :func:`normalise_host` refuses.
    """
    if isinstance(url, httpx.URL):
        scheme = url.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            raise URLProblem("the URL is not an http(s) URL")
        return _join(scheme, normalise_host(url.host), url.port)
    return parse_url(with_scheme(url.strip())).origin


def split_origin(path: str) -> tuple[str | None, str]:
    """Split a full URL into its origin and the path with its query.

    ``https://host/ic/api/integration/v1/connections?q=x`` gives
    ``("https://host", "/ic/api/integration/v1/connections?q=x")``; a path without a
    scheme gives ``(None, path)``. The origin never carries a ``user:password@``.
    A URL :func:`parse_url` refuses raises :class:`~oic_magic.exceptions.RequestError`.
    """
    path = path.strip()
    if not _SCHEME.match(path):
        return None, path
    try:
        parsed = parse_url(path)
    except URLProblem as problem:
        shown = hide_userinfo(path if len(path) <= 200 else path[:200] + "...")
        raise RequestError(
            f"{shown!r} is not a URL that can be called: {problem}; give a path such as "
            "'connections', or the URL OIC shows in links[].href"
        ) from None
    rest = parsed.rest.partition("#")[0] or "/"
    return parsed.origin, rest if rest.startswith("/") else "/" + rest


def join_location(url: httpx.URL, location: str) -> httpx.URL:
    """The URL a redirect's ``Location`` names, relative to *url*; strictly parsed.

    Raises :class:`URLProblem` for a Location that starts with a backslash (a browser
    reads ``/\\host`` as another host), an absolute one :func:`parse_url` refuses, one
    httpx cannot send to, or one httpx would read as another host than the one checked.
    """
    if location.startswith(("\\", "/\\")):
        raise URLProblem("the Location starts with a backslash")
    expected = None
    if location.startswith("//"):
        expected = parse_url(f"{url.scheme}:{location}")
    elif _SCHEME.match(location):
        expected = parse_url(location)
    if expected is not None and expected.has_userinfo:
        raise URLProblem("the Location holds a user name or password")
    try:
        joined = url.join(location)
    except (httpx.InvalidURL, ValueError):  # idna.IDNAError is a ValueError too
        raise URLProblem("the Location is not a URL httpx can send to") from None
    if origin(joined) != (origin(url) if expected is None else expected.origin):
        raise URLProblem("the Location names a different host than httpx would reach")
    return joined


def trusted_origin(entry: str) -> str:
    """The origin one ``trusted_hosts`` entry stands for.

    A bare ``host`` (or ``host:port``) means https on that port (443 when none is given);
    a full origin such as ``http://127.0.0.1:8001`` means exactly that origin. A path
    after the host is refused: an entry names an origin, nothing less or more.
    """
    parsed = parse_url(with_scheme(entry.strip()))
    if parsed.has_userinfo:
        raise URLProblem("a trusted host holds a user name or password")
    if parsed.rest != "/":
        raise URLProblem("a trusted host is a host or an origin, without a path")
    return parsed.origin


def hide_userinfo(value: Any) -> Any:
    """A URL with any ``user:password@`` replaced by ``***@`` (other values unchanged)."""
    if isinstance(value, str) and "@" in value:
        scheme, sep, rest = value.partition("://") if "://" in value else ("", "", value)
        authority, slash, path = rest.partition("/")
        if "@" in authority:
            return f"{scheme}{sep}***@{authority.rpartition('@')[2]}{slash}{path}"
    return value
