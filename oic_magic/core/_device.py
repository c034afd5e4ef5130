"""The device-code sign-in (RFC 8628): a link and a code for the user, polling for the token.

It works from any kernel, local or remote, because the kernel never receives the browser's
answer: the user opens ``verification_uri`` anywhere, signs in there (single sign-on, MFA),
types the user code, and the kernel polls the token endpoint until the identity domain says
yes or no.

1. :meth:`DeviceFlow.start` posts ``response_type=device_code&scope&client_id`` to
   ``<domain>/oauth2/v1/device`` (a confidential client authenticates as at the token
   endpoint) and answers a :class:`DeviceCode`.
2. :meth:`DeviceFlow.wait` polls ``/oauth2/v1/token`` with
   ``grant_type=urn:ietf:params:oauth:grant-type:device_code`` every ``interval`` seconds
   (5 when the server names none, RFC 8628 3.2): ``authorization_pending`` polls again,
   ``slow_down`` adds 5 s to the interval for good, ``access_denied`` raises
   :class:`~oic_magic.exceptions.SignInDeniedError`, ``expired_token`` (or the code's own
   ``expires_in`` running out here first) :class:`~oic_magic.exceptions.SignInTimeoutError`.

Clock and sleep are constructor seams; *sleep* is also where a notebook keeps its widgets
alive between polls and where a Cancel button is noticed (it raises
:class:`~oic_magic.exceptions.SignInCancelledError`). The device code never leaves this
module except in the poll's form body: it is not in any repr, log or message.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..exceptions import (
    SignInCancelledError,
    SignInDeniedError,
    SignInError,
    SignInTimeoutError,
    TokenEndpointError,
)
from ._auth import TokenEndpoint
from ._responses import load_json
from ._secret import Secret
from ._token import Token

__all__ = ["DEVICE_GRANT", "DeviceCode", "DeviceFlow", "device_url"]

logger = logging.getLogger("oic_magic.device")

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
DEVICE_PATH = "/oauth2/v1/device"
DEFAULT_INTERVAL = 5.0
#: Bounds on what the server says: a device code lives an hour at most, polls wait a minute.
MAX_CODE_LIFETIME = 3600.0
MAX_INTERVAL = 60.0
SLOW_DOWN_STEP = 5.0

Clock = Callable[[], float]
Sleep = Callable[[float], None]
Cancelled = Callable[[], bool]


def device_url(token_url: str) -> str:
    """The device authorization endpoint beside the token endpoint ``.../token``."""
    base, _, last = token_url.rstrip("/").rpartition("/")
    return f"{base}/device" if last == "token" else token_url.rstrip("/") + DEVICE_PATH


@dataclass(frozen=True, kw_only=True)
class DeviceCode:
    """The device authorization answer: what the user needs, and the secret the kernel keeps.

    ``user_code`` is meant to be shown (only while it is valid); ``device_code`` never is.
    Times are on the flow's clock.
    """

    device_code: Secret = field(repr=False)
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None = None
    expires_at: float
    interval: float = DEFAULT_INTERVAL

    def expires_in(self, now: float) -> float:
        """Seconds the user has left at *now*."""
        return self.expires_at - now

    @property
    def link(self) -> str:
        """The page to open: with the code filled in when the server offers that."""
        return self.verification_uri_complete or self.verification_uri


class DeviceFlow:
    """One device-code sign-in: :meth:`start`, show the code, :meth:`wait`."""

    def __init__(
        self,
        endpoint: TokenEndpoint,
        *,
        scope: str,
        url: str | None = None,
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self.scope = scope
        self.url = url or device_url(endpoint.url)
        self._clock = clock
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"DeviceFlow(url={self.url!r}, client_id={self.endpoint.client_id!r})"

    def start(self) -> DeviceCode:
        """Ask the identity domain for a device code and a user code."""
        # client_id always: Oracle's page sends it, and RFC 8628 needs it from a public client.
        form: dict[str, str | Secret] = {
            "response_type": "device_code",
            "scope": self.scope,
            "client_id": self.endpoint.client_id,
        }
        logger.debug("device authorization request: host=%s", self.endpoint.host)
        response = self.endpoint.post_form(self.url, form)
        if response.status_code != 200:
            raise self.endpoint.error(response, grant="device code")
        return self._code(_json(response), now=self._clock())

    def wait(self, code: DeviceCode, *, cancelled: Cancelled | None = None) -> Token:
        """Poll until the user approves (the token), refuses, or the code expires."""
        interval = code.interval
        while True:
            if cancelled is not None and cancelled():
                raise SignInCancelledError("the device sign-in was cancelled.")
            if code.expires_in(self._clock()) <= 0:
                raise _expired()
            self._sleep(min(interval, max(code.expires_in(self._clock()), 0.0)))
            if cancelled is not None and cancelled():
                raise SignInCancelledError("the device sign-in was cancelled.")
            try:
                return self.poll(code)
            except SignInError as exc:
                if exc.error == "authorization_pending":
                    continue
                if exc.error == "slow_down":
                    interval += SLOW_DOWN_STEP
                    logger.debug("device polling slowed down to every %.0fs", interval)
                    continue
                raise _typed(exc) from None

    def poll(self, code: DeviceCode) -> Token:
        """One token request for *code* (raises the server's error, pending included)."""
        form: dict[str, str | Secret] = {
            "grant_type": DEVICE_GRANT,
            "device_code": code.device_code,
        }
        return self.endpoint.grant(form, grant="device code")

    # -- reading the device authorization answer ---------------------------------------
    def _code(self, body: dict[str, Any], *, now: float) -> DeviceCode:
        device, user, uri = (body.get(k) for k in ("device_code", "user_code", "verification_uri"))
        # RFC 8628 says verification_uri; some servers (Google) answered verification_url.
        uri = uri or body.get("verification_url")
        if not (isinstance(device, Secret) and isinstance(user, str) and isinstance(uri, str)):
            raise TokenEndpointError(
                f"the device endpoint at {self.endpoint.host} answered without a device code, "
                "user code and verification address.",
                hint="Check identity_url: it must be the identity domain itself.",
                status=200,
            )
        complete = body.get("verification_uri_complete")
        return DeviceCode(
            device_code=device,
            user_code=user,
            verification_uri=uri,
            verification_uri_complete=complete if isinstance(complete, str) else None,
            expires_at=now + min(_number(body.get("expires_in"), 300.0), MAX_CODE_LIFETIME),
            interval=min(max(_number(body.get("interval"), DEFAULT_INTERVAL), 1.0), MAX_INTERVAL),
        )


def _json(response: Any) -> dict[str, Any]:
    try:
        body = load_json(response)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get("device_code"), str):  # wrapped as soon as it is read
        body["device_code"] = Secret(body["device_code"])
    return body


def _number(value: Any, default: float) -> float:
    """A positive finite number of seconds from the server, else *default* ("²", NaN, inf)."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return default
        if math.isfinite(number) and number > 0:
            return number
    return default


def _expired() -> SignInTimeoutError:
    return SignInTimeoutError(
        "the device code expired before the sign-in was approved.",
        hint="Run %oic_login --grant device again and finish on the page within the time shown.",
        error="expired_token",
    )


def _typed(exc: SignInError) -> SignInError:
    if exc.error == "access_denied":
        return SignInDeniedError(
            "the sign-in was denied on the identity domain's page (access_denied).",
            hint="Run the sign-in again and approve it, or ask why your user may not sign in.",
            error=exc.error,
            description=exc.description,
            status=exc.status,
        )
    if exc.error == "expired_token":
        return _expired()
    return exc
