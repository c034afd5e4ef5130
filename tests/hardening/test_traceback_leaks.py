"""No secret in any traceback mode: every sign-in path and failure, in a real IPython shell.

One plain :class:`~IPython.core.interactiveshell.InteractiveShell` (history on, outputs
logged to its database) per traceback mode (``Plain``, ``Context``, ``Verbose``,
``Minimal``) and ``short_errors`` setting signs in through the environment, a profile,
the keyring, a refresh, client credentials, the device code, a JWT assertion and the form,
and fails on each: a wrong password, a refused client, an internal crash injected into the
token answer's reading, Ctrl-C while the identity domain is slow to answer (sign-in and
renewal), a stale remembered token, a denied device code. Every cell's printed output, the
shell's ``In``/``Out``, its output history and its history database are then searched for
the password, the client secret, the Basic credentials, the wrong secrets typed, every
access and refresh token the emulator issued and the JWT signing key.

That the search can fail is shown by decoys: a plain secret in a local of a failing cell is
found in ``Verbose`` mode (and one shown or typed, on every other surface), and with the
magics' clean rendering switched off, a crash inside httpx while it encodes the form shows
the password in the very output this search reads.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import secrets as random_secrets
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from _emulated import MemoryKeyring
from IPython.core.history import HistoryManager
from IPython.core.interactiveshell import InteractiveShell
from ipywidgets.widgets.widget import _instances
from traitlets.config import Config

from oic_magic import RememberedTokens, Settings, Token, default_store
from oic_magic.core import _token
from oic_magic.core._auth import TokenEndpoint
from oic_magic.core._secret import Secret, redact
from oic_magic.core._settings import environment as oic_environment
from oic_magic.emulator import DEMO, Emulator
from oic_magic.exceptions import BadCredentialsError, SignInError
from oic_magic.notebook import _login, _tracebacks
from oic_magic.notebook._signin_panel import SignInPanel

from ._hardening import hits, secrets_of

MODES = ("Plain", "Context", "Verbose", "Minimal")
WRONG_PASSWORD = "Wrong-" + random_secrets.token_urlsafe(12)
WRONG_SECRET = "Refused-" + random_secrets.token_urlsafe(12)
SETTING_VARIABLES = (
    "OIC_DESIGN_URL", "OIC_IDENTITY_URL", "OIC_CLIENT_ID", "OIC_SCOPE", "OIC_INSTANCE",
    "OIC_USERNAME",
)  # fmt: skip
#: Every variable the credential chain reads: none of the machine's may leak in.
OIC_VARIABLES = (
    *SETTING_VARIABLES, "OIC_URL", "OIC_RUNTIME_URL", "OIC_TOKEN_URL", "OIC_CLIENT_SECRET",
    "OIC_AUDIENCE", "OIC_PASSWORD", "OIC_CA_BUNDLE", "OIC_TIMEOUT", "OIC_TRUSTED_HOSTS",
    "OIC_PROFILE", "OIC_GRANT", "OIC_PRIVATE_KEY_FILE", "OIC_KEY_ID", "OIC_REDIRECT_URI",
)  # fmt: skip


class Kernel:
    """What the magics ask of a kernel: may a person answer (JupyterLab says yes)."""

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return {"content": {"allow_stdin": True}}


def _environment(emu: Emulator) -> dict[str, str]:
    return {
        "OIC_DESIGN_URL": emu.design_url, "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id, "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_SCOPE": emu.scope, "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": DEMO.username, "OIC_PASSWORD": DEMO.password,
    }  # fmt: skip


@dataclass
class Notebook:
    """A shell run cell by cell, as a person would, every output kept for the search."""

    shell: InteractiveShell
    emu: Emulator
    env: pytest.MonkeyPatch
    outputs: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    #: Authorization codes the browser sign-ins were given (secrets too).
    codes: list[str] = field(default_factory=list)

    @property
    def magics(self) -> Any:
        return self.shell.magics_manager.registry["OICMagics"]

    def cell(self, source: str, raises: str | tuple[str, ...] | None = None) -> str:
        """Run *source*; it must fail with *raises* (an exception's class name) or not at all."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = self.shell.run_cell(source, store_history=True)  # type: ignore[no-untyped-call]
        printed = out.getvalue() + err.getvalue()
        self.outputs.append(printed)
        error = result.error_in_exec
        got = None if error is None else type(error).__name__
        wanted = (raises,) if isinstance(raises, str) or raises is None else raises
        shown = redact(printed, secrets_of([self.emu], WRONG_PASSWORD, WRONG_SECRET).values())
        assert got in wanted, f"{source!r} raised {got}, not {raises}:\n{shown}"
        if got is not None:
            self.failures[source] = got
        return printed

    def surfaces(self) -> dict[str, str]:
        """Everything a person, a saved notebook or the history keeps of the run."""
        ns = self.shell.user_ns
        manager = self.shell.history_manager
        assert isinstance(manager, HistoryManager)
        manager.writeout_cache()
        with contextlib.closing(sqlite3.connect(manager.hist_file)) as db:
            rows = db.execute("SELECT source_raw FROM history").fetchall()
            rows += db.execute("SELECT output FROM output_history").fetchall()
        return {
            "cell outputs": "\n".join(self.outputs),
            "In": "\n".join(ns["In"]),
            "Out": "\n".join(repr(value) for value in ns["Out"].values()),
            "output history": "\n".join(map(str, manager.output_hist_reprs.values())),
            "history database": "\n".join(str(row[0]) for row in rows),
        }

    def leaks(self, *extra: str) -> dict[str, list[str]]:
        """Where each secret was found (labels only, never a value)."""
        secrets = secrets_of([self.emu], WRONG_PASSWORD, WRONG_SECRET, *self.codes, *extra)
        found = {where: hits(text, secrets) for where, text in self.surfaces().items()}
        return {where: labels for where, labels in found.items() if labels}


@pytest.fixture
def notebook(emu: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Notebook]:
    """A fresh shell (history and output logging on) with the extension loaded, signed out."""
    for name in OIC_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in _environment(emu).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OIC_PROFILE_FILE", str(tmp_path / "profiles.ini"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    (tmp_path / "ipython").mkdir()
    config = Config()
    config.HistoryManager.hist_file = str(tmp_path / "history.sqlite")
    config.InteractiveShell.colors = "nocolor"
    shell = InteractiveShell(config=config, ipython_dir=str(tmp_path / "ipython"))  # type: ignore[no-untyped-call]
    assert isinstance(shell.history_manager, HistoryManager)
    shell.history_manager.db_log_output = True
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as usual
    book = Notebook(shell, emu, monkeypatch)
    book.cell("%load_ext oic_magic")
    shell.user_ns["_interrupt_in"] = _interrupt_in
    try:
        yield book
    finally:
        signal.signal(signal.SIGINT, previous)
        default_store().clear()
        _login.stop_demo()
        shell.history_manager.end_session()
        saver = getattr(shell.history_manager, "save_thread", None)
        if saver is not None:
            saver.stop()
        InteractiveShell.clear_instance()
        atexit.unregister(shell.atexit_operations)


def _interrupt_in(seconds: float) -> threading.Timer:
    """Ctrl-C in the main thread after *seconds* (a real SIGINT: it breaks a blocked read)."""
    main = threading.main_thread().ident
    assert main is not None
    timer = threading.Timer(seconds, signal.pthread_kill, (main, signal.SIGINT))
    timer.daemon = True
    timer.start()
    return timer


def _crash(*_args: Any, **_kwargs: Any) -> float:
    raise RuntimeError("an internal crash, injected while the token answer is read")


class _Exploding:
    """A scope that cannot be written: httpx crashes while it encodes the form, its frames
    holding the form's plain values (the password is encoded before the scope)."""

    def __str__(self) -> str:
        raise RuntimeError("an internal crash, injected while the form is encoded")


def _exploding_scope(patch: pytest.MonkeyPatch) -> None:
    patch.setattr(Settings, "resolved_scope", property(lambda _self: _Exploding()))


# -- the sign-in paths, each with its failures ---------------------------------------------
def environment(nb: Notebook) -> None:
    nb.cell("%oic_login")
    nb.cell("%oic GET connections --limit 2")
    nb.env.setenv("OIC_PASSWORD", WRONG_PASSWORD)
    nb.cell("%oic_login --session bad-password", raises="BadCredentialsError")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", WRONG_SECRET)
    nb.cell("%oic_login --session refused-client", raises="InvalidClientError")
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)


def internal_crash(nb: Notebook) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_token, "_lifetime", _crash)
        nb.cell("%oic_login --session crash", raises="RuntimeError")
    with pytest.MonkeyPatch.context() as patch:
        _exploding_scope(patch)
        nb.cell("%oic_login --session crash-in-the-form", raises="RuntimeError")


def interrupted_sign_in(nb: Notebook) -> None:
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell("_interrupt_in(0.4)\n%oic_login --session slow", raises="KeyboardInterrupt")
    nb.emu.control.set_latency(0.0)


def profile(nb: Notebook) -> None:
    keys = dict(
        url="OIC_DESIGN_URL", identity_url="OIC_IDENTITY_URL", client_id="OIC_CLIENT_ID",
        scope="OIC_SCOPE", instance="OIC_INSTANCE", username="OIC_USERNAME",
    )  # fmt: skip
    values = _environment(nb.emu)
    Path(os.environ["OIC_PROFILE_FILE"]).write_text(
        "[emu]\n" + "".join(f"{key} = {values[var]}\n" for key, var in keys.items())
    )
    for name in SETTING_VARIABLES:
        nb.env.delenv(name)
    nb.cell("%oic_login --profile emu --session profile")
    nb.env.setenv("OIC_PASSWORD", WRONG_PASSWORD)
    nb.cell("%oic_login --profile emu --session bad-profile", raises="BadCredentialsError")
    for name, value in values.items():
        nb.env.setenv(name, value)


def keyring(nb: Notebook) -> None:
    remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)
    nb.magics._remembered = remembered
    nb.cell("%oic_login --remember --session kept")
    nb.env.delenv("OIC_PASSWORD")
    nb.env.delenv("OIC_CLIENT_SECRET")
    nb.cell("%oic_logout --session kept\n%oic_login --session kept")
    nb.cell("%oic GET connections --session kept --limit 1")
    nb.cell("%oic_logout --session kept")
    settings = Settings(identity_url=nb.emu.identity_url, client_id=DEMO.client_id)
    remembered.save_refresh_token(settings.replace(username=DEMO.username), "AQAgnot-a-token")
    nb.cell("%oic_login --session stale", raises="SignInError")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    nb.magics._remembered = RememberedTokens(backend=MemoryKeyring(), remember_secret=True)


def refresh(nb: Notebook) -> None:
    nb.cell("%oic_login --session renews")
    nb.emu.control.revoke_tokens()  # the access token dies: a 401, then a refresh
    nb.cell("%oic GET connections --session renews --limit 1")
    session = default_store().get("renews")
    session.forget_password()
    refresh_token = session.token.refresh_token
    assert refresh_token
    session.endpoint.refresh(refresh_token)  # another process used it: it is refused next
    nb.emu.control.revoke_tokens()
    nb.cell(
        "%oic GET connections --session renews --limit 1",
        raises=("SessionExpiredError", "SignInError", "RenewalError"),
    )
    nb.cell("%oic_login --session slow-renewal")
    nb.emu.control.revoke_tokens()
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell(
        "_interrupt_in(0.4)\n%oic GET connections --session slow-renewal --limit 1",
        raises="KeyboardInterrupt",
    )
    nb.emu.control.set_latency(0.0)


def client_credentials(nb: Notebook) -> None:
    nb.cell("%oic_login --grant client_credentials --session app")
    nb.env.setenv("OIC_CLIENT_SECRET", WRONG_SECRET)
    nb.cell("%oic_login --grant client_credentials --session bad-app", raises="InvalidClientError")
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)


def device(nb: Notebook) -> None:
    emu = nb.emu

    def answering(approve: bool) -> Callable[[float], None]:
        def pump(seconds: float) -> None:
            emu.control.advance_clock(seconds)
            for code in emu.control.pending_device_codes():
                if approve:
                    emu.control.approve_device(code, "sso.user")
                else:
                    emu.control.deny_device(code)

        return pump

    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.magics.ui_pump = answering(True)
    nb.cell("%oic_login --grant device --session device")
    nb.cell("%oic GET connections --session device --limit 1")
    nb.magics.ui_pump = answering(False)
    nb.cell("%oic_login --grant device --session denied", raises="SignInDeniedError")
    nb.magics.ui_pump = None
    del nb.shell.kernel  # type: ignore[attr-defined]


def browser(nb: Notebook) -> None:
    """The pasted-address browser sign-in; then an address of another sign-in (wrong state)."""
    elsewhere = "https://notebooks.example.com/oauth/callback"
    nb.emu.control.set_redirect_uris(DEMO.client_id, [elsewhere])
    nb.env.setenv("OIC_REDIRECT_URI", elsewhere)

    def person(tamper: bool) -> Callable[[float], None]:
        def pump(seconds: float) -> None:
            panels = [x for x in _instances.values() if isinstance(x, SignInPanel)]
            link = panels[-1].children[0].value.split('href="', 1)[1].split('"', 1)[0]
            url = link.replace("&amp;", "&")
            with httpx.Client() as page:
                page.get(url)
                typed = dict(httpx.URL(url).params) | {"username": "sso.user"}
                typed["password"] = DEMO.password
                landed = page.post(url.split("?")[0], data=typed).headers["Location"]
            nb.codes.append(dict(httpx.URL(landed).params)["code"])
            if tamper:
                landed = landed.replace("state=", "state=not-")
            panels[-1].children[2].value = landed

        return pump

    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.magics.ui_pump = person(tamper=False)
    nb.cell("%oic_login --grant browser --session browser")
    nb.magics.ui_pump = person(tamper=True)
    nb.cell("%oic_login --grant browser --session forged", raises="SignInError")
    nb.magics.ui_pump = None
    del nb.shell.kernel  # type: ignore[attr-defined]
    nb.env.delenv("OIC_REDIRECT_URI")


def jwt_assertion(nb: Notebook, key_file: Path) -> None:
    nb.env.setenv("OIC_PRIVATE_KEY_FILE", str(key_file))
    nb.env.setenv("OIC_KEY_ID", "oic-magic-demo-key")
    nb.env.setenv("OIC_USERNAME", "sso.user")
    nb.cell("%oic_login --grant jwt --session jwt")
    nb.env.setenv("OIC_KEY_ID", "not-a-registered-key")
    nb.cell(
        "%oic_login --grant jwt --session bad-jwt", raises=("SignInError", "InvalidClientError")
    )
    nb.env.delenv("OIC_PRIVATE_KEY_FILE")
    nb.env.delenv("OIC_KEY_ID")
    nb.env.setenv("OIC_USERNAME", DEMO.username)


def form(nb: Notebook) -> None:
    nb.shell.kernel = Kernel()  # type: ignore[attr-defined]
    nb.env.delenv("OIC_PASSWORD")
    nb.env.delenv("OIC_CLIENT_SECRET")
    nb.cell("_form = get_ipython().run_line_magic('oic_login', '--session form')")
    shown = nb.shell.user_ns["_form"]

    typed = {"wrong": WRONG_PASSWORD, "right": DEMO.password}

    def log_in(which: str) -> None:
        # The person types; no frame of this cell holds the password in a name it shows.
        fields = {}
        pending = [shown]
        while pending:
            widget = pending.pop()
            fields[getattr(widget, "description", None)] = widget
            pending.extend(getattr(widget, "children", ()))
        fields["Client secret"].value = DEMO.client_secret
        fields["Password"].value = typed[which]
        button = fields["Log in"]
        button.click()
        print(shown.outcome)

    nb.shell.user_ns["_log_in"] = log_in
    assert "failed" in nb.cell("_log_in('wrong')")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_token, "_lifetime", _crash)
        assert "internal crash" in nb.cell("_log_in('right')")
    nb.emu.control.set_latency(3.0, "/oauth2/v1/token")
    nb.cell("_interrupt_in(0.4)\n_log_in('right')", raises="KeyboardInterrupt")
    nb.emu.control.set_latency(0.0)
    assert "Signed in" in nb.cell("_log_in('right')")
    nb.env.setenv("OIC_PASSWORD", DEMO.password)
    nb.env.setenv("OIC_CLIENT_SECRET", DEMO.client_secret)
    del nb.shell.kernel  # type: ignore[attr-defined]


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
    for path in (
        environment,
        internal_crash,
        interrupted_sign_in,
        profile,
        keyring,
        refresh,
        client_credentials,
        device,
        browser,
        form,
    ):
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
    _exploding_scope(monkeypatch)
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
    _exploding_scope(notebook.env)
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
