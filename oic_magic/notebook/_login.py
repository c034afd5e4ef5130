"""Sign-in in the notebook: the form's values, headless or not, the outcome in words, ``--demo``.

The credential chain itself (profile > environment > keyring) is the core's
(:mod:`oic_magic.core._credentials`); this module adds the form's fields on top of it.

Headless (nobody can answer a form: papermill, nbclient, nbconvert, a plain
IPython) means the current request's ``allow_stdin`` is false, or there is no
kernel at all.  Headless with settings missing raises one error that lists each
missing setting and where it can come from.

``--demo`` starts :class:`oic_magic.emulator.Emulator` in this process (once) and
signs in to it with its demo user.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

# The chain's names are this module's too: ``__all__`` below starts from the core's list
# (imported by its own name, which is also how mypy learns that they are exported).
from ..core._credentials import FORM as FORM
from ..core._credentials import GRANTS as GRANTS
from ..core._credentials import SECRETS as SECRETS
from ..core._credentials import LoginOptions, Resolved
from ..core._credentials import MissingSettingsError as MissingSettingsError
from ..core._credentials import __all__ as __all__
from ..core._credentials import keeps_password as keeps_password
from ..core._credentials import resolve as resolve_chain
from ..core._credentials import sign_in as sign_in
from ..core._keyring import RememberedTokens
from ..core._secret import Secret, redact_known
from ..core._session import Session
from ..core._settings import classify_url
from ..exceptions import SignInError

if TYPE_CHECKING:
    from ..widgets import LoginValues, Outcome

__all__ = [
    *__all__,
    "demo_emulator",
    "demo_emulators",
    "describe_session",
    "is_headless",
    "stop_demo",
]


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


# -- the form's values ----------------------------------------------------------------------
def _form_values(form: LoginValues) -> dict[str, Any]:
    values: dict[str, Any] = {
        "identity_url": form.identity_url, "client_id": form.client_id,
        "client_secret": Secret.of(form.client_secret), "instance": form.instance,
        "username": form.username, "password": Secret.of(form.password), "grant": form.grant,
    }  # fmt: skip
    if form.url:
        kind = "design_url" if classify_url(form.url) == "design-time" else "runtime_url"
        values[kind] = form.url
    if form.scope:
        # The field takes either: a full scope names a resource (urn:/ic/api), an audience does not.
        is_scope = "urn:" in form.scope or "/ic/api" in form.scope
        values["scope" if is_scope else "audience"] = form.scope
    return values


def resolve(
    options: LoginOptions,
    *,
    environ: Mapping[str, str] | None = None,
    default_profile: str | None = None,
    timeout: float | None = None,
    form: LoginValues | None = None,
    remembered: RememberedTokens | None = None,
) -> Resolved:
    """The core's credential chain, with the form's fields (if any) ranked highest."""
    return resolve_chain(
        options,
        environ=environ,
        default_profile=default_profile,
        timeout=timeout,
        form=None if form is None else _form_values(form),
        remembered=remembered,
    )


def describe_session(session: Session, *, remembered: bool) -> str:
    """The outcome in plain words: who, which instance, until when."""
    token, settings = session.token, session.settings
    who = token.claims.get("user_displayname") or session.user or "the application"
    user = session.user or settings.username
    named = f"{who} ({user})" if user and user != who else str(who)
    until = dt.datetime.fromtimestamp(token.expires_at, tz=dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    renews = (
        "renews itself"
        if token.refresh_token or session.grant == "client_credentials"
        else "cannot be refreshed (no refresh token: add offline_access to the scope)"
    )
    # Only when the keyring really holds it (not when it fell back to memory only).
    keep = " Remembered in the keyring." if remembered and session.remembered else ""
    return (
        f"Signed in as {named} to instance {settings.instance} at {settings.api_origin}. "
        f"The token is valid until {until} and {renews}. Session: {session.name}.{keep}"
    )


def needs_a_person(resolved: Resolved) -> bool:
    """A device or browser sign-in with no remembered refresh token to start from."""
    return resolved.grant in ("device", "browser") and not resolved.refresh_token


def headless_refusal(grant: str) -> SignInError:
    """What a headless run says instead of starting a device or browser sign-in."""
    return SignInError(
        f"a headless run cannot start the {grant} sign-in: nobody is there to open the page.",
        hint=f"Sign in once with %oic_login --grant {grant} --remember in Jupyter; later "
        "headless runs with the same settings sign in from the keyring. For unattended "
        "automation use --grant jwt (a signed user assertion) or client_credentials.",
    )


def describe_failure(error: BaseException) -> Outcome:
    """What went wrong and what to check, for the form."""
    from ..widgets import Outcome

    # The error's text is redacted already; any secret alive is taken out once more.
    return Outcome(ok=False, text=redact_known(f"Sign-in failed: {error}"))


# -- the built-in emulator -------------------------------------------------------------------
_demo_lock = threading.Lock()
_demos: dict[str, Any] = {}
#: Sessions whose demo instance holds the seeded estate as it is; any other name (test,
#: prod, ...) gets an instance of its own with a few differences planted.
_AS_SEEDED = ("default", "dev")


def demo_emulator(session: str = "default") -> Any:
    """The emulator of *session* in this process, started on first use, kept for the kernel.

    ``default`` is ``oic-demo``; every other session name is an instance of its own,
    ``oic-<name>``, of the same estate: ``dev`` as seeded, any other name with the
    differences of an instance that lived apart (``emulator.control.planted()``).
    """
    with _demo_lock:
        emulator = _demos.get(session)
        if emulator is None:
            from ..emulator import Emulator

            if session == "default":
                emulator = Emulator()
            else:
                variant = None if session in _AS_SEEDED else session
                emulator = Emulator(instance=f"oic-{session}", variant=variant)
            _demos[session] = emulator.start()
        return emulator


def demo_emulators() -> dict[str, Any]:
    """Every demo emulator started in this process, by session name."""
    with _demo_lock:
        return dict(_demos)


def stop_demo() -> None:
    """Stop every demo emulator that was started (tests; a kernel simply exits)."""
    with _demo_lock:
        emulators = list(_demos.values())
        _demos.clear()
    for emulator in emulators:
        emulator.stop()


def demo_resolved(options: LoginOptions) -> Resolved:
    """Settings for the built-in emulator's demo user."""
    from ..emulator import DEMO

    emu = demo_emulator(options.session)
    values = {
        "design_url": emu.design_url, "runtime_url": emu.runtime_url,
        "identity_url": emu.identity_url, "client_id": DEMO.client_id,
        "client_secret": DEMO.client_secret, "scope": emu.scope, "instance": emu.instance,
        "username": DEMO.username, "password": DEMO.password,
    }  # fmt: skip
    sources = dict.fromkeys(values, "the built-in emulator")
    return Resolved(values=values, sources=sources, grant=options.grant or "password")
