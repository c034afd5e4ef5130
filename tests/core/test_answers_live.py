"""The client against every emulator variant: whole lists, exact limits, OIC's words, frames.

Each variant is one way the real OIC may answer where its answers are not published
(list totals, hasMore, page caps, error bodies, the fields of list items).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from _emulated import demo_settings

from oic_magic import APIStatusError, OICClient
from oic_magic.emulator import Emulator
from oic_magic.notebook._frames import to_frame


@pytest.fixture
def client(answers_emu: Emulator) -> Iterator[OICClient]:
    """The demo developer, signed in to the variant's emulator."""
    with OICClient.sign_in(demo_settings(answers_emu), rng=random.Random(1)) as signed_in:
        yield signed_in


def _ids(emu: Emulator, kind: str) -> list[str]:
    return sorted(getattr(emu.backend.data, kind))


@pytest.mark.parametrize("kind", ["connections", "integrations", "lookups", "projects"])
def test_a_list_is_whole(answers_emu: Emulator, client: OICClient, kind: str) -> None:
    """Every item once, whatever the totals, hasMore and page cap."""
    listing = client.paginate(kind, page_size=100)
    key = "name" if kind == "lookups" else "id"
    ids = [item[key] for item in listing]
    assert sorted(ids) == _ids(answers_emu, kind) and len(set(ids)) == len(ids)
    assert listing.status == "complete" and listing.total == len(ids)
    assert not any("changed" in warning for warning in listing.warnings)


@pytest.mark.parametrize("limit", [1, 99, 150, 299])
def test_a_limit_gives_exactly_that_many(client: OICClient, limit: int) -> None:
    """Exactly *limit* items, the first ones of the whole list."""
    whole = [item["id"] for item in client.paginate("connections")]
    limited = client.paginate("connections", limit=limit)
    assert [item["id"] for item in limited] == whole[:limit] and limited.status == "limited"


def test_monitoring_with_a_limit_is_exact(client: OICClient) -> None:
    """Monitoring pages (at most 50, offsets up to 500) also give exactly the limit."""
    listing = client.paginate(
        "monitoring/instances", limit=120, where=["timewindow=RETENTIONPERIOD"]
    )
    ids = [item["id"] for item in listing]
    assert len(ids) == 120 and len(set(ids)) == 120


def test_an_error_says_oics_words_once(client: OICClient) -> None:
    """A 404 names what was not found, in one sentence, whichever error body shape."""
    with pytest.raises(APIStatusError) as caught:
        client.get("connections/NO_SUCH_CONNECTION")
    text = str(caught.value)
    assert caught.value.status == 404 and text.count("NO_SUCH_CONNECTION") == 2  # path, words
    assert not re.search(r"[.?!]\.", text)


def test_frames_of_every_variant(answers_emu: Emulator, client: OICClient) -> None:
    """One row per item, the id first; timestamps as UTC datetimes where the items have them."""
    listing = client.paginate("integrations")
    frame = to_frame(listing.items)
    assert len(frame) == len(answers_emu.backend.data.integrations)
    assert frame.columns[0] == "id" and frame["id"].is_unique
    if "lastUpdated" in frame:
        assert str(frame["lastUpdated"].dtype).startswith("datetime64") and "UTC" in str(
            frame["lastUpdated"].dtype
        )
    if answers_emu.answers.fields == "minimal":
        assert set(frame.columns) <= {
            "code",
            "compatible",
            "id",
            "percentageComplete",
            "projectType",
            "status",
        }
    projects = to_frame(client.paginate("projects").items)
    if "state.updated.date" in projects:
        assert "UTC" in str(projects["state.updated.date"].dtype)
