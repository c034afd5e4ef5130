"""The report a manager opens: the documentation notebooks, run and rendered without code.

Build it with the installed command (the ``notebooks`` extra brings what it needs)::

    oic-report                          # against the built-in emulator
    oic-report --profile prod           # a real instance: a profile and the keyring/env
    oic-report --environment            # a real instance from the OIC_* variables
    python -m oic_magic.report --out my-report

Each page is self-contained HTML (charts embedded, no script from a CDN: it opens
offline); the index shows the headline numbers. A notebook hands its numbers to the
report with :func:`summary`, an output no page shows; :func:`read_summary` reads them
back from an executed notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["SUMMARY_MIMETYPE", "read_summary", "summary"]

#: The output type a notebook's machine summary is written as: no page renders it.
SUMMARY_MIMETYPE = "application/vnd.oic-magic.summary+json"


def summary(numbers: Mapping[str, Any]) -> None:
    """Hand *numbers* (JSON-safe) to the report, as an output nobody sees in a page."""
    import json

    from IPython.display import display

    data = json.loads(json.dumps(dict(numbers), default=str))
    display({SUMMARY_MIMETYPE: data}, raw=True)


def read_summary(notebook: Any) -> dict[str, Any] | None:
    """The last summary in an executed notebook (a path or an nbformat node), or None."""
    if isinstance(notebook, str | Path):
        import nbformat

        notebook = nbformat.read(notebook, as_version=4)
    for cell in reversed(notebook.cells):
        for output in reversed(cell.get("outputs", [])):
            data = output.get("data", {})
            if SUMMARY_MIMETYPE in data:
                return dict(data[SUMMARY_MIMETYPE])
    return None
