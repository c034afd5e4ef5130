"""Profile files: any text under any key, any bytes as the file, files that are not one.

Each outcome is a profile resolved and used (a sign-in and one call against the fake OIC)
or a ``ConfigurationError`` naming the file; never ``UnicodeDecodeError``, ``IsADirectoryError``,
configparser's own errors, or a read that never ends (``/dev/zero``, a pipe).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
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
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from oic_magic import (
    ConfigurationError,
    OICError,
    SettingRangeError,
)
from oic_magic.core._bounds import TIMEOUT
from oic_magic.core._credentials import LoginOptions, resolve
from oic_magic.core._profile import PROFILE_KEYS, SECRET_KEYS

from ._chain import (
    BASE_ENV,
    FAST,
    URL_KEYS,
    sign_in_and_call,
)
from ._inputs import ENV_CHARACTER, NUMBER_SEEDS, SETTING_TEXT

pytestmark = pytest.mark.timeout(120)

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
    outcome = sign_in_and_call({"OIC_PROFILE_FILE": str(path)}, profile="p")
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
