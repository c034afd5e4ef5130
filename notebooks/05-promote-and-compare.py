# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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
DEMO = True             # True: two built-in emulated instances, dev and prod
DEV_PROFILE = "dev"     # profile sections for real instances (DEMO = False)
PROD_PROFILE = "prod"
BACKUP_DIR = "backups"  # each run backs dev up into a new folder under this one
PROMOTE = 2             # how many of the integrations prod lacks are promoted

# %%
%load_ext oic_magic

if DEMO:
    %oic_login --demo --session dev
    %oic_login --demo --session prod
else:
    %oic_login --session dev --profile $DEV_PROFILE
    %oic_login --session prod --profile $PROD_PROFILE

# %% [markdown]
# With `--demo`, each session is an emulated instance of its own: `dev` holds the
# estate as seeded, `prod` the same estate after months of separate life (a few
# integrations never promoted, a connection secured differently, a lookup row edited).
# For real instances, each `--profile` names a section of `~/.oic/profiles.ini`.

# %%
import datetime as dt
import json
from pathlib import Path

%oic_status

# %% [markdown]
# ## One call, both instances
#
# `--session dev,prod` reads both at once and stacks the answers under a `session`
# column. Nothing new is signed in; if one instance fails, the error names it and
# keeps the other's frame.

# %%
integrations = %oic GET integrations --session dev,prod
integrations.groupby(["session", "status"]).size().unstack(fill_value=0)

# %% [markdown]
# ## Back up dev
#
# Every integration archive (`.iar`), project archive (`.car`) and lookup (`.csv`)
# into a new folder, with `manifest.json`: what, version, status, size, SHA-256, when,
# from which instance. A locked integration is *skipped*: OIC does not export it.

# %%
backup = Path(BACKUP_DIR) / f"dev-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S-%f}"
exported = %oic_export dev {backup} --projects
exported.groupby(["kind", "outcome"]).size().unstack(fill_value=0)

# %%
manifest = json.loads((backup / "manifest.json").read_text())
{key: manifest[key] for key in ("exported", "instance", "session")} | {"items": len(manifest["items"])}

# %% [markdown]
# ## Compare dev with prod
#
# One row per difference, read from dev to prod: *removed* is in dev only (not
# promoted yet), *added* in prod only, *changed* a field that differs, with both
# values under the sessions' names.

# %%
before = %oic_drift dev prod
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
promoted = %oic_import prod {backup} --only {only} --activate --yes
promoted

# %% [markdown]
# ## The drift is gone
#
# The same comparison again: the promoted integrations no longer appear; the rest of
# the drift is still there, for a person to decide on.

# %%
after = %oic_drift dev prod
assert not set(chosen) & set(after["key"]), "a promoted integration still differs"
after

# %% [markdown]
# ## Test prod's connections
#
# Each connection's test, four at a time. A test changes nothing in OIC, but it does
# reach the endpoint behind the connection. Drafts answer *not configured* (409),
# locked ones *locked* (412), and a failure carries OIC's own words.

# %%
sweep = %oic_sweep prod
sweep["outcome"].value_counts()

# %%
sweep[sweep["outcome"] == "failed"].head(10)

# %% [markdown]
# ## In numbers
#
# The figures above as one JSON line, starting with `OIC_SUMMARY`, for a scheduled run.

# %%
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
print("OIC_SUMMARY " + json.dumps(numbers, sort_keys=True, default=str))
