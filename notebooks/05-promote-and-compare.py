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
# # Promote and compare: dev and prod side by side
#
# Is production what we tested? This notebook signs in to two instances, backs up
# development, compares it with production, promotes two integrations that production
# lacks, shows that their drift is gone, and tests every connection of production.
# Everything that only reads runs freely; the one step that changes production, the
# import, says so with `--yes`.

# %% tags=["parameters"]
PROFILE = None  # a section of the profile file, for a real instance
DEMO = True  # True: the built-in emulator, started inside this kernel
TIME_WINDOW = "1d"  # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD
EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory
DEV_PROFILE = "dev"  # with DEMO = False: the profile sections of the two instances
PROD_PROFILE = "prod"
PROMOTE = 2  # how many of the integrations prod lacks are promoted

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
# ## Two sessions: dev and prod
#
# Each instance gets a session of its own. With `DEMO = True` each session name is an
# emulated instance of its own: `dev` holds the estate as seeded, `prod` the same estate
# after months of separate life (a few integrations never promoted, a connection secured
# differently, a lookup row edited). For real instances, `DEV_PROFILE` and `PROD_PROFILE`
# name sections of the profile file.

# %%
import datetime as dt

if DEMO:
    dev = prod = "--demo"  # two emulated instances, started inside this kernel
else:
    dev, prod = f"--profile {DEV_PROFILE}", f"--profile {PROD_PROFILE}"

# %oic_login $dev --session dev
# %oic_login $prod --session prod
# %oic_status

# %% [markdown]
# ## One call, both instances
#
# `--session dev,prod` reads both at once and stacks the answers under a `session`
# column. Nothing new is signed in; if one instance fails, the error names it and
# keeps the other's frame.

# %%
# integrations = %oic GET integrations --session dev,prod
pd.crosstab(integrations["session"], integrations["status"])

# %% [markdown]
# ## Back up dev
#
# Every integration archive (`.iar`), project archive (`.car`) and lookup (`.csv`)
# into a new folder, with `manifest.json`: what, version, status, size, SHA-256, when,
# from which instance. A locked integration is *skipped*: OIC does not export it.

# %%
backup = exports / f"dev-backup-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S-%f}"
# exported = %oic_export dev {backup} --projects
exported.groupby(["kind", "outcome"]).size().unstack(fill_value=0)

# %%
import json

manifest = json.loads((backup / "manifest.json").read_text())
where = {key: manifest[key] for key in ("exported", "instance", "session")}
where | {"items": len(manifest["items"])}

# %% [markdown]
# ## Compare dev with prod
#
# One row per difference, read from dev to prod: *removed* is in dev only (not
# promoted yet), *added* in prod only, *changed* a field that differs, with both
# values under the sessions' names.

# %%
# before = %oic_drift dev prod
before

# %% [markdown]
# ## Promote two integrations
#
# The first integrations dev has and prod lacks, imported from the backup (each file's
# SHA-256 checked against the manifest first) and activated. Importing changes
# production, so `%oic_import` asks first: in JupyterLab it shows what it will import
# and a button; a headless run, like this report's, must say `--yes`.

# %%
missing = before[(before["kind"] == "integrations") & (before["change"] == "removed")]
chosen = sorted(missing["key"])[:PROMOTE]
only = ",".join(chosen)
# promoted = %oic_import prod {backup} --only {only} --activate --yes
promoted

# %% [markdown]
# ## The drift is gone
#
# The same comparison again: the promoted integrations no longer appear; the rest of
# the drift is still there, for a person to decide on.

# %%
# after = %oic_drift dev prod
assert not set(chosen) & set(after["key"]), "a promoted integration still differs"
after

# %% [markdown]
# ## Test prod's connections
#
# Each connection's test, four at a time. A test changes nothing in OIC, but it does
# reach the endpoint behind the connection. Drafts answer *not configured* (409),
# locked ones *locked* (412), and a failure carries OIC's own words.

# %%
# sweep = %oic_sweep prod
sweep["outcome"].value_counts()

# %%
sweep[sweep["outcome"] == "failed"].head(10)

# %% [markdown]
# ## In numbers
#
# The figures above, handed to the report for its front page and kept in the executed
# notebook for a scheduled run (papermill) or a script to read back with
# `oic_magic.report.read_summary(path)`. No page shows this output.

# %%
from oic_magic.report import summary

numbers = {
    "integrations": integrations.groupby("session").size().to_dict(),
    "exported": exported["outcome"].value_counts().to_dict(),
    "exported_files": len(manifest["items"]),
    "drift_before": len(before),
    "drift_after": len(after),
    "promoted": chosen,
    "promoted_steps": promoted["outcome"].value_counts().to_dict(),
    "sweep": sweep["outcome"].value_counts().to_dict(),
}
summary(numbers)
