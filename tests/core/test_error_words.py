"""Error messages carry OIC's own words, from every error-body shape, each once, one stop."""

from __future__ import annotations

import random
import re
from typing import Any

import httpx
import pytest

from oic_magic import APIStatusError, IncompleteResultError, OICClient
from oic_magic.core._problem import problem_words
from oic_magic.core._responses import server_message
from oic_magic.exceptions import clause, sentence

from ._core_fake import Clock, FakeOIC, settings

ORACLE_DETAILS_ONLY = {
    "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.5",
    "title": "Not Found",
    "status": 404,
    "o:errorDetails": [
        {
            "title": "Integration BILLING_SYNC|01.00.0000 was not found.",
            "detail": "Integration BILLING_SYNC|01.00.0000 was not found.",
            "o:errorCode": "CASDK-0005",
        }
    ],
}

CASES: list[tuple[str, Any, str | None]] = [
    (
        "rfc",
        {
            "type": "about:blank",
            "title": "Not Found",
            "detail": "Connection X not found.",
            "status": 404,
        },
        "Not Found: Connection X not found",
    ),
    (
        "oracle",
        {
            "type": "https://docs.oracle.com/",
            "title": "Conflict",
            "detail": "The integration is already active.",
            "o:errorCode": "OIC-409",
            "o:errorDetails": [
                {
                    "title": "Deactivate it first.",
                    "detail": "Deactivate it first.",
                    "o:errorCode": "OIC-1",
                }
            ],
            "status": 409,
        },
        "Conflict: The integration is already active (OIC-409); Deactivate it first (OIC-1)",
    ),
    (
        "oracle-details-only",
        ORACLE_DETAILS_ONLY,
        "Not Found; Integration BILLING_SYNC|01.00.0000 was not found (CASDK-0005)",
    ),
    (
        "front-door",
        {"code": "NotAuthenticated", "message": "The required information was not provided."},
        "The required information was not provided (NotAuthenticated)",
    ),
    (
        "identity",
        {"error": "invalid_grant", "error_description": "Invalid refresh token."},
        "Invalid refresh token (invalid_grant)",
    ),
    ("title-is-detail", {"title": "Bad Request", "detail": "Bad Request."}, "Bad Request"),
    (
        "string-details",
        {"title": "Bad Request", "o:errorDetails": ["limit is too large."]},
        "Bad Request; limit is too large",
    ),
    ("no-words", {"status": 500}, None),
    ("not-an-object", ["x"], None),
]


@pytest.mark.parametrize(("body", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_words(body: Any, words: str | None) -> None:
    """Title, detail, codes and each of o:errorDetails, once and in that order."""
    assert problem_words(body) == words


@pytest.mark.parametrize(("body", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_status_error_is_one_sentence(body: Any, words: str | None) -> None:
    """The APIStatusError says OIC's words after the status, ending in one full stop."""
    response = httpx.Response(404, json=body)
    error = APIStatusError(
        status=404, method="GET", path="/ic/x", server_message=server_message(response)
    )
    text = str(error)
    assert text.startswith("GET /ic/x failed with HTTP 404: ")
    assert (words or "") in text and text.endswith(".") and not re.search(r"[.?!]\.", text)


def test_words_only_in_error_details_reach_the_user(
    fake: FakeOIC, clock: Clock, sleeps: list[float]
) -> None:
    """Through the client: a 404 whose words are only in o:errorDetails shows them."""
    fake.inject(
        httpx.Response(404, json=ORACLE_DETAILS_ONLY), when=lambda r: r.url.path.startswith("/ic/")
    )
    client = OICClient.sign_in(
        settings(),
        transport=fake.transport(),
        clock=clock,
        sleep=sleeps.append,
        rng=random.Random(1),
    )
    with client, pytest.raises(APIStatusError) as caught:
        client.get("integrations/BILLING_SYNC|01.00.0000")
    text = str(caught.value)
    assert "was not found (CASDK-0005)" in text and text.count("was not found") == 1
    assert ".." not in text


def test_a_page_error_inside_an_incomplete_listing_has_one_stop() -> None:
    """An error that ends in a stop, quoted inside another sentence, keeps no doubled stop."""
    inner = APIStatusError(status=500, method="GET", path="/x", server_message="Boom.")
    error = IncompleteResultError(
        f"the listing stopped because {inner.message}", items=[1], expected=3
    )
    assert (
        str(error)
        == "the listing stopped because GET /x failed with HTTP 500: Boom: 1 of 3 items arrived."
    )


@pytest.mark.parametrize(
    ("text", "as_clause", "as_sentence"),
    [
        ("Done.", "Done", "Done."),
        ("Done", "Done", "Done."),
        ("Why?", "Why?", "Why?"),
        ("Wait...", "Wait...", "Wait..."),
        ("A . ", "A", "A."),
    ],
)
def test_clause_and_sentence(text: str, as_clause: str, as_sentence: str) -> None:
    """One stop at the end of a sentence, none inside a clause; ellipses and questions kept."""
    assert clause(text) == as_clause and sentence(text) == as_sentence
