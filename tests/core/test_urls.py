"""core/_urls.py and core/_trust.py by example: one strict parse, exact origins, clear errors."""

from __future__ import annotations

import httpx
import pytest

from oic_magic import Settings
from oic_magic.core._settings import classify_url
from oic_magic.core._trust import TrustedHosts, design_time_origin
from oic_magic.core._urls import (
    URLProblem,
    hide_userinfo,
    join_location,
    normalise_host,
    origin,
    parse_url,
    split_origin,
    trusted_origin,
)
from oic_magic.exceptions import ConfigurationError, RequestError

from ._core_fake import DESIGN, RUNTIME, settings


@pytest.mark.parametrize(
    ("host", "normal"),
    [
        ("Design.Integration.US-Ashburn-1.ocp.oraclecloud.com", DESIGN.removeprefix("https://")),
        ("b\u00fccher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("[0:0::1]", "::1"),
        ("localhost", "localhost"),
        ("my_host.example", "my_host.example"),
    ],
)
def test_normal_form_of_a_host(host: str, normal: str) -> None:
    """Lower case, ASCII (IDNA), IPv6 compressed without brackets."""
    assert normalise_host(host) == normal


@pytest.mark.parametrize(
    ("host", "says"),
    [
        ("", "no host"),
        ("evil.test\\.oraclecloud.com", "backslash"),
        ("evil.test%2f.oraclecloud.com", "percent-encoded"),
        ("evil%00.oraclecloud.com", "percent-encoded"),
        ("a@b.example", "[ ] @ / ? #"),
        ("design\uff0eexample.com", "lookalike"),
        ("design\u3002example.com", "lookalike"),
        ("\uff45vil.example", "lookalike"),
        ("de\u017fign.example", "lookalike"),
        ("xn--zz.example", "IDNA"),
        ("xn--.example", "IDNA"),
        ("example.com.", "no trailing dot"),
        ("a..b", "no trailing dot"),
        ("-a.example", "hyphens"),
        ("a" * 64 + ".example", "valid host name"),
        ("1.2.3.999", "IPv4"),
        ("[::1", "IPv6"),
        ("[fe80::1%eth0]", "zone"),
        ("::g", "IPv6"),
    ],
)
def test_hosts_that_are_refused(host: str, says: str) -> None:
    """Each class is a URLProblem saying why, never repaired into another host."""
    with pytest.raises(URLProblem) as caught:
        normalise_host(host)
    assert says in str(caught.value)


def test_parse_url_takes_the_authority_apart() -> None:
    """Scheme and host normalised, the default port dropped, userinfo noted but not kept."""
    parsed = parse_url("HTTPS://ada:pw@Design.Example.com:443/ic/api?q=1#top")
    assert parsed.origin == "https://design.example.com"
    assert parsed.has_userinfo and "pw" not in repr(parsed)
    assert parsed.rest == "/ic/api?q=1#top"
    assert parse_url("http://[::1]:8000").origin == "http://[::1]:8000"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("design.example.com", "no scheme"),
        ("ftp://design.example.com", "http(s)"),
        ("https://h:0", "port"),
        ("https://h:65536", "port"),
        ("https://h:\uff18\uff10", "port"),
        ("https://h:1:2", "more than one ':'"),
        ("https://[::1]x", "after the IPv6"),
        ("https://h\\@evil.example", "backslash"),
        ("https://h x/", "space"),
        ("https://h\t/x", "control character"),
    ],
)
def test_urls_that_are_refused(url: str, says: str) -> None:
    with pytest.raises(URLProblem) as caught:
        parse_url(url)
    assert says in str(caught.value)


def test_origin_of_an_httpx_url_is_checked_too() -> None:
    """httpx keeps a '%2f' host as written; origin() refuses it, so it never compares equal."""
    assert origin(httpx.URL("https://EXAMPLE.com:443/x")) == "https://example.com"
    with pytest.raises(URLProblem, match="percent"):
        origin(httpx.URL("https://evil.test%2f.oraclecloud.com/"))


def test_split_origin_names_the_bad_url_without_its_password() -> None:
    with pytest.raises(RequestError) as caught:
        split_origin("https://ada:S3cret@[x/ic/api")
    assert "S3cret" not in str(caught.value) and "'https://***@[x/ic/api'" in str(caught.value)
    assert split_origin("https://h.example?limit=1") == ("https://h.example", "/?limit=1")
    # The path and query are the request's: a space in a q filter is not the host's problem.
    assert split_origin("https://h.example/ic/x?q={name: 'A B'}") == (
        "https://h.example",
        "/ic/x?q={name: 'A B'}",
    )


def test_join_location() -> None:
    """Relative, scheme-relative and absolute Locations; httpx's view must match ours."""
    base = httpx.URL(RUNTIME + "/ic/api/integration/v1/connections")
    assert join_location(base, "/other").host == base.host
    assert str(join_location(base, "//" + DESIGN[8:] + "/x")) == DESIGN + "/x"
    for bad in ("/\\evil.example", "https://a@" + DESIGN[8:], "https://xn--zz.example/"):
        with pytest.raises(URLProblem):
            join_location(base, bad)


def test_trusted_origin_entries() -> None:
    assert trusted_origin("Collector.Example.net") == "https://collector.example.net"
    assert trusted_origin("collector.example.net:8443") == "https://collector.example.net:8443"
    assert trusted_origin("http://127.0.0.1:8001/") == "http://127.0.0.1:8001"
    for bad in ("https://c.example/path", "u:p@c.example", "["):
        with pytest.raises(URLProblem):
            trusted_origin(bad)


@pytest.mark.parametrize(
    ("runtime", "design"),
    [
        (RUNTIME, DESIGN),
        (RUNTIME.upper().replace("HTTPS", "https") + "/ic/home", DESIGN),
        ("https://design.integration.r.ocp.oraclecloud.com", None),  # already design-time
        ("http://oic-a.integration.r.ocp.oraclecloud.com", None),  # not https
        ("https://oic-a.integration.r.ocp.oraclecloud.com:8443", None),  # not OIC's port
        (
            "https://oic-a.integration.r.ocp.oraclecloud.com:443",
            "https://design.integration.r.ocp.oraclecloud.com",
        ),
        ("https://oic-a.integration.r.ocp.oraclecloud.com.evil.net", None),
        ("https://a.b.integration.r.ocp.oraclecloud.com", None),  # not one label
        ("https://oic.example.com", None),
        ("https://[x", None),
    ],
)
def test_design_time_origin_of_a_runtime_url(runtime: str, design: str | None) -> None:
    assert design_time_origin(runtime) == design


def test_trusted_origins_are_the_configured_and_derived_ones_only() -> None:
    both = TrustedHosts(settings(runtime_url=RUNTIME, trusted_hosts=("c.example",)))
    assert both.origins == {DESIGN, RUNTIME, "https://c.example"}
    other = "https://b-x.integration.eu-frankfurt-1.ocp.oraclecloud.com"
    assert TrustedHosts(settings(design_url=None, runtime_url=other)).origins == {
        other,
        "https://design.integration.eu-frankfurt-1.ocp.oraclecloud.com",
    }


def test_trust_list_of_unvalidated_settings_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        TrustedHosts(settings(trusted_hosts=("[", "u:S3cret@h.example")))
    assert len(caught.value.problems) == 2 and "S3cret" not in str(caught.value)


def test_derived_values_of_malformed_settings_are_configuration_errors() -> None:
    """api_origin and the token URL of settings never validated: no raw ValueError."""
    bad = Settings(design_url="https://[x", identity_url="idcs-\uff41.example")
    with pytest.raises(ConfigurationError, match="design_url 'https://\\[x'"):
        _ = bad.api_origin
    with pytest.raises(ConfigurationError, match="identity_url"):
        _ = bad.resolved_token_url
    assert classify_url("https://[x") == "unknown"


def test_redirect_uri_is_parsed_like_the_other_urls() -> None:
    with pytest.raises(ConfigurationError, match="redirect_uri is not a valid URL"):
        settings(redirect_uri="http://[x:8080/cb").validate(grant="browser")
    settings(redirect_uri="http://127.0.0.1:8080/cb").validate(grant="browser")


def test_hide_userinfo() -> None:
    assert hide_userinfo("https://u:p@h/x") == "https://***@h/x"
    assert hide_userinfo("u:p@h") == "***@h"
    assert hide_userinfo("https://h/x@y") == "https://h/x@y"
