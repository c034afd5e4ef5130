"""Waiting for OIC's asynchronous activation: poll ``activationStatus`` to the end.

Activating is a ``PATCH`` of ``integrations/{CODE|VERSION}`` with
``{"status": "ACTIVATED"}``; OIC answers ``ACTIVATION_INPROGRESS`` at once and the
outcome comes later from ``GET integrations/{id}/activationStatus``.  Deactivating
(``{"status": "CONFIGURED"}``) may be done by the time the answer arrives, or not:
both are handled the same way, by polling until the status asked for is seen.

- A wait for ``ACTIVATED`` ends with it, or with ``FAILEDACTIVATION``
  (:class:`~oic_magic.exceptions.ActivationFailedError`).
- Any other status (``ACTIVATION_INPROGRESS``, ``INPROGRESS``, a brief
  ``CONFIGURED`` before OIC picks the request up) means "keep waiting", until the
  timeout (:class:`~oic_magic.exceptions.ActivationTimeoutError`, which says the
  change may still complete and how to look).
- Time is read from an injected clock and waited with an injected sleep, so tests
  drive the wait without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from ..exceptions import ActivationFailedError, ActivationTimeoutError
from ._bounds import INTERVAL, WAIT

__all__ = [
    "ACTIVATED",
    "CONFIGURED",
    "FAILED",
    "Activation",
    "Target",
    "WaitProgress",
    "answered_status",
    "check_id",
    "check_target",
    "wait_for",
]

ACTIVATED: Final = "ACTIVATED"
CONFIGURED: Final = "CONFIGURED"
FAILED: Final = "FAILEDACTIVATION"

Target = Literal["ACTIVATED", "CONFIGURED"]
#: Called after every status read with (status, elapsed seconds): a progress display.
WaitProgress = Callable[[str, float], None]


@dataclass(frozen=True, kw_only=True)
class Activation:
    """How one activation (or deactivation) went.

    ``observed`` holds every status seen, in order, as ``(elapsed seconds, status)``:
    first the change request's own answer when there was one, then each poll of
    ``activationStatus``.  ``polls`` counts the polls only; ``elapsed`` is the whole wait.
    """

    id: str
    wanted: str
    status: str
    observed: tuple[tuple[float, str], ...]
    polls: int
    elapsed: float

    @property
    def done(self) -> bool:
        """True when the integration reached the status asked for."""
        return self.status == self.wanted


def check_id(integration_id: str) -> str:
    """*integration_id* (``CODE|VERSION``) if it can only name one integration."""
    ident = integration_id.strip()
    # The id becomes one path segment: a slash or query would reach another resource.
    if not ident or any(c in ident for c in "/?#"):
        raise ValueError(f"{integration_id!r} is not an integration id (CODE|VERSION)")
    return ident


def answered_status(answer: object) -> str | None:
    """The ``status`` a change request answered (``ACTIVATION_INPROGRESS``...), if any."""
    value = answer.get("status") if isinstance(answer, dict) else None
    return value if isinstance(value, str) else None


def check_target(status: str) -> Target:
    """*status* if a wait can end in it: ``ACTIVATED`` or ``CONFIGURED``."""
    if status == ACTIVATED:
        return ACTIVATED
    if status == CONFIGURED:
        return CONFIGURED
    raise ValueError(f"status {status!r}: an activation ends ACTIVATED or CONFIGURED")


def wait_for(
    read_status: Callable[[], str],
    *,
    integration_id: str,
    wanted: Target,
    answered: str | None,
    started: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    timeout: float,
    interval: float,
    progress: WaitProgress | None = None,
) -> Activation:
    """Poll *read_status* every *interval* seconds until *wanted*; raise on failure or timeout.

    *answered* is the change request's own answer (recorded first; when it already
    is *wanted*, nothing is polled). *started* is the clock reading elapsed time counts from.
    """
    timeout = WAIT.seconds(timeout, "timeout")
    interval = INTERVAL.seconds(interval, "interval")
    seen = _Seen(integration_id=integration_id, wanted=wanted, started=started, clock=clock)
    if answered is not None:
        seen.add(answered, polled=False)
        if answered == wanted:
            return seen.result()
    while True:
        status = seen.add(read_status(), polled=True)
        if progress is not None:
            progress(status, seen.elapsed)
        if status == wanted:
            return seen.result()
        if status == FAILED and wanted == ACTIVATED:
            raise _failed(seen.result())
        remaining = timeout - seen.elapsed
        if remaining <= 0:
            raise _timed_out(seen.result(), timeout)
        sleep(min(interval, remaining))


class _Seen:
    """The statuses observed so far, timed on the injected clock."""

    def __init__(
        self, *, integration_id: str, wanted: Target, started: float, clock: Callable[[], float]
    ) -> None:
        self.integration_id, self.wanted = integration_id, wanted
        self._started, self._clock = started, clock
        self.observed: list[tuple[float, str]] = []
        self.polls = 0
        self.elapsed = 0.0

    def add(self, status: str, *, polled: bool) -> str:
        self.elapsed = max(0.0, self._clock() - self._started)
        self.observed.append((self.elapsed, status))
        if polled:
            self.polls += 1
        return status

    def result(self) -> Activation:
        return Activation(
            id=self.integration_id,
            wanted=self.wanted,
            status=self.observed[-1][1],
            observed=tuple(self.observed),
            polls=self.polls,
            elapsed=self.elapsed,
        )


def _what(activation: Activation) -> str:
    return "activation" if activation.wanted == ACTIVATED else "deactivation"


def _failed(activation: Activation) -> ActivationFailedError:
    return ActivationFailedError(
        f"activation of {activation.id} failed: OIC reports {FAILED} after "
        f"{activation.polls} poll(s), {activation.elapsed:.1f}s.",
        activation=activation,
        hint="The design is kept but its endpoint is not live; open the integration in OIC "
        "to see why (often a connection that is not configured), fix it and activate again.",
    )


def _timed_out(activation: Activation, timeout: float) -> ActivationTimeoutError:
    ident = activation.id
    return ActivationTimeoutError(
        f"{_what(activation)} of {ident} not finished after {timeout:g}s: still "
        f"{activation.status} ({activation.polls} poll(s)); it may still complete.",
        activation=activation,
        hint=f"Check with %oic GET integrations/{ident}/activationStatus (from Python: "
        f"client.get('integrations/{ident}/activationStatus')), or wait longer: "
        "%config OICMagics.activation_timeout = 600 (from Python: timeout=600).",
    )
