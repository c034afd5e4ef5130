"""The report's pages: each notebook without its code, and the index with the numbers.

A page is the executed notebook rendered by nbconvert's lab template with the inputs
and prompts left out (headings, text, tables and charts kept) and every script that
template would fetch from a CDN (require.js, MathJax, mermaid, the widget manager)
left out too: the charts are PNG images inside the page, so it opens offline. Widget
outputs (a progress bar, a form) and machine summaries are no part of a page.
"""

from __future__ import annotations

import copy
import html
import re
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from . import SUMMARY_MIMETYPE

__all__ = ["external_resources", "headline", "index_page", "notebook_title", "render_html"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# What a page may not load from elsewhere: a script, a style sheet, a frame or an import.
_EXTERNAL = re.compile(
    r"""<(?:script|link|iframe|img)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    r"""|\bimport\s*\(\s*["'](?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def render_html(nb: nbformat.NotebookNode, target: Path) -> None:
    """Render an executed notebook as a code-free, self-contained page."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="oic_report",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(_for_the_page(nb))
    found = external_resources(body)
    if found:
        raise RuntimeError(f"{target.name} would load {found[0]!r} from the network")
    target.write_text(body, encoding="utf-8")


def external_resources(page: str) -> list[str]:
    """Every place in *page* that would fetch something from another host."""
    return [match.group(0) for match in _EXTERNAL.finditer(page)]


def _for_the_page(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without widget state, widget views, machine summaries or empty code cells."""
    page = copy.deepcopy(nb)
    page.metadata.pop("widgets", None)
    for cell in page.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [output for output in cell.get("outputs", []) if _shown(output)]
    page.cells = [c for c in page.cells if c.cell_type != "code" or c.outputs]
    return page


def _shown(output: Mapping[str, Any]) -> bool:
    data = output.get("data", {})
    return not (WIDGET_VIEW in data or SUMMARY_MIMETYPE in data)


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first markdown heading of a notebook, or ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


_STATUS_WORDS = {
    "ACTIVATED": "Activated",
    "CONFIGURED": "Configured",
    "INPROGRESS": "In progress (drafts)",
    "FAILEDACTIVATION": "Failed to activate",
}


def headline(summaries: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The numbers a manager reads first, from the notebooks' summaries (what they hold)."""
    merged: dict[str, Any] = {}
    for numbers in summaries:
        for key, value in numbers.items():
            merged.setdefault(key, value)
    rows: list[tuple[str, str]] = []
    if isinstance(merged.get("connections"), int):
        drafts = merged.get("drafts")
        extra = f" ({drafts:,} drafts)" if isinstance(drafts, int) else ""
        rows.append(("Connections", f"{merged['connections']:,}{extra}"))
    statuses = merged.get("integration_statuses")
    if isinstance(merged.get("integrations"), int):
        rows.append(("Integration versions", f"{merged['integrations']:,}"))
    if isinstance(statuses, Mapping):
        for status, count in sorted(statuses.items(), key=lambda item: -int(item[1])):
            label = _STATUS_WORDS.get(str(status), str(status).capitalize())
            rows.append((f"  {label}", f"{int(count):,}"))
    window = merged.get("time_window")
    when = f", last {window}" if window else ""
    if isinstance(merged.get("failed_instances"), int):
        rows.append((f"Failed instances{when}", f"{merged['failed_instances']:,}"))
    messages, errors = merged.get("messages"), merged.get("total_errors")
    if isinstance(messages, int) and isinstance(errors, int) and messages:
        rows.append(
            (f"Error rate{when}", f"{100 * errors / messages:.1f}% ({errors:,} of {messages:,})")
        )
    return rows


def index_page(
    rows: Sequence[tuple[Any, str]],
    exports: Sequence[Path],
    out: Path,
    numbers: Sequence[tuple[str, str]] = (),
) -> str:
    """The report's front page: the headline numbers, the pages, the exported files."""
    items = []
    for outcome, title in rows:
        state = f"failed — {html.escape(str(outcome.failure))}" if outcome.failure else "ran"
        href = html.escape(outcome.html.relative_to(out).as_posix())
        items.append(
            f'<li><a href="{href}">{html.escape(title)}</a> '
            f"<small>({html.escape(outcome.source.name)}, {state}, "
            f"{outcome.seconds:.0f} s)</small></li>"
        )
    files = "".join(
        f'<li><a href="{html.escape(p.relative_to(out).as_posix())}">'
        f"{html.escape(p.relative_to(out).as_posix())}</a></li>"
        for p in exports
    )
    table = "".join(
        f"<tr><th scope='row'{' class=sub' if label.startswith('  ') else ''}>"
        f"{html.escape(label.strip())}</th><td>{html.escape(value)}</td></tr>"
        for label, value in numbers
    )
    stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>oic_magic report</title><style>body{font-family:sans-serif;max-width:50em;"
        "margin:2em auto;line-height:1.5}small{color:#555}table.numbers{border-collapse:"
        "collapse;margin:1em 0}table.numbers th,table.numbers td{padding:.25em 1em;"
        "border-bottom:1px solid #ddd;text-align:left}table.numbers td{text-align:right;"
        "font-variant-numeric:tabular-nums}th.sub{font-weight:normal;padding-left:2em}"
        "</style></head><body>"
        "<h1>oic_magic report</h1>"
        f"<p>Built on {html.escape(stamp)}.</p>"
        + (f"<h2>In numbers</h2><table class='numbers'>{table}</table>" if table else "")
        + f"<h2>Pages</h2><ol>{''.join(items)}</ol>"
        + (f"<h2>Exported files</h2><ul>{files}</ul>" if files else "")
        + "</body></html>\n"
    )
