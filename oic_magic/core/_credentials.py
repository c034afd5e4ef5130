"""The credential chain: where each setting comes from, and signing in with what it found.

One implementation for the magics and plain Python. Highest first:

1. values a person typed into a form (the notebook layer passes them in);
2. the profile named explicitly (``%oic_login --profile NAME``, ``OICClient.connect(profile=)``):
   an explicit choice of instance outranks the environment, as ``aws --profile`` does, so a
   stray ``OIC_DESIGN_URL`` cannot mix two instances;
3. a ``timeout`` given by the caller (``%config OICMagics.timeout``);
4. the ``OIC_*`` environment variables;
5. the default profile (``OIC_PROFILE``, or ``%config OICMagics.default_profile``);
6. the keyring: a client secret and refresh token remembered by an earlier sign-in with
   ``remember``; with a remembered refresh token no password is needed.

A password the process can read again (the environment, a private profile file) is kept by
the session, so a refused refresh token does not stop a long headless run; one typed into a
form is forgotten after the sign-in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exceptions import ConfigurationError, OICError, SignInError
from ._bounds import TIMEOUT
from ._keyring import RememberedTokens
from ._profile import read_profile
from ._renewal import ELSEWHERE
from ._secret import Secret
from ._session import Session, SessionStore
from ._settings import Settings, classify_url, environment

if TYPE_CHECKING:
    from ._interactive import Prompt

__all__ = [
    "FORM",
    "GRANTS",
    "SECRETS",
    "LoginOptions",
    "MissingSettingsError",
    "Resolved",
    "keeps_password",
    "resolve",
    "sign_in",
]

#: The source name of values typed by a person.
FORM = "the form"

#: Grants by the names analysts know: ``device`` (a code to type on a page) and ``browser``
#: (authorization code with PKCE) serve single sign-on and MFA users; ``jwt`` is a user
#: assertion for automation; ``password`` is the legacy resource-owner grant.
GRANTS = ("password", "client_credentials", "device", "browser", "jwt")
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
    "private_key_file": "OIC_PRIVATE_KEY_FILE, private_key_file = in a profile, or the "
    "keyring (RememberedTokens().save_private_key)",
    "key_id": "OIC_KEY_ID, or key_id = in a profile",
}
_MAGIC_REMEMBER = "after %oic_login --remember"
_PYTHON_REMEMBER = "after OICClient.connect(remember=True)"
_LABELS = {
    "url": "OIC URL (design-time or runtime)",
    "identity_url": "identity domain host",
    "client_id": "client ID",
    "client_secret": "client secret",
    "scope": "scope or audience",
    "instance": "integration instance",
    "username": "user name",
    "password": "password",
    "private_key_file": "private key file of the JWT assertion",
    "key_id": "key id (certificate alias) of the JWT assertion",
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
    refresh_token: str | Secret | None = field(default=None, repr=False)
    private_key: str | Secret | None = field(default=None, repr=False)

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
        if self.grant in ("device", "browser", "jwt"):
            del needed["client_secret"]  # public clients have none; the domain decides
        if not self.refresh_token:
            needed["scope"] = v.get("scope") or v.get("audience")
            if self.grant == "password":
                needed["username"] = v.get("username")
                needed["password"] = v.get("password")
            if self.grant == "jwt":
                needed["username"] = v.get("username")
                needed["private_key_file"] = v.get("private_key_file") or self.private_key
                needed["key_id"] = v.get("key_id")
        return [name for name, value in needed.items() if not value]

    def settings(self) -> Settings:
        known = {f.name for f in dataclasses.fields(Settings)}
        return Settings(**{k: v for k, v in self.values.items() if k in known})


class MissingSettingsError(ConfigurationError):
    """A sign-in without some settings: one message listing each, with its sources."""

    def __init__(self, missing: list[str], *, magic: bool = True) -> None:
        where = {name: _WHERE[name] for name in missing}
        if not magic:  # plain Python: no magic to run, no form to show
            where = {k: v.replace(_MAGIC_REMEMBER, _PYTHON_REMEMBER) for k, v in where.items()}
        lines = [f"  - {_LABELS[name]}: {where[name]}" for name in missing]
        self.problems = [f"{_LABELS[name]} is missing" for name in missing]
        self.missing = missing
        if magic:
            head = "missing and no form can be shown (headless run)"
            hint = "\nSet them and run %oic_login again."
        else:
            head = "missing"
            hint = (
                "\nSet those OIC_* variables (or pass environ= a mapping of them), or name a "
                'profile that has them: OICClient.connect("NAME") or OIC_PROFILE=NAME; then '
                "call OICClient.connect() again."
            )
        OICError.__init__(
            self,
            f"cannot sign in: {len(missing)} setting(s) {head}:\n" + "\n".join(lines),
            hint=hint,
        )


# -- the chain -------------------------------------------------------------------------------
def resolve(
    options: LoginOptions,
    *,
    environ: Mapping[str, str] | None = None,
    default_profile: str | None = None,
    timeout: float | None = None,
    form: Mapping[str, Any] | None = None,
    remembered: RememberedTokens | None = None,
) -> Resolved:
    """Gather the settings for ``options`` from every source, highest first.

    *form* holds the values a person typed (already mapped to setting names); they rank
    highest and a password among them is never kept after the sign-in.
    """
    # Only the OIC_* variables that are read, the secret ones wrapped: no frame holds a
    # copy of the whole environment.
    env = environment(environ)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    default = None if options.profile else (default_profile or _text(env, "OIC_PROFILE"))
    if default:
        _layer(values, sources, _profile_values(default, env), f"profile [{default}]")
    _layer(values, sources, _env_values(env), "the environment")
    if timeout is not None:
        timeout = TIMEOUT.seconds(timeout, "%config OICMagics.timeout")
        _layer(values, sources, {"timeout": timeout}, "%config OICMagics.timeout")
    if options.profile:
        _layer(
            values,
            sources,
            _profile_values(options.profile, env),
            f"profile [{options.profile}]",
        )
    if form is not None:
        _layer(values, sources, form, FORM)
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


def _text(env: Mapping[str, str | Secret], name: str) -> str | None:
    value = env.get(name)
    return value if isinstance(value, str) else None


def _profile_values(name: str, env: Mapping[str, str | Secret]) -> dict[str, Any]:
    where = {k: v for k, v in env.items() if isinstance(v, str)}
    values: dict[str, Any] = dict(read_profile(name, environ=where).values)
    for secret in SECRETS:  # a private profile file may hold one
        if secret in values:
            values[secret] = Secret.of(values[secret])
    if "url" in values:
        url = values.pop("url")
        kind = "design_url" if classify_url(url) == "design-time" else "runtime_url"
        values.setdefault(kind, url)
    if "timeout" in values:
        values["timeout"] = TIMEOUT.seconds(
            values["timeout"], f"timeout in profile [{name}]", text=True
        )
    if "trusted_hosts" in values:
        values["trusted_hosts"] = tuple(values["trusted_hosts"].replace(",", " ").split())
    return values


def _env_values(env: Mapping[str, str | Secret]) -> dict[str, Any]:
    settings = Settings.from_env(env)
    defaults = Settings()
    values = {
        f.name: getattr(settings, f.name)
        for f in dataclasses.fields(Settings)
        if getattr(settings, f.name) != getattr(defaults, f.name)
    }
    grant = _text(env, "OIC_GRANT")
    if grant and grant.strip():  # not a Settings field, but layered like one
        values["grant"] = grant.strip()
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
    # A device or browser sign-in kept with --remember lets a headless run start from it.
    if resolved.grant in ("device", "browser") or (
        resolved.grant == "password" and not values.get("password")
    ):
        refresh = remembered.load_refresh_token(settings)
    key = None
    if resolved.grant == "jwt" and not values.get("private_key_file"):
        key = remembered.load_private_key(settings)
        if key:
            sources["private_key_file"] = "the keyring"
    return Resolved(
        values=values,
        sources=sources,
        grant=resolved.grant,
        refresh_token=refresh,
        private_key=key,
    )


# -- signing in ------------------------------------------------------------------------------
def sign_in(
    resolved: Resolved,
    options: LoginOptions,
    *,
    store: SessionStore,
    remembered: RememberedTokens | None,
    prompt: Prompt | None = None,
    magic: bool = True,
) -> Session:
    """Sign in with what the chain found (or say exactly what is missing), store the session.

    *prompt* shows a device code or browser address (``device`` and ``browser`` grants).
    *magic* False (plain Python) words the missing settings' advice without ``%oic_login``.
    """
    missing = resolved.missing()
    if missing:
        raise MissingSettingsError(missing, magic=magic)
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
            prompt=prompt,
            private_key=resolved.private_key,
        )
    except SignInError as exc:
        if not from_keyring or exc.error != "invalid_grant":
            raise
        assert remembered is not None
        session = _after_stale_refresh_token(resolved, options, remembered, exc, prompt)
    store.put(session)
    return session


def _after_stale_refresh_token(
    resolved: Resolved,
    options: LoginOptions,
    remembered: RememberedTokens,
    exc: SignInError,
    prompt: Prompt | None = None,
) -> Session:
    """The remembered refresh token was refused: remove it, then sign in anew or say so."""
    settings = resolved.settings()
    # Removed only if no other kernel stored a newer one meanwhile (then it is theirs).
    refused = resolved.refresh_token
    newer = remembered.discard_refresh_token(settings, refused) if refused else None
    what = (
        f"could not be used: {ELSEWHERE} (its newer token is kept)"
        if newer
        else f"could not be used: {ELSEWHERE}, and its newer token was refused too"
        if ELSEWHERE in exc.message
        else "has expired (its refresh token was refused) and was removed from the keyring"
    )
    interactive = resolved.grant in ("device", "browser")
    if interactive and prompt is not None:
        return Session.sign_in(
            settings,
            grant=resolved.grant,  # type: ignore[arg-type]
            remembered=remembered if options.remember else None,
            name=options.session,
            prompt=prompt,
        )
    if interactive:
        raise SignInError(
            f"the remembered sign-in {what}.",
            hint=f"Run %oic_login --grant {resolved.grant} --remember once with a person at "
            "the notebook; later headless runs sign in from the keyring again.",
            error=exc.error,
            description=exc.description,
            status=exc.status,
        ) from exc
    if not (settings.username and settings.password):
        raise SignInError(
            f"the remembered sign-in {what}.",
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
    return resolved.sources.get("password", FORM) != FORM
