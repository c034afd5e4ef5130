"""The control API: ``emu.control`` in Python and ``/_emulator/...`` over HTTP.

Both faces call the same ``Control`` methods, so a test may use either.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._backend import Backend


class Control:
    """One method per control operation (see docs/internals.md, section 1)."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def reset(self) -> None:
        """Data, tokens, faults, latency, clock and log back to start."""
        self._backend.reset()

    def reseed(self, seed: int, connections: int | None = None) -> None:
        """A new data set from ``seed`` (optionally another size)."""
        self._backend.reseed(int(seed), None if connections is None else int(connections))

    def add_instances(self, count: int, seconds: float = 86400.0, seed: int = 1) -> int:
        """*count* more monitoring instances, created in the last *seconds* (a busy day)."""
        return self._backend.add_instances(int(count), float(seconds), int(seed))

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator clock (token expiry, activation delay)."""
        self._backend.clock.advance(float(seconds))

    def set_token_lifetimes(
        self, access: float | None = None, refresh: float | None = None
    ) -> None:
        """Lifetimes in seconds of tokens issued from now on."""
        identity = self._backend.identity
        if access is not None:
            identity.access_ttl = float(access)
        if refresh is not None:
            identity.refresh_ttl = float(refresh)

    def set_latency(self, seconds: float, pattern: str | None = None) -> None:
        """Delay per request (only paths matching the regex ``pattern`` when given)."""
        self._backend.set_latency(seconds, pattern)

    def set_activation_delay(self, seconds: float) -> None:
        """Seconds (on the emulator clock) an activation takes."""
        self._backend.resources.activation_delay = float(seconds)

    def set_recovery_delay(self, seconds: float) -> None:
        """Seconds (on the emulator clock) a recovery job takes per started ten instances."""
        self._backend.recovery.seconds = float(seconds)

    def inject_fault(
        self,
        kind: str | int,
        count: int | None = None,
        fraction: float | None = None,
        pattern: str | None = None,
        origin: str | None = None,
        retry_after: float | None = None,
        seconds: float = 30.0,
        status: int | None = None,
    ) -> int:
        """Add a fault; returns its id.

        Kinds: ``429 500 502 503 504 slow drop malformed html`` (what a cloud API does
        when it struggles) and ``huge deep latin1 text items-not-list`` (2xx bodies that
        are not what the API promises).
        """
        return self._backend.inject_fault(
            kind,
            count=count,
            fraction=fraction,
            pattern=pattern,
            origin=origin,
            retry_after=retry_after,
            seconds=seconds,
            status=status,
        )

    def set_async_imports(self, on: bool = True, *, seconds: float | None = None) -> None:
        """Imports answer 202 and an import job (done after ``seconds`` on the clock)."""
        self._backend.lifecycle.async_imports = bool(on)
        if seconds is not None:
            self._backend.lifecycle.job_delay = float(seconds)

    def planted(self) -> list[dict[str, Any]]:
        """The differences a ``variant`` planted: kind, key, change, field, left, right."""
        return [dict(row) for row in self._backend.planted]

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._backend.clear_faults()

    def revoke_tokens(self) -> None:
        """Every access token issued so far answers 401 from now on."""
        self._backend.identity.revoke_all()

    def revoke_refresh_tokens(self) -> None:
        """Every refresh token issued so far is refused (``invalid_grant``) from now on."""
        self._backend.identity.revoke_refresh_tokens()

    def set_password(self, username: str, password: str) -> None:
        """Change a demo user's password (until ``reset``): the old one is refused."""
        self._backend.identity.set_password(str(username), str(password))

    def set_token_rate_limit(self, per_second: float | None) -> None:
        """Token requests beyond ``per_second`` answer 429 (None lifts the limit)."""
        self._backend.identity.set_rate_limit(per_second)

    # -- sign-in with a person or a key ---------------------------------------------------
    def pending_device_codes(self) -> list[str]:
        """User codes of device sign-ins waiting for an answer (never the device codes)."""
        return self._backend.identity.signin.pending_user_codes()

    def approve_device(self, user_code: str, username: str = "sso.user") -> None:
        """Approve a pending device code as *username* (what the verification page does)."""
        self._backend.identity.signin.decide_device(user_code, username=username, approve=True)

    def deny_device(self, user_code: str) -> None:
        """Deny a pending device code."""
        self._backend.identity.signin.decide_device(user_code, username=None, approve=False)

    def set_device_interval(self, seconds: float | None) -> None:
        """Send ``interval`` with new device codes (None: none, as OCI documents)."""
        self._backend.identity.signin.device_interval = None if seconds is None else float(seconds)

    def set_grant(self, client_id: str, grant: str, allowed: bool) -> None:
        """Allow or refuse one grant type (as the token endpoint names it) to an application."""
        self._backend.identity.set_grant(client_id, grant, bool(allowed))

    def set_redirect_uris(self, client_id: str, uris: list[str]) -> None:
        """Register exactly these redirect URIs for an application."""
        self._backend.identity.set_redirect_uris(client_id, list(uris))

    def jwt_key(self, kid: str = "oic-magic-demo-key") -> dict[str, str]:
        """A new RSA key for JWT assertions: its public half is registered under *kid*."""
        return self._backend.identity.signin.new_key(kid)

    def redirect_runtime(self, target: str = "design", status: int = 307) -> None:
        """Runtime origin redirects Developer API calls to ``design``, ``foreign`` or an origin."""
        self._backend.redirect_runtime(target, status)

    def requests(self) -> list[dict[str, Any]]:
        """The request log (``/_emulator/`` calls excluded)."""
        return self._backend.requests()

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._backend.clear_requests()

    def foreign_received(self) -> list[dict[str, Any]]:
        """What the foreign origin received: method, path, headers."""
        return self._backend.foreign_received()


def _fault_args(body: dict[str, Any]) -> dict[str, Any]:
    allowed = ("kind", "count", "fraction", "pattern", "origin", "retry_after", "seconds", "status")
    return {k: body[k] for k in allowed if k in body}


#: (method, name) -> call(control, json body) -> JSON answer
ROUTES: dict[tuple[str, str], Callable[[Control, dict[str, Any]], Any]] = {
    ("POST", "reset"): lambda c, b: c.reset(),
    ("POST", "reseed"): lambda c, b: c.reseed(b["seed"], b.get("connections")),
    ("POST", "clock"): lambda c, b: c.advance_clock(b["advance"]),
    ("POST", "instances"): lambda c, b: {
        "added": c.add_instances(b["count"], b.get("seconds", 86400.0), b.get("seed", 1))
    },
    ("POST", "token-lifetimes"): lambda c, b: c.set_token_lifetimes(
        b.get("access"), b.get("refresh")
    ),
    ("POST", "latency"): lambda c, b: c.set_latency(b["seconds"], b.get("pattern")),
    ("POST", "activation-delay"): lambda c, b: c.set_activation_delay(b["seconds"]),
    ("POST", "recovery-delay"): lambda c, b: c.set_recovery_delay(b["seconds"]),
    ("POST", "faults"): lambda c, b: {"id": c.inject_fault(**_fault_args(b))},
    ("DELETE", "faults"): lambda c, b: c.clear_faults(),
    ("POST", "revoke"): lambda c, b: c.revoke_tokens(),
    ("POST", "revoke-refresh"): lambda c, b: c.revoke_refresh_tokens(),
    ("POST", "password"): lambda c, b: c.set_password(b["username"], b["password"]),
    ("POST", "token-rate"): lambda c, b: c.set_token_rate_limit(b.get("per_second")),
    ("POST", "redirect"): lambda c, b: c.redirect_runtime(
        b.get("target", "design"), b.get("status", 307)
    ),
    ("GET", "device-codes"): lambda c, b: {"items": c.pending_device_codes()},
    ("POST", "device-approve"): lambda c, b: c.approve_device(
        b["user_code"], b.get("username", "sso.user")
    ),
    ("POST", "device-deny"): lambda c, b: c.deny_device(b["user_code"]),
    ("POST", "device-interval"): lambda c, b: c.set_device_interval(b.get("seconds")),
    ("POST", "grant"): lambda c, b: c.set_grant(b["client_id"], b["grant"], b["allowed"]),
    ("POST", "redirect-uris"): lambda c, b: c.set_redirect_uris(b["client_id"], b["uris"]),
    ("POST", "jwt-key"): lambda c, b: c.jwt_key(b.get("kid", "oic-magic-demo-key")),
    ("GET", "requests"): lambda c, b: {"items": c.requests()},
    ("DELETE", "requests"): lambda c, b: c.clear_requests(),
    ("GET", "foreign"): lambda c, b: {"items": c.foreign_received()},
    ("GET", "planted"): lambda c, b: {"items": c.planted()},
    ("POST", "async-imports"): lambda c, b: c.set_async_imports(
        bool(b.get("on", True)), seconds=b.get("seconds")
    ),
}
