"""The hint an API error carries: what to do about its HTTP status, in OIC's terms."""

from __future__ import annotations

__all__ = ["status_hint"]

_STATUS_HINTS = {
    400: "Check the path, the query parameters (q, limit, offset) and the body.",
    401: "The token was refused even after renewing it: sign in again with %oic_login.",
    403: "The user lacks the role for this call (ServiceDeveloper to change things, "
    "ServiceUser to read); ask an administrator.",
    404: "Check the name or id (integrations are CODE|VERSION, e.g. HELLO|01.00.0000) "
    "and the integration instance.",
    405: "This resource does not accept that method.",
    409: "The resource is in a conflicting state (exists already, or not configured).",
    429: "OIC is throttling requests; wait a little and try again.",
}
_SERVER_HINT = "OIC had a problem; try again later, and check OIC's status if it persists."
# OIC answers 412 both for a locked resource and for an integration that cannot be
# activated yet; its message tells which.
_LOCKED_HINT = "The resource is locked; unlock it in OIC and try again."
_INCOMPLETE_HINT = (
    "The integration is not finished: complete it in OIC's designer (every "
    "step configured, 100% complete), then activate it."
)
_PRECONDITION_HINT = (
    "OIC refused because a precondition of this call is not met; check the "
    "resource's state in OIC (locked, unfinished, changed meanwhile) and "
    "try again."
)


def status_hint(status: int, message: str) -> str | None:
    """What to do about an error *status*, chosen by OIC's *message* where it tells more."""
    if status == 412:
        return _precondition_hint(message)
    return _STATUS_HINTS.get(status, _SERVER_HINT if status >= 500 else None)


def _precondition_hint(message: str) -> str:
    """The hint for a 412: locked, an unfinished integration, or another precondition."""
    text = message.lower()
    if "locked" in text:
        return _LOCKED_HINT
    if "not complete" in text or "incomplete" in text:
        return _INCOMPLETE_HINT
    return _PRECONDITION_HINT
