"""Properties of host trust and URL parsing over generated hosts, URLs and settings.

- ``allows()`` is True exactly for the configured and trusted origins: the expected
  answer is computed from how each ``Location`` was built (which host, which changes),
  never from the code under test, and when it is True the host httpx would connect to
  is one of them.
- Parsing raises only the documented exceptions: ``URLProblem`` from ``core._urls``,
  ``RequestError`` for a pasted path, ``ConfigurationError`` for settings; never
  ``ValueError``, ``idna.IDNAError`` or ``httpx.InvalidURL``.

The seed corpus (``@example``) holds every case of the review that found the suffix test.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oic_magic import Settings
from oic_magic.core._settings import classify_url
from oic_magic.core._trust import TrustedHosts, design_time_origin
from oic_magic.core._urls import (
    URLProblem,
    join_location,
    normalise_host,
    origin,
    parse_url,
    split_origin,
    trusted_origin,
)
from oic_magic.exceptions import ConfigurationError, RequestError

from ._tenancy import API, DESIGN, RUNTIME
from ._tenancy import settings as tenancy_settings

COLLECTOR = "collector.example.net"
#: The names that may receive the token (https, port 443), for the settings below.
TRUSTED_NAMES = {h.removeprefix("https://") for h in (DESIGN, RUNTIME)} | {COLLECTOR}
TRUST = TrustedHosts(tenancy_settings(trusted_hosts=(COLLECTOR,)))
BASE = httpx.URL(RUNTIME + API)
BOUNDED = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: What a hostile or careless server puts into a host: each must make it another host.
JUNK = [
    "\\", "%2f", "%2F", "%00", "%2e", "%40", "@", "\uff0e", "\u3002", "\uff61", ".", "..",
    " ", "\t", "\x00", "[", "]", "xn--", "-", "_", ":", "#", "?", "/", "\u017f", "\u0131",
]  # fmt: skip
FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@st.composite
def hosts(draw: st.DrawFn) -> tuple[str, bool]:
    """A host text and whether it names a trusted host (before the scheme and port)."""
    base = draw(
        st.sampled_from(
            [
                *sorted(TRUSTED_NAMES),
                "other-xyz.integration.us-ashburn-1.ocp.oraclecloud.com",
                "design.integration.eu-frankfurt-1.ocp.oraclecloud.com",
                "objectstorage.us-ashburn-1.oraclecloud.com",
                "evil.oraclecloud.com",
                "oraclecloud.com",
            ]
        )
    )
    change = draw(st.sampled_from(["none", "case", "insert", "fullwidth", "prefix", "suffix"]))
    if change == "none":
        return base, base in TRUSTED_NAMES
    if change == "case":
        flips = draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
        return "".join(c.upper() if f else c for c, f in zip(base, flips, strict=True)), (
            base in TRUSTED_NAMES
        )
    if change == "insert":
        at = draw(st.integers(0, len(base)))
        host = base[:at] + draw(st.sampled_from(JUNK)) + base[at:]
    elif change == "fullwidth":
        at = draw(st.integers(0, len(base) - 1))
        host = base[:at] + FULLWIDTH.get(base[at], base[at]) + base[at + 1 :]
    elif change == "prefix":
        host = draw(st.from_regex(r"[a-z0-9-]{1,8}\.", fullmatch=True)) + base
    else:
        host = base + draw(st.sampled_from([".", ".evil.net", "%2e", "\\", ".oraclecloud.com"]))
    # A change that left the text as it was (a '-' next to a '-', say) is still the host.
    return host, host.lower() in TRUSTED_NAMES


@st.composite
def locations(draw: st.DrawFn) -> tuple[str, bool]:
    """A redirect Location and whether the token may follow it (computed from its parts)."""
    host, trusted = draw(hosts())
    scheme = draw(st.sampled_from(["https", "HTTPS", "http", "ftp", "//"]))
    port = draw(st.sampled_from(["", ":443", ":444", ":8443", ":80", ":0", ":65536", ":x"]))
    userinfo = draw(st.sampled_from(["", "", "", "a@", "a:b@", f"{host}@"]))
    path = draw(st.sampled_from(["", API, "/", "?a=b", "#f"]))
    prefix = "//" if scheme == "//" else f"{scheme}://"
    secure = scheme.lower() in ("https", "//")  # scheme-relative keeps the runtime's https
    may = trusted and secure and port in ("", ":443") and not userinfo
    return f"{prefix}{userinfo}{host}{port}{path}", may


def _client_decision(location: str) -> httpx.URL | None:
    """What the client does with *location*: the URL it sends the token to, or None."""
    try:
        joined = join_location(BASE, location)
    except URLProblem:
        return None
    return joined if TRUST.allows(joined, came_from=BASE) else None


SUFFIX_CASES = [
    "https://evil.test\\.oraclecloud.com/x",
    "https://evil.test%2f.oraclecloud.com/x",
    "https://evil%00.oraclecloud.com/x",
    "https://a@b.oraclecloud.com/x",
    "https://objectstorage.us-ashburn-1.oraclecloud.com/n/x",
    "https://other-xyz.integration.us-ashburn-1.ocp.oraclecloud.com/x",
    "https://xn--zz.oraclecloud.com/x",
    "https://design\uff0eintegration.us-ashburn-1.ocp.oraclecloud.com/x",
]


@BOUNDED
@given(locations())
@example(("https://evil.test\\.oraclecloud.com" + API, False))
@example(("https://evil.test%2f.oraclecloud.com" + API, False))
@example(("https://evil%00.oraclecloud.com" + API, False))
@example(("https://a@b.oraclecloud.com" + API, False))
@example((DESIGN + API, True))
@example((DESIGN.upper() + API, True))
@example((f"{DESIGN}:443{API}", True))
def test_allows_exactly_the_trusted_origins(case: tuple[str, bool]) -> None:
    """The token follows a Location exactly when it names a trusted origin."""
    location, may = case
    sent_to = _client_decision(location)
    assert (sent_to is not None) == may, location
    if sent_to is not None:  # what httpx would connect to, not just what was compared
        assert sent_to.scheme == "https" and sent_to.port in (None, 443)
        assert sent_to.host in TRUSTED_NAMES


@BOUNDED
@given(st.text(max_size=80))
@example("https://[::1")
@example("https://xn--zz.oraclecloud.com/")
@example("\\\\evil.com/x")
@example("/\\evil.com/x")
@example("https:evil.com/x")
@example("https://design.integration.us-ashburn-1.ocp.oraclecloud.com\t/x")
def test_any_location_is_refused_or_lands_on_a_trusted_origin(location: str) -> None:
    """An arbitrary Location: only URLProblem, and an allowed one lands on a trusted origin."""
    sent_to = _client_decision(location)
    if sent_to is not None:
        port = f":{sent_to.port}" if sent_to.port not in (None, 443) else ""
        assert f"{sent_to.scheme}://{sent_to.host}{port}" in TRUST.origins


#: Text that looks like URLs often enough to reach the deep branches of the parser.
URLISH = st.lists(
    st.sampled_from(
        [
            "https://", "http://", "HTTPS://", "//", "ftp://", "[", "]", "::1", "%", "%2f",
            "%00", "\\", "@", ":", ":443", ":99999", "/", "?", "#", ".", "..", "xn--", "zz",
            "a", "design", ".integration.", "us-ashburn-1", ".ocp.oraclecloud.com", "\uff0e",
            "\u3002", "\uff41", "\u00fc", "\u200b", " ", "\t", "\x00", "-", "0", "127.0.0.1",
        ]
    ),
    max_size=12,
).map("".join)  # fmt: skip
TEXTS = st.one_of(URLISH, st.text(max_size=60))


@BOUNDED
@given(TEXTS)
@example("https://[oic.example.com")
@example("https://xn--zz.integration.r.ocp.oraclecloud.com")
@example("https://\uff44esign\uff0eexample.com")
@example("https://host:0")
@example("https://[::1]x")
@example("https://[fe80::1%25eth0]")
def test_url_parsing_raises_only_url_problem(text: str) -> None:
    """parse_url, origin, normalise_host, trusted_origin: a value or URLProblem saying why.

    An origin, once computed, is its own origin: the normal form is a fixed point.
    """
    for parse in (parse_url, origin, normalise_host, trusted_origin, design_time_origin):
        try:
            parse(text)
        except URLProblem as problem:
            assert str(problem)
    try:
        found = origin(text)
    except URLProblem:
        pass
    else:
        assert origin(found) == found and trusted_origin(found) == found
    assert classify_url(text) in ("design-time", "runtime", "unknown")


@BOUNDED
@given(TEXTS)
@example("https://[x/ic/api/integration/v1/connections")
@example("https://a:b@[x/ic")
def test_split_origin_raises_only_request_error(text: str) -> None:
    """A pasted path: split, or a RequestError that never quotes a password."""
    try:
        found, rest = split_origin(text)
    except RequestError as error:
        assert "a:b@" not in str(error)
    else:
        assert rest.startswith("/") or found is None


@BOUNDED
@given(TEXTS, TEXTS, st.sampled_from(["OIC_URL", "OIC_DESIGN_URL", "OIC_RUNTIME_URL"]))
@example("https://[", "[", "OIC_URL")
@example("https://design.integration.r.ocp.oraclecloud.com", "xn--zz.example", "OIC_URL")
def test_settings_raise_only_configuration_error(url: str, trusted: str, variable: str) -> None:
    """OIC_* URL variables: validated settings and a trust list, or a ConfigurationError."""
    env = {
        variable: url,
        "OIC_TRUSTED_HOSTS": trusted,
        "OIC_IDENTITY_URL": "idcs-test.identity.oraclecloud.com",
        "OIC_CLIENT_ID": "c",
        "OIC_CLIENT_SECRET": "s",
        "OIC_INSTANCE": "i",
        "OIC_AUDIENCE": "a",
        "OIC_USERNAME": "u",
        "OIC_PASSWORD": "p",
    }
    try:
        found = Settings.from_env(env).validate()
    except ConfigurationError as error:
        assert error.problems
        return
    trust = TrustedHosts(found)  # valid settings always give a trust list
    assert found.api_origin in trust.origins


@BOUNDED
@given(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True),
    st.from_regex(r"[a-z]{2}-[a-z]{3,9}-[1-9]", fullmatch=True),
)
def test_the_design_host_of_a_runtime_host_is_its_regions(name: str, region: str) -> None:
    """A runtime host trusts exactly its region's design-time host and nothing else new."""
    runtime = f"https://{name}.integration.{region}.ocp.oraclecloud.com"
    trust = TrustedHosts(tenancy_settings(runtime_url=runtime, audience=runtime))
    design = f"https://design.integration.{region}.ocp.oraclecloud.com"
    expected = {runtime} if name == "design" else {runtime, design}
    assert trust.origins == expected


@pytest.mark.parametrize("location", SUFFIX_CASES)
def test_the_suffix_cases_are_refused(location: str) -> None:
    """Each case the review sent the token for is refused, by name."""
    assert _client_decision(location) is None
