"""OIC's words in a JSON error body, whichever shape it has.

Two shapes are known: RFC 9457 problem details (``type, title, detail, status``) and
Oracle's REST error body, which adds ``o:errorCode`` and ``o:errorDetails`` — a list of
``{title, detail, o:errorCode}`` that may hold the only real words (the top level then
says no more than "Not Found"). OIC's front door answers ``{code, message}``, the
identity domain ``{error, error_description}``. Each distinct text is said once.
"""

from __future__ import annotations

from typing import Any

from ..exceptions import clause, trim

__all__ = ["problem_words"]

_TEXT_KEYS = ("detail", "message", "error_description", "errorMessage")
_CODE_KEYS = ("o:errorCode", "errorCode", "code", "error")


def problem_words(body: Any) -> str | None:
    """``title: detail (code); detail of each error (its code)``, or None with no words."""
    if not isinstance(body, dict):
        return None
    said: list[str] = []
    head = _entry(body, said)
    details = body.get("o:errorDetails")
    if isinstance(details, dict):
        details = [details]
    rest = [_detail(detail, said) for detail in details] if isinstance(details, list) else []
    pieces = [piece for piece in (head, *rest) if piece]
    return "; ".join(pieces) or None


def _entry(body: dict[str, Any], said: list[str]) -> str:
    """One error's words: its title, its detail, then its code, each new one only."""
    title = _text(body.get("title"))
    text = next((_text(body.get(key)) for key in _TEXT_KEYS if _text(body.get(key))), "")
    code = next((_text(body.get(key)) for key in _CODE_KEYS if _text(body.get(key))), "")
    words = [word for word in (title, text) if _new(word, said)]
    line = ": ".join(words)
    if _new(code, said):
        line = f"{line} ({code})" if line else code
    return line


def _detail(detail: Any, said: list[str]) -> str:
    if isinstance(detail, str):
        text = _text(detail)
        return text if _new(text, said) else ""
    return _entry(detail, said) if isinstance(detail, dict) else ""


def _text(value: Any) -> str:
    return clause(trim(value)) if isinstance(value, str) and value.strip() else ""


def _new(text: str, said: list[str]) -> bool:
    """Whether *text* says something not yet said (and then it counts as said)."""
    if not text:
        return False
    lower = text.lower()
    if any(lower in earlier for earlier in said):
        return False
    said.append(lower)
    return True
