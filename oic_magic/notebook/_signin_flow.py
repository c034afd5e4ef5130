"""The sign-in flows of a waiting cell: the device or browser panel, and the form waited for.

``%oic_login`` calls :func:`with_panel` for ``--grant device|browser`` and
:func:`wait_for_form` when the form is shown in a kernel whose widgets can be pumped: the
cell blocks (Run All waits) until signed in, cancelled or ``sign_in_timeout`` runs out, and
both of those raise, so a run stops at this cell instead of failing at the next.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..core._credentials import LoginOptions, Resolved
from ..core._keyring import RememberedTokens
from ..core._session import Session, default_store
from ..exceptions import OICError, SignInCancelledError, SignInTimeoutError
from . import _login
from ._waiting import Pump, wait_until

if TYPE_CHECKING:
    from ..widgets import Outcome

__all__ = ["form_sign_in", "from_form", "wait_for_form", "with_panel"]


def with_panel(
    resolved: Resolved,
    options: LoginOptions,
    *,
    remembered: RememberedTokens | None,
    pump: Pump | None,
) -> Session:
    """Sign in with a person in the loop, the panel showing the code or link, then the outcome."""
    from IPython.display import display

    from ._signin_panel import SignInPanel

    panel = SignInPanel(pump=pump)
    display(panel)
    try:
        session = _login.sign_in(
            resolved, options, store=default_store(), remembered=remembered, prompt=panel
        )
    except OICError as error:
        panel.finish(ok=False, text=_login.describe_failure(error).text)
        raise
    panel.finish(ok=True, text=_login.describe_session(session, remembered=options.remember))
    return session


def wait_for_form(
    magics: Any, options: LoginOptions, form: Any, asked: list[Any], *, pump: Pump
) -> None:
    """Run All waits here until the form signs in, is cancelled, or the time runs out."""
    from IPython.display import display

    from ..widgets import Outcome

    display(form)
    deadline = time.monotonic() + magics.sign_in_timeout
    while not form.finished:
        left = deadline - time.monotonic()
        if not wait_until(lambda: form.finished or bool(asked), pump=pump, timeout=max(left, 0)):
            raise SignInTimeoutError(
                f"nobody finished the sign-in form within {magics.sign_in_timeout:.0f} s.",
                hint="Run %oic_login again (or %config OICMagics.sign_in_timeout = seconds).",
            )
        if asked:
            values = asked.pop()
            outcome = from_form(magics, options, values, pump=pump)
            form.show_outcome(outcome or Outcome(ok=False, text="Sign-in failed."))
    if not form.signed_in:
        raise SignInCancelledError("the sign-in form was cancelled.", hint="Run %oic_login again.")


def from_form(magics: Any, options: LoginOptions, values: Any, *, pump: Pump | None) -> Any:
    """The browser or device sign-in asked for from the form."""
    return form_sign_in(
        magics,
        options,
        values,
        sign_in=lambda again, chosen: magics._interactive_sign_in(again, chosen, pump=pump),
    )


def form_sign_in(
    magics: Any,
    options: LoginOptions,
    values: Any,
    *,
    sign_in: Callable[[Resolved, LoginOptions], Session],
    guard: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext,
) -> Outcome:
    """Sign in with the form's *values* ranked over the chain: the outcome, never a raise.

    *sign_in* does the signing in (stored, the panel shown, or not); *guard* is entered
    around the resolving and signing in (the tracebacks' cleaning, for the form's button).
    """
    from ..widgets import Outcome

    chosen = LoginOptions(
        profile=options.profile,
        session=values.session,
        grant=values.grant,
        remember=values.remember,
    )
    try:
        with guard():
            again = _login.resolve(
                chosen,
                default_profile=magics.default_profile,
                timeout=magics.timeout,
                form=values,
                remembered=magics._remembered,
            )
            missing = again.missing()
            if missing:
                raise _login.MissingSettingsError(missing)
            session = sign_in(again, chosen)
    except OICError as error:
        return _login.describe_failure(error)
    return Outcome(ok=True, text=_login.describe_session(session, remembered=values.remember))
