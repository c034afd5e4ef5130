"""Variants of what is not known about OIC's answers, chosen per emulator run.

The captures published so far (a Gen3 integrations list, one project, an activation
answer, a connection test) do not say whether every list's ``totalResults`` counts
the list or the page, whether every list sends ``hasMore``, how far each endpoint caps
its pages, which shape its error bodies take, or which fields list items carry beyond
the captured ones. A client built for the real OIC works with each of them, so the
emulator can answer in each way: ``Emulator(answers="totals=page,no-has-more")`` or
``python -m oic_magic.emulator --answers totals=page,no-has-more``.

Each choice is tagged with where it comes from: *seen* (a published capture), *doc*
(Oracle's documentation) or *guess*.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

__all__ = ["DEFAULT", "NAMED", "Answers", "parse_answers"]

Totals = Literal["exact", "page", "absent", "high", "low"]
Errors = Literal["oracle", "rfc"]
Fields = Literal["full", "minimal"]

#: What the captured Gen3 integrations list carries on each item (seen).
CAPTURED_FIELDS: dict[str, tuple[str, ...]] = {
    "integrations": ("code", "compatible", "id", "percentageComplete", "projectType", "status"),
}
#: A Gen3 project as captured (seen: a project answer, a blog's projects list).
CAPTURED_FIELDS["projects"] = (
    "cloneRestrict", "code", "description", "id", "keyword", "links", "name", "origin",
    "state", "type", "viewRestricted",
)  # fmt: skip
# Items of the other lists were never captured: they keep Oracle's documented fields (doc).


@dataclasses.dataclass(frozen=True, kw_only=True)
class Answers:
    """How this run answers where OIC's behaviour is not published.

    ``totals``: ``exact`` (the list's count, seen on the integrations list), ``page``
    (the page's count, as other Oracle REST services do), ``absent``, ``high``
    (announces more than there are) or ``low``. ``has_more``: whether pages carry
    ``hasMore`` (seen). ``page_cap``: the server's own page size, answering fewer items
    than asked (None: only the usual cap). ``errors``: ``oracle`` (Oracle's REST error
    body with ``o:errorCode`` and ``o:errorDetails``, doc) or ``rfc`` (problem details
    ``type, title, detail, status``, guess). ``fields``: ``full`` or ``minimal`` (the items
    of a list that was captured carry only the captured fields: integrations, projects).
    """

    totals: Totals = "exact"
    has_more: bool = True
    page_cap: int | None = None
    errors: Errors = "oracle"
    fields: Fields = "full"

    def __str__(self) -> str:
        parts = [f"totals={self.totals}"]
        if not self.has_more:
            parts.append("no-has-more")
        if self.page_cap is not None:
            parts.append(f"page-cap={self.page_cap}")
        parts += [f"errors={self.errors}", f"fields={self.fields}"]
        return ",".join(parts)

    # -- lists ---------------------------------------------------------------------------
    def page_limit(self, limit: int) -> int:
        """The number of items a page holds when *limit* were asked."""
        return limit if self.page_cap is None else min(limit, self.page_cap)

    def envelope(
        self, items: list[Any], total: int, offset: int, *, total_key: str
    ) -> dict[str, Any]:
        """The list envelope ``{items, hasMore, totalResults}`` (seen), as this run shapes it."""
        body: dict[str, Any] = {"items": items}
        if self.has_more:
            body["hasMore"] = offset + len(items) < total
        told = {
            "exact": total,
            "page": len(items),
            "absent": None,
            "high": total + 17,
            "low": total // 2,
        }[self.totals]
        if told is not None:
            body[total_key] = told
        return body

    def item(self, kind: str, item: dict[str, Any]) -> dict[str, Any]:
        """A list item with only the captured fields under ``fields=minimal``."""
        if self.fields == "full":
            return item
        keep = CAPTURED_FIELDS.get(kind)
        return item if keep is None else {k: item[k] for k in keep if k in item}

    # -- errors --------------------------------------------------------------------------
    def error_body(self, status: int, title: str, detail: str) -> dict[str, Any]:
        """An error answer's body in this run's shape."""
        if self.errors == "rfc":
            return {"type": "about:blank", "title": title, "detail": detail, "status": status}
        # Oracle's REST error body (doc): the words may be only in o:errorDetails.
        code = f"OIC-{status}"
        return {
            "type": f"https://www.rfc-editor.org/rfc/rfc9110#status.{status}",
            "title": title,
            "detail": detail,
            "o:errorCode": code,
            "o:errorDetails": [{"title": title, "detail": detail, "o:errorCode": code}],
            "status": status,
        }


DEFAULT = Answers()

#: Named variants the test suites run across.
NAMED: dict[str, Answers] = {
    "default": DEFAULT,
    "per-page-total": Answers(totals="page"),
    "no-total": Answers(totals="absent"),
    "total-too-high": Answers(totals="high"),
    "total-too-low": Answers(totals="low"),
    "no-has-more": Answers(has_more=False),
    "per-page-total-no-has-more": Answers(totals="page", has_more=False),
    "page-cap": Answers(page_cap=30),
    "no-total-no-has-more-page-cap": Answers(totals="absent", has_more=False, page_cap=30),
    "rfc-errors": Answers(errors="rfc"),
    "minimal-fields": Answers(fields="minimal"),
}


def parse_answers(text: str | Answers | None) -> Answers:
    """A variant from a name of :data:`NAMED` or ``key=value`` parts joined by commas.

    Keys: ``totals=exact|page|absent|high|low``, ``has-more``/``no-has-more``,
    ``page-cap=N``, ``errors=oracle|rfc``, ``fields=full|minimal``; raises ValueError.
    """
    if text is None:
        return DEFAULT
    if isinstance(text, Answers):
        return text
    if text in NAMED:
        return NAMED[text]
    choices: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        if part in NAMED:
            choices.update(_differences(NAMED[part]))
        elif part in ("has-more", "no-has-more"):
            choices["has_more"] = part == "has-more"
        elif key == "totals" and value in ("exact", "page", "absent", "high", "low"):
            choices["totals"] = value
        elif key == "page-cap" and value.isdigit() and int(value) > 0:
            choices["page_cap"] = int(value)
        elif key == "errors" and value in ("oracle", "rfc"):
            choices["errors"] = value
        elif key == "fields" and value in ("full", "minimal"):
            choices["fields"] = value
        else:
            raise ValueError(
                f"unknown variant part {part!r}: use one of {', '.join(NAMED)}, or "
                "totals=exact|page|absent|high|low, has-more, no-has-more, page-cap=N, "
                "errors=oracle|rfc, fields=full|minimal, joined by commas"
            )
    return Answers(**choices)


def _differences(variant: Answers) -> dict[str, Any]:
    return {
        f.name: getattr(variant, f.name)
        for f in dataclasses.fields(variant)
        if getattr(variant, f.name) != getattr(DEFAULT, f.name)
    }
