"""P9: Tab after ``%oic GET integrations/`` with 10,000 known ids vs a plain Python name.

Both are completed by the same real ``InteractiveShell`` through
``Completer.completions`` (what Jupyter calls), every completion consumed. The
candidate completes ``%oic GET integrations/`` once the session has listed 10,000
integrations (the ids are noted as a returned list would note them; completing
sends nothing). The baseline is IPython's own completion of ``pri`` (a plain name:
Jedi, the namespace, keywords). One sample is the mean of a burst of completions.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from _common import Context, Row, interleaved

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

GOAL = 2.0
IDS = 10_000
CANDIDATE = "%oic GET integrations/"
BASELINE = "pri"


def _shell() -> InteractiveShell:
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    # IPython leaves run_cell unannotated.
    shell.run_cell("%load_ext oic_magic", store_history=False)  # type: ignore[no-untyped-call]
    magics = shell.magics_manager.registry["OICMagics"]
    items = [{"id": f"INT_{n:05d}|01.00.{n % 10:04d}"} for n in range(IDS)]
    magics.known_ids.note("default", "integrations", items)
    return shell


def _burst(shell: InteractiveShell, text: str, count: int) -> float:
    from IPython.core.completer import provisionalcompleter

    completer = shell.Completer
    start = time.perf_counter()
    with provisionalcompleter():
        for _ in range(count):
            found = list(completer.completions(text, len(text)))
    elapsed = time.perf_counter() - start
    assert found, f"nothing completes {text!r}"
    return elapsed / count


def run(ctx: Context) -> list[Row]:
    """Interleave the two completions; a sample is the mean of a burst of calls."""
    shell = _shell()
    count = 3 if ctx.quick else 20
    for text in (CANDIDATE, BASELINE):
        _burst(shell, text, 2)  # warm-up: Jedi's caches, the matcher's first call
    samples = interleaved(
        max(ctx.repeats, 3) if not ctx.quick else 1,
        {
            "candidate": lambda: _burst(shell, CANDIDATE, count),
            "baseline": lambda: _burst(shell, BASELINE, count),
        },
    )
    ratio = samples["candidate"].median / samples["baseline"].median
    return [
        Row(
            id="P9",
            what=f"Tab after `{CANDIDATE}` with {IDS:,} known ids vs IPython completing "
            f"`{BASELINE}`",
            unit="ms",
            candidate=samples["candidate"],
            baseline=samples["baseline"],
            goal=f"≤ {GOAL}",
            holds=ratio <= GOAL,
            reason="" if ratio <= GOAL else "see the profile below",
            note=f"mean of {count} completions per sample",
        )
    ]
