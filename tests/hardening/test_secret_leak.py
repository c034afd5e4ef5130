"""No secret survives a notebook: every sign-in path, and a failing one of each, in a real kernel.

One kernel (nbclient, widget state stored, history with outputs on, the package's DEBUG
logs in a file) signs in through the form, the environment, a profile, the keyring,
``--demo`` and client credentials, fails once on each, uses the sessions, and prints the
repr of every object the package hands out. Then the saved notebook, the history database,
the log and the kernel's stdout/stderr are searched for the password, the client secret,
the wrong ones typed, and every access and refresh token the emulators issued.

That the search can fail is shown twice: a decoy secret planted on every surface by the
same run is found on every surface, and a second kernel whose form no longer empties its
secret fields is caught leaking the password into the saved widget state.
"""

from __future__ import annotations

import json
import secrets as random_secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from oic_magic.emulator import DEMO, Emulator

from ._hardening import hits, secrets_of
from ._kernel import Cell, Ran, run_notebook

SETUP = Cell('''\
import json, logging, os
from pathlib import Path
import keyring
from keyring.backend import KeyringBackend

class MemoryKeyring(KeyringBackend):
    """The keyring of this kernel: a dict (no desktop keyring on a test machine)."""
    priority = 1
    def __init__(self):
        super().__init__()
        self.entries = {}
    def get_password(self, service, username):
        return self.entries.get((service, username))
    def set_password(self, service, username, password):
        self.entries[(service, username)] = password
    def delete_password(self, service, username):
        self.entries.pop((service, username), None)

keyring.set_keyring(MemoryKeyring())
_handler = logging.FileHandler(os.environ["HARDENING_LOG"])
_handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
for _name in ("oic_magic", "httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.DEBUG)
    logging.getLogger(_name).addHandler(_handler)
%load_ext oic_magic
_magics = get_ipython().magics_manager.registry["OICMagics"]
SECRET_VARIABLES = ("OIC_PASSWORD", "OIC_CLIENT_SECRET")
''')

SETTING_VARIABLES = (
    '("OIC_DESIGN_URL", "OIC_IDENTITY_URL", "OIC_CLIENT_ID", "OIC_AUDIENCE", '
    '"OIC_INSTANCE", "OIC_USERNAME")'
)

ENVIRONMENT = [
    Cell("%oic_login"),
    Cell("df = %oic GET connections --limit 5\ndf.attrs"),
    Cell("%oic GET integrations --limit 3"),
    Cell(
        "_saved = dict(os.environ)\nos.environ['OIC_PASSWORD'] = os.environ['OIC_PASSWORD'][::-1]"
    ),
    Cell("%oic_login --session bad-env", raises="BadCredentialsError"),
    Cell("os.environ.update(_saved)"),
]

PROFILE = [
    Cell(f"""\
profiles = Path(os.environ["OIC_PROFILE_FILE"])
keys = dict(url="OIC_DESIGN_URL", identity_url="OIC_IDENTITY_URL", client_id="OIC_CLIENT_ID",
            audience="OIC_AUDIENCE", instance="OIC_INSTANCE", username="OIC_USERNAME")
profiles.write_text("[emu]\\n" + "".join(f"{{k}} = {{os.environ[v]}}\\n" for k, v in keys.items())
                    + "[leaky]\\n" + f"url = {{os.environ['OIC_DESIGN_URL']}}\\n"
                    + f"client_secret = {{os.environ['OIC_CLIENT_SECRET']}}\\n")
profiles.chmod(0o644)
for _variable in {SETTING_VARIABLES}:
    os.environ.pop(_variable)
"""),
    Cell("%oic_login --profile emu --session prof"),
    Cell("%oic GET connections --session prof --limit 2"),
    Cell("%oic_login --profile leaky --session bad-prof", raises="ConfigurationError"),
    Cell("os.environ.update(_saved)"),
]

KEYRING = [
    Cell("%oic_login --remember --session kr"),
    Cell(
        "_hidden = {k: os.environ.pop(k) for k in SECRET_VARIABLES}\n"
        "%oic_logout --session kr\n%oic_login --session kr"
    ),
    Cell("%oic GET connections --session kr --limit 2"),
    Cell("""\
%oic_logout --session kr --forget
from oic_magic import RememberedTokens, Settings
_key = Settings.from_env(os.environ)
keyring.get_keyring().set_password("oic_magic", RememberedTokens.key(_key), "AQAgnot-a-token")
keyring.get_keyring().set_password("oic_magic", RememberedTokens.key(_key, "client_secret"),
                                   _hidden["OIC_CLIENT_SECRET"])
"""),
    Cell("%oic_login --session bad-kr", raises="SignInError"),
    Cell("os.environ.update(_saved)"),
]

CLIENT_CREDENTIALS = [
    Cell("%oic_login --grant client_credentials --session cc"),
    Cell("%oic GET connections --session cc --limit 2"),
    Cell("os.environ['OIC_CLIENT_SECRET'] = os.environ['OIC_CLIENT_SECRET'][::-1]"),
    Cell("%oic_login --grant client_credentials --session bad-cc", raises="InvalidClientError"),
    Cell("os.environ.update(_saved)"),
]

FORM = [
    Cell("""\
from oic_magic.notebook import _login
from oic_magic.notebook._magics import _form
from IPython.display import display
_typed = {k: os.environ.pop(k) for k in SECRET_VARIABLES}
_options = _login.LoginOptions(session="form")
form = _form(_magics, _options, _login.resolve(_options, remembered=None))
display(form)

def field(label):
    stack = [form]
    while stack:
        widget = stack.pop()
        if getattr(widget, "description", None) == label:
            return widget
        stack.extend(getattr(widget, "children", ()))
    raise LookupError(label)
"""),
    Cell("""\
field("Client secret").value = _typed["OIC_CLIENT_SECRET"]
field("Password").value = _typed["OIC_PASSWORD"][::-1]
field("Log in").click()
print(form.outcome)
assert "failed" in form.outcome
"""),
    Cell("""\
field("Client secret").value = _typed["OIC_CLIENT_SECRET"]
field("Password").value = _typed["OIC_PASSWORD"]
field("Log in").click()
print(form.outcome)
assert "Signed in" in form.outcome
os.environ.update(_typed)
"""),
    Cell("%oic GET connections --session form --limit 2"),
]

SIGN_IN_WITH_A_PERSON = [
    Cell("""\
import socket, threading
import httpx
from oic_magic.notebook import _login
from ipywidgets.widgets.widget import _instances
from oic_magic.notebook._signin_panel import SignInPanel
_control = os.environ["OIC_IDENTITY_URL"] + "/_emulator/"

def _panel():
    return [x for x in _instances.values() if isinstance(x, SignInPanel)][-1]

def _answer_device(approve):
    def pump(seconds):
        for code in httpx.get(_control + "device-codes").json()["items"]:
            verb = "device-approve" if approve else "device-deny"
            httpx.post(_control + verb, json={"user_code": code, "username": "sso.user"})
    return pump

def _person_sign_in(grant, session, pump, remember=False):
    options = _login.LoginOptions(session=session, grant=grant, remember=remember)
    # Only the first sign-in may use the keyring; the others must meet a person.
    resolved = _login.resolve(options, remembered=_magics._remembered if remember else None)
    _magics._interactive_sign_in(resolved, options, pump=pump)
"""),
    Cell('_person_sign_in("device", "device", _answer_device(True), remember=True)'),
    Cell("%oic GET connections --session device --limit 2"),
    Cell(
        '_person_sign_in("device", "bad-device", _answer_device(False))', raises="SignInDeniedError"
    ),
    Cell("%oic_login --grant device --session device-again"),  # headless: from the keyring
    Cell("""\
with socket.socket() as _s:
    _s.bind(("127.0.0.1", 0))
    _port = _s.getsockname()[1]
os.environ["OIC_REDIRECT_URI"] = f"http://127.0.0.1:{_port}/callback"
_uris = [os.environ["OIC_REDIRECT_URI"]]
httpx.post(_control + "redirect-uris", json={"client_id": os.environ["OIC_CLIENT_ID"],
                                              "uris": _uris})

def _browse(url, form=None):
    # The person's browser: http.client logs nothing (httpx would, into the package's log).
    import http.client, urllib.parse
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    body = urllib.parse.urlencode(form) if form is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
    target = parts.path + ("?" + parts.query if parts.query else "")
    conn.request("POST" if form is not None else "GET", target, body, headers)
    answer = conn.getresponse()
    answer.read()
    conn.close()
    return answer.getheader("Location")

def _browser(forge=False):
    done = []
    def pump(seconds):
        if done:
            return
        done.append(1)
        link = _panel().children[0].value.split('href="', 1)[1].split('"', 1)[0]
        url = link.replace("&amp;", "&")
        _browse(url)
        form = dict(httpx.URL(url).params) | {"username": "sso.user",
                                               "password": os.environ["OIC_PASSWORD"]}
        landed = _browse(url.split("?")[0], form)
        if forge:
            _panel().children[2].value = str(httpx.URL(landed).copy_set_param("state", "forged"))
        else:
            threading.Thread(target=_browse, args=(landed,)).start()
    return pump
"""),
    Cell('_person_sign_in("browser", "browser", _browser())'),
    Cell("%oic GET connections --session browser --limit 2"),
    Cell('_person_sign_in("browser", "bad-browser", _browser(forge=True))', raises="SignInError"),
    Cell("""\
_key = httpx.post(_control + "jwt-key", json={}).json()
_key_file = Path(os.environ["OIC_PROFILE_FILE"]).with_name("oic.pem")
_key_file.write_text(_key["private_key"])
os.environ.update(OIC_PRIVATE_KEY_FILE=str(_key_file), OIC_KEY_ID=_key["kid"])
"""),
    Cell("%oic_login --grant jwt --session jwt"),
    Cell("%oic GET connections --session jwt --limit 2"),
    Cell("os.environ['OIC_KEY_ID'] = 'not-registered'"),
    Cell("%oic_login --grant jwt --session bad-jwt", raises="SignInError"),
    Cell("os.environ.update(_saved)\n_panel()"),
]

DEMO_CELLS = [
    Cell("%oic_login --demo --session demo"),
    Cell("%oic GET connections --session demo --limit 2"),
    Cell(
        "from oic_magic.notebook import _login\n"
        '_login.demo_emulator("bad-demo").control.inject_fault("500", origin="identity", count=1)'
    ),
    Cell("%oic_login --demo --session bad-demo", raises="TokenEndpointError"),
]

REPRS = Cell("""\
import oic_magic
_store = oic_magic.default_store()
_objects = [_store, _magics, _magics._remembered, form, *form.children,
            *_login.demo_emulators().values()]
for _name in _store.names():
    _session = _store.get(_name)
    _objects += [_session, _session.settings, _session.token, _session.endpoint, _session.auth]
_objects += list(_magics._clients.values())
_objects.append(next(iter(_magics._clients.values())).paginate("connections", limit=3))
_objects.append(oic_magic.Settings.from_env(os.environ))
for _object in _objects:
    print(type(_object).__name__, repr(_object), str(_object))
%oic_status
""")

DEMO_TOKENS = Cell("""\
Path(os.environ["HARDENING_DEMO_TOKENS"]).write_text(
    json.dumps([t for e in _login.demo_emulators().values()
                for t in e.backend.identity.issued_tokens()]))
""")

DECOY = Cell("""\
import ipywidgets as w
_decoy = os.environ["HARDENING_DECOY"]
logging.getLogger("oic_magic.decoy").debug("decoy %s", _decoy)
display(w.Password(value=_decoy))
print(_decoy)
_decoy
""")

EVERY_PATH = [
    SETUP,
    *ENVIRONMENT,
    *PROFILE,
    *KEYRING,
    *CLIENT_CREDENTIALS,
    *FORM,
    *SIGN_IN_WITH_A_PERSON,
    *DEMO_CELLS,
    REPRS,
    DEMO_TOKENS,
    DECOY,
]

BREAK_THE_PANEL = Cell("""\
from oic_magic.notebook._signin_panel import SignInPanel
# The protection removed: the panel keeps the link and the code after the sign-in.
SignInPanel.finish = lambda self, *, ok, text: None
""")

BREAK_THE_FORM = Cell("""\
from oic_magic.widgets import LoginForm
# The protection removed: the click no longer empties the secret fields.
LoginForm._on_log_in_click = lambda self, _button: self.show_outcome(self._attempt())
""")


@dataclass(frozen=True)
class Leak:
    """A finished run and every secret to look for."""

    ran: Ran
    secrets: dict[str, str]
    decoy: str


def _environment(emu: Emulator, directory: Path) -> dict[str, str]:
    return {
        "OIC_DESIGN_URL": emu.design_url,
        "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id,
        "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_AUDIENCE": emu.audience,
        "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": DEMO.username,
        "OIC_PASSWORD": DEMO.password,
        "OIC_PROFILE_FILE": str(directory / "profiles.ini"),
        "HARDENING_DEMO_TOKENS": str(directory / "demo-tokens.json"),
        "HARDENING_DECOY": "decoy-" + random_secrets.token_urlsafe(16),
    }


def _run(cells: list[Cell], directory: Path) -> Leak:
    with Emulator() as emu:
        env = _environment(emu, directory)
        ran = run_notebook(cells, directory, env)
        demo_file = Path(env["HARDENING_DEMO_TOKENS"])
        demo_tokens = json.loads(demo_file.read_text()) if demo_file.exists() else []
        found = secrets_of([emu], DEMO.password[::-1], DEMO.client_secret[::-1], *demo_tokens)
    return Leak(ran, found, env["HARDENING_DECOY"])


@pytest.fixture(scope="module")
def leak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Leak]:
    """The notebook of every sign-in path, run once for this module."""
    yield _run(EVERY_PATH, tmp_path_factory.mktemp("leak"))


def test_every_path_ran_as_designed(leak: Leak) -> None:
    """Each sign-in path succeeded, and each failing one raised its own typed error."""
    assert leak.ran.errors() == [cell.raises for cell in EVERY_PATH]


def test_tokens_of_every_path_are_searched(leak: Leak) -> None:
    """The search covers real tokens: from the emulator and from the kernel's demo emulator."""
    tokens = [label for label in leak.secrets if "token" in label]
    refresh = [label for label in tokens if label.startswith("refresh")]
    assert len(tokens) >= 9 and len(refresh) >= 4
    assert any(label.startswith("extra") for label in leak.secrets)


def test_widget_state_was_stored(leak: Leak) -> None:
    """The saved notebook holds the form's widget state, Password models included."""
    state = leak.ran.notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]
    models = state["state"].values()
    passwords = [m for m in models if m["model_name"] == "PasswordModel"]
    assert len(passwords) >= 3 and all("value" in m["state"] for m in passwords)


@pytest.mark.parametrize(
    "surface",
    [
        "saved notebook (outputs and widget state)",
        "IPython history database",
        "DEBUG log",
        "kernel stdout",
        "kernel stderr",
    ],
)
def test_no_secret_on_any_surface(leak: Leak, surface: str) -> None:
    """Password, client secret, wrong ones typed, access and refresh tokens: zero hits."""
    assert hits(leak.ran.surfaces[surface], leak.secrets) == []


@pytest.mark.parametrize(
    "surface",
    ["saved notebook (outputs and widget state)", "IPython history database", "DEBUG log"],
)
def test_planted_decoy_is_found(leak: Leak, surface: str) -> None:
    """Control: a secret deliberately left on a surface is found there by the same search."""
    assert hits(leak.ran.surfaces[surface], {"decoy": leak.decoy}) == ["decoy"]


def test_surfaces_hold_the_session(leak: Leak) -> None:
    """The surfaces are not empty: the log has the token requests, history the magics."""
    assert "token request: grant=password" in leak.ran.surfaces["DEBUG log"]
    assert "token request: grant=refresh_token" in leak.ran.surfaces["DEBUG log"]
    assert "%oic_login --profile emu" in leak.ran.surfaces["IPython history database"]


def test_form_that_keeps_its_password_is_caught(tmp_path: Path) -> None:
    """Control: with the form's emptying removed, the search finds the password it left."""
    cells = [SETUP, BREAK_THE_FORM, *FORM]
    broken = _run(cells, tmp_path)
    assert broken.ran.errors() == [None] * len(cells)
    notebook = broken.ran.surfaces["saved notebook (outputs and widget state)"]
    assert "the demo password" in hits(notebook, broken.secrets)
    assert "the demo client secret" in hits(notebook, broken.secrets)


def test_a_panel_that_keeps_the_user_code_is_caught(tmp_path: Path) -> None:
    """Control: with the panel's clearing removed, the saved widget state holds the user code."""
    cells = [SETUP, BREAK_THE_PANEL, *SIGN_IN_WITH_A_PERSON[:2]]
    broken = _run(cells, tmp_path)
    assert broken.ran.errors() == [None] * len(cells)
    notebook = broken.ran.surfaces["saved notebook (outputs and widget state)"]
    found = [broken.secrets[label] for label in hits(notebook, broken.secrets)]
    assert any(_is_user_code(value) for value in found)  # still in the panel's HTML


def _is_user_code(value: str) -> bool:
    return len(value) == 8 and value.isalpha() and value.isupper()


def test_the_secrets_of_every_new_flow_are_searched(leak: Leak) -> None:
    """User and device codes, state, PKCE verifiers, JWT assertions are among those searched."""
    values = list(leak.secrets.values())
    assert any(_is_user_code(v) for v in values)
    assert any(len(v) == 86 and "." not in v for v in values)  # a PKCE verifier
    assert any(_is_assertion(v) for v in values)


def _is_assertion(value: str) -> bool:
    import base64

    head = value.split(".")[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except ValueError:
        return False
    return isinstance(header, dict) and header.get("alg") == "RS256"
