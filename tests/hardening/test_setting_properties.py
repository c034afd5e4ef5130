"""Every ``OIC_*`` variable, profile value and numeric setting: an OICError or a sign-in.

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
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from core._core_fake import (
    AUDIENCE,
    CLIENT_ID,
    CLIENT_SECRET,
    DESIGN,
    PASSWORD,
    USERNAME,
    FakeOIC,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import oic_magic.core._credentials as credentials_module
import oic_magic.core._profile as profile_module
import oic_magic.core._settings as settings_module
from oic_magic import (
    ConfigurationError,
    OICClient,
    OICError,
    RowLimitError,
    Session,
    SettingRangeError,
)
from oic_magic.core._bounds import RETRIES, TIMEOUT
from oic_magic.core._credentials import LoginOptions, MissingSettingsError, resolve
from oic_magic.core._profile import PROFILE_KEYS, SECRET_KEYS
from oic_magic.core._retry import Backoff
from oic_magic.emulator import Emulator
from oic_magic.notebook._traits import BOUNDS

from ._inputs import ENV_CHARACTER, NUMBER_SEEDS, SETTING_TEXT

pytestmark = pytest.mark.timeout(120)

#: Every variable the credential chain reads, by the names the code gives them.
VARIABLES = sorted(
    {
        *settings_module._ENV_FIELDS,
        "OIC_URL",
        "OIC_TIMEOUT",
        "OIC_TRUSTED_HOSTS",
        "OIC_GRANT",
        "OIC_PROFILE",
        "OIC_PROFILE_FILE",
    }
)
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


def _sign_in_and_call(environ: Mapping[str, str], profile: str | None = None) -> str:
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
    assert _sign_in_and_call(BASE_ENV) == "ok"


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
    outcome = _sign_in_and_call({**BASE_ENV, **spoiled})
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


# -- profile values ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def profile_dir() -> Iterator[Path]:
    """A private folder for the generated profile files (module-wide, for hypothesis)."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _write_profile(path: Path, values: Mapping[str, str]) -> None:
    lines = ["[p]", *(f"{key} = {value}" for key, value in values.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    path.chmod(0o600)


_PROFILE_NUMBERS = {"timeout"}
_PROFILE_TEXT_KEYS = sorted(set(PROFILE_KEYS) - URL_KEYS) + list(SECRET_KEYS)


def test_every_profile_key_is_generated() -> None:
    """The property below spoils every key a profile may hold but the URLs (secrets included)."""
    assert set(_PROFILE_TEXT_KEYS) | URL_KEYS == set(PROFILE_KEYS) | set(SECRET_KEYS)


@settings(FAST, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(_PROFILE_TEXT_KEYS),
        st.text(ENV_CHARACTER | st.just("\x00"), max_size=30) | SETTING_TEXT,
        min_size=1,
        max_size=4,
    )
)
@example({"ca_bundle": "a\x00b"})
@example({"private_key_file": "k\x00", "grant": "jwt", "key_id": "k"})
@example({"timeout": "inf"})
@example({"timeout": "nan"})
@example({"timeout": "²"})
@example({"timeout": "0"})
@example({"grant": "none"})
@example({"password": "\udcff"})
@example({"ca_bundle": "/dev/null"})
@example({"instance": "[p]"})
@example({"username": "a\n[q]\nx = 1"})
def test_any_text_in_any_profile_key(profile_dir: Path, values: dict[str, str]) -> None:
    """Any text under any key of the named profile: a success or one of the project's errors."""
    path = profile_dir / "profiles.ini"
    base = {
        "url": DESIGN,
        "identity_url": BASE_ENV["OIC_IDENTITY_URL"],
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "audience": AUDIENCE,
        "instance": "oic-test",
        "username": USERNAME,
        "password": PASSWORD,
    }
    _write_profile(path, {**base, **values})
    outcome = _sign_in_and_call({"OIC_PROFILE_FILE": str(path)}, profile="p")
    assert outcome == "ok" or outcome.endswith("Error")


@pytest.mark.parametrize("text", NUMBER_SEEDS)
def test_profile_timeout_is_a_sane_number_or_refused_by_name(profile_dir: Path, text: str) -> None:
    """timeout = in a profile: refused by the same rule as OIC_TIMEOUT, naming the profile."""
    path = profile_dir / "timeouts.ini"
    _write_profile(path, {"url": DESIGN, "timeout": text})
    env = {"OIC_PROFILE_FILE": str(path)}
    if not text.strip():  # a blank value is no value: the default applies
        resolved = resolve(LoginOptions(profile="p"), environ=env, remembered=None)
        assert "timeout" not in resolved.values
        return
    try:
        value = TIMEOUT.seconds(text, "t", text=True)
    except SettingRangeError:
        with pytest.raises(SettingRangeError, match=r"timeout in profile \[p\] must be"):
            resolve(LoginOptions(profile="p"), environ=env, remembered=None)
        return
    resolved = resolve(LoginOptions(profile="p"), environ=env, remembered=None)
    assert resolved.values["timeout"] == value and 0.001 <= value <= 3600


# -- profile files that are not one ----------------------------------------------------------


def _profile_error(path: Path | str) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        resolve(LoginOptions(profile="p"), environ={"OIC_PROFILE_FILE": str(path)}, remembered=None)
    assert str(path) in str(caught.value) or "OIC_PROFILE_FILE" in str(caught.value)
    return caught.value


def test_a_profile_file_that_is_a_folder(tmp_path: Path) -> None:
    """A folder named as the profile file: an error naming it and saying it is a folder."""
    assert "is a folder" in str(_profile_error(tmp_path))


def test_a_profile_file_that_is_not_utf8(tmp_path: Path) -> None:
    """Latin-1 bytes: an error naming the file and the encoding, never UnicodeDecodeError."""
    path = tmp_path / "latin1.ini"
    path.write_bytes("[p]\nusername = José\n".encode("latin-1"))
    assert "not UTF-8" in str(_profile_error(path))


def test_a_profile_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A UTF-8 file saved with a byte-order mark (Windows editors) is read as text."""
    path = tmp_path / "bom.ini"
    path.write_bytes(b"\xef\xbb\xbf[p]\ninstance = bom\n")
    resolved = resolve(LoginOptions(profile="p"), environ={"OIC_PROFILE_FILE": str(path)})
    assert resolved.values["instance"] == "bom"


def test_a_profile_file_that_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file its reader may not open: an error naming it and saying so.

    chmod 000 stops every user but root; run as root, the refusal the kernel would give
    is given by ``Path.open`` instead.
    """
    path = tmp_path / "private.ini"
    path.write_text("[p]\ninstance = x\n", encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:
        real_open = Path.open

        def refuse(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    assert "permission denied" in str(_profile_error(path))


@pytest.mark.parametrize(
    "kind", ["device", "fifo", "huge", "inside-a-file", "loop", "long-name", "unknown-home"]
)
def test_a_profile_file_of_another_kind(tmp_path: Path, kind: str) -> None:
    """A device (read forever), a pipe (blocks), a huge file, bad names: an error, no hang."""
    path: Path | str
    if kind == "device":
        path = Path("/dev/zero")
    elif kind == "fifo":
        path = tmp_path / "pipe.ini"
        os.mkfifo(path)
    elif kind == "huge":
        path = tmp_path / "huge.ini"
        path.write_bytes(b"[p]\n" + b"; padding\n" * 200_000)
    elif kind == "inside-a-file":
        (tmp_path / "file").write_text("x", encoding="utf-8")
        path = tmp_path / "file" / "profiles.ini"
    elif kind == "loop":
        path = tmp_path / "loop.ini"
        path.symlink_to(path)
    elif kind == "long-name":
        path = tmp_path / ("x" * 5000)
    else:
        path = "~no-such-user-of-this-machine/profiles.ini"
    message = str(_profile_error(path))
    assert "profile" in message.lower()
    if kind in ("device", "fifo"):
        assert "not a regular file" in message
    if kind == "huge":
        assert "larger than 1,048,576 bytes" in message


@pytest.mark.parametrize(
    "content",
    [b"", b"no section\n", b"[p\n", b"[p]\n[p]\n", b"[p]\nx\n", b"[p]\n = 1\n", b"\x00\x01"],
)
def test_a_malformed_profile_file(tmp_path: Path, content: bytes) -> None:
    """A file that is not INI: a ConfigurationError naming the file, never configparser's."""
    path = tmp_path / "bad.ini"
    path.write_bytes(content)
    _profile_error(path)


@settings(FAST, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.binary(max_size=200))
@example(b"[p]\xff\n")
@example(b"[p]\ninstance = \xc3\n")
@example(b"[p]\ntimeout = inf\n")
def test_any_bytes_as_a_profile_file(profile_dir: Path, content: bytes) -> None:
    """Any bytes as the profile file: a profile or one of the project's errors."""
    path = profile_dir / "bytes.ini"
    path.write_bytes(content)
    path.chmod(0o600)
    try:
        resolve(LoginOptions(profile="p"), environ={"OIC_PROFILE_FILE": str(path)})
    except OICError as error:
        assert isinstance(error, ConfigurationError)
    assert stat.S_ISREG(path.stat().st_mode)


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


# -- %config traits ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BOUNDS))
@pytest.mark.parametrize("value", [math.inf, math.nan, -math.inf, 10**12, 1e300])
def test_a_config_trait_out_of_range_is_refused_by_name(name: str, value: float) -> None:
    """%config OICMagics.timeout = inf (or nan, or retries = 10**12...): a TraitError naming
    the trait and its range (below the minimum, traitlets' own message names the minimum);
    the value in force stays."""
    from traitlets import TraitError

    from oic_magic.notebook._magics import OICMagics
    from oic_magic.notebook._ops_magics import OICOperations

    magics = OICMagics() if OICMagics.class_traits().get(name) else OICOperations()
    before = getattr(magics, name)
    if BOUNDS[name].whole and isinstance(value, float):
        value = 10**12  # an Int trait refuses a float by its type already
    with pytest.raises(TraitError) as caught:
        setattr(magics, name, value)
    owner = type(magics).__name__
    if value == -math.inf:
        assert f"'{name}' trait of an {owner} instance should not be less than" in str(caught.value)
    else:
        assert f"{owner}.{name} must be" in str(caught.value) and "from " in str(caught.value)
    assert getattr(magics, name) == before or (before is None and getattr(magics, name) is None)


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_a_config_trait_inside_its_range_is_kept(name: str) -> None:
    """The highest value a trait may take is accepted as it is."""
    from oic_magic.notebook._magics import OICMagics
    from oic_magic.notebook._ops_magics import OICOperations

    magics = OICMagics() if OICMagics.class_traits().get(name) else OICOperations()
    high = BOUNDS[name].high
    setattr(magics, name, int(high) if BOUNDS[name].whole else high)
    assert getattr(magics, name) == high


# -- the waits and pools of long operations ---------------------------------------------------


def _one_job() -> Any:
    from oic_magic.core._recovery import RecoveryResult

    return RecoveryResult(action="resubmit", rows=(), job_ids=("J1",), requests=1)


BAD_WAITS = [
    {"timeout": math.nan},
    {"timeout": math.inf},
    {"timeout": -1.0},
    {"timeout": 86_401.0},
    {"interval": math.nan},
    {"interval": math.inf},
    {"interval": 0.0},
    {"interval": 0.001},
]


@pytest.mark.parametrize("bad", BAD_WAITS, ids=str)
def test_a_wait_out_of_range_is_refused_before_anything_is_sent(
    emu: Emulator, tmp_path: Path, bad: dict[str, float]
) -> None:
    """activate/deactivate/import/recovery waits of nan, inf, 0...: refused by name, unsent."""
    from _emulated import demo_settings

    from oic_magic import import_archive, wait_for_recovery

    (setting,) = bad
    waits: dict[str, Any] = dict(bad)
    archive = tmp_path / "HELLO_01.00.0000.iar"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: never read here
    with OICClient.sign_in(demo_settings(emu), retries=0) as client:
        emu.control.clear_requests()
        calls: list[Callable[[], object]] = [
            lambda: client.activate("HELLO|01.00.0000", **waits),
            lambda: client.deactivate("HELLO|01.00.0000", **waits),
            lambda: client.wait_for_activation("HELLO|01.00.0000", **waits),
            lambda: import_archive(client, archive, **waits),
            lambda: wait_for_recovery(client, _one_job(), **waits),
        ]
        for call in calls:
            with pytest.raises(SettingRangeError) as caught:
                call()
            assert caught.value.setting == setting and isinstance(caught.value, ValueError)
        assert emu.control.requests() == []


@pytest.mark.parametrize("concurrency", [0, -1, 65, 2.5, math.nan, True])
def test_a_pool_out_of_range_is_refused_before_anything_is_sent(
    emu: Emulator, tmp_path: Path, concurrency: Any
) -> None:
    """sweep() and export_archives() with concurrency 0, 65, nan...: refused by name."""
    from _emulated import demo_settings

    from oic_magic import export_archives, sweep

    with OICClient.sign_in(demo_settings(emu), retries=0) as client:
        emu.control.clear_requests()
        with pytest.raises(SettingRangeError, match="concurrency must be a whole number"):
            sweep(client, concurrency=concurrency)
        with pytest.raises(SettingRangeError, match="concurrency must be a whole number"):
            export_archives(client, tmp_path / "backup", concurrency=concurrency)
        assert emu.control.requests() == [] and not (tmp_path / "backup").exists()
