"""Every ``OIC_*`` variable and client option: an OICError or a sign-in.

(Profile keys and files: ``test_profile_properties.py``; the ``%config`` traits and the
waits of long operations: ``test_wait_and_trait_bounds.py``.)

Settings are resolved from generated text exactly as ``%oic_login`` and
``OICClient.connect`` resolve them (the credential chain), then used: validated, signed
in and one call made, against the in-process fake OIC (``httpx.MockTransport``, so no
generated host is ever contacted). Whatever the text, the outcome is a success or one of
the project's own errors (:class:`~oic_magic.OICError`: a ``ConfigurationError``, a
``SettingRangeError`` naming the setting and its range, a refused sign-in); never an
internal exception, never a hang (every test has a timeout).

The URL-valued variables and profile keys (``OIC_URL``, ``OIC_*_URL``,
``OIC_TRUSTED_HOSTS``, ``OIC_REDIRECT_URI``; ``url``, ``*_url``, ``trusted_hosts``,
``redirect_uri``) keep working values here: the parsing of URLs and hosts has property
tests of its own, beside the code that trusts hosts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from core._core_fake import (
    FakeOIC,
)
from hypothesis import example, given
from hypothesis import strategies as st

import oic_magic.core._credentials as credentials_module
import oic_magic.core._profile as profile_module
import oic_magic.core._settings as settings_module
from oic_magic import (
    ConfigurationError,
    OICClient,
    RowLimitError,
    Session,
    SettingRangeError,
)
from oic_magic.core._bounds import RETRIES
from oic_magic.core._credentials import LoginOptions, resolve
from oic_magic.core._retry import Backoff

from ._chain import (
    BASE_ENV,
    FAST,
    TEXT_VARIABLES,
    VARIABLES,
    sign_in_and_call,
)
from ._inputs import NUMBER_SEEDS, SETTING_TEXT

pytestmark = pytest.mark.timeout(120)

# -- the list of variables is the code's -----------------------------------------------------


def test_every_variable_the_chain_reads_is_generated() -> None:
    """The variables named in the settings, credentials and profile modules are all here."""
    named: set[str] = set()
    for module in (settings_module, credentials_module, profile_module):
        source = Path(str(module.__file__)).read_text(encoding="utf-8")
        named |= set(re.findall(r"\bOIC_[A-Z_]*[A-Z]\b", source))
    assert named == set(VARIABLES)


def test_the_base_environment_signs_in() -> None:
    """The environment each property spoils works as it is (so a spoiled one is a test)."""
    assert sign_in_and_call(BASE_ENV) == "ok"


# -- OIC_* variables ---------------------------------------------------------------------------


@FAST
@given(st.dictionaries(st.sampled_from(TEXT_VARIABLES), SETTING_TEXT, min_size=1, max_size=4))
@example({"OIC_TIMEOUT": "inf"})
@example({"OIC_TIMEOUT": "nan"})
@example({"OIC_TIMEOUT": "²"})
@example({"OIC_TIMEOUT": "9" * 5000})
@example({"OIC_PROFILE_FILE": "/"})
@example({"OIC_PROFILE_FILE": "/dev/zero", "OIC_PROFILE": "p"})
@example({"OIC_PROFILE_FILE": "~no-such-user-at-all/p.ini", "OIC_PROFILE": "p"})
@example({"OIC_PROFILE_FILE": "x" * 5000, "OIC_PROFILE": "p"})
@example({"OIC_CA_BUNDLE": "/"})
@example({"OIC_CA_BUNDLE": "\udcff"})
@example({"OIC_GRANT": "jwt", "OIC_KEY_ID": "k", "OIC_PRIVATE_KEY_FILE": "/"})
@example({"OIC_GRANT": "jwt", "OIC_KEY_ID": "k", "OIC_PRIVATE_KEY_FILE": "~nobody-x/k"})
@example({"OIC_GRANT": "browser", "OIC_REDIRECT_URI": "http://127.0.0.1:1/cb"})
@example({"OIC_PASSWORD": "\udcff", "OIC_USERNAME": "é\udc80"})
@example({"OIC_CLIENT_ID": "\udcff", "OIC_CLIENT_SECRET": "x\x7f\n"})
def test_any_text_in_any_variable(spoiled: dict[str, str]) -> None:
    """Any text in any OIC_* variable: a success or one of the project's errors."""
    outcome = sign_in_and_call({**BASE_ENV, **spoiled})
    assert outcome == "ok" or outcome.endswith("Error")


@pytest.mark.parametrize("text", NUMBER_SEEDS)
def test_oic_timeout_is_a_sane_number_or_refused_by_name(text: str) -> None:
    """OIC_TIMEOUT: a finite number from 0.001 to 3600 s, else an error naming it and the range."""
    stripped = text.strip()
    try:
        expected: float | None = float(stripped)
    except ValueError:
        expected = None
    plain = re.fullmatch(r"\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", stripped)
    if not stripped:  # blank: unset, the default applies
        assert settings_module.Settings.from_env({"OIC_TIMEOUT": text}).timeout == 30.0
        return
    if plain and expected is not None and math.isfinite(expected) and 0.001 <= expected <= 3600:
        assert settings_module.Settings.from_env({"OIC_TIMEOUT": text}).timeout == expected
        return
    with pytest.raises(SettingRangeError) as caught:
        settings_module.Settings.from_env({"OIC_TIMEOUT": text})
    assert "OIC_TIMEOUT" in str(caught.value) and "from 0.001 to 3,600" in str(caught.value)
    assert caught.value.setting == "OIC_TIMEOUT" and isinstance(caught.value, ConfigurationError)


@pytest.mark.parametrize("timeout", [math.inf, -math.inf, math.nan, 0.0, -1.0, 3601.0, 1e300])
def test_settings_timeout_out_of_range_is_a_configuration_error(timeout: float) -> None:
    """Settings(timeout=inf/nan/...) is refused when it is validated, naming the range."""
    env = dict(BASE_ENV)
    resolved = resolve(LoginOptions(), environ=env, remembered=None)
    bad = resolved.settings().replace(timeout=timeout)
    with pytest.raises(ConfigurationError, match=r"timeout must be .* from 0\.001 to 3,600"):
        bad.validate()


@pytest.mark.parametrize("timeout", ["30", None, [30], True])
def test_settings_timeout_of_another_type_is_a_configuration_error(timeout: Any) -> None:
    """A timeout that is not a number at all (text, None, a list, a bool) is refused too."""
    bad = resolve(LoginOptions(), environ=BASE_ENV, remembered=None).settings()
    with pytest.raises(ConfigurationError, match="timeout must be"):
        bad.replace(timeout=timeout).validate()


@pytest.mark.parametrize("timeout", [math.inf, math.nan, 0.0, -5.0, 1e9, True])
def test_a_config_timeout_out_of_range_is_refused(timeout: float) -> None:
    """The %config timeout handed to the chain is checked like the others."""
    with pytest.raises(SettingRangeError, match="%config OICMagics.timeout"):
        resolve(LoginOptions(), environ=BASE_ENV, timeout=timeout, remembered=None)


# -- client options -----------------------------------------------------------------------------

CLIENT_OPTIONS = {
    "page_size": (1, 10_000),
    "concurrency": (1, 64),
    "max_rows": (1, 1_000_000_000),
    "retries": (0, 100),
    "rereads": (0, 20),
    "max_redirects": (0, 20),
    "max_body_bytes": (1, 8 * 1024**3),
}


@pytest.fixture(scope="module")
def fake_oic() -> FakeOIC:
    """One fake OIC for the client tests of this module."""
    return FakeOIC()


@pytest.fixture(scope="module")
def fake_session(fake_oic: FakeOIC) -> Iterator[Session]:
    """A session signed in to :func:`fake_oic`."""
    resolved = resolve(LoginOptions(), environ=BASE_ENV, remembered=None)
    session = Session.sign_in(resolved.settings(), transport=fake_oic.transport())
    yield session
    session.close()


@pytest.mark.parametrize("option", sorted(CLIENT_OPTIONS))
@pytest.mark.parametrize("offset", ["below", "above", "float", "bool", "text", "nan"])
def test_a_client_option_out_of_range_names_it_and_its_range(
    fake_session: Session, option: str, offset: str
) -> None:
    """OICClient(retries=1024, page_size=0, concurrency=nan...): SettingRangeError by name."""
    low, high = CLIENT_OPTIONS[option]
    value: object = {
        "below": low - 1,
        "above": high + 1,
        "float": low + 0.5,
        "bool": True,
        "text": str(low),
        "nan": math.nan,
    }[offset]
    options: dict[str, Any] = {option: value}
    with pytest.raises(SettingRangeError) as caught:
        OICClient(fake_session, **options)
    assert caught.value.setting == option and (caught.value.low, caught.value.high) == (low, high)
    assert f"{option} must be a whole number" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("retries", [1023, 1024, 5000, 10**9])
def test_retries_over_1023_are_refused_not_overflowed(retries: int) -> None:
    """The review's case: retries over 1023 overflowed 2.0**attempt; now they are refused."""
    with pytest.raises(SettingRangeError, match=r"retries must be a whole number from 0 to 100"):
        Backoff(retries=retries)


def test_the_backoff_never_overflows_for_any_attempt() -> None:
    """delay() of any attempt number is capped, even past where 2.0**n overflows."""
    backoff = Backoff(retries=RETRIES.count(100, "retries"))
    assert all(0 < backoff.delay(attempt) <= backoff.cap for attempt in (0, 10, 1023, 1024, 10**6))


@FAST
@given(
    option=st.sampled_from(sorted(CLIENT_OPTIONS)),
    value=st.one_of(
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.text(max_size=6),
    ),
)
def test_any_value_of_any_client_option(fake_session: Session, option: str, value: object) -> None:
    """Any value of any client option: a client with that value, or SettingRangeError."""
    low, high = CLIENT_OPTIONS[option]
    options: dict[str, Any] = {option: value}
    try:
        client = OICClient(fake_session, **options)
    except SettingRangeError as error:
        assert error.setting == option
        inside = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        assert not inside
        return
    with client:
        assert isinstance(value, int) and low <= value <= high


PAGING_OPTIONS = {
    "limit": (0, 1_000_000_000),
    "page_size": (1, 10_000),
    "concurrency": (1, 64),
    "max_rows": (1, 1_000_000_000),
    "rereads": (0, 20),
}


@FAST
@given(
    option=st.sampled_from(sorted(PAGING_OPTIONS)),
    value=st.one_of(st.integers(-(10**12), 10**12), st.floats(), st.sampled_from([True, "5"])),
)
def test_any_paging_option_of_one_call(
    fake_oic: FakeOIC, fake_session: Session, option: str, value: object
) -> None:
    """paginate(limit=-5, page_size=nan...): a listing or SettingRangeError naming the option."""
    with OICClient(fake_session, transport=fake_oic.transport()) as client:
        low, high = PAGING_OPTIONS[option]
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        options: dict[str, Any] = {option: value}
        try:
            listing = client.paginate("connections", **options)
        except SettingRangeError as error:
            assert error.setting == option and (error.low, error.high) == (low, high)
            assert not (number is not None and low <= number <= high)
            return
        except RowLimitError as error:  # fewer rows allowed than the fake holds
            assert option == "max_rows" and number is not None
            assert error.max_rows == number < len(fake_oic.items)
            return
    assert number is not None
    expected = len(fake_oic.items) if option != "limit" else min(number, len(fake_oic.items))
    assert len(listing) == expected
