"""Profile files: the non-secret settings of each instance, in an INI file.

The file is ``~/.oic/profiles.ini`` unless ``OIC_PROFILE_FILE`` names another one.
One section per instance; ``%oic_login --profile prod`` reads ``[prod]``::

    [prod]
    url = https://design.integration.us-phoenix-1.ocp.oraclecloud.com
    identity_url = https://idcs-0123456789abcdef.identity.oraclecloud.com
    client_id = 0123456789abcdef0123456789abcdef
    audience = https://0123ABCD.integration.us-phoenix-1.ocp.oraclecloud.com:443
    instance = prod-instance-axnfo1
    username = ada.lovelace@example.com

Keys are the names of the settings: ``url`` (design-time or runtime, detected),
``design_url``, ``runtime_url``, ``identity_url``, ``token_url``, ``client_id``,
``scope``, ``audience``, ``instance``, ``username``, ``grant``, ``timeout``,
``ca_bundle``, ``trusted_hosts``.  Secrets (``client_secret``,
``password``) belong in the environment or the keyring.  A file that holds one
anyway is refused unless only its owner can read it (``chmod 600``), as ssh does
with private keys: a world-readable secret has already leaked.
"""

from __future__ import annotations

import configparser
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import ConfigurationError

__all__ = [
    "DEFAULT_PROFILE_FILE",
    "PROFILE_FILE_VARIABLE",
    "PROFILE_KEYS",
    "SECRET_KEYS",
    "Profile",
    "profile_path",
    "read_profile",
]

PROFILE_FILE_VARIABLE = "OIC_PROFILE_FILE"
DEFAULT_PROFILE_FILE = Path("~/.oic/profiles.ini")

#: Settings a profile may hold, in the order the form shows them.
PROFILE_KEYS = (
    "url",
    "design_url",
    "runtime_url",
    "identity_url",
    "token_url",
    "client_id",
    "scope",
    "audience",
    "instance",
    "username",
    "grant",
    "timeout",
    "ca_bundle",
    "trusted_hosts",
    "redirect_uri",
    "private_key_file",
    "key_id",
    "assertion_audience",
)
SECRET_KEYS = ("client_secret", "password")
#: A profile file is a few lines; anything larger is not one.
MAX_PROFILE_BYTES = 1024 * 1024
_POINT = f"point {PROFILE_FILE_VARIABLE} to the INI file of profiles"


@dataclass(frozen=True)
class Profile:
    """One section of a profile file; ``values`` never shows in the repr."""

    name: str
    path: Path
    values: dict[str, str] = field(repr=False)


def profile_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where profiles are read from: ``$OIC_PROFILE_FILE`` or ``~/.oic/profiles.ini``."""
    environ = os.environ if environ is None else environ
    chosen = environ.get(PROFILE_FILE_VARIABLE) or str(DEFAULT_PROFILE_FILE)
    try:
        return Path(chosen).expanduser()
    except RuntimeError:  # '~someone' of an unknown user, or no home folder at all
        raise ConfigurationError(
            [f"{PROFILE_FILE_VARIABLE}={chosen!r}: its '~' names no home folder"]
        ) from None


def read_profile(
    name: str, *, path: Path | None = None, environ: Mapping[str, str] | None = None
) -> Profile:
    """Read section ``name``; refuse unknown keys and secrets in a shared file."""
    path = profile_path(environ) if path is None else path
    parser = _parse(path)
    if not parser.has_section(name):
        known = ", ".join(parser.sections()) or "none"
        raise ConfigurationError([f"no profile [{name}] in {path} (profiles there: {known})"])
    values = {key: value.strip() for key, value in parser.items(name) if value.strip()}
    _check_keys(name, path, values)
    if any(key in values for key in SECRET_KEYS):
        _check_private(path, name)
    return Profile(name=name, path=path, values=values)


def _parse(path: Path) -> configparser.ConfigParser:
    # No interpolation: a '%' in a URL or scope is text, not a reference.
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read_text(path), source=str(path))
    except configparser.Error as error:
        # configparser quotes the offending line, which could hold a secret: keep only where.
        line = getattr(error, "lineno", None)
        where = f" near line {line}" if line else ""
        raise ConfigurationError([f"profile file {path} is not a valid INI file{where}"]) from None
    return parser


def _read_text(path: Path) -> str:
    """The file's text: a regular file of at most ``MAX_PROFILE_BYTES`` in UTF-8, else why not.

    A folder, a device or a pipe (``/dev/zero`` would be read forever), a file nobody may
    read, or one in another encoding each get an error that names the file.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise ConfigurationError([f"profile file {path} is {kind}; {_POINT}"])
        if info.st_size > MAX_PROFILE_BYTES:
            raise ConfigurationError(
                [f"profile file {path} is larger than {MAX_PROFILE_BYTES:,} bytes; {_POINT}"]
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigurationError(
            [f"no profile file at {path} (create it, or point {PROFILE_FILE_VARIABLE} to one)"]
        ) from None
    except PermissionError:
        raise ConfigurationError(
            [f"profile file {path} cannot be read (permission denied); {_POINT}"]
        ) from None
    except (OSError, ValueError) as error:  # a name too long, a NUL in it, an I/O error...
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "bad name"
        raise ConfigurationError([f"profile file {path} cannot be read ({reason})"]) from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ConfigurationError(
            [f"profile file {path} is larger than {MAX_PROFILE_BYTES:,} bytes; {_POINT}"]
        )
    try:
        return data.decode("utf-8-sig")  # a byte-order mark (Windows editors) is allowed
    except UnicodeDecodeError as error:
        raise ConfigurationError(
            [f"profile file {path} is not UTF-8 text (byte {error.start}); save it as UTF-8"]
        ) from None


def _check_keys(name: str, path: Path, values: Mapping[str, str]) -> None:
    unknown = sorted(set(values) - set(PROFILE_KEYS) - set(SECRET_KEYS))
    if unknown:
        raise ConfigurationError(
            [
                f"profile [{name}] in {path} has unknown settings {', '.join(unknown)} "
                f"(known: {', '.join(PROFILE_KEYS)})"
            ]
        )


def _check_private(path: Path, name: str) -> None:
    """Secrets are accepted only from a file nobody else can read (POSIX modes)."""
    if os.name == "nt":  # pragma: no cover - no POSIX modes to check
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigurationError(
            [
                f"profile [{name}] in {path} holds a secret but the file is readable by others "
                f"(mode {mode:03o}); run 'chmod 600 {path}', or move the secret to "
                "OIC_CLIENT_SECRET / OIC_PASSWORD"
            ]
        )
