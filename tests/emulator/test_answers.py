"""The emulator's default shapes follow the captures, and each variant answers its way."""

from __future__ import annotations

import httpx
import pytest

from oic_magic.emulator import Answers, Emulator
from oic_magic.emulator.__main__ import main, parser
from oic_magic.emulator._answers import CAPTURED_FIELDS, parse_answers

from .conftest import Api, token_for

CAPTURED_ACTIVATION_KEYS = {
    "apiDeploymentInprogress", "compatible", "links", "lockedFlag", "scheduleApplicableFlag",
    "scheduleDefinedFlag", "softDeactivated", "status", "tempCopyExists", "totalEndPoints",
}  # fmt: skip


def test_the_list_envelope_is_the_captured_one(api: Api) -> None:
    """{items, hasMore, totalResults}: no limit or offset (seen)."""
    body = api.get("integrations", limit=5).json()
    assert set(body) == {"items", "hasMore", "totalResults"} and len(body["items"]) == 5


def test_the_activation_answer_has_the_ten_captured_keys(emu: Emulator, api: Api) -> None:
    """Activating and deactivating answer the captured ten keys and no id."""
    ident = api.get("integrations", q="{status:'CONFIGURED'}").json()["items"][0]["id"]
    path = f"integrations/{ident.replace('|', '%7C')}"
    answer = api.patch(path, {"status": "ACTIVATED"}).json()
    assert set(answer) == CAPTURED_ACTIVATION_KEYS and answer["status"] == "ACTIVATION_INPROGRESS"
    emu.control.advance_clock(2.5)
    answer = api.patch(path, {"status": "CONFIGURED"}).json()
    assert set(answer) == CAPTURED_ACTIVATION_KEYS and answer["status"] == "CONFIGURED"


def test_errors_are_oracle_rest_errors(api: Api) -> None:
    """A 404 carries title, detail, o:errorCode and o:errorDetails."""
    body = api.get("connections/NO_SUCH").json()
    assert set(body) == {"type", "title", "detail", "o:errorCode", "o:errorDetails", "status"}
    assert body["status"] == 404 and "NO_SUCH" in body["o:errorDetails"][0]["detail"]


def test_project_integrations_are_called_under_their_project(emu: Emulator, api: Api) -> None:
    """An activated integration of a project has its endpoint under v2/.../project/<P>/."""
    for project in api.get("projects").json()["items"]:
        members = api.get(f"projects/{project['id']}/integrations", limit=100).json()["items"]
        uris = [m["endPointURI"] for m in members if "endPointURI" in m]
        if uris:
            break
    assert uris, "no project has an activated integration with an endpoint"
    prefix = f"{emu.runtime_url}/ic/api/integration/v2/flows/rest/project/"
    assert all(uri.startswith(prefix) for uri in uris)


def test_each_variant_answers_its_way(answers_emu: Emulator) -> None:
    """Totals, hasMore, page cap, error shape and item fields as the variant says."""
    variant = answers_emu.answers
    with httpx.Client(timeout=10) as http:
        api = Api(answers_emu, http, token_for(answers_emu))
        body = api.get("connections", limit=50, offset=100).json()
        error = api.get("connections/NO_SUCH").json()
        integrations = api.get("integrations", limit=5).json()["items"]
    expected = variant.page_limit(50)
    assert len(body["items"]) == expected
    told = {"exact": 300, "page": expected, "absent": None, "high": 317, "low": 150}[variant.totals]
    assert body.get("totalResults") == told
    assert ("hasMore" in body) is variant.has_more
    assert ("o:errorDetails" in error) is (variant.errors == "oracle") and error["detail"]
    if variant.fields == "minimal":
        assert all(set(item) <= set(CAPTURED_FIELDS["integrations"]) for item in integrations)
    else:
        assert all("name" in item and "version" in item for item in integrations)


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        (None, Answers()),
        ("per-page-total", Answers(totals="page")),
        (
            "totals=absent,no-has-more,page-cap=30",
            Answers(totals="absent", has_more=False, page_cap=30),
        ),
        ("minimal-fields,errors=rfc", Answers(fields="minimal", errors="rfc")),
    ],
)
def test_variants_are_named_or_composed(text: str | None, variant: Answers) -> None:
    """A name, or key=value parts (names among them) joined by commas."""
    assert parse_answers(text) == variant
    assert parse_answers(str(variant)) == variant  # what the banner prints reads back


@pytest.mark.parametrize("text", ["totals=sometimes", "page-cap=0", "nonsense"])
def test_a_bad_variant_is_refused_with_the_choices(text: str) -> None:
    """An unknown part names every choice."""
    with pytest.raises(ValueError, match="totals=exact"):
        parse_answers(text)


def test_the_command_line_takes_a_variant(capsys: pytest.CaptureFixture[str]) -> None:
    """--answers is documented and a bad one is a usage error, before anything is served."""
    assert "--answers" in parser().format_help()
    with pytest.raises(SystemExit) as caught:
        main(["--answers", "totals=sometimes"])
    assert caught.value.code == 2 and "unknown variant part" in capsys.readouterr().err
