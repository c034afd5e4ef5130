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
# # Connection inventory
#
# Which adapters does the instance use, in which roles, secured how? Which connections
# are still drafts, locked by someone, or used by no integration at all, and which
# integrations depend on which connections? This notebook answers with two calls,
# pandas and a few charts, and exports the inventory to CSV.

# %% tags=["parameters"]
PROFILE = None  # a section of the profile file, for a real instance
DEMO = True  # True: the built-in emulator, started inside this kernel
TIME_WINDOW = "1d"  # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD
EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory

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
# ## The data: every connection and every integration
#
# Two listings, every page of each. An integration's `dependencies.connections` column
# lists the connections it uses: that is the link between the two tables.

# %%
# connections = %oic GET connections
# integrations = %oic GET integrations
print(
    f"{len(connections)} connections, {len(integrations)} integration versions "
    f"({integrations['code'].nunique()} integrations)"
)

# %% [markdown]
# ## By adapter type
#
# The adapter says what a connection talks to (ERP Cloud, REST, FTP, a database...).

# %%
by_adapter = connections["adapterType.displayName"].value_counts()
ax = by_adapter.sort_values().plot.barh(
    title="Connections by adapter type", figsize=(9, 0.3 * len(by_adapter) + 1)
)
ax.set_xlabel("connections")
ax.set_ylabel("")
ax.xaxis.get_major_locator().set_params(integer=True)
plt.show()

# %% [markdown]
# ## By role, status and security policy
#
# A connection is a *trigger* (`SOURCE`), an *invoke* (`TARGET`) or both. `CONFIGURED`
# connections are complete; `INPROGRESS` ones are drafts. The security policy says how
# OIC authenticates to the other system.

# %%
by_role_status = pd.crosstab(connections["role"], connections["status"], margins=True)
by_role_status

# %%
by_policy = connections["securityPolicy"].value_counts()
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
by_policy.sort_values().plot.barh(ax=left, title="Security policy")
pd.crosstab(connections["role"], connections["status"]).plot.barh(
    ax=right, stacked=True, title="Role and status"
)
for ax in (left, right):
    ax.set_xlabel("connections")
    ax.set_ylabel("")
    ax.xaxis.get_major_locator().set_params(integer=True)
right.legend(title="status")
fig.tight_layout()
plt.show()

# %% [markdown]
# ## Drafts, locked and unused connections
#
# - **drafts**: `status` is `INPROGRESS`, with how far along they are;
# - **locked**: someone holds the lock (`lockedFlag`), nobody else can edit;
# - **unused**: no integration version lists the connection among its dependencies.
#   Computed here from the integrations themselves, so it does not depend on a usage
#   counter being present in the connection's answer.

# %%
uses = (
    integrations[["id", "status", "dependencies.connections"]]
    .explode("dependencies.connections")
    .dropna(subset=["dependencies.connections"])
)
uses["connection"] = uses["dependencies.connections"].map(lambda d: d["id"])
uses = uses.rename(columns={"id": "integration", "status": "integration_status"})
uses = uses[["connection", "integration", "integration_status"]].reset_index(drop=True)

usage = uses.groupby("connection").agg(
    integrations=("integration", "nunique"),
    active=("integration_status", lambda s: int((s == "ACTIVATED").sum())),
)
connections = connections.join(usage, on="id")
connections[["integrations", "active"]] = (
    connections[["integrations", "active"]].fillna(0).astype(int)
)

drafts = connections[connections["status"] == "INPROGRESS"]
locked = connections[connections["lockedFlag"]]
unused = connections[connections["integrations"] == 0]
print(f"drafts: {len(drafts)}   locked: {len(locked)}   unused: {len(unused)}")
drafts[["id", "adapterType.displayName", "percentageComplete", "lastUpdatedBy"]][:10]

# %%
locked[["id", "adapterType.displayName", "lockedBy", "lastUpdated"]].head(10)

# %%
unused[["id", "adapterType.displayName", "status", "created", "createdBy"]][:10]

# %% [markdown]
# ## Which integrations use which connections
#
# One row per (connection, integration version) pair. The most shared connections are
# the ones whose change or outage touches the most integrations.

# %%
most_used = connections.nlargest(15, "integrations").set_index("id")
ax = (
    most_used[["active", "integrations"]]
    .iloc[::-1]
    .plot.barh(
        title="The 15 most shared connections (integration versions using them)", figsize=(9, 6)
    )
)
ax.legend(["activated", "all versions"])
ax.set_xlabel("integration versions")
ax.set_ylabel("")
ax.xaxis.get_major_locator().set_params(integer=True)
plt.show()
uses.head(10)

# %% [markdown]
# ## Export
#
# The inventory (one row per connection, with its usage) and the dependency pairs, as
# CSV under `EXPORT_DIR`.

# %%
columns = [
    "id",
    "name",
    "adapterType.displayName",
    "role",
    "status",
    "securityPolicy",
    "percentageComplete",
    "lockedFlag",
    "lockedBy",
    "integrations",
    "active",
    "created",
    "createdBy",
    "lastUpdated",
    "lastUpdatedBy",
]
inventory_csv = exports / "connection-inventory.csv"
uses_csv = exports / "connection-usage.csv"
connections[columns].to_csv(inventory_csv, index=False)
uses.to_csv(uses_csv, index=False)
print(f"wrote {inventory_csv} ({len(connections)} rows), {uses_csv} ({len(uses)} rows)")

# %% [markdown]
# ## In numbers
#
# The figures above, handed to the report for its front page and kept in the executed
# notebook for a scheduled run (papermill) or a script to read back with
# `oic_magic.report.read_summary(path)`. No page shows this output.

# %%
from oic_magic.report import summary

numbers = {
    "connections": len(connections),
    "integrations": len(integrations),
    "by_status": connections["status"].value_counts().to_dict(),
    "by_role": connections["role"].value_counts().to_dict(),
    "by_policy": by_policy.to_dict(),
    "by_adapter": by_adapter.to_dict(),
    "drafts": len(drafts),
    "locked": len(locked),
    "unused": len(unused),
    "pairs": len(uses),
    "inventory_csv": str(inventory_csv),
}
summary(numbers)
