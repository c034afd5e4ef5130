"""The credential chain driven from generated settings: a working base, and one run of it.

:func:`sign_in_and_call` resolves the chain as ``%oic_login`` and ``OICClient.connect``
do, validates, signs in against the in-process fake OIC and makes one call; it answers
``"ok"`` or the name of the project's error, and lets any other exception through.
"""

from __future__ import annotations

from collections.abc import Mapping

from core._core_fake import (
    AUDIENCE,
    CLIENT_ID,
    CLIENT_SECRET,
    DESIGN,
    PASSWORD,
    USERNAME,
    FakeOIC,
)
from hypothesis import HealthCheck, settings

import oic_magic.core._settings as settings_module
from oic_magic import (
    OICClient,
    OICError,
    Session,
)
from oic_magic.core._credentials import LoginOptions, MissingSettingsError, resolve
from oic_magic.core._retry import Backoff

#: Every variable the credential chain reads, by the names the code gives them.
VARIABLES = sorted(set(settings_module.VARIABLES))  # checked against the source
URL_VARIABLES = frozenset(
    {
        "OIC_URL",
        "OIC_DESIGN_URL",
        "OIC_RUNTIME_URL",
        "OIC_IDENTITY_URL",
        "OIC_TOKEN_URL",
        "OIC_TRUSTED_HOSTS",
        "OIC_REDIRECT_URI",
    }
)
TEXT_VARIABLES = [name for name in VARIABLES if name not in URL_VARIABLES]
URL_KEYS = frozenset(
    {"url", "design_url", "runtime_url", "identity_url", "token_url", "trusted_hosts"}
    | {"redirect_uri"}
)

#: A complete, working environment for the fake OIC; each test spoils part of it.
BASE_ENV = {
    "OIC_DESIGN_URL": DESIGN,
    "OIC_IDENTITY_URL": "idcs-test.identity.oraclecloud.com",
    "OIC_CLIENT_ID": CLIENT_ID,
    "OIC_CLIENT_SECRET": CLIENT_SECRET,
    "OIC_AUDIENCE": AUDIENCE,
    "OIC_INSTANCE": "oic-test",
    "OIC_USERNAME": USERNAME,
    "OIC_PASSWORD": PASSWORD,
}

FAST = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def sign_in_and_call(environ: Mapping[str, str], profile: str | None = None) -> str:
    """Resolve the chain from *environ*, sign in against the fake, list: the outcome's name.

    A success is ``"ok"``; one of the project's errors is its class name; anything else
    propagates and fails the test.
    """
    try:
        resolved = resolve(LoginOptions(profile=profile), environ=environ, remembered=None)
        missing = resolved.missing()
        if missing:
            raise MissingSettingsError(missing)
        settings_ = resolved.settings()
        if resolved.grant in ("device", "browser"):  # a person would finish these
            settings_.validate(grant=resolved.grant)
            return "ok"
        fake = FakeOIC()
        session = Session.sign_in(
            settings_,
            grant=resolved.grant,  # type: ignore[arg-type]
            transport=fake.transport(),
            backoff=Backoff(retries=0, sleep=lambda seconds: None),
        )
        with OICClient(
            session, transport=fake.transport(), owns_session=True, sleep=lambda s: None
        ) as client:
            client.get("integrations/HELLO|01")
        return "ok"
    except OICError as error:
        return type(error).__name__
