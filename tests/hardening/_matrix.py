"""The fault matrix: every fault against every kind of call, and the outcome expected.

This table is the one source: ``test_fault_matrix.py`` runs every cell against the
emulator, and ``docs/reliability.md`` carries it rendered by :func:`render` between
markers (a test checks the two are equal, so they cannot drift apart).

Outcomes:

- ``recovered``: the fault hit and the call still returned its complete result;
- ``unaffected``: the fault hit a part this call does not use; complete result;
- an exception class name: the call raised it (for a paged GET that failed after its
  first page, ``IncompleteResultError`` carrying what arrived, with the cause inside).
"""

from __future__ import annotations

FAULTS: dict[str, str] = {
    "429+Retry-After": "429 Too Many Requests with Retry-After: 1",
    "429": "429 Too Many Requests without Retry-After",
    "500": "500 Internal Server Error",
    "502": "502 Bad Gateway",
    "503": "503 Service Unavailable",
    "504": "504 Gateway Timeout",
    "slow": "answer slower than the timeout",
    "drop": "connection dropped mid-body",
    "malformed": "200 with malformed JSON",
    "html": "HTML error page (nginx 502)",
    "revoked": "401: the access token was revoked",
    "consumed": "the refresh token was already used elsewhere (rotation)",
    "token-429": "the identity domain throttles token requests (429)",
}

CALLS: dict[str, str] = {
    "sign-in": "password sign-in (token endpoint)",
    "refresh": "refresh of the access token (token endpoint)",
    "get": "single GET (`client.get`)",
    "paged": "paged GET, fault after the first page (`client.paginate`)",
    "post": "POST (`client.request`, not idempotent)",
}

R, U = "recovered", "unaffected"
TE, TR, API = "TokenEndpointError", "TransportError", "APIStatusError"
FMT, INC, EXP = "ResponseFormatError", "IncompleteResultError", "SessionExpiredError"
LOST = "RenewalLostError"

#: fault -> outcome per call, in the order of CALLS: sign-in, refresh, get, paged, post.
EXPECTED: dict[str, tuple[str, str, str, str, str]] = {
    "429+Retry-After": (R, R, R, R, R),
    "429": (R, R, R, R, R),
    "500": (TE, TE, API, INC, API),
    "502": (TE, TE, R, R, API),
    "503": (TE, TE, R, R, API),
    "504": (TE, TE, R, R, API),
    "slow": (TR, LOST, R, R, TR),
    "drop": (TR, LOST, R, R, TR),
    "malformed": (TE, TE, FMT, R, FMT),
    "html": (TE, TE, R, R, API),
    "revoked": (U, U, R, R, R),
    "consumed": (U, EXP, EXP, INC, EXP),
    "token-429": (R, R, R, R, R),
}

NOTES = [
    "Faults of the token endpoint hit sign-in and refresh; faults of the design-time host hit "
    "the API calls. For the API calls, `revoked`, `consumed` and `token-429` force a renewal "
    "of the token in the middle of the call.",
    "Idempotent calls (GET, and every page of a list) are retried on 429, 502, 503, 504, "
    "timeouts and dropped connections, with capped backoff honouring Retry-After. A 500 is "
    "not retried: OIC says it failed.",
    "A POST is retried only when OIC cannot have acted on it (429, 401 before renewal, a "
    "connection that never opened). A 5xx, a timeout or a dropped answer after a POST is "
    "raised: repeating it could activate or import twice.",
    "The token endpoint retries only 429: a refresh token is single use, and repeating a "
    "refresh the server may have processed would burn it. A refresh whose answer is lost "
    "(`slow`, `drop`) ends the session: it sends no more token requests and says to sign in "
    "again (RenewalLostError).",
    "A paged GET never returns part of a list as if it were whole: a page that still fails "
    "after its retries raises IncompleteResultError with `.items`, `.received` and "
    "`.expected`, and the original error as its cause. A malformed page is read again.",
    "`consumed` with the password still held by the process (`keep_password=True`) signs in "
    "again instead; the notebook drops the password after sign-in, so it says: sign in again.",
]

BEGIN = "<!-- fault-matrix:begin (generated from tests/hardening/_matrix.py) -->"
END = "<!-- fault-matrix:end -->"


def cases() -> list[tuple[str, str, str]]:
    """Every (fault, call, expected outcome) cell."""
    return [
        (fault, call, outcome)
        for fault, row in EXPECTED.items()
        for call, outcome in zip(CALLS, row, strict=True)
    ]


def render() -> str:
    """The table as Markdown, between its markers."""
    header = "| fault | " + " | ".join(CALLS) + " |"
    rule = "|---" * (len(CALLS) + 1) + "|"
    rows = [
        f"| {FAULTS[fault]} (`{fault}`) | " + " | ".join(_cell(o) for o in row) + " |"
        for fault, row in EXPECTED.items()
    ]
    legend = [f"- **{call}**: {text}" for call, text in CALLS.items()]
    notes = [f"- {note}" for note in NOTES]
    return "\n".join(
        [BEGIN, "", header, rule, *rows, "", "Calls:", "", *legend, "", "Why:", "", *notes, "", END]
    )


def _cell(outcome: str) -> str:
    return outcome if outcome in (R, U) else f"`{outcome}`"
