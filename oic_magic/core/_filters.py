"""``--where`` conditions checked against the catalogue before anything is sent.

- A value OIC knows a fixed set of (``status``, ``role``, ``timewindow``) must be one
  of them, in OIC's case: ``status=configured`` would silently match nothing, so it is
  refused with "did you mean CONFIGURED?" (:class:`~oic_magic.exceptions.RequestError`).
- A key written in another case than OIC's (``Status``) gets the same treatment.
- A key OIC's ``q`` cannot filter on (a nested field such as ``adapterType.name``, or
  any field not among the list's filter keys) is not sent: the list is read without it
  and the condition is applied to the items read (:func:`keep`), so the answer is still
  right. ``=`` is an exact match of the field's text, ``~`` a contains match that
  ignores case, as OIC's ``/text/``.

Lists the catalogue has no filter keys for are left to OIC, as written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..exceptions import RequestError
from ._catalogue import FILTER_KEYS, FILTER_VALUES, FILTER_VALUES_ANY_CASE, list_name

__all__ = ["Condition", "Filters", "keep", "plan"]


@dataclass(frozen=True)
class Condition:
    """One ``key=value`` (exact) or ``key~text`` (contains) condition, as written."""

    key: str
    operator: str
    value: str

    @property
    def text(self) -> str:
        return f"{self.key}{self.operator}{self.value}"

    def matches(self, item: Mapping[str, Any]) -> bool:
        """True when *item*'s field (dotted for nested objects) satisfies the condition."""
        found, value = _field(item, self.key)
        if not found or value is None:
            return False
        shown = value if isinstance(value, str) else str(value)
        if self.operator == "~":
            return self.value.lower() in shown.lower()
        return shown == self.value or (isinstance(value, bool) and shown.lower() == self.value)


@dataclass(frozen=True)
class Filters:
    """The conditions OIC filters on (sent in ``q``) and those applied to the items read."""

    server: tuple[str, ...] = ()
    local: tuple[Condition, ...] = ()

    def describe(self, *, read: int, kept: int, what: str) -> str:
        """One line saying which conditions were applied here, and to how many items."""
        keys = sorted({condition.key for condition in self.local})
        names = ", ".join(keys)
        return (
            f"OIC cannot filter {what} on {names}: {', '.join(c.text for c in self.local)} "
            f"applied to the {read:,} {'item' if read == 1 else 'items'} read, "
            f"{kept:,} kept."
        )


def plan(conditions: Sequence[str], path: str) -> Filters:
    """Split *conditions* into those for OIC and those for the items; check their values.

    Raises ``RequestError`` for a value or key in the wrong case, or a value OIC does
    not know for that key, before anything is sent.
    """
    name = list_name(path)
    keys = FILTER_KEYS.get(name)
    if keys is None:
        return Filters(server=tuple(conditions))
    server: list[str] = []
    local: list[Condition] = []
    for text in conditions:
        condition = _parse(text)
        if condition is None:
            server.append(text)  # build_q says what is wrong with it
            continue
        if condition.key in keys:
            _check_value(condition, FILTER_VALUES.get(name, {}).get(condition.key, ()), name)
            server.append(text)
            continue
        _check_key(condition, keys, name)
        local.append(condition)
    return Filters(server=tuple(server), local=tuple(local))


def keep(items: Iterable[Mapping[str, Any]], conditions: Sequence[Condition]) -> list[Any]:
    """The items that satisfy every condition (all of them when there is none).

    Raises ``RequestError`` when no item has a condition's field at all: the field is
    misspelt, and an empty answer would hide that.
    """
    items = list(items)
    for condition in conditions:
        if items and not any(_field(item, condition.key)[0] for item in items):
            raise RequestError(
                f"--where {condition.text}: no item read has a field {condition.key!r}"
                f"{_suggestion(condition.key, _fields(items))}"
            )
        objects = [item for item in items if isinstance(_field(item, condition.key)[1], Mapping)]
        if objects:
            inner = sorted(f"{condition.key}.{key}" for key in _field(objects[0], condition.key)[1])
            raise RequestError(
                f"--where {condition.text}: {condition.key} is an object; filter on one of "
                f"its fields: {', '.join(inner)}"
            )
    return [item for item in items if all(c.matches(item) for c in conditions)]


def _parse(text: str) -> Condition | None:
    positions = [i for i in (text.find("="), text.find("~")) if i > 0]
    if not positions:
        return None
    cut = min(positions)
    return Condition(text[:cut].strip(), text[cut], text[cut + 1 :].strip())


def _check_value(condition: Condition, known: Sequence[str], name: str) -> None:
    if not known:
        return
    any_case = condition.key in FILTER_VALUES_ANY_CASE
    value = condition.value.lower() if any_case else condition.value
    compared = [k.lower() for k in known] if any_case else list(known)
    if condition.operator == "=":
        if value in compared:
            return
        wanted = [k for k in known if k.lower() == value.lower()]
    else:
        if any(value in k for k in compared):
            return
        wanted = [k for k in known if value.lower() in k.lower()]
    close = wanted or difflib.get_close_matches(condition.value, list(known), n=1, cutoff=0.6)
    close = close or difflib.get_close_matches(value.upper(), list(known), n=1, cutoff=0.6)
    guess = f" Did you mean {condition.key}{condition.operator}{close[0]}?" if close else ""
    exactly = "" if any_case else ", written exactly so"
    raise RequestError(
        f"--where {condition.text}: OIC knows only {', '.join(known)} as the "
        f"{condition.key} of {name}{exactly}; this would match nothing.{guess}"
    )


def _check_key(condition: Condition, keys: Sequence[str], name: str) -> None:
    same = [key for key in keys if key.lower() == condition.key.lower()]
    if same:
        raise RequestError(
            f"--where {condition.text}: OIC's filter key is {same[0]!r}. "
            f"Did you mean {same[0]}{condition.operator}{condition.value}?"
        )


def _suggestion(key: str, fields: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, sorted(fields), n=1, cutoff=0.6)
    return f". Did you mean {close[0]}?" if close else ""


def _fields(items: Sequence[Mapping[str, Any]]) -> set[str]:
    found: set[str] = set()
    for item in items[:50]:
        found.update(_flat_keys(item))
    return found


def _flat_keys(item: Mapping[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, value in item.items():
        keys.append(f"{prefix}{key}")
        if isinstance(value, Mapping):
            keys += _flat_keys(value, f"{prefix}{key}.")
    return keys


def _field(item: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    """The value at a dotted *key* of *item*, and whether it is there."""
    if key in item:
        return True, item[key]
    value: Any = item
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return False, None
        value = value[part]
    return True, value
