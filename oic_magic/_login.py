"""Sign-in for the notebook: where each setting comes from, form or headless, ``--demo``.

The credential chain, highest first:

1. the form's fields (when a person fills them in);
2. the profile named by ``%oic_login --profile NAME`` (an explicit choice of
   instance outranks the environment, as ``aws --profile`` does, so a stray
   ``OIC_DESIGN_URL`` cannot mix two instances);
3. ``%config OICMagics`` (``timeout``);
4. the ``OIC_*`` environment variables;
5. the default profile (``%config OICMagics.default_profile`` or ``OIC_PROFILE``);
6. the keyring: a client secret and refresh token remembered by an earlier
   ``%oic_login --remember``; with a remembered refresh token no password is needed.

Headless (nobody can answer a form: papermill, nbclient, nbconvert, a plain
IPython) means the current request's ``allow_stdin`` is false, or there is no
kernel at all.  Headless with settings missing raises one error that lists each
missing setting and where it can come from.

``--demo`` starts :class:`oic_magic.emulator.Emulator` in this process (once) and
signs in to it with its demo user.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._keyring import RememberedTokens
from ._profile import read_profile
from ._session import Session, SessionStore
from ._settings import Settings, classify_url
from .exceptions import ConfigurationError, OICError, SignInError
from .widgets import LoginValues, Outcome

__all__ = [
    "LoginOptions",
    "MissingSettingsError",
    "Resolved",
    "demo_emulator",
    "describe_session",
    "is_headless",
    "resolve",
    "sign_in",
    "stop_demo",
]

GRANTS = ("password", "client_credentials")
SECRETS = ("client_secret", "password")

# Where each setting can come from, for the "missing settings" message.
_WHERE = {
    "url": "OIC_URL (or OIC_DESIGN_URL / OIC_RUNTIME_URL), or url = in a profile",
    "identity_url": "OIC_IDENTITY_URL, or identity_url = in a profile",
    "client_id": "OIC_CLIENT_ID, or client_id = in a profile",
    "client_secret": "OIC_CLIENT_SECRET, the keyring (after %oic_login --remember), "
    "or a profile file only you can read",
    "scope": "OIC_SCOPE or OIC_AUDIENCE, or scope = / audience = in a profile",
    "instance": "OIC_INSTANCE, or instance = in a profile",
    "username": "OIC_USERNAME, or username = in a profile",
    "password": "OIC_PASSWORD, or a refresh token in the keyring (after %oic_login --remember)",
}
_LABELS = {
    "url": "OIC URL (design-time or runtime)",
    "identity_url": "identity domain host",
    "client_id": "client ID",
    "client_secret": "client secret",
    "scope": "scope or audience",
    "instance": "integration instance",
    "username": "user name",
    "password": "password",
}


@dataclass(frozen=True)
class LoginOptions:
    """What ``%oic_login`` was asked for (never a secret)."""

    profile: str | None = None
    session: str = "default"
    grant: str | None = None
    remember: bool = False
    demo: bool = False


@dataclass(frozen=True)
class Resolved:
    """Settings gathered from the chain, with where each came from (for the form)."""

    values: dict[str, Any] = field(repr=False)
    sources: dict[str, str]
    grant: str
    refresh_token: str | None = field(default=None, repr=False)

    def missing(self) -> list[str]:
        """Settings still needed for the grant, as keys of ``_WHERE``."""
        v = self.values
        needed = {
            "url": v.get("design_url") or v.get("runtime_url"),
            "identity_url": v.get("identity_url") or v.get("token_url"),
            "client_id": v.get("client_id"),
            "client_secret": v.get("client_secret"),
            "instance": v.get("instance"),
        }
        if not self.refresh_token:
            needed["scope"] = v.get("scope") or v.get("audience")
            if self.grant == "password":
                needed["username"] = v.get("username")
                needed["password"] = v.get("password")
        return [name for name, value in needed.items() if not value]

    def settings(self) -> Settings:
        known = {f.name for f in dataclasses.fields(Settings)}
        return Settings(**{k: v for k, v in self.values.items() if k in known})


class MissingSettingsError(ConfigurationError):
    """Headless sign-in without some settings: one message listing each, with its sources."""

    def __init__(self, missing: list[str]) -> None:
        lines = [f"  - {_LABELS[name]}: {_WHERE[name]}" for name in missing]
        self.problems = [f"{_LABELS[name]} is missing" for name in missing]
        self.missing = missing
        OICError.__init__(
            self,
            f"cannot sign in: {len(missing)} setting(s) missing and no form can be shown "
            "(headless run):\n" + "\n".join(lines),
            hint="\nSet them and run %oic_login again.",
        )


# -- headless --------------------------------------------------------------------------------
def is_headless(shell: Any) -> bool:
    """True when no person can answer a form (see BROWSER-TESTS.md for why this test)."""
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return True
    try:
        parent = kernel.get_parent("shell")
    except Exception:  # an older or foreign kernel: assume nobody is there to answer
        return True
    return not (parent or {}).get("content", {}).get("allow_stdin", False)


# -- the chain -------------------------------------------------------------------------------
def resolve(
    options: LoginOptions,
    *,
    environ: Mapping[str, str] | None = None,
    default_profile: str | None = None,
    timeout: float | None = None,
    form: LoginValues | None = None,
    remembered: RememberedTokens | None = None,
) -> Resolved:
    """Gather the settings for ``options`` from every source, highest first."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    default = None if options.profile else (default_profile or environ.get("OIC_PROFILE"))
    if default:
        _layer(values, sources, _profile_values(default, environ), f"profile [{default}]")
    _layer(values, sources, _env_values(environ), "the environment")
    if timeout is not None:
        _layer(values, sources, {"timeout": timeout}, "%config OICMagics.timeout")
    if options.profile:
        _layer(values, sources, _profile_values(options.profile, environ),
               f"profile [{options.profile}]")
    if form is not None:
        _layer(values, sources, _form_values(form), "the form")
    grant = options.grant or str(values.pop("grant", "") or "password")
    if grant not in GRANTS:
        raise ConfigurationError([f"grant {grant!r} is not one of {', '.join(GRANTS)}"])
    return _from_keyring(Resolved(values=values, sources=sources, grant=grant), remembered)


def _layer(
    values: dict[str, Any], sources: dict[str, str], new: Mapping[str, Any], where: str
) -> None:
    for key, value in new.items():
        if value not in (None, "", ()):
            values[key] = value
            sources[key] = where


def _profile_values(name: str, environ: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = dict(read_profile(name, environ=environ).values)
    if "url" in values:
        url = values.pop("url")
        kind = "design_url" if classify_url(url) == "design-time" else "runtime_url"
        values.setdefault(kind, url)
    if "timeout" in values:
        values["timeout"] = _seconds(values["timeout"], f"timeout in profile [{name}]")
    if "trusted_hosts" in values:
        values["trusted_hosts"] = tuple(values["trusted_hosts"].replace(",", " ").split())
    return values


def _env_values(environ: Mapping[str, str]) -> dict[str, Any]:
    settings = Settings.from_env(environ)
    defaults = Settings()
    values = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(Settings)
        if getattr(settings, f.name) != getattr(defaults, f.name)
    }
    if environ.get("OIC_GRANT"):  # not a Settings field, but layered like one
        values["grant"] = environ["OIC_GRANT"].strip()
    return values


def _form_values(form: LoginValues) -> dict[str, Any]:
    values: dict[str, Any] = {
        "identity_url": form.identity_url, "client_id": form.client_id,
        "client_secret": form.client_secret, "instance": form.instance,
        "username": form.username, "password": form.password, "grant": form.grant,
    }  # fmt: skip
    if form.url:
        kind = "design_url" if classify_url(form.url) == "design-time" else "runtime_url"
        values[kind] = form.url
    if form.scope:
        # The field takes either: a full scope names a resource (urn:/ic/api), an audience does not.
        is_scope = "urn:" in form.scope or "/ic/api" in form.scope
        values["scope" if is_scope else "audience"] = form.scope
    return values


def _from_keyring(resolved: Resolved, remembered: RememberedTokens | None) -> Resolved:
    """Fill the client secret, and a refresh token instead of a password, from the keyring."""
    if remembered is None or not resolved.values.get("client_id"):
        return resolved
    values, sources = dict(resolved.values), dict(resolved.sources)
    settings = Resolved(values=values, sources=sources, grant=resolved.grant).settings()
    if not values.get("client_secret"):
        secret = remembered.load_client_secret(settings)
        if secret:
            values["client_secret"], sources["client_secret"] = secret, "the keyring"
    refresh = None
    if resolved.grant == "password" and not values.get("password"):
        refresh = remembered.load_refresh_token(settings)
    return Resolved(values=values, sources=sources, grant=resolved.grant, refresh_token=refresh)


def _seconds(text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ConfigurationError([f"{what} is not a number of seconds"]) from None


# -- signing in ------------------------------------------------------------------------------
def sign_in(
    resolved: Resolved,
    options: LoginOptions,
    *,
    store: SessionStore,
    remembered: RememberedTokens | None,
) -> Session:
    """Sign in with what the chain found (or say exactly what is missing), store the session."""
    missing = resolved.missing()
    if missing:
        raise MissingSettingsError(missing)
    from_keyring = bool(resolved.refresh_token) and remembered is not None
    grant = "refresh_token" if resolved.refresh_token else resolved.grant
    # A refresh token read from the keyring is single use: the session must write the
    # rotated one back, or the next sign-in finds the consumed one and is refused.
    keep = remembered if options.remember or from_keyring else None
    try:
        session = Session.sign_in(
            resolved.settings(),
            grant=grant,  # type: ignore[arg-type]
            refresh_token=resolved.refresh_token,
            keep_password=keeps_password(resolved),
            remembered=keep,
            name=options.session,
        )
    except SignInError as exc:
        if not from_keyring or exc.error != "invalid_grant":
            raise
        assert remembered is not None
        session = _after_stale_refresh_token(resolved, options, remembered, exc)
    store.put(session)
    return session


def _after_stale_refresh_token(
    resolved: Resolved, options: LoginOptions, remembered: RememberedTokens, exc: SignInError
) -> Session:
    """The remembered refresh token was refused: remove it, then use the password or say so."""
    settings = resolved.settings()
    remembered.forget(settings, kinds=("refresh_token",))  # the client secret stays
    if not (settings.username and settings.password):
        raise SignInError(
            "the remembered sign-in has expired (its refresh token was refused) and was "
            "removed from the keyring.",
            hint="Run %oic_login again: with a person at the notebook the form asks for the "
            "password; in a headless run set OIC_PASSWORD.",
            error=exc.error,
            description=exc.description,
            status=exc.status,
        ) from exc
    return Session.sign_in(
        settings,
        grant="password",
        keep_password=keeps_password(resolved),
        remembered=remembered if options.remember else None,
        name=options.session,
    )


def keeps_password(resolved: Resolved) -> bool:
    """Whether the session may sign in again by itself when its refresh token is refused.

    A password typed into the form is forgotten after the sign-in. One that the process can
    read again anyway (the environment, a private profile file, the emulator's public demo
    user) is kept, so a consumed or expired refresh token does not stop a long headless run.
    """
    return resolved.sources.get("password", "the form") != "the form"


def describe_session(session: Session, *, remembered: bool) -> str:
    """The outcome in plain words: who, which instance, until when."""
    token, settings = session.token, session.settings
    who = token.claims.get("user_displayname") or session.user or "the application"
    user = session.user or settings.username
    named = f"{who} ({user})" if user and user != who else str(who)
    until = dt.datetime.fromtimestamp(token.expires_at, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    renews = ("renews itself" if token.refresh_token or session.grant == "client_credentials"
              else "cannot be refreshed (no refresh token: add offline_access to the scope)")
    # Only when the keyring really holds it (not when it fell back to memory only).
    keep = " Remembered in the keyring." if remembered and session.remembered else ""
    return (
        f"Signed in as {named} to instance {settings.instance} at {settings.api_origin}. "
        f"The token is valid until {until} and {renews}. Session: {session.name}.{keep}"
    )


def describe_failure(error: BaseException) -> Outcome:
    """What went wrong and what to check, for the form."""
    return Outcome(ok=False, text=f"Sign-in failed: {error}")


# -- the built-in emulator -------------------------------------------------------------------
_demo_lock = threading.Lock()
_demo: Any = None


def demo_emulator() -> Any:
    """The emulator of this process, started on first use and kept for the kernel's life."""
    global _demo
    with _demo_lock:
        if _demo is None:
            from .emulator import Emulator

            _demo = Emulator().start()
        return _demo


def stop_demo() -> None:
    """Stop the demo emulator if one was started (tests; a kernel simply exits)."""
    global _demo
    with _demo_lock:
        emulator, _demo = _demo, None
    if emulator is not None:
        emulator.stop()


def demo_resolved(options: LoginOptions) -> Resolved:
    """Settings for the built-in emulator's demo user."""
    from .emulator import DEMO

    emu = demo_emulator()
    values = {
        "design_url": emu.design_url, "runtime_url": emu.runtime_url,
        "identity_url": emu.identity_url, "client_id": DEMO.client_id,
        "client_secret": DEMO.client_secret, "scope": emu.scope, "instance": emu.instance,
        "username": DEMO.username, "password": DEMO.password,
    }  # fmt: skip
    sources = dict.fromkeys(values, "the built-in emulator")
    return Resolved(values=values, sources=sources, grant=options.grant or "password")
