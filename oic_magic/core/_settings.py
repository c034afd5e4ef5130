"""Settings: where OIC and its identity domain live and who signs in.

A frozen, keyword-only dataclass. The secrets (``client_secret``, ``password``)
are kept out of ``repr``/``str``; :meth:`Settings.validate` lists every problem at
once; :meth:`Settings.from_env` reads the ``OIC_*`` environment variables.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any, Literal

from ..exceptions import ConfigurationError, SettingRangeError
from ._bounds import TIMEOUT
from ._secret import Secret
from ._urls import (
    URLProblem,
    hide_userinfo,
    is_loopback,
    origin,
    parse_url,
    trusted_origin,
    with_scheme,
)

__all__ = [
    "INTERACTIVE_GRANTS",
    "Settings",
    "classify_url",
    "environment",
    "is_loopback",
    "scope_for",
]

TOKEN_PATH = "/oauth2/v1/token"
SCOPE_SUFFIX = "urn:opc:resource:consumer::all offline_access"

UrlKind = Literal["design-time", "runtime", "unknown"]


def classify_url(url: str) -> UrlKind:
    """Tell an OIC design-time URL from a runtime one by its host name.

    A URL that cannot be parsed is ``"unknown"``; :meth:`Settings.validate` says why.
    """
    try:
        host = parse_url(with_scheme(url.strip())).host
    except URLProblem:
        return "unknown"
    if host.startswith("design.integration.") or ".design.integration." in host:
        return "design-time"
    if ".integration." in host:
        return "runtime"
    return "unknown"


def scope_for(audience: str) -> str:
    """The scope for the Developer API (and a refresh token) from the instance's audience."""
    return audience + SCOPE_SUFFIX


def _url_problems(name: str, url: str) -> list[str]:
    """What is wrong with one URL setting (quoted without any user name or password)."""
    shown = hide_userinfo(url)
    if url.partition("://")[0].lower() not in ("http", "https"):
        return [f"{name} is not an http(s) URL ({shown!r})"]
    try:
        parts = parse_url(url)
    except URLProblem as problem:
        return [f"{name} is not a valid URL ({shown!r}): {problem}"]
    if parts.has_userinfo:
        return [
            f"{name} holds a user name or password: give the URL without them "
            "(credentials go in client_id, username and their secrets)"
        ]
    if parts.scheme == "http" and not is_loopback(parts.host):
        return [f"{name} uses plain http:// off loopback; use https://"]
    return []


def _origin_of(name: str, url: str) -> str:
    try:
        return origin(url)
    except URLProblem as problem:
        raise ConfigurationError([f"{name} {hide_userinfo(url)!r}: {problem}"]) from None


@dataclasses.dataclass(frozen=True, kw_only=True, repr=False)
class Settings:
    """Everything needed to sign in and call one OIC instance.

    ``identity_url`` may be the identity domain host or its URL; ``token_url``
    overrides the token endpoint derived from it. ``scope`` wins over
    ``audience``. ``trusted_hosts`` lists extra redirect targets that may receive
    the token: a host name (https only) or a full origin such as
    ``http://127.0.0.1:8001``. ``client_secret`` and ``password`` may be given as plain
    text; they are held as :class:`~oic_magic.core._secret.Secret` values.
    """

    design_url: str | None = None
    runtime_url: str | None = None
    identity_url: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | Secret | None = dataclasses.field(default=None, repr=False)
    scope: str | None = None
    audience: str | None = None
    instance: str | None = None
    username: str | None = None
    password: str | Secret | None = dataclasses.field(default=None, repr=False)
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

    def __post_init__(self) -> None:
        # Wrapped at the boundary: no frame that holds these settings shows a secret.
        for name in ("client_secret", "password"):
            object.__setattr__(self, name, Secret.of(getattr(self, name)))

    def __repr__(self) -> str:
        # The secrets are left out, and a URL that carries credentials shows none of them.
        shown = ", ".join(
            f"{f.name}={hide_userinfo(getattr(self, f.name))!r}"
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
        name = "design_url" if self.design_url else "runtime_url"
        url = self.design_url or self.runtime_url
        return _origin_of(name, url) if url else None

    @property
    def oic_origins(self) -> tuple[str, ...]:
        """Origins of the configured design-time and runtime URLs, design-time first."""
        named = (("design_url", self.design_url), ("runtime_url", self.runtime_url))
        return tuple(_origin_of(name, url) for name, url in named if url)

    @property
    def resolved_token_url(self) -> str | None:
        """The token endpoint: ``token_url`` as given, else derived from ``identity_url``."""
        if self.token_url:
            return with_scheme(self.token_url.strip())
        if self.identity_url:
            return _origin_of("identity_url", self.identity_url) + TOKEN_PATH
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
        try:
            return parse_url(url).host if url else None
        except URLProblem as problem:
            raise ConfigurationError([f"token_url {hide_userinfo(url)!r}: {problem}"]) from None

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
            texts = (v.reveal() if isinstance(v, Secret) else v for v in values)
            if any(isinstance(v, str) and not _is_text(v) for v in texts):
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
        if self.redirect_uri:  # registered as written (http to a loopback port, or https)
            try:
                parse_url(self.redirect_uri.strip())
            except URLProblem as problem:
                shown = hide_userinfo(self.redirect_uri)
                problems.append(f"redirect_uri is not a valid URL ({shown!r}): {problem}")
        return problems + self._unsafe_trusted_hosts()

    def _unsafe_trusted_hosts(self) -> list[str]:
        # A trusted host receives the token after a redirect: the same rules as the URLs.
        problems = []
        for entry in self.trusted_hosts:
            try:
                found = trusted_origin(entry)
            except URLProblem as problem:
                problems.append(
                    f"trusted host {hide_userinfo(entry)!r} is not a host or origin: {problem}"
                )
                continue
            if found.startswith("http://") and not is_loopback(parse_url(found).host):
                problems.append(
                    f"trusted host {hide_userinfo(entry)!r} uses plain http:// off loopback; use https://"
                )
        return problems

    # -- environment ---------------------------------------------------------

    @classmethod
    def from_env(cls, environ: Mapping[str, str | Secret], **overrides: Any) -> Settings:
        """Settings from the ``OIC_*`` variables of *environ*; *overrides* win.

        ``OIC_URL`` may be either kind of OIC URL: a design-time host name
        (``design.integration.``) makes it the design-time URL, anything else the
        runtime URL. Empty variables count as unset. The secret variables may already be
        :class:`~oic_magic.core._secret.Secret` values (see :func:`environment`).
        """
        env = {key: value.strip() for key, value in environ.items() if value.strip()}
        text = {key: value for key, value in env.items() if isinstance(value, str)}
        values: dict[str, Any] = {
            field: env[var] for var, field in _ENV_FIELDS.items() if var in env
        }
        if "OIC_URL" in text:
            kind = classify_url(text["OIC_URL"])
            field = "design_url" if kind == "design-time" else "runtime_url"
            values.setdefault(field, text["OIC_URL"])
        if "OIC_TIMEOUT" in text:
            values["timeout"] = _parse_timeout(text["OIC_TIMEOUT"])
        if "OIC_TRUSTED_HOSTS" in text:
            values["trusted_hosts"] = tuple(text["OIC_TRUSTED_HOSTS"].replace(",", " ").split())
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

#: The variables that hold a secret: read into a Secret at once.
SECRET_VARIABLES = ("OIC_CLIENT_SECRET", "OIC_PASSWORD")
#: Every variable the settings are read from (and the credential chain's own).
VARIABLES = (
    *_ENV_FIELDS,
    "OIC_URL",
    "OIC_TIMEOUT",
    "OIC_TRUSTED_HOSTS",
    "OIC_GRANT",
    "OIC_PROFILE",
    "OIC_PROFILE_FILE",
)


def environment(environ: Mapping[str, str] | None = None) -> dict[str, str | Secret]:
    """Only the ``OIC_*`` variables that are read, the secret ones wrapped: never a copy of
    the whole environment (which holds every other program's secrets too)."""
    source = os.environ if environ is None else environ
    found: dict[str, str | Secret] = {}
    for name in VARIABLES:
        value = source.get(name)
        if value is not None:
            found[name] = Secret(value) if name in SECRET_VARIABLES else value
    return found


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
