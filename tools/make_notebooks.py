"""Write the documentation notebooks in ``notebooks/`` from the cells listed here.

The notebooks are the product's manual, its demo and the report's content; keeping
them as code makes them reviewable in a diff and regenerated deterministically (no
outputs, no execution counts, fixed cell ids)::

    .venv/bin/python tools/make_notebooks.py            # write notebooks/*.ipynb
    .venv/bin/python tools/make_notebooks.py --check    # exit 1 if they are out of date

Every notebook opens with a papermill ``parameters`` cell (``PROFILE``, ``DEMO``,
``TIME_WINDOW``, ``EXPORT_DIR``) and signs in with the one cell that is the demo
switch; nothing else depends on the emulator except cells that say so and do
something sensible on a real instance too. Each ends with a one-line JSON summary of
what it computed, for scheduled runs (and the tests) to read.
"""

from __future__ import annotations

import argparse
import ast
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SUMMARY_MARK = "OIC_SUMMARY "

Cell = nbformat.NotebookNode


def md(text: str) -> Cell:
    """A markdown cell from an indented block."""
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str, *tags: str) -> Cell:
    """A code cell from an indented block, with optional tags."""
    cell = nbformat.v4.new_code_cell(textwrap.dedent(text).strip())
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def parameters(**extra: str) -> Cell:
    """The papermill ``parameters`` cell: the same four knobs everywhere, plus ``extra``."""
    lines = [
        "PROFILE = None       # a section of the profile file, for a real instance",
        "DEMO = True          # True: the built-in emulator, started inside this kernel",
        'TIME_WINDOW = "1d"   # monitoring window: 1h, 6h, 1d, 2d, 3d or RETENTIONPERIOD',
        'EXPORT_DIR = "exports"  # CSV files go here, relative to the working directory',
        *(f"{name} = {value}" for name, value in extra.items()),
    ]
    return code("\n".join(lines), "parameters")


SIGN_IN = code(
    """
    %load_ext oic_magic

    if DEMO:
        %oic_login --demo
    elif PROFILE:
        %oic_login --profile $PROFILE
    else:
        %oic_login
    """
)

SIGN_IN_NOTE = md(
    """
    The cell above is the notebook's only switch between the emulator and a real instance.
    With `DEMO = False`, `%oic_login` reads the settings from the profile named by `PROFILE`
    and the `OIC_*` environment variables (secrets from `OIC_CLIENT_SECRET` and
    `OIC_PASSWORD`, or the keyring); in JupyterLab it shows the form when something is
    missing, and in a headless run it stops with one message listing what is missing.
    """
)

CHARTS = code(
    """
    import json
    from pathlib import Path

    import matplotlib.pyplot as plt
    import pandas as pd

    plt.rcParams.update({"figure.figsize": (9, 4), "figure.dpi": 96, "axes.grid": True,
                         "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False})
    exports = Path(EXPORT_DIR)
    exports.mkdir(parents=True, exist_ok=True)
    """
)


def summary_intro() -> Cell:
    """The heading of the closing cell, saying what its JSON line is for."""
    return md(
        """
        ## In numbers

        The figures above as one JSON line, for a scheduled run (papermill) or a script
        to read back: the line starts with `OIC_SUMMARY`.
        """
    )


def summary(expression: str) -> Cell:
    """The closing cell: one JSON line that scheduled runs and the tests can parse.

    *expression* is a dict literal; each of its entries gets a line of its own.
    """
    literal = ast.parse(expression, mode="eval").body
    assert isinstance(literal, ast.Dict)
    entries = "".join(
        f"    {ast.unparse(key)}: {ast.unparse(value)},\n"
        for key, value in zip(literal.keys, literal.values, strict=True)
        if key is not None
    )
    return code(
        f"numbers = {{\n{entries}}}\n"
        f"print({SUMMARY_MARK!r} + json.dumps(numbers, sort_keys=True, default=str))"
    )


# --------------------------------------------------------------------------- 01


def quickstart() -> list[Cell]:
    """Oracle's resource-owner password procedure, done the oic_magic way."""
    return [
        md(
            """
            # Quickstart: calling the OIC Developer API from a notebook

            Oracle's page *Call the Developer APIs with Resource Owner Password Credentials*
            walks you through a procedure by hand:

            1. gather the **information you need** (URL, identity domain host, client ID and
               secret, scope, integration instance, a user name and password);
            2. base64-encode `client_id:client_secret` and `POST` a form to the identity
               domain's `/oauth2/v1/token` with `grant_type=password` (curl or Postman);
            3. copy the `access_token` out of the answer and paste it as
               `Authorization: Bearer ...` into every call;
            4. if you used the *runtime* URL, remember `curl -l` / Postman's *Follow
               Authorization header*, or the redirect to the design-time host drops the token
               and you get `401 NotAuthenticated`;
            5. an hour later, `POST` the `refresh_token` yourself, and keep the *new* refresh
               token (they are single use).

            This notebook does the same with `oic_magic`: one magic signs in, tokens stay in
            the kernel's memory and renew themselves, and every list comes back complete as a
            pandas DataFrame. It runs as is against the **built-in emulator** (`DEMO = True`),
            so you need no Oracle account to follow it; set `DEMO = False` to run it against
            your own instance.
            """
        ),
        parameters(),
        md(
            """
            ## 1. Sign in

            Oracle's "Information you need" table maps onto the sign-in form and onto
            environment variables (for headless runs) like this:

            | Oracle's table | form field | environment variable |
            |---|---|---|
            | Design-time URL or Runtime URL | URL (design-time or runtime) | `OIC_URL` |
            | Domain host | Identity domain host | `OIC_IDENTITY_URL` |
            | Client ID | Client ID | `OIC_CLIENT_ID` |
            | Client Secret | Client secret | `OIC_CLIENT_SECRET` |
            | Scope | Scope or audience | `OIC_SCOPE` (or `OIC_AUDIENCE`) |
            | Integration instance | Integration instance | `OIC_INSTANCE` |
            | User name and password | User name / Password | `OIC_USERNAME` / `OIC_PASSWORD` |

            Secrets are never magic arguments: a line like `%oic_login --password ...` would be
            kept in `In`, `_ih` and IPython's history database. The form empties its password
            and client-secret fields right after each attempt, so a notebook saved with widget
            state never holds them.

            The password grant works only for **local users of the identity domain** (no SSO,
            no MFA), and Oracle itself calls it "not recommended": use it where your domain
            requires it.
            """
        ),
        SIGN_IN,
        SIGN_IN_NOTE,
        md(
            """
            Behind that line is step 2 of Oracle's procedure: a `POST` to the token endpoint
            with HTTP Basic client authentication, the password grant, and your scope plus
            `offline_access` so that a refresh token comes back. Nothing was printed that you
            would have to copy. `%oic_status` says who is signed in, where, and until when;
            it never shows a token.
            """
        ),
        code("%oic_status"),
        CHARTS,
        md(
            """
            ## 2. List connections

            Oracle's page ends with Postman's *Send*: `GET .../ic/api/integration/v1/connections`.
            Here the path is relative to `/ic/api/integration/v1/`, `integrationInstance` is
            added for you, and **every page** is fetched (pages after the first are fetched
            concurrently once the total is known). The answer is a DataFrame: `items` become
            rows, nested objects dotted columns, timestamps timezone-aware datetimes.
            """
        ),
        code(
            """
            connections = %oic GET connections
            connections[["id", "adapterType.displayName", "role", "status", "lastUpdated"]].head(8)
            """
        ),
        md("The request's facts travel with the frame in `df.attrs` (the URL holds no secret):"),
        code(
            """
            {key: connections.attrs[key] for key in ("url", "status", "pages", "total")}
            """
        ),
        md(
            """
            ### Filters without quoting headaches

            OIC filters lists with a `q` parameter that is *not* JSON: `q={status:'INPROGRESS'}`,
            `/text/` for "contains", URL-encoded as a whole. `--where key=value` (exact) and
            `--where key~text` (contains) write it for you. `--curl` prints the request you
            would send with curl, the token left to `$OIC_TOKEN`, and sends nothing:
            """
        ),
        code(
            """
            drafts = %oic GET connections --where status=INPROGRESS
            print(f"{len(drafts)} of {len(connections)} connections are drafts (status INPROGRESS)")
            %oic GET connections --where status=INPROGRESS --limit 3 --curl
            """
        ),
        md(
            """
            ## 3. Design-time URL, runtime URL, and the redirect that no longer hurts

            Developer API calls are served by the region's **design-time** host; the
            instance's **runtime** host answers them with `307 Temporary Redirect` to it. curl
            and Postman follow the redirect but drop the `Authorization` header, hence the
            `401` and Oracle's advice to use `-l` or *Follow Authorization header*, which sends
            your token to *whatever* host the redirect names.

            `oic_magic` tells the two URLs apart by their host names, sends Developer API calls
            straight to the design-time host when it knows it, and otherwise follows the `307`
            itself, re-attaching the token only for trusted hosts: HTTPS hosts under
            `oraclecloud.com`, the URLs you configured, and `trusted_hosts`. After the first
            such redirect it calls the design-time host directly, saving a round trip per call.
            A redirect anywhere else stops with an error that says the token was not sent.
            """
        ),
        code(
            """
            from oic_magic import classify_url

            for url in ("https://design.integration.us-phoenix-1.ocp.oraclecloud.com",
                        "https://myinstance-abcd1234-ph.integration.us-phoenix-1.ocp.oraclecloud.com"):
                print(f"{classify_url(url):12} {url}")
            """
        ),
        md(
            """
            On the emulator we can watch the wire: sign in with *only* the runtime URL (plain
            Python, see section 6), list five connections, and read the emulator's request log.
            The emulator's origins are all on `127.0.0.1`, so its design-time origin is named
            in `trusted_hosts`, as you would for a host of your own. On a real instance this
            cell only says which kind of URL the session uses.
            """
        ),
        code(
            """
            import httpx
            from oic_magic import OICClient, Settings, default_store

            current = default_store().get("default").settings
            if DEMO:
                from oic_magic.emulator import DEMO as demo_identity  # public demo credentials

                runtime_only = Settings(
                    runtime_url=current.runtime_url, identity_url=current.identity_url,
                    client_id=demo_identity.client_id, client_secret=demo_identity.client_secret,
                    scope=current.scope, instance=current.instance,
                    username=demo_identity.username, password=demo_identity.password,
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
                print("This session calls", current.api_origin,
                      f"({classify_url(current.api_origin)} URL)")
            """
        ),
        md(
            """
            The log reads: the token request (identity origin), the runtime origin answering
            `307`, then the design-time origin answering `200` to a request that carried the
            token.

            ## 4. Token expiry and refresh, shown happening

            Access tokens last an hour. When one has expired, OIC answers `401`; the client then
            uses the refresh token (once, under a lock, whatever the number of threads), keeps
            the new refresh token it receives, and retries the call once. You see nothing.

            On the emulator we do not wait an hour: its control API moves *its* clock forward,
            so the token the kernel holds is expired as far as the server is concerned. On a
            real instance the same thing simply happens an hour after signing in.
            """
        ),
        code(
            """
            if DEMO:
                httpx.delete(log_url)
                httpx.post(f"{current.design_url}/_emulator/clock", json={"advance": 3600 + 60})

            again = %oic GET connections --limit 1

            if DEMO:
                wire = pd.DataFrame(httpx.get(log_url).json()["items"])
                display(wire[["method", "path", "origin", "grant_type", "status"]])
                refreshed = bool((wire.grant_type == "refresh_token").any())
            else:
                refreshed = None
            print("rows:", len(again), "| token refreshed on the way:", refreshed)
            """
        ),
        md(
            """
            `401`, a `refresh_token` grant, then the same call again with `200`: that is step 5
            of Oracle's procedure, done for you.

            ## 5. One integration, by its id

            Integration ids are `CODE|VERSION`; OIC wants the `|` sent as `%7C`. Write the id as
            it is, Python variables included: `{name}` expands in the line, and the id is
            encoded for you.
            """
        ),
        code(
            """
            active = %oic GET integrations --where status=ACTIVATED
            code, version = active.loc[0, "code"], active.loc[0, "version"]
            one = %oic GET integrations/{code}|{version}
            one[["id", "name", "status", "style", "lastUpdated"]]
            """
        ),
        md(
            """
            ## 6. The same calls from plain Python

            The magics are a thin layer over `OICClient`, which works in any script. Reuse the
            session this notebook signed in with:
            """
        ),
        code(
            """
            with OICClient(default_store().get("default")) as client:
                listing = client.paginate("integrations", where=["status=ACTIVATED"])
                detail = client.get(f"integrations/{listing[0]['id']}")
            print(f"{listing.total} activated integrations in {listing.pages} page(s);",
                  f"the first is {detail['name']!r}, version {detail['version']}")
            """
        ),
        md(
            """
            or sign in on your own, from the same `OIC_*` environment variables:

            ```python
            import os
            from oic_magic import OICClient, Settings

            with OICClient.sign_in(Settings.from_env(os.environ)) as client:
                for connection in client.paginate("connections", where=["status=INPROGRESS"]):
                    print(connection["id"])
            ```

            ## 7. Sign out

            `%oic_logout` drops the session's tokens from memory (`--forget` also removes what
            "remember me" put in the keyring). A call after that says plainly that you are not
            signed in; errors always raise, so a failed cell stops *Run All* and papermill.
            """
        ),
        code(
            """
            %oic_logout
            try:
                %oic GET connections --limit 1
            except Exception as error:
                print(f"{type(error).__name__}: {error}")
            after_logout = %oic_status
            after_logout
            """
        ),
        summary_intro(),
        summary(
            '{"connections": len(connections), "pages": connections.attrs["pages"], '
            '"drafts": len(drafts), "redirect_followed": redirect_followed, '
            '"refreshed": refreshed, "activated_integrations": listing.total, '
            '"sessions_after_logout": len(after_logout)}'
        ),
    ]


# --------------------------------------------------------------------------- 02


def inventory() -> list[Cell]:
    """The analyst's connection inventory."""
    return [
        md(
            """
            # Connection inventory

            Which adapters does the instance use, in which roles, secured how? Which connections
            are still drafts, locked by someone, or used by no integration at all, and which
            integrations depend on which connections? This notebook answers with two calls,
            pandas and a few charts, and exports the inventory to CSV.
            """
        ),
        parameters(),
        SIGN_IN,
        SIGN_IN_NOTE,
        CHARTS,
        md(
            """
            ## The data: every connection and every integration

            Two listings, every page of each. An integration's `dependencies.connections` column
            lists the connections it uses: that is the link between the two tables.
            """
        ),
        code(
            """
            connections = %oic GET connections
            integrations = %oic GET integrations
            print(f"{len(connections)} connections, {len(integrations)} integration versions "
                  f"({integrations['code'].nunique()} integrations)")
            """
        ),
        md(
            """
            ## By adapter type

            The adapter says what a connection talks to (ERP Cloud, REST, FTP, a database...).
            """
        ),
        code(
            """
            by_adapter = connections["adapterType.displayName"].value_counts()
            ax = by_adapter.sort_values().plot.barh(title="Connections by adapter type",
                                                     figsize=(9, 0.3 * len(by_adapter) + 1))
            ax.set_xlabel("connections")
            plt.show()
            """
        ),
        md(
            """
            ## By role, status and security policy

            A connection is a *trigger* (`SOURCE`), an *invoke* (`TARGET`) or both. `CONFIGURED`
            connections are complete; `INPROGRESS` ones are drafts. The security policy says how
            OIC authenticates to the other system.
            """
        ),
        code(
            """
            by_role_status = pd.crosstab(connections["role"], connections["status"], margins=True)
            by_role_status
            """
        ),
        code(
            """
            by_policy = connections["securityPolicy"].value_counts()
            fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
            by_policy.sort_values().plot.barh(ax=left, title="Security policy")
            pd.crosstab(connections["role"], connections["status"]).plot.barh(
                ax=right, stacked=True, title="Role and status")
            fig.tight_layout()
            plt.show()
            """
        ),
        md(
            """
            ## Drafts, locked and unused connections

            - **drafts**: `status` is `INPROGRESS`, with how far along they are;
            - **locked**: someone holds the lock (`lockedFlag`), nobody else can edit;
            - **unused**: no integration version lists the connection among its dependencies.
              Computed here from the integrations themselves, so it does not depend on a usage
              counter being present in the connection's answer.
            """
        ),
        code(
            """
            uses = (integrations[["id", "status", "dependencies.connections"]]
                    .explode("dependencies.connections")
                    .dropna(subset=["dependencies.connections"]))
            uses["connection"] = uses["dependencies.connections"].map(lambda d: d["id"])
            uses = uses.rename(columns={"id": "integration", "status": "integration_status"})
            uses = uses[["connection", "integration", "integration_status"]].reset_index(drop=True)

            usage = uses.groupby("connection").agg(
                integrations=("integration", "nunique"),
                active=("integration_status", lambda s: int((s == "ACTIVATED").sum())))
            connections = connections.join(usage, on="id")
            connections[["integrations", "active"]] = (
                connections[["integrations", "active"]].fillna(0).astype(int))

            drafts = connections[connections["status"] == "INPROGRESS"]
            locked = connections[connections["lockedFlag"]]
            unused = connections[connections["integrations"] == 0]
            print(f"drafts: {len(drafts)}   locked: {len(locked)}   unused: {len(unused)}")
            drafts[["id", "adapterType.displayName", "percentageComplete", "lastUpdatedBy"]][:10]
            """
        ),
        code('locked[["id", "adapterType.displayName", "lockedBy", "lastUpdated"]].head(10)'),
        code('unused[["id", "adapterType.displayName", "status", "created", "createdBy"]][:10]'),
        md(
            """
            ## Which integrations use which connections

            One row per (connection, integration version) pair. The most shared connections are
            the ones whose change or outage touches the most integrations.
            """
        ),
        code(
            """
            most_used = connections.nlargest(15, "integrations").set_index("id")
            ax = most_used[["active", "integrations"]].iloc[::-1].plot.barh(
                title="The 15 most shared connections (integration versions using them)",
                figsize=(9, 6))
            ax.legend(["activated", "all versions"])
            plt.show()
            uses.head(10)
            """
        ),
        md(
            """
            ## Export

            The inventory (one row per connection, with its usage) and the dependency pairs, as
            CSV under `EXPORT_DIR`.
            """
        ),
        code(
            """
            columns = ["id", "name", "adapterType.displayName", "role", "status", "securityPolicy",
                       "percentageComplete", "lockedFlag", "lockedBy", "integrations", "active",
                       "created", "createdBy", "lastUpdated", "lastUpdatedBy"]
            inventory_csv = exports / "connection-inventory.csv"
            uses_csv = exports / "connection-usage.csv"
            connections[columns].to_csv(inventory_csv, index=False)
            uses.to_csv(uses_csv, index=False)
            print(f"wrote {inventory_csv} ({len(connections)} rows), {uses_csv} ({len(uses)} rows)")
            """
        ),
        summary_intro(),
        summary(
            '{"connections": len(connections), "integrations": len(integrations), '
            '"by_status": connections["status"].value_counts().to_dict(), '
            '"by_role": connections["role"].value_counts().to_dict(), '
            '"by_policy": by_policy.to_dict(), '
            '"by_adapter": by_adapter.to_dict(), '
            '"drafts": len(drafts), "locked": len(locked), "unused": len(unused), '
            '"pairs": len(uses), "inventory_csv": str(inventory_csv)}'
        ),
    ]


# --------------------------------------------------------------------------- 03


def health() -> list[Cell]:
    """Integration health: design-time status, one activation, runtime monitoring."""
    return [
        md(
            """
            # Integration health

            Two views of the same integrations. **Design time**: how many are activated,
            configured, still drafts or failed to activate; which styles; how many versions.
            **Run time** (OIC monitoring): failed instances over the time window, the error rate
            of each integration, and the slowest ones. In between, one activation, started and
            waited for to the end, because activation in OIC is asynchronous.
            """
        ),
        parameters(ACTIVATE="None     # CODE|VERSION to activate; None: one picked in demo mode"),
        SIGN_IN,
        SIGN_IN_NOTE,
        CHARTS,
        md("## Integrations by status, style and version"),
        code(
            """
            integrations = %oic GET integrations
            by_status = integrations["status"].value_counts()
            by_style = integrations["style"].value_counts()
            fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
            by_status.sort_values().plot.barh(ax=left, title="Integration versions by status")
            by_style.sort_values().plot.barh(ax=right, title="... and by style")
            fig.tight_layout()
            plt.show()
            """
        ),
        md(
            """
            An integration (`code`) may have several versions `MM.mm.pppp`. Activating a version
            deactivates the other versions of the same *major* version; another major version
            may stay active next to it.
            """
        ),
        code(
            """
            versions = integrations.groupby("code").agg(
                versions=("version", "count"),
                majors=("version", lambda v: v.str[:2].nunique()),
                activated=("status", lambda s: int((s == "ACTIVATED").sum())))
            print(versions["versions"].value_counts().sort_index().rename("integrations")
                  .rename_axis("versions").to_string())
            versions[versions["activated"] > 1]
            """
        ),
        md(
            """
            ## Failed activations

            `FAILEDACTIVATION` means OIC tried to activate the version and could not; the design
            is kept, the endpoint is not live.
            """
        ),
        code(
            """
            failed_activations = %oic GET integrations --where status=FAILEDACTIVATION
            failed_activations[["id", "name", "style", "lastUpdated", "lastUpdatedBy"]]
            """
        ),
        md(
            """
            ## An activation, waited for to the end

            Activating is a `PATCH` of the integration's status (sent as OIC expects: `POST` with
            `X-HTTP-Method-Override: PATCH`). OIC answers `ACTIVATION_INPROGRESS` at once; the
            outcome comes later, from `integrations/{id}/activationStatus`. `--wait` polls it to
            the end and returns one row (id, status, polls, elapsed); a failed activation stops
            the notebook with `ActivationFailedError`, one still running after five minutes with
            `ActivationTimeoutError`. In a cell of its own the request reads

            ```
            %%oic PATCH integrations/{target} --wait
            {"status": "ACTIVATED"}
            ```

            Here it is done from Python, with the same wait (`client.activate`), so that it can be
            skipped: on a real instance nothing is activated unless you name a version in the
            `ACTIVATE` parameter. In demo mode, the first complete, unlocked, configured version
            is picked.
            """
        ),
        code(
            """
            from oic_magic import OICClient, default_store

            # In demo mode: a complete, unlocked, configured version, preferably one whose
            # major version has another version active (to see that one deactivated).
            major = integrations["id"].str[:-8]  # "CODE|01" of "CODE|01.00.0002"
            live_majors = set(major[integrations["status"] == "ACTIVATED"])
            candidates = integrations[(integrations["status"] == "CONFIGURED")
                                      & (integrations["percentageComplete"] == 100)
                                      & ~integrations["lockedFlag"].astype(bool)]
            candidates = candidates.assign(replaces=major.isin(live_majors)).sort_values(
                ["replaces", "id"], ascending=[False, True])
            target = ACTIVATE or (candidates["id"].iloc[0] if DEMO else None)
            if target:
                %oic PATCH integrations/{target} --curl
                with OICClient(default_store().get("default")) as client:
                    done = client.activate(target, timeout=300, interval=0.5)
                seen = " -> ".join(dict.fromkeys(status for _, status in done.observed))
                print(f"{target}: {seen} after {done.polls} polls, {done.elapsed:.1f}s")
                activation = done.status
            else:
                activation = None
                print("No activation: set ACTIVATE to a CODE|VERSION to try one.")
            """
        ),
        code(
            """
            if target:
                code = target.split("|")[0]
                siblings = %oic GET integrations --where code={code}
                display(siblings[["id", "status", "lastUpdated", "lastUpdatedBy"]])
            """
        ),
        md(
            """
            ## Monitoring: failed instances over the time window

            Monitoring lists are capped by OIC (at most 50 per page and offset 500), so the
            window matters: a narrow `TIME_WINDOW` keeps a busy instance's failures listable.
            The client respects the caps and tells you when a list could not be read to its
            end: it never hands you a silently partial frame.
            """
        ),
        code(
            """
            window = f"timewindow={TIME_WINDOW}"
            failed = %oic GET monitoring/instances --where $window --where status=FAILED
            print(f"{len(failed)} failed instances in the last {TIME_WINDOW}")
            if len(failed):
                per_hour = failed.set_index("creationDate").resample("1h").size()
                per_hour.index = per_hour.index.strftime("%d %H:00")  # one label per bar
                ax = per_hour.plot.bar(title=f"Failed instances per hour, last {TIME_WINDOW}",
                                       width=0.9, rot=90, fontsize=7)
                ax.set_xlabel("")
                plt.show()
            failed_ids = sorted(failed["id"]) if len(failed) else []
            if len(failed):
                by_code = failed.groupby("code").size().sort_values(ascending=False)
                display(by_code.head(10).rename("failed instances").to_frame())
            """
        ),
        md(
            """
            ## Error rate by integration

            `monitoring/integrations` gives, per integration version, the messages received and
            how they ended. The error rate is failed over received; integrations with only a
            handful of messages are left out of the chart (one failure in two messages says
            little).
            """
        ),
        code(
            """
            traffic = %oic GET monitoring/integrations --where $window
            traffic["errorRate"] = traffic["noOfErrors"] / traffic["noOfMsgsReceived"]
            busy = traffic[traffic["noOfMsgsReceived"] >= 10]
            worst = busy.nlargest(12, "errorRate").set_index("id")
            ax = (100 * worst["errorRate"]).iloc[::-1].plot.barh(
                title=f"Highest error rates, last {TIME_WINDOW} (10+ messages)", figsize=(9, 5))
            ax.set_xlabel("% of messages failed")
            plt.show()
            worst[["noOfMsgsReceived", "noOfErrors", "successRate"]]
            """
        ),
        md(
            """
            ## The slowest integrations

            `orderBy=executiontime` sorts instances by duration, slowest first; the first 50 are
            enough to see which integrations they belong to.
            """
        ),
        code(
            """
            by_duration = "monitoring/instances?orderBy=executiontime"
            slowest = %oic GET $by_duration --where $window --limit 50
            slowest["seconds"] = slowest["duration"] / 1000
            slow = (slowest.groupby("code")["seconds"].agg(["count", "max", "median"])
                    .sort_values("max", ascending=False))
            ax = slow["max"].head(10).iloc[::-1].plot.barh(
                title=f"Slowest instance per integration, last {TIME_WINDOW} (top 50 instances)")
            ax.set_xlabel("seconds")
            plt.show()
            slow.head(10)
            """
        ),
        md("## Export"),
        code(
            """
            failed_csv = exports / "failed-instances.csv"
            rates_csv = exports / "error-rates.csv"
            failed.to_csv(failed_csv, index=False)
            traffic.to_csv(rates_csv, index=False)
            print(f"wrote {failed_csv} ({len(failed)} rows) and {rates_csv} ({len(traffic)} rows)")
            """
        ),
        summary_intro(),
        summary(
            '{"integrations": len(integrations), "by_status": by_status.to_dict(), '
            '"by_style": by_style.to_dict(), "codes": len(versions), '
            '"failed_activations": sorted(failed_activations["id"]), '
            '"activated": target, "activation": activation, '
            '"failed_instances": len(failed), "failed_ids": failed_ids, '
            '"traffic_rows": len(traffic), "total_errors": int(traffic["noOfErrors"].sum()), '
            '"slowest_ms": int(slowest["duration"].max()) if len(slowest) else None, '
            '"failed_csv": str(failed_csv)}'
        ),
    ]


NOTEBOOKS: dict[str, Callable[[], list[Cell]]] = {
    "01-quickstart.ipynb": quickstart,
    "02-connection-inventory.ipynb": inventory,
    "03-integration-health.ipynb": health,
}


def build(cells: list[Cell], stem: str) -> nbformat.NotebookNode:
    """A notebook without outputs, with stable cell ids and the python3 kernel."""
    nb = nbformat.v4.new_notebook()
    for index, cell in enumerate(cells):
        cell.id = f"{stem[:2]}-{index:02d}"
    nb.cells = cells
    nb.metadata = {
        "kernelspec": {
            "name": "python3",
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
        },
        "language_info": {"name": "python"},
    }
    nbformat.validate(nb)
    return nb


def render(name: str) -> str:
    """The file content of one notebook."""
    return nbformat.writes(build(NOTEBOOKS[name](), name), version=4) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the notebooks, or with ``--check`` say whether they are up to date."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    parser.add_argument("--out", type=Path, default=NOTEBOOK_DIR)
    args = parser.parse_args(argv)
    stale = []
    for name in NOTEBOOKS:
        path, text = args.out / name, render(name)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    if stale:
        print("out of date (run tools/make_notebooks.py):", ", ".join(stale), file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
