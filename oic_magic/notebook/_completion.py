"""Tab completion of the magics, through IPython's own completer (no frontend extension).

What ``%oic`` completes, word by word:

- the verb (``GET``, ``PATCH``, ...), in upper case whatever case was typed;
- the path: the Developer API's resources from the catalogue, the lists under
  ``monitoring/``, the ids this session has already listed (``integrations/HELLO|01.00.0000``,
  connection ids, lookup names; see :class:`KnownIds`), then what lies below an item
  (``integrations/{id}/archive``, ``activationStatus``, ...);
- option names, from the magics' own argument parsers;
- ``--where`` keys OIC filters the list on, and the values OIC knows for them
  (``status=`` gives ``ACTIVATED``, ``CONFIGURED``, ...);
- ``--columns`` names of the list's columns (and ``all``);
- ``--session`` names signed in, ``--grant`` choices and ``--save`` paths.

Completing never sends a request: it reads the catalogue, the session store, the ids
seen in lists already returned and the file system.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from IPython.core.completer import (
    CompletionContext,
    SimpleCompletion,
    SimpleMatcherResult,
    context_matcher,
)

from ..core._catalogue import (
    FILTER_KEYS,
    FILTER_VALUES,
    ID_FIELDS,
    ITEM_PATHS,
    LIST_COLUMNS,
    MONITORING_LISTS,
    RESOURCE_PATHS,
    RESOURCES,
    list_name,
)
from ..core._session import default_store
from ._command import VERBS

__all__ = ["MATCHER_ID", "KnownIds", "install", "matcher", "uninstall"]

#: The matcher's name among IPython's (``IPCompleter.disable_matchers`` takes it).
MATCHER_ID = "oic_magic.completion"
#: At most this many ids are kept per list and session.
MAX_IDS = 100_000

_MAGIC = re.compile(r"^(?:.*?=\s*)?%{1,2}(?P<name>oic(?:_login|_logout|_status)?)(?P<rest>\s.*)?$")
_NO_COMPLETIONS: SimpleMatcherResult = {"completions": [], "suppress": False}


class KnownIds:
    """The ids of the lists each session has returned, kept sorted for prefix search."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], list[str]] = {}

    def note(self, session: str, path: str, items: Iterable[Any]) -> None:
        """Remember the ids of *items*, a list read from *path* by *session*."""
        name = list_name(path)
        field = ID_FIELDS.get(name)
        if field is None:
            return
        seen = {str(item[field]) for item in items if isinstance(item, dict) and item.get(field)}
        if not seen:
            return
        kept = self._ids.get((session, name), [])
        merged = sorted(seen.union(kept))
        self._ids[(session, name)] = merged[:MAX_IDS]

    def starting(self, session: str, name: str, prefix: str, limit: int | None) -> list[str]:
        """The ids of list *name* that start with *prefix*, in order (at most *limit*)."""
        ids = self._ids.get((session, name), [])
        start = bisect.bisect_left(ids, prefix)
        found: list[str] = []
        for ident in ids[start:]:
            if not ident.startswith(prefix) or (limit is not None and len(found) >= limit):
                break
            found.append(ident)
        return found

    def forget(self, session: str) -> None:
        """Drop what *session* listed (it signed out)."""
        for key in [key for key in self._ids if key[0] == session]:
            del self._ids[key]


def matcher(magics: Any) -> Callable[[CompletionContext], SimpleMatcherResult]:
    """The completer of the magics of *magics* (an ``OICMagics``), as IPython's API v2."""

    @context_matcher(identifier=MATCHER_ID, priority=1)  # type: ignore[untyped-decorator]
    def complete_oic(context: CompletionContext) -> SimpleMatcherResult:
        found = _MAGIC.match(context.text_until_cursor)
        if found is None or found["rest"] is None:
            return _NO_COMPLETIONS
        words, current = _words(found["rest"])
        magic = getattr(magics, found["name"])
        line = _Line(magic.parser, words, current, magics, context.limit)
        candidates = line.candidates()
        if candidates is None:
            return _NO_COMPLETIONS
        return {
            "completions": [SimpleCompletion(text, type=line.kind) for text in candidates],
            "matched_fragment": current,
            "suppress": True,
            "ordered": True,
        }

    return complete_oic  # type: ignore[no-any-return]


def install(shell: Any, magics: Any) -> None:
    """Add the magics' completer to *shell*'s (once)."""
    completer = getattr(shell, "Completer", None)
    if completer is None:
        return
    uninstall(shell)
    completer.custom_matchers.insert(0, matcher(magics))


def uninstall(shell: Any) -> None:
    """Remove the magics' completer from *shell*'s."""
    completer = getattr(shell, "Completer", None)
    if completer is None:
        return
    completer.custom_matchers[:] = [
        each
        for each in completer.custom_matchers
        if getattr(each, "matcher_identifier", None) != MATCHER_ID
    ]


def _words(rest: str) -> tuple[list[str], str]:
    """The words before the cursor's word, and the cursor's word (empty after a space)."""
    words = rest.split()
    if rest[-1:].isspace() or not words:
        return words, ""
    return words[:-1], words[-1]


class _Line:
    """One magic line up to the cursor, and what may come at the cursor."""

    def __init__(
        self, parser: Any, words: list[str], current: str, magics: Any, limit: int | None
    ) -> None:
        self.words = words
        self.current = current
        self.magics = magics
        self.limit = limit
        self.options: dict[str, Any] = {
            option: action for action in parser._actions for option in action.option_strings
        }
        self.positional_names = [
            action.dest for action in parser._actions if not action.option_strings
        ]
        self.positionals: list[str] = []
        self.values: dict[str, str] = {}
        waiting: str | None = None
        for word in words:
            if waiting is not None:
                self.values[waiting] = word
                waiting = None
            elif word in self.options:
                takes_value = self.options[word].nargs != 0
                waiting = word if takes_value else None
            elif not word.startswith("-"):
                self.positionals.append(word)
        self.waiting = waiting
        #: What the candidates are, as the completion list labels them.
        self.kind = "value"

    @property
    def session(self) -> str:
        return self.values.get("--session", "default").strip("'\"") or "default"

    def candidates(self) -> list[str] | None:
        """What the cursor's word may become, or None to leave it to IPython."""
        if self.waiting is not None:
            return self._value_of(self.waiting)
        if self.current.startswith("-"):
            self.kind = "option"
            return self._option_names()
        if len(self.positionals) < len(self.positional_names):
            what = self.positional_names[len(self.positionals)]
            if what == "method":
                self.kind = "verb"
                return [verb for verb in VERBS if verb.startswith(self.current.upper())]
            if what == "path":
                self.kind = "path"
                return self._paths()
        return None

    def _option_names(self) -> list[str]:
        used = set(self.words)
        names = []
        for option, action in self.options.items():
            repeatable = type(action).__name__ == "_AppendAction"
            if option.startswith("--") and (repeatable or option not in used):
                names.append(option)
        return sorted(name for name in names if name.startswith(self.current))

    def _value_of(self, option: str) -> list[str] | None:
        action = self.options[option]
        if action.choices:
            return [str(c) for c in action.choices if str(c).startswith(self.current)]
        if option == "--session":
            self.kind = "session"
            return [name for name in default_store().names() if name.startswith(self.current)]
        if option == "--where":
            return self._where()
        if option == "--columns":
            return self._columns()
        if option == "--save":
            self.kind = "file"
            return _file_paths(self.current, self.limit)
        return None

    def _where(self) -> list[str]:
        name = list_name(self.positionals[1]) if len(self.positionals) > 1 else ""
        key, op, typed = _split_condition(self.current)
        if not op:
            keys = FILTER_KEYS.get(name, ())
            return [f"{each}=" for each in keys if each.lower().startswith(key.lower())]
        known = FILTER_VALUES.get(name, {}).get(key, ())
        return [f"{key}{op}{value}" for value in known if value.lower().startswith(typed.lower())]

    def _columns(self) -> list[str]:
        name = list_name(self.positionals[1]) if len(self.positionals) > 1 else ""
        done, comma, typed = self.current.rpartition(",")
        chosen = set(done.split(",")) if comma else set()
        known = ("all",) if not comma else ()
        names = [*known, *LIST_COLUMNS.get(name, ())]
        return [
            f"{done}{comma}{column}"
            for column in names
            if column.startswith(typed) and column not in chosen
        ]

    def _paths(self) -> list[str]:
        *head, tail = self.current.split("/")
        if not head:
            return [name for name in RESOURCES if name.startswith(tail)]
        if len(head) == 1:
            fixed = RESOURCE_PATHS.get(head[0], ())
            ids = self.magics.known_ids.starting(self.session, head[0], tail, self.limit)
            return _under(head, [*(p for p in fixed if p.startswith(tail)), *ids])
        if head[0] == "monitoring" and len(head) == 2 and head[1] in MONITORING_LISTS:
            name = f"monitoring/{head[1]}"
            return _under(
                head, self.magics.known_ids.starting(self.session, name, tail, self.limit)
            )
        item_of = "/".join(head[:-1])
        below = ITEM_PATHS.get(item_of, ())
        return _under(head, [p for p in below if p.startswith(tail)])


def _under(head: Sequence[str], names: Iterable[str]) -> list[str]:
    base = "/".join(head)
    return [f"{base}/{name}" for name in names]


def _split_condition(word: str) -> tuple[str, str, str]:
    """``status=CON`` as key, operator and value typed so far."""
    match = re.match(r"^(?P<key>[^=~]*)(?P<op>[=~]?)(?P<value>.*)$", word)
    assert match is not None  # the pattern matches every string
    return match["key"], match["op"], match["value"].strip("'\"")


def _file_paths(typed: str, limit: int | None) -> list[str]:
    """Files and folders that start with *typed* (folders end in ``/``)."""
    quote = typed[:1] if typed[:1] in "'\"" else ""
    typed = typed[len(quote) :]
    folder, slash, start = typed.rpartition("/")
    base = folder + slash
    where = os.path.expanduser(base) if base else "."
    try:
        entries = sorted(os.scandir(where), key=lambda entry: entry.name)
    except OSError:
        return []
    found = []
    for entry in entries:
        if not entry.name.startswith(start) or (entry.name[0] == "." and start[:1] != "."):
            continue
        found.append(f"{quote}{base}{entry.name}{'/' if entry.is_dir() else ''}")
        if limit is not None and len(found) >= limit:
            break
    return found
