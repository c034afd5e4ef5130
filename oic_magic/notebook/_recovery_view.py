"""Resubmit and discard in a notebook: the preview as rows, a confirm button, the outcome.

Nothing is sent before a confirmation: a click on the button (with a person at the
notebook) or ``--yes`` (headless, where a run without it is refused with the preview's
count in the message). The button acts on exactly the previewed ids, once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core._recovery import RecoveryPlan, RecoveryResult
from ._errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["PREVIEW_COLUMNS", "confirm_widget", "outcome_frame", "preview_frame", "refuse"]

PREVIEW_COLUMNS = (
    "id", "will", "code", "version", "errorCode", "errorMessage", "connectionCode",
    "recoverable", "creationDate",
)  # fmt: skip


def preview_frame(plan: RecoveryPlan) -> pd.DataFrame:
    """One row per error the plan found (and per invalid id): what will happen to it."""
    import pandas as pd

    from ._frames import to_frame

    verb = "resubmit" if plan.action == "resubmit" else "discard"
    alone = set(plan.not_recoverable)
    rows: list[dict[str, Any]] = []
    for error in plan.errors:
        will = "left alone: not recoverable" if error["id"] in alone else verb
        rows.append({**error, "will": will})
    rows += [{"id": ident, "will": "nothing: no such error"} for ident in plan.invalid]
    frame = to_frame(rows) if rows else pd.DataFrame(columns=list(PREVIEW_COLUMNS))
    present = [c for c in PREVIEW_COLUMNS if c in frame]
    frame = frame[present + [c for c in frame.columns if c not in present]]
    frame.attrs.update(
        action=plan.action, criteria=plan.criteria, ids=len(plan.ids),
        requests=len(plan.batches), summary=plan.describe(),
    )  # fmt: skip
    return frame


def outcome_frame(result: RecoveryResult) -> pd.DataFrame:
    """One row per id: OIC's outcome, its batch, the recovery job and (waited) its end."""
    import pandas as pd

    frame = pd.DataFrame(
        list(result.rows), columns=["id", "outcome", "batch", "recoveryJobId"]
    ).astype({"batch": "Int64"})
    if result.jobs:
        status = {job: str(body.get("status")) for job, body in result.jobs.items()}
        frame["jobStatus"] = frame["recoveryJobId"].map(status)
        frame.attrs["jobs"] = [dict(body) for body in result.jobs.values()]
    frame.attrs.update(
        action=result.action, requests=result.requests, recovery_jobs=list(result.job_ids),
        accepted=len(result.accepted),
    )  # fmt: skip
    return frame


def refuse(plan: RecoveryPlan, *, magic: str) -> UsageError:
    """The headless refusal: nothing sent, what would be, and how to confirm."""
    return UsageError(
        f"{magic}: nothing was sent. {plan.describe()} Nobody can confirm a headless run: "
        f"add --yes to act, or --preview to see the rows first."
    )


def confirm_widget(
    plan: RecoveryPlan,
    act: Callable[[], Any],
    *,
    store: Callable[[Any], None] | None = None,
) -> Any:
    """The preview table and one button that runs *act* once, showing its outcome below."""
    import ipywidgets as w
    from IPython.display import display

    verb = "Resubmit" if plan.action == "resubmit" else "Discard"
    preview = w.Output()
    with preview:
        display(preview_frame(plan))
    summary = w.HTML(value=f"<b>{plan.describe()}</b>")
    button = w.Button(
        description=f"{verb} {len(plan.ids)}",
        button_style="danger" if plan.action == "discard" else "warning",
        disabled=not plan.ids,
        tooltip=f"{verb} exactly the errors listed above",
    )
    outcome = w.Output()
    box = w.VBox([summary, preview, button, outcome])
    box.result = None

    def clicked(_: Any) -> None:
        if button.disabled:
            return
        button.disabled = True
        button.description = "Sent"
        try:
            value = act()
        except Exception as error:  # shown where the person looks, and kept on the box
            box.result = error
            with outcome:
                print(f"{type(error).__name__}: {error}")
            return
        box.result = value
        if store is not None:
            store(value)
        with outcome:
            display(value)

    button.on_click(clicked)
    return box
