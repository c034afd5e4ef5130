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
# # Integration health
#
# Two views of the same integrations. **Design time**: how many are activated,
# configured, still drafts or failed to activate; which styles; how many versions.
# **Run time** (OIC monitoring): failed instances over the time window, the error rate
# of each integration, and the slowest ones. In between, one activation, started and
# waited for to the end, because activation in OIC is asynchronous.

# %% tags=["parameters"]
PROFILE = None  # a section of the profile file, for a real instance
DEMO = True  # True: the built-in emulator, started inside this kernel
TIME_WINDOW = "1d"  # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD
EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory
ACTIVATE = None  # CODE|VERSION to activate; None: one picked in demo mode

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
# ## Integrations by status, style and version

# %%
# integrations = %oic GET integrations
# Some instances list only each version's id, code and status: the version is read from
# the id (CODE|VERSION), and a chart of a field the list lacks says so instead.
integrations["version"] = integrations["version"].combine_first(
    integrations["id"].str.split("|").str[1]
)
by_status = integrations["status"].value_counts()
by_style = integrations["style"].value_counts()


def bars(counts, ax, title):
    """A bar chart of value counts, or a note when the list did not carry the field."""
    if counts.empty:
        ax.set_title(f"{title}: not in this instance's list")
        ax.set_axis_off()
    else:
        counts.sort_values().plot.barh(ax=ax, title=title)
        ax.set_xlabel("integration versions")
        ax.set_ylabel("")
        ax.xaxis.get_major_locator().set_params(integer=True)


fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
bars(by_status, left, "Integration versions by status")
bars(by_style, right, "... and by style")
fig.tight_layout()
plt.show()

# %% [markdown]
# An integration (`code`) may have several versions `MM.mm.pppp`. Activating a version
# deactivates the other versions of the same *major* version; another major version
# may stay active next to it.

# %%
versions = integrations.groupby("code").agg(
    versions=("version", "count"),
    majors=("version", lambda v: v.str[:2].nunique()),
    activated=("status", lambda s: int((s == "ACTIVATED").sum())),
)
print(
    versions["versions"]
    .value_counts()
    .sort_index()
    .rename("integrations")
    .rename_axis("versions")
    .to_string()
)
versions[versions["activated"] > 1]

# %% [markdown]
# ## Failed activations
#
# `FAILEDACTIVATION` means OIC tried to activate the version and could not; the design
# is kept, the endpoint is not live.

# %%
# failed_activations = %oic GET integrations --where status=FAILEDACTIVATION
failed_activations[["id", "name", "style", "lastUpdated", "lastUpdatedBy"]]

# %% [markdown]
# ## An activation, waited for to the end
#
# Activating is a `PATCH` of the integration's status (sent as OIC expects: `POST` with
# `X-HTTP-Method-Override: PATCH`). OIC answers `ACTIVATION_INPROGRESS` at once; the
# outcome comes later, from `integrations/{id}/activationStatus`. `--wait` polls it to
# the end and returns one row (id, status, polls, elapsed); a failed activation stops
# the notebook with `ActivationFailedError`, one still running after five minutes with
# `ActivationTimeoutError`. In a cell of its own the request reads
#
# ```
# %%oic PATCH integrations/{target} --wait
# {"status": "ACTIVATED"}
# ```
#
# Here it is done from Python, with the same wait (`client.activate`), so that it can be
# skipped: on a real instance nothing is activated unless you name a version in the
# `ACTIVATE` parameter. In demo mode, the first complete, unlocked, configured version
# is picked.

# %%
from oic_magic import OICClient, default_store

# In demo mode: a complete, unlocked, configured version, preferably one whose
# major version has another version active (to see that one deactivated).
major = integrations["id"].str[:-8]  # "CODE|01" of "CODE|01.00.0002"
live_majors = set(major[integrations["status"] == "ACTIVATED"])
candidates = integrations[
    (integrations["status"] == "CONFIGURED")
    & (integrations["percentageComplete"] == 100)
    & ~integrations["lockedFlag"].isin([True])
]
candidates = candidates.assign(replaces=major.isin(live_majors)).sort_values(
    ["replaces", "id"], ascending=[False, True]
)
target = ACTIVATE or (candidates["id"].iloc[0] if DEMO else None)
if target:
    # %oic PATCH integrations/{target} --curl
    with OICClient(default_store().get("default")) as client:
        done = client.activate(target, timeout=300, interval=0.5)
    seen = " -> ".join(dict.fromkeys(status for _, status in done.observed))
    print(f"{target}: {seen} after {done.polls} polls, {done.elapsed:.1f}s")
    activation = done.status
else:
    activation = None
    print("No activation: set ACTIVATE to a CODE|VERSION to try one.")

# %%
if target:
    code = target.split("|")[0]
    # %oic GET integrations --where code={code} -o siblings
    display(siblings[["id", "status", "lastUpdated", "lastUpdatedBy"]])  # noqa: F821 - by -o

# %% [markdown]
# ## Monitoring: failed instances over the time window
#
# Monitoring lists are capped by OIC (at most 50 per page and offset 500), so the
# window matters: a narrow `TIME_WINDOW` keeps a busy instance's failures listable.
# The client respects the caps and tells you when a list could not be read to its
# end: it never hands you a silently partial frame.

# %%
window = f"timewindow={TIME_WINDOW}"
# failed = %oic GET monitoring/instances --where $window --where status=FAILED
print(f"{len(failed)} failed instances in the last {TIME_WINDOW}")
if len(failed):
    per_hour = failed.set_index("creationDate").resample("1h").size()
    per_hour.index = per_hour.index.strftime("%d %H:00")  # one label per bar
    ax = per_hour.plot.bar(
        title=f"Failed instances per hour, last {TIME_WINDOW}", width=0.9, rot=90, fontsize=7
    )
    ax.set_xlabel("hour (UTC)")
    ax.set_ylabel("failed instances")
    ax.yaxis.get_major_locator().set_params(integer=True)
    plt.show()
failed_ids = sorted(failed["id"]) if len(failed) else []
if len(failed):
    by_code = failed.groupby("code").size().sort_values(ascending=False)
    display(by_code.head(10).rename("failed instances").to_frame())

# %% [markdown]
# ## Error rate by integration
#
# `monitoring/integrations` gives, per integration version, the messages received and
# how they ended. The error rate is failed over received; integrations with only a
# handful of messages are left out of the chart (one failure in two messages says
# little).

# %%
# traffic = %oic GET monitoring/integrations --where $window
traffic["errorRate"] = traffic["noOfErrors"] / traffic["noOfMsgsReceived"]
busy = traffic[traffic["noOfMsgsReceived"] >= 10]
worst = busy.nlargest(12, "errorRate").set_index("id")
ax = (
    (100 * worst["errorRate"])
    .iloc[::-1]
    .plot.barh(title=f"Highest error rates, last {TIME_WINDOW} (10+ messages)", figsize=(9, 5))
)
ax.set_xlabel("% of messages failed")
ax.set_ylabel("")
plt.show()
worst[["noOfMsgsReceived", "noOfErrors", "successRate"]]

# %% [markdown]
# ## The slowest integrations
#
# `orderBy=executiontime` sorts instances by duration, slowest first; the first 50 are
# enough to see which integrations they belong to.

# %%
by_duration = "monitoring/instances?orderBy=executiontime"
# slowest = %oic GET $by_duration --where $window --limit 50
slowest["seconds"] = slowest["duration"] / 1000
slow = (
    slowest.groupby("code")["seconds"]
    .agg(["count", "max", "median"])
    .sort_values("max", ascending=False)
)
ax = (
    slow["max"]
    .head(10)
    .iloc[::-1]
    .plot.barh(title=f"Slowest instance per integration, last {TIME_WINDOW} (top 50 instances)")
)
ax.set_xlabel("seconds")
ax.set_ylabel("")
plt.show()
slow.head(10)

# %% [markdown]
# ## Export

# %%
failed_csv = exports / "failed-instances.csv"
rates_csv = exports / "error-rates.csv"
failed.to_csv(failed_csv, index=False)
traffic.to_csv(rates_csv, index=False)
print(f"wrote {failed_csv} ({len(failed)} rows) and {rates_csv} ({len(traffic)} rows)")

# %% [markdown]
# ## In numbers
#
# The figures above, handed to the report for its front page and kept in the executed
# notebook for a scheduled run (papermill) or a script to read back with
# `oic_magic.report.read_summary(path)`. No page shows this output.

# %%
from oic_magic.report import summary

numbers = {
    "integrations": len(integrations),
    "by_status": by_status.to_dict(),
    "integration_statuses": by_status.to_dict(),
    "time_window": TIME_WINDOW,
    "messages": int(traffic["noOfMsgsReceived"].sum()),
    "by_style": by_style.to_dict(),
    "codes": len(versions),
    "failed_activations": sorted(failed_activations["id"]),
    "activated": target,
    "activation": activation,
    "failed_instances": len(failed),
    "failed_ids": failed_ids,
    "traffic_rows": len(traffic),
    "total_errors": int(traffic["noOfErrors"].sum()),
    "slowest_ms": int(slowest["duration"].max()) if len(slowest) else None,
    "failed_csv": str(failed_csv),
}
summary(numbers)
