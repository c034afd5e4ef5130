# ---
# jupyter:
#   jupytext:
#     notebook_metadata_filter: -jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Error triage of the last day
#
# An operator's morning: every failure of the last day (OIC shows at most 550 records of
# a window, so the client reads it in sub-windows until nothing is missing), the top
# causes, a preview of what a resubmit would touch, the resubmit itself with its recovery
# job followed to the end, and the activity stream of one failure.

# %% tags=["parameters"]
PROFILE = None  # a section of the profile file, for a real instance
DEMO = True  # True: the built-in emulator, started inside this kernel
TIME_WINDOW = "1d"  # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD
EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory
RESUBMIT = None  # CODE|VERSION whose errors to resubmit; None: the top one in demo mode

# %%
# %load_ext oic_magic

if DEMO:
    how = "--demo"  # the built-in emulator, started inside this kernel
elif PROFILE:
    how = f"--profile {PROFILE}"
else:
    how = ""  # the form, or headless: the OIC_* variables and the keyring

# %oic_login $how

# %% [markdown]
# The cell above is the notebook's only switch between the emulator and a real instance.
# With `DEMO = False`, `%oic_login` reads the settings from the profile named by `PROFILE`
# and the `OIC_*` environment variables (secrets from `OIC_CLIENT_SECRET` and
# `OIC_PASSWORD`, or the keyring); in JupyterLab it shows the form when something is
# missing, and in a headless run it stops with one message listing what is missing.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

plt.rcParams.update(
    {
        "figure.figsize": (9, 4),
        "figure.dpi": 96,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
exports = Path(EXPORT_DIR)
exports.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Every instance of the day, past OIC's cap
#
# `TIME_WINDOW` is OIC's own `timewindow` (`1d`: the day until now, on the server's
# clock). `--since 24h` says the same plainly, and `--between A B` names both ends (a
# moment without a time zone is this machine's). When the window holds more than the 550
# records OIC lets one window show, it is cut into sub-windows by `startdate` and
# `enddate`, read concurrently, and put back together without duplicates: the frame is
# the whole day, or the cell fails saying what arrived.

# %%
window = f"timewindow={TIME_WINDOW}"
# instances = %oic GET monitoring/instances --where $window
print(
    f"{len(instances)} instances from {instances.attrs['window_start']:%Y-%m-%d %H:%M} "
    f"to {instances.attrs['window_end']:%Y-%m-%d %H:%M} UTC, read in "
    f"{instances.attrs['windows']} window(s) and {instances.attrs['requests']} requests"
)
instances["status"].value_counts().rename("instances").to_frame()

# %% [markdown]
# ## The top causes
#
# `%oic_triage` reads `monitoring/errors` for the window and groups the errors four ways
# at once: by integration and version, by error code and message, by connection and by
# hour. Each grouping counts the errors and how many of them OIC can resubmit.

# %%
# t = %oic_triage --where $window
t

# %%
causes = t.by_error.head(8).set_index("errorCode")["errors"]
hours = t.by_hour.set_index("hour")["errors"]
hours.index = hours.index.strftime("%d %H:00")  # one label per bar
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
causes.iloc[::-1].plot.barh(ax=left, title="Errors by cause")
left.set_ylabel("")
left.set_xlabel("errors")
left.xaxis.get_major_locator().set_params(integer=True)
hours.plot.bar(ax=right, title="Errors per hour (UTC)", width=0.9, rot=90, fontsize=7)
right.set_xlabel("hour (UTC)")
right.set_ylabel("errors")
right.yaxis.get_major_locator().set_params(integer=True)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What a resubmit would touch
#
# `%oic_resubmit` chooses errors by id (or a variable holding ids, or a frame with an
# `id` column) or by criteria: `--integration CODE|VERSION`, `--connection CODE` and the
# window. `--preview` lists what it would do and sends nothing. Without `--preview` and
# `--yes`, a person at the notebook gets this table and a button that resubmits exactly
# these rows, once; a headless run is refused with the count. Here, in demo mode, the
# errors of the integration with the most of them.

# %%
top = t.by_integration.iloc[0] if t.total else None
target = RESUBMIT or (f"{top['code']}|{top['version']}" if DEMO and top is not None else None)
preview = None  # set by -o below
if target:
    # %oic_resubmit --integration $target --where $window --preview -o preview
    print(preview.attrs["summary"])
    display(preview[["id", "will", "errorCode", "connectionCode", "creationDate"]])

# %% [markdown]
# ## The resubmit, and its recovery job followed to the end
#
# `--yes` acts without asking (as a scheduled run must); ids go to OIC in batches of at
# most 50. `--wait` then reads `monitoring/errors/recoveryJobs` until every job is done
# (`%config OICOperations.recovery_timeout`, 300 s by default). One row per id: OIC's
# outcome (`accepted`, `invalid`, `non-recoverable`), the batch, the job and its status.

# %%
outcome = None  # set by -o below
if target:
    # %oic_resubmit --integration $target --where $window --yes --wait -o outcome
    display(outcome)
    jobs = outcome.attrs.get("jobs", [])
    display(pd.DataFrame(jobs).drop(columns=["instanceIds"], errors="ignore"))
    for job in jobs:
        print(
            f"job {job['id']}: {job['status']}, {job['succeededCount']} recovered, "
            f"{job['failedCount']} failed again, of {job['totalCount']}"
        )

# %% [markdown]
# ## The activity stream of one failure
#
# `%oic_activity ID` gives the milestones of an instance as rows, depth first (`depth`
# is the nesting: the steps inside a loop are one deeper). `--payloads` fetches each
# milestone's payload with a second request, cut at `--payload-limit` characters. OIC
# keeps payloads 24 hours with debug tracing and the rest for its retention period; a
# purged instance fails with a hint that says so.

# %%
still_failed = t.errors[~t.errors["id"].isin(outcome["id"] if outcome is not None else [])]
failure = (still_failed if len(still_failed) else t.errors)["id"].iloc[0] if t.total else None
stream = None  # set by -o below
if failure:
    # %oic_activity $failure --payloads --payload-limit 200 -o stream
    shown = ["step", "depth", "name", "type", "status", "elapsedTime", "isErrorMilestone"]
    display(stream[[*shown, "payload"]])

# %% [markdown]
# ## Export

# %%
errors_csv = exports / "errors-by-integration.csv"
t.by_integration.to_csv(errors_csv, index=False)
print(f"wrote {errors_csv} ({len(t.by_integration)} rows)")
created = t.errors.set_index("id")["creationDate"]  # one error's time, for the summary

# %% [markdown]
# ## In numbers
#
# The figures above, handed to the report for its front page and kept in the executed
# notebook for a scheduled run (papermill) or a script to read back with
# `oic_magic.report.read_summary(path)`. No page shows this output.

# %%
from oic_magic.report import summary

numbers = {
    "instances": len(instances),
    "instance_ids_unique": bool(instances["id"].is_unique),
    "window_start": instances.attrs["window_start"].isoformat(),
    "window_end": instances.attrs["window_end"].isoformat(),
    "windows": instances.attrs["windows"],
    "errors": t.total,
    "error_window_start": t.errors.attrs["window_start"].isoformat(),
    "error_window_end": t.errors.attrs["window_end"].isoformat(),
    "error_ids": sorted(t.errors["id"]),
    "an_error": {"id": created.index[0], "creationDate": created.iloc[0].isoformat()}
    if t.total
    else None,
    "by_cause": t.by_error.groupby("errorCode")["errors"].sum().to_dict(),
    "target": target,
    "previewed": sorted(preview.loc[preview["will"] == "resubmit", "id"]) if target else [],
    "accepted": sorted(outcome.loc[outcome["outcome"] == "accepted", "id"])
    if outcome is not None
    else [],
    "jobs": [
        {k: job[k] for k in ("id", "status", "totalCount", "succeededCount", "failedCount")}
        for job in jobs
    ]
    if outcome is not None
    else [],
    "activity": {
        "instance": failure,
        "milestones": len(stream),
        "last_type": stream["type"].iloc[-1],
    }
    if failure
    else None,
}
summary(numbers)
