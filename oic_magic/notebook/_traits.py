"""The range of each numeric ``%config`` trait, checked by the same rule as the core's settings.

traitlets' ``Float(min=...)`` lets ``inf`` and ``nan`` through (every comparison with
``nan`` is false) and ``Int`` has no upper bound by default: ``%config
OICMagics.timeout = float('inf')`` would make every call wait forever, and
``retries = 5000`` would overflow the backoff. Each trait named here is checked
against its :class:`~oic_magic.core._bounds.Bound` and refused with a ``TraitError``
that names the trait and its range.
"""

from __future__ import annotations

from typing import Any

from traitlets import TraitError

from ..core import _bounds
from ..exceptions import SettingRangeError

__all__ = ["BOUNDS", "in_range"]

#: trait name -> its range (the same names on OICMagics and OICOperations).
BOUNDS: dict[str, _bounds.Bound] = {
    "page_size": _bounds.PAGE_SIZE,
    "concurrency": _bounds.CONCURRENCY,
    "max_rows": _bounds.MAX_ROWS,
    "timeout": _bounds.TIMEOUT,
    "retries": _bounds.RETRIES,
    "rereads": _bounds.REREADS,
    "activation_timeout": _bounds.WAIT,
    "activation_interval": _bounds.INTERVAL,
    "sign_in_timeout": _bounds.SIGN_IN_WAIT,
    "recovery_timeout": _bounds.WAIT,
    "recovery_interval": _bounds.INTERVAL,
}


def in_range(proposal: Any, owner: str) -> Any:
    """The proposed value of a numeric trait, or a ``TraitError`` naming its range."""
    name = proposal["trait"].name
    value = proposal["value"]
    if value is None:  # an unset timeout: OIC_TIMEOUT or the default applies
        return value
    bound = BOUNDS[name]
    try:
        return (
            bound.count(value, f"{owner}.{name}")
            if bound.whole
            else bound.seconds(value, f"{owner}.{name}")
        )
    except SettingRangeError as error:
        raise TraitError(error.problems[0]) from None
