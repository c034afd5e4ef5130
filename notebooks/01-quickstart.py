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
# # Quickstart: calling the OIC Developer API from a notebook
#
# Oracle's page *Call the Developer APIs with Resource Owner Password Credentials*
# walks you through a procedure by hand:
#
# 1. gather the **information you need** (URL, identity domain host, client ID and
#    secret, scope, integration instance, a user name and password);
# 2. base64-encode `client_id:client_secret` and `POST` a form to the identity
#    domain's `/oauth2/v1/token` with `grant_type=password` (curl or Postman);
# 3. copy the `access_token` out of the answer and paste it as
#    `Authorization: Bearer ...` into every call;
# 4. if you used the *runtime* URL, remember `curl -l` / Postman's *Follow
#    Authorization header*, or the redirect to the design-time host drops the token
#    and you get `401 NotAuthenticated`;
# 5. an hour later, `POST` the `refresh_token` yourself, and keep the *new* refresh
#    token (they are single use).
#
# This notebook does the same with `oic_magic`: one magic signs in, tokens stay in
# the kernel's memory and renew themselves, and every list comes back complete as a
# pandas DataFrame. It runs as is against the **built-in emulator** (`DEMO = True`),
# so you need no Oracle account to follow it; set `DEMO = False` to run it against
# your own instance.

# %% tags=["parameters"]
PROFILE = None  # a section of the profile file, for a real instance
DEMO = True  # True: the built-in emulator, started inside this kernel
TIME_WINDOW = "1d"  # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD
EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory

# %% [markdown]
# ## 1. Sign in
#
# Oracle's "Information you need" table maps onto the sign-in form and onto
# environment variables (for headless runs) like this:
#
# | Oracle's table | form field | environment variable |
# |---|---|---|
# | Design-time URL or Runtime URL | URL (design-time or runtime) | `OIC_URL` |
# | Domain host | Identity domain host | `OIC_IDENTITY_URL` |
# | Client ID | Client ID | `OIC_CLIENT_ID` |
# | Client Secret | Client secret | `OIC_CLIENT_SECRET` |
# | Scope | Scope or audience | `OIC_SCOPE` (or `OIC_AUDIENCE`) |
# | Integration instance | Integration instance | `OIC_INSTANCE` |
# | User name and password | User name / Password | `OIC_USERNAME` / `OIC_PASSWORD` |
#
# Secrets are never magic arguments: a line like `%oic_login --password ...` would be
# kept in `In`, `_ih` and IPython's history database. The form empties its password
# and client-secret fields right after each attempt, so a notebook saved with widget
# state never holds them.
#
# The password grant works only for **local users of the identity domain** (no SSO,
# no MFA), and Oracle itself calls it "not recommended": use it where your domain
# requires it.

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

# %% [markdown]
# Behind that line is step 2 of Oracle's procedure: a `POST` to the token endpoint
# with HTTP Basic client authentication, the password grant, and your scope plus
# `offline_access` so that a refresh token comes back. Nothing was printed that you
# would have to copy. `%oic_status` says who is signed in, where, and until when;
# it never shows a token.

# %%
# %oic_status

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
# ## 2. List connections
#
# Oracle's page ends with Postman's *Send*: `GET .../ic/api/integration/v1/connections`.
# Here the path is relative to `/ic/api/integration/v1/`, `integrationInstance` is
# added for you, and **every page** is fetched (pages after the first are fetched
# concurrently once the total is known). The answer is a DataFrame: `items` become
# rows, nested objects dotted columns, timestamps timezone-aware datetimes.

# %%
# connections = %oic GET connections
connections[["id", "adapterType.displayName", "role", "status", "lastUpdated"]].head(8)

# %% [markdown]
# The request's facts travel with the frame in `df.attrs` (the URL holds no secret):

# %%
{key: connections.attrs[key] for key in ("url", "status", "pages", "total")}

# %% [markdown]
# ### Filters without quoting headaches
#
# OIC filters lists with a `q` parameter that is *not* JSON: `q={status:'INPROGRESS'}`,
# `/text/` for "contains", URL-encoded as a whole. `--where key=value` (exact) and
# `--where key~text` (contains) write it for you. `--curl` prints the request you
# would send with curl, the token left to `$OIC_TOKEN`, and sends nothing:

# %%
# drafts = %oic GET connections --where status=INPROGRESS
print(f"{len(drafts)} of {len(connections)} connections are drafts (status INPROGRESS)")
# %oic GET connections --where status=INPROGRESS --limit 3 --curl

# %% [markdown]
# ## 3. Design-time URL, runtime URL, and the redirect that no longer hurts
#
# Developer API calls are served by the region's **design-time** host; the
# instance's **runtime** host answers them with `307 Temporary Redirect` to it. curl
# and Postman follow the redirect but drop the `Authorization` header, hence the
# `401` and Oracle's advice to use `-l` or *Follow Authorization header*, which sends
# your token to *whatever* host the redirect names.
#
# `oic_magic` tells the two URLs apart by their host names, sends Developer API calls
# straight to the design-time host when it knows it, and otherwise follows the `307`
# itself, re-attaching the token only for trusted hosts: HTTPS hosts under
# `oraclecloud.com`, the URLs you configured, and `trusted_hosts`. After the first
# such redirect it calls the design-time host directly, saving a round trip per call.
# A redirect anywhere else stops with an error that says the token was not sent.

# %%
from oic_magic import classify_url

for url in (
    "https://design.integration.us-phoenix-1.ocp.oraclecloud.com",
    "https://myinstance-abcd1234-ph.integration.us-phoenix-1.ocp.oraclecloud.com",
):
    print(f"{classify_url(url):12} {url}")

# %% [markdown]
# On the emulator we can watch the wire: sign in with *only* the runtime URL (plain
# Python, see section 6), list five connections, and read the emulator's request log.
# The emulator's origins are all on `127.0.0.1`, so its design-time origin is named
# in `trusted_hosts`, as you would for a host of your own. On a real instance this
# cell only says which kind of URL the session uses.

# %%
import httpx

from oic_magic import OICClient, Settings, default_store

current = default_store().get("default").settings
if DEMO:
    from oic_magic.emulator import DEMO as demo_identity  # public demo credentials

    runtime_only = Settings(
        runtime_url=current.runtime_url,
        identity_url=current.identity_url,
        client_id=demo_identity.client_id,
        client_secret=demo_identity.client_secret,
        scope=current.scope,
        instance=current.instance,
        username=demo_identity.username,
        password=demo_identity.password,
        trusted_hosts=(current.design_url,),
    )
    log_url = f"{current.design_url}/_emulator/requests"
    httpx.delete(log_url)
    with OICClient.sign_in(runtime_only) as client:
        first_five = client.paginate("connections", limit=5)
    wire = pd.DataFrame(httpx.get(log_url).json()["items"])
    answered = set(zip(wire.origin, wire.status, strict=True))
    redirect_followed = {("runtime", 307), ("design", 200)} <= answered
    display(wire[["method", "path", "origin", "authorization", "grant_type", "status"]])
else:
    redirect_followed = None
    print("This session calls", current.api_origin, f"({classify_url(current.api_origin)} URL)")

# %% [markdown]
# The log reads: the token request (identity origin), the runtime origin answering
# `307`, then the design-time origin answering `200` to a request that carried the
# token.
#
# ## 4. Token expiry and refresh, shown happening
#
# Access tokens last an hour. When one has expired, OIC answers `401`; the client then
# uses the refresh token (once, under a lock, whatever the number of threads), keeps
# the new refresh token it receives, and retries the call once. You see nothing.
#
# On the emulator we do not wait an hour: its control API moves *its* clock forward,
# so the token the kernel holds is expired as far as the server is concerned. On a
# real instance the same thing simply happens an hour after signing in.

# %%
if DEMO:
    httpx.delete(log_url)
    httpx.post(f"{current.design_url}/_emulator/clock", json={"advance": 3600 + 60})

# again = %oic GET connections --limit 1

if DEMO:
    wire = pd.DataFrame(httpx.get(log_url).json()["items"])
    display(wire[["method", "path", "origin", "grant_type", "status"]])
    refreshed = bool((wire.grant_type == "refresh_token").any())
else:
    refreshed = None
print("rows:", len(again), "| token refreshed on the way:", refreshed)

# %% [markdown]
# `401`, a `refresh_token` grant, then the same call again with `200`: that is step 5
# of Oracle's procedure, done for you.
#
# ## 5. One integration, by its id
#
# Integration ids are `CODE|VERSION`; OIC wants the `|` sent as `%7C`. Write the id as
# it is, Python variables included: `{name}` expands in the line, and the id is
# encoded for you.

# %%
# active = %oic GET integrations --where status=ACTIVATED
code, version = active.loc[0, "id"].split("|")  # every list item carries its id
# one = %oic GET integrations/{code}|{version}
one[["id", "name", "status", "style", "lastUpdated"]]

# %% [markdown]
# ## 6. The same calls from plain Python
#
# The magics are a thin layer over `OICClient`, which works in any script. Reuse the
# session this notebook signed in with:

# %%
with OICClient(default_store().get("default")) as client:
    listing = client.paginate("integrations", where=["status=ACTIVATED"])
    detail = client.get(f"integrations/{listing[0]['id']}")
print(
    f"{listing.total} activated integrations in {listing.pages} page(s);",
    f"the first is {detail['name']!r}, version {detail['version']}",
)

# %% [markdown]
# or sign in on your own, from the same `OIC_*` environment variables:
#
# ```python
# import os
# from oic_magic import OICClient, Settings
#
# with OICClient.sign_in(Settings.from_env(os.environ)) as client:
#     for connection in client.paginate("connections", where=["status=INPROGRESS"]):
#         print(connection["id"])
# ```
#
# ## 7. Sign out
#
# `%oic_logout` drops the session's tokens from memory (`--forget` also removes what
# "remember me" put in the keyring). A call after that says plainly that you are not
# signed in; errors always raise, so a failed cell stops *Run All* and papermill.

# %%
# %oic_logout
try:
    # %oic GET connections --limit 1
    raise AssertionError("still signed in after %oic_logout")
except Exception as error:
    print(f"{type(error).__name__}: {error}")
# after_logout = %oic_status
after_logout

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
    "pages": connections.attrs["pages"],
    "drafts": len(drafts),
    "redirect_followed": redirect_followed,
    "refreshed": refreshed,
    "activated_integrations": listing.total,
    "sessions_after_logout": len(after_logout),
}
summary(numbers)
