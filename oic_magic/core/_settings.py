"""Settings: where OIC and its identity domain live and who signs in.

A frozen, keyword-only dataclass. The secrets (``client_secret``, ``password``)
are kept out of ``repr``/``str``; :meth:`Settings.validate` lists every problem at
once; :meth:`Settings.from_env` reads the ``OIC_*`` environment variables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import urlsplit

from ..exceptions import ConfigurationError, SettingRangeError
from ._bounds import TIMEOUT
from ._urls import is_loopback, origin, with_scheme

__all__ = ["INTERACTIVE_GRANTS", "Settings", "classify_url", "is_loopback", "scope_for"]

TOKEN_PATH = "/oauth2/v1/token"
SCOPE_SUFFIX = "urn:opc:resource:consumer::all offline_access"

UrlKind = Literal["design-time", "runtime", "unknown"]


def classify_url(url: str) -> UrlKind:
    """Tell an OIC design-time URL from a runtime one by its host name."""
    host = (urlsplit(with_scheme(url)).hostname or "").lower()
    if host.startswith("design.integration.") or ".design.integration." in host:
        return "design-time"
    if ".integration." in host:
        return "runtime"
    return "unknown"


def scope_for(audience: str) -> str:
    """The scope for the Developer API (and a refresh token) from the instance's audience."""
    return audience + SCOPE_SUFFIX


def _url_problems(name: str, url: str) -> list[str]:
    """What is wrong with one URL setting (the URL itself is never quoted: it may hold a
    user name and password)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return [f"{name} is not a valid URL (check the host, the port and the brackets)"]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [f"{name} is not an http(s) URL"]
    if parts.username is not None or parts.password is not None:
        return [
            f"{name} holds a user name or password: give the URL without them "
            "(credentials go in client_id, username and their secrets)"
        ]
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return [f"{name} uses plain http:// off loopback; use https://"]
    return []


def _hide_userinfo(value: Any) -> Any:
    """A URL with any ``user:password@`` replaced by ``***@`` (other values unchanged)."""
    if isinstance(value, str) and "@" in value and "://" in value:
        scheme, _, rest = value.partition("://")
        authority, slash, path = rest.partition("/")
        if "@" in authority:
            return f"{scheme}://***@{authority.rpartition('@')[2]}{slash}{path}"
    return value


@dataclasses.dataclass(frozen=True, kw_only=True, repr=False)
class Settings:
    """Everything needed to sign in and call one OIC instance.

    ``identity_url`` may be the identity domain host or its URL; ``token_url``
    overrides the token endpoint derived from it. ``scope`` wins over
    ``audience``. ``trusted_hosts`` lists extra redirect targets that may receive
    the token: a host name (https only) or a full origin such as
    ``http://127.0.0.1:8001``.
    """

    design_url: str | None = None
    runtime_url: str | None = None
    identity_url: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = dataclasses.field(default=None, repr=False)
    scope: str | None = None
    audience: str | None = None
    instance: str | None = None
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    timeout: float = 30.0
    verify: bool = True
    ca_bundle: str | None = None
    trusted_hosts: tuple[str, ...] = ()
    #: The browser sign-in's redirect URI, exactly as registered in the identity domain.
    redirect_uri: str | None = None
    #: The JWT user assertion's signing key (a PEM file) and the key id its certificate has.
    private_key_file: str | None = None
    key_id: str | None = None
    #: The assertion's ``aud``: the identity domain's own name for itself.
    assertion_audience: str | None = None

    def __repr__(self) -> str:
        # The secrets are left out, and a URL that carries credentials shows none of them.
        shown = ", ".join(
            f"{f.name}={_hide_userinfo(getattr(self, f.name))!r}"
            for f in dataclasses.fields(self)
            if f.repr
        )
        return f"Settings({shown})"

    def __str__(self) -> str:
        return repr(self)

    # -- derived values ------------------------------------------------------

    @property
    def api_origin(self) -> str | None:
        """Origin the Developer API calls go to: design-time when known, else runtime."""
        url = self.design_url or self.runtime_url
        return origin(url) if url else None

    @property
    def oic_origins(self) -> tuple[str, ...]:
        """Origins of the configured design-time and runtime URLs, design-time first."""
        return tuple(origin(url) for url in (self.design_url, self.runtime_url) if url)

    @property
    def resolved_token_url(self) -> str | None:
        """The token endpoint: ``token_url`` as given, else derived from ``identity_url``."""
        if self.token_url:
            return with_scheme(self.token_url.strip())
        if self.identity_url:
            return origin(self.identity_url) + TOKEN_PATH
        return None

    @property
    def resolved_scope(self) -> str | None:
        """``scope`` as given, else built from ``audience``."""
        if self.scope:
            return self.scope
        return scope_for(self.audience) if self.audience else None

    @property
    def identity_host(self) -> str | None:
        """Host of the token endpoint: names the identity domain in keyring keys."""
        url = self.resolved_token_url
        return urlsplit(url).hostname if url else None

    def replace(self, **changes: Any) -> Settings:
        """A copy with *changes* applied."""
        return dataclasses.replace(self, **changes)

    def without_password(self) -> Settings:
        """A copy that no longer holds the user's password."""
        return dataclasses.replace(self, password=None)

    # -- checks --------------------------------------------------------------

    def validate(self, *, grant: str = "password") -> Settings:
        """Raise :class:`ConfigurationError` listing every problem for *grant*; else self."""
        problems = [*self._missing(grant), *self._not_text(), *self._unsafe_urls()]
        if problems:
            raise ConfigurationError(problems)
        return self

    def _missing(self, grant: str) -> list[str]:
        required = {
            "an OIC URL (design_url or runtime_url)": self.design_url or self.runtime_url,
            "identity_url or token_url": self.identity_url or self.token_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "instance": self.instance,
        }
        if grant != "refresh_token":
            required["scope or audience"] = self.resolved_scope
        if grant in INTERACTIVE_GRANTS or grant == "jwt":
            del required["client_secret"]  # a public client has none
        if grant == "password":
            required["username"] = self.username
            required["password"] = self.password
        if grant == "jwt":
            required["username"] = self.username
            required["key_id"] = self.key_id
        problems = [f"{name} is missing" for name, value in required.items() if not value]
        try:
            TIMEOUT.seconds(self.timeout, "timeout")
        except SettingRangeError as error:
            problems.extend(error.problems)
        return problems

    def _not_text(self) -> list[str]:
        # An environment decodes bytes that are not UTF-8 as lone surrogates
        # (surrogateescape), and a profile file may hold a NUL: neither can be sent or
        # opened, so the setting is named (its value never quoted: it may be a secret).
        problems = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            values = value if isinstance(value, tuple) else (value,)
            if any(isinstance(v, str) and not _is_text(v) for v in values):
                problems.append(
                    f"{f.name} holds a NUL or bytes that are not UTF-8 text; write it again"
                )
        return problems

    def _unsafe_urls(self) -> list[str]:
        urls = {
            "design_url": self.design_url,
            "runtime_url": self.runtime_url,
            "identity_url": self.identity_url and with_scheme(self.identity_url),
            "token_url": self.token_url and with_scheme(self.token_url),
        }
        problems = [
            problem
            for name, url in urls.items()
            if url
            for problem in _url_problems(name, url.strip())
        ]
        return problems + self._unsafe_trusted_hosts()

    def _unsafe_trusted_hosts(self) -> list[str]:
        # A trusted host receives the token after a redirect: the same rule as the URLs.
        problems = []
        for entry in self.trusted_hosts:
            if "://" not in entry:
                continue
            parts = urlsplit(entry.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problems.append(f"trusted host {entry!r} is not an http(s) origin")
            elif parts.scheme == "http" and not is_loopback(parts.hostname):
                problems.append(
                    f"trusted host {entry!r} uses plain http:// off loopback; use https://"
                )
        return problems

    # -- environment ---------------------------------------------------------

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> Settings:
        """Settings from the ``OIC_*`` variables of *environ*; *overrides* win.

        ``OIC_URL`` may be either kind of OIC URL: a design-time host name
        (``design.integration.``) makes it the design-time URL, anything else the
        runtime URL. Empty variables count as unset.
        """
        env = {key: value.strip() for key, value in environ.items() if value.strip()}
        values: dict[str, Any] = {
            field: env[var] for var, field in _ENV_FIELDS.items() if var in env
        }
        if "OIC_URL" in env:
            kind = classify_url(env["OIC_URL"])
            field = "design_url" if kind == "design-time" else "runtime_url"
            values.setdefault(field, env["OIC_URL"])
        if "OIC_TIMEOUT" in env:
            values["timeout"] = _parse_timeout(env["OIC_TIMEOUT"])
        if "OIC_TRUSTED_HOSTS" in env:
            values["trusted_hosts"] = tuple(env["OIC_TRUSTED_HOSTS"].replace(",", " ").split())
        values.update(overrides)
        return cls(**values)


_ENV_FIELDS = {
    "OIC_DESIGN_URL": "design_url",
    "OIC_RUNTIME_URL": "runtime_url",
    "OIC_IDENTITY_URL": "identity_url",
    "OIC_TOKEN_URL": "token_url",
    "OIC_CLIENT_ID": "client_id",
    "OIC_CLIENT_SECRET": "client_secret",
    "OIC_SCOPE": "scope",
    "OIC_AUDIENCE": "audience",
    "OIC_INSTANCE": "instance",
    "OIC_USERNAME": "username",
    "OIC_PASSWORD": "password",
    "OIC_CA_BUNDLE": "ca_bundle",
    "OIC_REDIRECT_URI": "redirect_uri",
    "OIC_PRIVATE_KEY_FILE": "private_key_file",
    "OIC_KEY_ID": "key_id",
    "OIC_ASSERTION_AUDIENCE": "assertion_audience",
}

#: Grants a person finishes in a browser; they need no client secret.
INTERACTIVE_GRANTS = ("device", "browser")


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _parse_timeout(text: str) -> float:
    return TIMEOUT.seconds(text, "OIC_TIMEOUT", text=True)
