"""Profile files: sections per instance, secrets only in private files."""

from __future__ import annotations

from pathlib import Path

import pytest

from oic_magic.core._profile import profile_path, read_profile
from oic_magic.exceptions import ConfigurationError

PROD = """
[prod]
url = https://design.integration.us-phoenix-1.ocp.oraclecloud.com
identity_url = https://idcs-0123.identity.oraclecloud.com
client_id = abc
instance = prod-1
username = ada
"""


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_default_path_is_in_the_home(tmp_path: Path) -> None:
    """Without OIC_PROFILE_FILE the file is ~/.oic/profiles.ini."""
    assert profile_path({}) == Path("~/.oic/profiles.ini").expanduser()


def test_environment_variable_moves_the_file(tmp_path: Path) -> None:
    """OIC_PROFILE_FILE names another file."""
    assert profile_path({"OIC_PROFILE_FILE": str(tmp_path / "p.ini")}) == tmp_path / "p.ini"


def test_reads_one_section(tmp_path: Path) -> None:
    """The named section's settings come back as a dict."""
    profile = read_profile("prod", path=write(tmp_path / "p.ini", PROD, 0o644))
    assert profile.values["instance"] == "prod-1"
    assert profile.values["url"].startswith("https://design.")


def test_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    """Asking for a missing section names the ones there are."""
    with pytest.raises(ConfigurationError, match=r"no profile \[dev\].*profiles there: prod"):
        read_profile("dev", path=write(tmp_path / "p.ini", PROD))


def test_missing_file_says_where_it_looked(tmp_path: Path) -> None:
    """A missing file is named, with the variable that moves it."""
    with pytest.raises(ConfigurationError, match="no profile file at .*OIC_PROFILE_FILE"):
        read_profile("prod", path=tmp_path / "absent.ini")


def test_secret_in_a_private_file_is_accepted(tmp_path: Path) -> None:
    """Mode 600 may hold the client secret, like an ssh key."""
    text = PROD + "client_secret = Sekr1t-value\n"
    profile = read_profile("prod", path=write(tmp_path / "p.ini", text))
    assert profile.values["client_secret"] == "Sekr1t-value"
    assert "Sekr1t" not in repr(profile)


def test_secret_in_a_shared_file_is_refused(tmp_path: Path) -> None:
    """A readable-by-others file with a secret is refused, without quoting the secret."""
    path = write(tmp_path / "p.ini", PROD + "password = Hunter2-secret\n", 0o644)
    with pytest.raises(ConfigurationError, match="readable by others .*chmod 600") as caught:
        read_profile("prod", path=path)
    assert "Hunter2-secret" not in str(caught.value)


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    """A typo in a key name is reported rather than ignored."""
    with pytest.raises(ConfigurationError, match="unknown settings instnace"):
        read_profile("prod", path=write(tmp_path / "p.ini", PROD + "instnace = x\n"))


def test_invalid_ini_does_not_quote_the_line(tmp_path: Path) -> None:
    """A broken file is reported by line, never by content."""
    path = write(tmp_path / "p.ini", "password = Hunter2-secret\n[prod]\n")
    with pytest.raises(ConfigurationError, match="not a valid INI file") as caught:
        read_profile("prod", path=path)
    assert "Hunter2" not in str(caught.value)


@pytest.mark.parametrize(("explicit", "env", "expected"), [
    (False, "client_credentials", "client_credentials"),  # the environment beats OIC_PROFILE
    (True, "client_credentials", "password"),  # an explicit --profile beats the environment
    (False, None, "password"),  # the default profile's own grant
])  # fmt: skip
def test_grant_follows_the_order_of_the_other_settings(
    tmp_path: Path, explicit: bool, env: str | None, expected: str
) -> None:
    """OIC_GRANT ranks like every OIC_* variable: above the default profile, below --profile."""
    from oic_magic.notebook import _login

    path = write(tmp_path / "p.ini", PROD + "grant = password\n")
    environ = {"OIC_PROFILE_FILE": str(path), **({"OIC_GRANT": env} if env else {})}
    if not explicit:
        environ["OIC_PROFILE"] = "prod"
    options = _login.LoginOptions(profile="prod" if explicit else None)
    assert _login.resolve(options, environ=environ).grant == expected
