"""No secret in any traceback mode: every sign-in path and failure, in a real IPython shell.

One plain :class:`~IPython.core.interactiveshell.InteractiveShell` (history on, outputs
logged to its database) per traceback mode (``Plain``, ``Context``, ``Verbose``,
``Minimal``) and ``short_errors`` setting signs in through the environment, a profile,
the keyring, a refresh, client credentials, the device code, the browser, a JWT assertion
and the form, and fails on each: a wrong password, a refused client, an internal crash
injected (while the token answer is read, while httpx encodes the form), Ctrl-C while the
identity domain is slow to answer (sign-in, renewal, the form), a stale remembered token, a
denied device code, a forged browser answer, an unknown JWT key. Every cell's printed output, the
shell's ``In``/``Out``, its output history and its history database are then searched for
the password, the client secret, the Basic credentials, the wrong secrets typed, every
access and refresh token the emulator issued and the JWT signing key.

That the search can fail is shown by decoys: a plain secret in a local of a failing cell is
found in ``Verbose`` mode (and one shown or typed, on every other surface), and with the
magics' clean rendering switched off, a crash inside httpx while it encodes the form shows
the password in the very output this search reads. Plain Python in a cell (no magic to
render its error) is searched too, in IPython's own ``Context`` and ``Verbose`` rendering.
"""

from __future__ import annotations

import secrets as random_secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from oic_magic import Settings, Token
from oic_magic.core._auth import TokenEndpoint
from oic_magic.core._secret import Secret
from oic_magic.core._settings import environment as oic_environment
from oic_magic.emulator import DEMO, Emulator
from oic_magic.exceptions import BadCredentialsError, SignInError
from oic_magic.notebook import _login, _tracebacks

from ._notebook import MODES, WRONG_PASSWORD, Notebook, open_notebook
from ._sign_in_paths import PATHS, exploding_scope, jwt_assertion


@pytest.fixture
def notebook(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Notebook]:
    """A fresh shell (history and output logging on) with the extension loaded, signed out."""
    yield from open_notebook(emu, tmp_path, monkeypatch)


@pytest.fixture
def key_file(emu: Emulator, tmp_path: Path) -> Path:
    """A JWT signing key registered in the emulator, its private half in a private file."""
    path = tmp_path / "oic.pem"
    path.write_text(emu.control.jwt_key()["private_key"])
    path.chmod(0o600)
    return path


@pytest.mark.parametrize("short", [True, False], ids=["short-errors", "long-errors"])
@pytest.mark.parametrize("mode", MODES)
def test_no_secret_in_any_traceback_mode(
    notebook: Notebook, key_file: Path, mode: str, short: bool
) -> None:
    """Every path and failure, in this mode: no secret on any surface."""
    nb = notebook
    nb.cell(f"%xmode {mode}")
    nb.cell(f"%config OICMagics.short_errors = {short}")
    for path in PATHS:
        path(nb)
    jwt_assertion(nb, key_file)
    assert len(nb.failures) >= 14  # every failure above really failed (checked per cell)
    assert len(nb.codes) == 2
    key = key_file.read_text().split("\n")[1]  # a line of the PEM body
    assert nb.leaks(key) == {}
    outputs = "\n".join(nb.outputs)
    if mode != "Minimal" and not short:  # the long form still shows where it failed
        assert "Traceback (most recent call last):" in outputs
    assert "KeyboardInterrupt" in outputs and "RuntimeError" in outputs


# -- the search can fail ---------------------------------------------------------------------
def test_decoy_in_a_local_is_found(notebook: Notebook) -> None:
    """A plain secret in a frame's locals shows in Verbose mode, and the search finds it
    there; one shown as a value or typed into a cell is found on every other surface."""
    decoy = "Decoy-" + random_secrets.token_urlsafe(16)
    notebook.shell.user_ns["_decoy"] = decoy
    notebook.cell("%xmode Verbose")
    notebook.cell(
        "def _leaky(password):\n    raise RuntimeError('boom', len(password))\n_leaky(_decoy)",
        raises="RuntimeError",
    )
    assert notebook.leaks(decoy) == {"cell outputs": ["extra secret #2"]}
    notebook.cell("_decoy")  # a value shown: Out, the output history, the database
    found = notebook.leaks(decoy)
    for surface in ("cell outputs", "Out", "output history", "history database"):
        assert found[surface] == ["extra secret #2"], surface
    notebook.cell(f"_typed = {decoy!r}")  # typed into a cell: In and the database
    assert "extra secret #2" in notebook.leaks(decoy)["In"]


def test_without_the_clean_rendering_the_crash_leaks(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The magics' rendering is what keeps a crash in httpx's frames (they hold the plain
    form) out of Verbose mode: switched off, the search finds the password there."""
    monkeypatch.setattr(_tracebacks, "clean", lambda error, *_a, **_k: error)
    exploding_scope(monkeypatch)
    notebook.cell("%xmode Verbose")
    notebook.cell("%oic_login --session crash", raises="RuntimeError")
    assert "the demo password" in notebook.leaks().get("cell outputs", [])


def test_the_chain_holds_only_the_oic_variables(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even unrendered, a crash while the chain reads the environment shows no secret: its
    frames hold the OIC_* variables it reads (secrets wrapped), not a copy of os.environ."""
    unrelated = "Another-" + random_secrets.token_urlsafe(16)
    monkeypatch.setenv("SOME_OTHER_PROGRAMS_TOKEN", unrelated)
    monkeypatch.setattr(_tracebacks, "clean", lambda error, *_a, **_k: error)

    def crash(*_args: Any, **_kwargs: Any) -> Settings:
        raise RuntimeError("an internal crash, injected while the environment is read")

    monkeypatch.setattr(Settings, "from_env", crash)
    notebook.cell("%xmode Verbose")
    printed = notebook.cell("%oic_login", raises="RuntimeError")
    assert "OIC_PASSWORD" in printed and "Secret('***')" in printed  # the frames were shown
    assert "SOME_OTHER_PROGRAMS_TOKEN" not in printed
    assert notebook.leaks(unrelated) == {}
    only = oic_environment({"OIC_PASSWORD": "p", "HOME": "/home/ada", "OIC_URL": "https://x"})
    assert only == {"OIC_PASSWORD": Secret("p"), "OIC_URL": "https://x"}
    assert isinstance(only["OIC_PASSWORD"], Secret)


def test_with_the_clean_rendering_the_same_crash_shows_frames_only(notebook: Notebook) -> None:
    """The same crash, rendered clean: the frames and the message, no secret."""
    exploding_scope(notebook.env)
    notebook.cell("%xmode Verbose")
    notebook.cell("%config OICMagics.short_errors = False")
    printed = notebook.cell("%oic_login --session crash", raises="RuntimeError")
    assert "httpx" in printed and "_auth.py" in printed
    assert "RuntimeError: an internal crash, injected while the form is encoded" in printed
    assert notebook.leaks() == {}


# -- the identity domain's own words ---------------------------------------------------------
def test_error_description_is_redacted_of_every_secret_in_use() -> None:
    """A domain that echoes what it was sent: the message, the description and the form's
    outcome show no password, client secret or refresh token (the user name stays)."""
    password, client_secret, refresh_token = (random_secrets.token_urlsafe(12) for _ in "abc")
    held = Secret(refresh_token)  # as a session holds its refresh token while it lives

    def echo(request: httpx.Request) -> httpx.Response:
        said = f"user ada, password {password}, secret {client_secret}, token {refresh_token}"
        return httpx.Response(400, json={"error": "invalid_grant", "error_description": said})

    endpoint = TokenEndpoint(
        url="https://idcs-test.identity.oraclecloud.com/oauth2/v1/token",
        client_id="test-client",
        client_secret=client_secret,
        transport=httpx.MockTransport(echo),
    )
    with pytest.raises(BadCredentialsError) as refused:
        endpoint.password(username="ada", password=password, scope="s")
    with pytest.raises(SignInError) as refused_refresh:
        endpoint.refresh(refresh_token)
    outcome = _login.describe_failure(refused.value)
    for text in (
        str(refused.value),
        str(refused.value.description),
        str(refused_refresh.value),
        outcome.text,
    ):
        assert "user ada" in text or "invalid_grant" in text
        for secret in (password, client_secret, refresh_token):
            assert secret not in text
    assert held == refresh_token  # alive to the end, as in a session


def test_secret_shows_nowhere_but_reveal() -> None:
    """repr, str, format and f-strings show ***; reveal() and equality see the text."""
    text = random_secrets.token_urlsafe(12)
    secret = Secret(text)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", f"{secret:>20}", repr([secret])]
    assert all(text not in each for each in shown)
    assert secret.reveal() == text and secret == text and secret == Secret(text)
    assert Secret.of("") is None and Secret.of(None) is None and Secret.of(secret) is secret
    settings = Settings(password=text, client_secret=text)  # plain text at the boundary
    assert isinstance(settings.password, Secret) and text not in repr(settings)
    token = Token(access_token=text, refresh_token=text, issued_at=0.0, expires_at=60.0)
    assert isinstance(token.access, Secret) and isinstance(token.refresh, Secret)
    assert token.access_token == text == token.refresh_token and text not in repr(token)
    assert token.authorization == f"Bearer {text}"


@pytest.mark.parametrize("mode", ["Context", "Verbose"])
def test_plain_python_in_a_cell_shows_no_secret(notebook: Notebook, mode: str) -> None:
    """No magic to render the error: OICClient.connect() in a cell, refused and interrupted
    while the identity domain is slow, in IPython's own rendering: the Secret values alone
    keep every secret out."""
    nb = notebook
    nb.cell(f"%xmode {mode}")
    nb.cell("from oic_magic import OICClient\nOICClient.connect(name='plain').close()")
    nb.env.setenv("OIC_PASSWORD", WRONG_PASSWORD)
    nb.cell("OICClient.connect(name='refused')", raises="BadCredentialsError")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    printed = nb.cell(
        "_interrupt_in(0.4)\nOICClient.connect(name='slow')", raises="KeyboardInterrupt"
    )
    nb.emu.control.set_latency(0.0)
    assert "_auth.py" in printed  # IPython's own traceback, through the package's frames
    if mode == "Verbose":  # with the values of the frames: wrapped, the secrets read ***
        assert "Secret('***')" in printed and "TokenEndpoint(url=" in printed
    assert nb.leaks() == {}
