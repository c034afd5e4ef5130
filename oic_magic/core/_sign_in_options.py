"""The grants a session can sign in with, and the keywords of a sign-in (``SignInOptions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict

from ._keyring import RememberedTokens
from ._secret import Secret

if TYPE_CHECKING:
    from ._interactive import Prompt

__all__ = ["Grant", "SignInOptions"]

Grant = Literal["password", "refresh_token", "client_credentials", "device", "browser", "jwt"]


class SignInOptions(TypedDict, total=False):
    """How :meth:`Session.sign_in` obtains its first token; ``OICClient.sign_in`` passes them on.

    * **grant** - ``password`` (the default), ``refresh_token``, ``client_credentials``,
      ``device``, ``browser`` or ``jwt``.
    * **refresh_token** - the token a ``refresh_token`` sign-in starts from; without one,
      the one *remembered* holds.
    * **keep_password** - keep the password in the session's settings, so a refused refresh
      token is answered by signing in again (default: dropped after the sign-in).
    * **remembered** - the keyring store of refresh tokens, client secrets and keys.
    * **name** - the session's name (default ``default``).
    * **prompt** - shows a device code or browser address (a ``ConsolePrompt`` by default).
    * **private_key** - the PEM text a ``jwt`` sign-in signs with, instead of
      ``settings.private_key_file``.
    """

    grant: Grant
    refresh_token: str | Secret | None
    keep_password: bool
    remembered: RememberedTokens | None
    name: str
    prompt: Prompt | None
    private_key: str | Secret | None
