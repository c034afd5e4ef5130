"""Settings: validation, derived values, environment, and secrets kept out of reprs."""

from __future__ import annotations

import pytest

from oic_magic import ConfigurationError, Settings, classify_url

from ._core_fake import AUDIENCE, CLIENT_SECRET, PASSWORD, settings


def test_repr_and_str_hide_secrets() -> None:
    """Neither the password nor the client secret appears in repr or str."""
    s = settings()
    for text in (repr(s), str(s), f"{s}"):
        assert PASSWORD not in text and CLIENT_SECRET not in text
        assert "oic-test" in text


def test_scope_built_from_audience() -> None:
    """The scope is the audience joined to the consumer scope and offline_access."""
    s = settings()
    assert s.resolved_scope == AUDIENCE + "urn:opc:resource:consumer::all offline_access"
    assert settings(scope="custom").resolved_scope == "custom"


def test_token_url_from_bare_identity_host() -> None:
    """A bare identity domain host becomes its https token endpoint."""
    assert settings().resolved_token_url == (
        "https://idcs-test.identity.oraclecloud.com/oauth2/v1/token"
    )
    assert settings(token_url="https://x.example/t").resolved_token_url == "https://x.example/t"


def test_design_url_preferred_for_api_calls() -> None:
    """Calls go to the design-time origin when both URLs are known."""
    s = settings(runtime_url="https://a-b.integration.r.ocp.oraclecloud.com/ic/home")
    assert s.api_origin == "https://design.integration.us-ashburn-1.ocp.oraclecloud.com"
    assert settings(design_url=None, runtime_url="https://r.example/x").api_origin == (
        "https://r.example"
    )


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.8.9.10", "[::1]"])
def test_plain_http_allowed_on_loopback(host: str) -> None:
    """http:// is accepted for loopback hosts, where the emulator runs."""
    settings(design_url=f"http://{host}:8000", identity_url=f"http://{host}:8001").validate()


def test_plain_http_refused_elsewhere() -> None:
    """http:// to a real host is refused, naming the setting."""
    with pytest.raises(ConfigurationError) as caught:
        settings(design_url="http://design.integration.x.ocp.oraclecloud.com").validate()
    assert "design_url uses plain http://" in str(caught.value)


def test_validate_lists_every_problem() -> None:
    """All missing settings are reported at once, and no secret is echoed."""
    with pytest.raises(ConfigurationError) as caught:
        Settings(password=PASSWORD).validate()
    problems = caught.value.problems
    assert len(problems) == 7
    assert "client_id is missing" in problems and "username is missing" in problems
    assert PASSWORD not in str(caught.value)


def test_client_credentials_needs_no_user() -> None:
    """The client_credentials grant does not ask for a user or password."""
    settings(username=None, password=None).validate(grant="client_credentials")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://design.integration.us-ashburn-1.ocp.oraclecloud.com", "design-time"),
        ("design.integration.eu-frankfurt-1.ocp.oraclecloud.com/ic/home", "design-time"),
        ("https://myinst-abc.integration.us-ashburn-1.ocp.oraclecloud.com", "runtime"),
        ("http://127.0.0.1:8080", "unknown"),
    ],
)
def test_classify_url(url: str, kind: str) -> None:
    """Design-time and runtime URLs are told apart by host name."""
    assert classify_url(url) == kind


def test_from_env_reads_every_variable() -> None:
    """Each OIC_* variable lands in its field; OIC_URL is classified."""
    env = {
        "OIC_URL": "https://inst-x.integration.r.ocp.oraclecloud.com",
        "OIC_IDENTITY_URL": "idcs-1.identity.oraclecloud.com",
        "OIC_TOKEN_URL": "https://idcs-1.identity.oraclecloud.com/oauth2/v1/token",
        "OIC_CLIENT_ID": "cid",
        "OIC_CLIENT_SECRET": "sec",
        "OIC_SCOPE": "sc",
        "OIC_AUDIENCE": "aud",
        "OIC_INSTANCE": "inst",
        "OIC_USERNAME": "u",
        "OIC_PASSWORD": "p",
        "OIC_TIMEOUT": "12.5",
        "OIC_CA_BUNDLE": "/etc/ca.pem",
        "OIC_TRUSTED_HOSTS": "a.example, http://127.0.0.1:9",
        "UNRELATED": "x",
    }
    s = Settings.from_env(env)
    assert s.runtime_url == env["OIC_URL"] and s.design_url is None
    assert (s.client_id, s.client_secret, s.scope, s.audience) == ("cid", "sec", "sc", "aud")
    assert (s.instance, s.username, s.password, s.timeout) == ("inst", "u", "p", 12.5)
    assert s.ca_bundle == "/etc/ca.pem" and s.token_url == env["OIC_TOKEN_URL"]
    assert s.trusted_hosts == ("a.example", "http://127.0.0.1:9")


def test_from_env_design_url_and_overrides() -> None:
    """A design-time OIC_URL fills design_url; explicit overrides win; blanks are unset."""
    env = {"OIC_URL": "https://design.integration.r.ocp.oraclecloud.com", "OIC_USERNAME": " "}
    s = Settings.from_env(env, instance="chosen")
    assert s.design_url == env["OIC_URL"] and s.username is None and s.instance == "chosen"


def test_from_env_bad_timeout() -> None:
    """A non-numeric OIC_TIMEOUT is a configuration error that names the variable."""
    with pytest.raises(ConfigurationError, match="OIC_TIMEOUT"):
        Settings.from_env({"OIC_TIMEOUT": "soon"})


def test_without_password() -> None:
    """without_password drops only the password."""
    s = settings().without_password()
    assert s.password is None and s.client_secret == CLIENT_SECRET


@pytest.mark.parametrize("url", ["http://127.0.0.1:37371:x", "http://[::1", "https://host:99999"])
def test_malformed_url_is_a_configuration_error(url: str) -> None:
    """A URL that cannot be parsed is one clear ConfigurationError, not a raw ValueError."""
    with pytest.raises(ConfigurationError, match="design_url is not a valid URL"):
        settings(design_url=url).validate()


def test_url_with_credentials_is_refused_and_hidden() -> None:
    """user:password@ in a URL is refused, and neither repr nor the error shows them."""
    bad = settings(design_url="https://svc:Hidden-Pw-42@design.integration.r.ocp.oraclecloud.com")
    assert "Hidden-Pw-42" not in repr(bad) and "svc" not in repr(bad)
    with pytest.raises(ConfigurationError, match="holds a user name or password") as error:
        bad.validate()
    assert "Hidden-Pw-42" not in str(error.value)
