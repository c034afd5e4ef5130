"""Every error oic_magic raises on purpose, in one tree.

::

    OICError
    ├── ConfigurationError          settings missing, malformed or unsafe (http:// off loopback)
    │   └── SettingRangeError       a numeric setting out of its range (also a ValueError)
    ├── SignInError                 the identity domain refused to issue a token
    │   ├── BadCredentialsError     wrong user name or password (invalid_grant)
    │   ├── LockedUserError         the user is locked in the identity domain
    │   ├── FederatedUserError      SSO/federated user: the password grant cannot work
    │   ├── InvalidClientError      wrong client id or secret (invalid_client)
    │   ├── InvalidScopeError       scope does not match the instance's audience
    │   ├── GrantNotAllowedError    the app lacks this grant (unauthorized_client, ...)
    │   ├── SignInDeniedError       the user said no on the sign-in page (access_denied)
    │   ├── SignInCancelledError    the person cancelled a device or browser sign-in
    │   ├── SignInTimeoutError      the device code or the browser wait ran out
    │   └── TokenEndpointError      anything else: redirect, 5xx, throttling, bad JSON
    ├── SessionExpiredError         the refresh token is gone and no password is held
    │   ├── RenewalLostError        a renewal's answer was lost: no more token requests
    │   └── RenewedElsewhereError   another kernel sharing --remember renewed the token
    ├── NotSignedInError            no session under that name
    ├── SessionsFailedError         a call across sessions failed in some (others' results kept)
    ├── APIStatusError              OIC answered 4xx/5xx (status, method, path, message)
    │   └── RedirectError           a redirect that is not safe to follow
    ├── TransportError              no HTTP answer: DNS, refused, reset, timeout
    │   └── TLSVerificationError    the server certificate was not trusted
    ├── ResponseFormatError         an answer that is not the JSON it should be
    ├── JobFailedError              an accepted job (202) failed, or outran its wait
    ├── StepsFailedError            steps of an export, import or sweep failed (every row kept)
    ├── RequestError                a request that cannot be sent as written (also a ValueError)
    ├── IncompleteResultError       a listing that could not be read completely
    │   ├── ListChangedError        the list changed during every read of it
    │   └── RowLimitError           a listing larger than the row cap
    ├── ActivationError             an (de)activation did not reach the status asked for
    │   ├── ActivationFailedError   OIC reports FAILEDACTIVATION
    │   └── ActivationTimeoutError  still in progress when the wait ran out (may yet finish)
    └── RecoveryTimeoutError        a recovery job still running when the wait ran out

Each message says what happened and what to do next, and never contains a
password, client secret or token: the messages are built from non-secret
facts only, and server text is trimmed before it is quoted.

httpx's own exceptions are translated in one place, :func:`map_httpx_errors`.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # pragma: no cover
    from .core._activation import Activation

__all__ = [
    "APIStatusError",
    "ActivationError",
    "ActivationFailedError",
    "ActivationTimeoutError",
    "BadCredentialsError",
    "ConfigurationError",
    "FederatedUserError",
    "GrantNotAllowedError",
    "IncompleteResultError",
    "InvalidClientError",
    "InvalidScopeError",
    "JobFailedError",
    "ListChangedError",
    "LockedUserError",
    "NotSignedInError",
    "OICError",
    "RecoveryTimeoutError",
    "RedirectError",
    "RenewalLostError",
    "RenewedElsewhereError",
    "RequestError",
    "ResponseFormatError",
    "RowLimitError",
    "SessionExpiredError",
    "SessionsFailedError",
    "SettingRangeError",
    "SignInCancelledError",
    "SignInDeniedError",
    "SignInError",
    "SignInTimeoutError",
    "StepsFailedError",
    "TLSVerificationError",
    "TokenEndpointError",
    "TransportError",
]

MESSAGE_LIMIT = 300


def trim(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Collapse whitespace and cut *text* to *limit* characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clause(text: str) -> str:
    """*text* without the full stop that ends it, to be followed by more words."""
    text = text.rstrip()
    while text.endswith(".") and not text.endswith("..."):
        text = text[:-1].rstrip()
    return text


def sentence(text: str) -> str:
    """*text* ending in exactly one full stop (or the question mark, ellipsis it has)."""
    text = clause(text)
    return text if text.endswith(("?", "!", "…", "...")) else f"{text}."


class OICError(Exception):
    """Base class: every deliberate oic_magic error."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}" if hint else message)

    #: IPython shows expected failures as one short message; ``False`` restores the traceback.
    short_traceback = True
    #: The long traceback's renderer, set by the magics: frames without any frame's locals.
    long_traceback: Callable[[], list[str]] | None = None

    @property
    def _render_traceback_(self) -> Any:
        # A property that raises AttributeError makes IPython's hasattr() check fail,
        # so %config OICMagics.short_errors = False falls back to the full traceback.
        if not self.short_traceback:
            if self.long_traceback is not None:
                return self.long_traceback
            raise AttributeError("_render_traceback_")
        return lambda: [f"{type(self).__name__}: {self}"]


class ConfigurationError(OICError):
    """The settings cannot work; ``problems`` lists every one found."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        listing = "; ".join(self.problems)
        super().__init__(f"invalid settings: {listing}.", hint="Fix them and sign in again.")


class SettingRangeError(ConfigurationError, ValueError):
    """A numeric setting that is not a number, or outside the range it may take.

    ``setting`` names it as the user wrote it (``OIC_TIMEOUT``, ``timeout in profile
    [prod]``, ``retries``); ``low`` and ``high`` are the allowed range. It is also a
    ``ValueError``, as a bad argument is.
    """

    def __init__(self, problem: str, *, setting: str, low: float, high: float) -> None:
        self.setting = setting
        self.low = low
        self.high = high
        self.problems = [problem]
        OICError.__init__(self, f"invalid setting: {problem}.", hint="Give one in that range.")


class SignInError(OICError):
    """The identity domain refused to issue a token.

    ``error`` and ``description`` are the RFC 6749 fields of its answer (the
    description trimmed), ``status`` its HTTP status when there was one.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        error: str | None = None,
        description: str | None = None,
        status: int | None = None,
    ) -> None:
        self.error = error
        self.description = description
        self.status = status
        super().__init__(message, hint=hint)


class BadCredentialsError(SignInError):
    """Wrong user name or password."""


class LockedUserError(SignInError):
    """The user is locked in the identity domain."""


class FederatedUserError(SignInError):
    """A federated (SSO) user tried the password grant, which only local users can use."""


class InvalidClientError(SignInError):
    """The client id or client secret was refused."""


class InvalidScopeError(SignInError):
    """The scope is not one the confidential application may ask for."""


class GrantNotAllowedError(SignInError):
    """The confidential application is not allowed this grant (for example refresh_token)."""


class SignInDeniedError(SignInError):
    """The user refused the sign-in on the identity domain's page (``access_denied``)."""


class SignInCancelledError(SignInError):
    """A device-code or browser sign-in was cancelled before the user finished it."""


class SignInTimeoutError(SignInError):
    """The device code expired (``expired_token``) or the browser sign-in was not finished."""


class TokenEndpointError(SignInError):
    """Any other failure of the token endpoint: redirect, server error, throttling, bad JSON."""


class SessionExpiredError(OICError):
    """The session can no longer obtain tokens by itself."""

    def __init__(self, reason: str | None = None) -> None:
        message = "session expired: sign in again with %oic_login"
        if reason:
            message = f"{message} ({reason})"
        super().__init__(
            message + ".",
            hint="From Python, call OICClient.sign_in(settings) again.",
        )


class RenewalLostError(SessionExpiredError):
    """The answer to a refresh was lost after it was sent (dropped connection, no answer).

    The identity domain may have rotated the refresh token, and a second use of the old
    one can revoke the whole sign-in, so the session sends no more token requests.
    """

    def __init__(self, what: str) -> None:
        OICError.__init__(
            self,
            f"the answer to this session's token renewal was lost ({clause(what)}); the "
            "identity domain may have rotated the refresh token, so the session sends no "
            "more token requests: sign in again with %oic_login.",
            hint="From Python, call OICClient.sign_in(settings) again.",
        )


class RenewedElsewhereError(SessionExpiredError):
    """Another kernel sharing the remembered sign-in (``--remember``) renewed its token first."""

    def __init__(self, reason: str | None = None) -> None:
        said = f" ({clause(reason)})" if reason else ""
        OICError.__init__(
            self,
            "another kernel renewed it: a kernel sharing this remembered sign-in "
            f"(--remember) renewed the refresh token first{said}, and this session could "
            "not use the newer one: sign in again with %oic_login.",
            hint="From Python, call OICClient.sign_in(settings) again.",
        )


class NotSignedInError(OICError):
    """No session exists under the requested name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"not signed in: there is no session named {name!r}.",
            hint="Sign in first with %oic_login (or OICClient.sign_in(settings)).",
        )


class SessionsFailedError(OICError):
    """A call across several sessions failed in some of them.

    ``errors`` maps each failed session's name to its error; ``results`` holds the
    complete result of every session that succeeded (a session's result is never
    partial), in the order the sessions were named.

        try:
            listings = across(["dev", "prod"], lambda c: c.paginate("connections"))
        except SessionsFailedError as error:
            listings = error.results  # dev's, when only prod failed
    """

    def __init__(
        self, *, what: str, errors: dict[str, BaseException], results: dict[str, Any]
    ) -> None:
        self.what = what
        self.errors = dict(errors)
        self.results = dict(results)
        failed = "; ".join(
            f"in session {name!r}: {trim(str(e), 200)}" for name, e in errors.items()
        )
        kept = ", ".join(repr(name) for name in results)
        super().__init__(
            f"{what} failed {failed}",
            hint=f"The results of {kept} are complete and kept in the error's .results."
            if results
            else "No session succeeded.",
        )


class APIStatusError(OICError):
    """OIC answered with an error status.

    ``path`` is the request path and query (they carry no secret); ``server_message``
    is OIC's own text, trimmed.
    """

    def __init__(
        self,
        *,
        status: int,
        method: str,
        path: str,
        server_message: str = "",
        hint: str | None = None,
    ) -> None:
        self.status = status
        self.method = method
        self.path = path
        self.server_message = trim(server_message)
        detail = f": {self.server_message}" if self.server_message else ""
        super().__init__(sentence(f"{method} {path} failed with HTTP {status}{detail}"), hint=hint)


class RedirectError(APIStatusError):
    """A redirect the client refuses to follow (untrusted host, method change, loop)."""


class TransportError(OICError):
    """No HTTP answer at all: name resolution, refused or dropped connection, timeout."""

    def __init__(self, message: str, *, host: str, hint: str | None = None) -> None:
        self.host = host
        super().__init__(message, hint=hint)


class TLSVerificationError(TransportError):
    """The server's TLS certificate could not be verified."""


class RequestError(OICError, ValueError):
    """A request that cannot be sent as written; nothing was sent.

    A URL of another host than the session's (the token would go there), a filter
    that gives one key twice or cannot be combined: the message says how to write it.
    It is also a ``ValueError``, as a bad argument is.
    """


class ResponseFormatError(OICError):
    """A 2xx answer whose body is not what the endpoint promises."""


class JobFailedError(OICError):
    """A job OIC accepted (202) ended badly, or was still running when the wait ran out.

    ``where`` is the job's URL, ``status`` its last status, ``details`` OIC's words.
    """

    def __init__(self, *, where: str, status: str, details: str = "") -> None:
        self.where, self.status, self.details = where, status, trim(details)
        said = f": {self.details}" if self.details else ""
        super().__init__(
            f"the job at {where} ended {status}{said}",
            hint="Check the job in OIC's console; nothing after it was done.",
        )


class StepsFailedError(OICError):
    """Some steps of a bulk operation failed; ``steps`` holds every step's row.

    The steps that succeeded are done (files written, archives imported); each
    failed row says why in its ``detail``.
    """

    def __init__(self, what: str, *, steps: Sequence[Any], failed: int) -> None:
        self.steps = list(steps)
        self.failed = failed
        super().__init__(
            f"{what}: {failed} of {len(self.steps)} steps failed.",
            hint="Every step's outcome is in the error's .steps (outcome and detail columns).",
        )


class IncompleteResultError(OICError):
    """A listing could not be read completely.

    ``items`` holds what did arrive, ``received`` how many, ``expected`` how many the
    server announced (``None`` when it did not say); ``frame`` the items as a DataFrame
    when ``%oic`` read the list.
    """

    def __init__(
        self,
        message: str,
        *,
        items: Sequence[Any],
        expected: int | None,
        hint: str | None = None,
    ) -> None:
        self.items = list(items)
        self.received = len(self.items)
        self.expected = expected
        #: The items as a DataFrame, when the notebook layer read the list (else None).
        self.frame: Any = None
        of = f" of {expected}" if expected is not None else ""
        super().__init__(f"{clause(message)}: {self.received}{of} items arrived.", hint=hint)


class ListChangedError(IncompleteResultError):
    """Items were added or deleted while the list was read, each time it was read.

    ``reads`` is how many times it was read; ``items`` are the last read's.
    """

    def __init__(
        self,
        message: str,
        *,
        items: Sequence[Any],
        expected: int | None,
        reads: int,
        hint: str | None = None,
    ) -> None:
        self.reads = reads
        super().__init__(message, items=items, expected=expected, hint=hint)


class RowLimitError(IncompleteResultError):
    """A listing is larger than the row cap; ``max_rows`` is the cap that stopped it."""

    def __init__(self, *, items: Sequence[Any], expected: int | None, max_rows: int) -> None:
        self.max_rows = max_rows
        super().__init__(
            f"the listing has more than max_rows={max_rows} items and was not read to the end",
            items=items,
            expected=expected,
            hint="Narrow it with --where, or raise max_rows if you really want them all.",
        )


class ActivationError(OICError):
    """An activation or deactivation did not end in the status asked for.

    ``activation`` is what was observed up to the end of the wait (an
    :class:`~oic_magic.Activation`); ``integration_id`` and ``status`` (the last
    status seen) are copied from it for convenience.
    """

    def __init__(self, message: str, *, activation: Activation, hint: str | None = None) -> None:
        self.activation = activation
        self.integration_id = activation.id
        self.status = activation.status
        super().__init__(message, hint=hint)


class ActivationFailedError(ActivationError):
    """OIC tried to activate the version and could not (``FAILEDACTIVATION``)."""


class ActivationTimeoutError(ActivationError):
    """The wait ran out while OIC was still working: the change may yet complete."""


class RecoveryTimeoutError(OICError):
    """A recovery job (resubmit) still ran when the wait ran out; it may yet finish.

    ``jobs`` holds the last status read of each job, by job id.
    """

    def __init__(self, message: str, *, jobs: dict[str, Any], hint: str | None = None) -> None:
        self.jobs = dict(jobs)
        super().__init__(message, hint=hint)


_TLS_HINT = (
    "If the server uses a private certificate authority, point the CA bundle setting "
    "(Settings(ca_bundle=...) or OIC_CA_BUNDLE) at its certificate."
)


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _describe(exc: httpx.HTTPError) -> str:
    # Timeouts have their own message: see _timed_out.
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was dropped before a complete answer"
    return "the connection failed"


_TIMEOUT_KINDS = (
    (httpx.ConnectTimeout, "connect"),
    (httpx.ReadTimeout, "read"),
    (httpx.WriteTimeout, "write"),
    (httpx.PoolTimeout, "pool"),
)


def _seconds_waited(exc: httpx.TimeoutException) -> float | None:
    """The timeout that ran out, in seconds, as httpx recorded it on the request."""
    kind = next((name for cls, name in _TIMEOUT_KINDS if isinstance(exc, cls)), "read")
    try:
        seconds = exc.request.extensions["timeout"][kind]
    except (RuntimeError, KeyError, TypeError):  # no request recorded on the exception
        return None
    return float(seconds) if isinstance(seconds, int | float) else None


def _timed_out(exc: httpx.TimeoutException, host: str) -> TransportError:
    """No answer within the timeout: say how long that was and how to wait longer."""
    seconds = _seconds_waited(exc)
    within = f" within {seconds:g} s" if seconds is not None else ""
    now = f" (now {seconds:g} s)" if seconds is not None else ""
    return TransportError(
        f"no answer from {host}{within}: timed out ({type(exc).__name__}).",
        host=host,
        hint=f"If OIC is just slow, raise the timeout{now}: %config OICMagics.timeout in a "
        "notebook, the timeout setting (Settings(timeout=...), OICClient(timeout=...)) or "
        "the OIC_TIMEOUT environment variable, in seconds. Otherwise check the URL, the "
        "network or proxy, then try again.",
    )


@contextlib.contextmanager
def map_httpx_errors(
    *, host: str, ca_bundle: str | None = None, tried: str | None = None
) -> Iterator[None]:
    """Translate httpx's transport errors into :class:`TransportError` for *host*.

    A timeout names the seconds waited and how to raise them. The original exception
    stays reachable as ``__cause__``; its text is not copied because httpx may quote the
    request URL. *tried* (a URL without query, no secret in it) is named in the message
    of a refused or dropped connection, with its scheme.
    """
    try:
        yield
    except httpx.TransportError as exc:
        if _is_tls_failure(exc):
            where = f" (CA bundle in use: {ca_bundle})" if ca_bundle else ""
            raise TLSVerificationError(
                f"TLS verification failed for {host}: its certificate is not trusted{where}.",
                host=host,
                hint=_TLS_HINT,
            ) from exc
        if isinstance(exc, httpx.TimeoutException):
            raise _timed_out(exc, host) from exc
        shown = f" ({tried} was tried)" if tried else ""
        hint = "Check the URL, the network or proxy, then try again."
        if tried and tried.startswith("https://"):
            hint = (
                "A URL without a scheme means https://; a local server on plain http "
                "(the emulator) needs http:// written out. " + hint
            )
        raise TransportError(
            f"no answer from {host}{shown}: {_describe(exc)} ({type(exc).__name__}).",
            host=host,
            hint=hint,
        ) from exc
