"""The OIC_* environment of the magics tests: what is cleared, and what a CI job would set."""

from __future__ import annotations

from typing import Any

#: Every variable the credential chain reads: cleared so the user's own never leak in.
OIC_VARIABLES = (
    "OIC_URL", "OIC_DESIGN_URL", "OIC_RUNTIME_URL", "OIC_IDENTITY_URL", "OIC_TOKEN_URL",
    "OIC_CLIENT_ID", "OIC_CLIENT_SECRET", "OIC_SCOPE", "OIC_AUDIENCE", "OIC_INSTANCE",
    "OIC_USERNAME", "OIC_PASSWORD", "OIC_CA_BUNDLE", "OIC_TIMEOUT", "OIC_TRUSTED_HOSTS",
    "OIC_PROFILE", "OIC_PROFILE_FILE", "OIC_SESSION", "OIC_GRANT",
)  # fmt: skip


def emulator_environment(emu: Any, **overrides: str) -> dict[str, str]:
    """The OIC_* variables a CI job would set for the emulator's demo user."""
    from oic_magic.emulator import DEMO

    values = {
        "OIC_DESIGN_URL": emu.design_url, "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id, "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_SCOPE": emu.scope, "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": DEMO.username, "OIC_PASSWORD": DEMO.password,
    }  # fmt: skip
    values.update(overrides)
    return values
