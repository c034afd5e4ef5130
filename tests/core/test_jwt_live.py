"""The JWT user assertion (RFC 7523) against the emulator: accepted, and every refusal."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from _emulated import demo_settings, token_requests

from oic_magic import ConfigurationError, OICClient, Session, Settings, SignInError
from oic_magic.core._assertion import JWT_GRANT, OCI_AUDIENCE, assertion_form, user_assertion
from oic_magic.core._auth import TokenEndpoint
from oic_magic.emulator import DEMO, Emulator

from ._core_fake import Clock


@pytest.fixture
def key(emu: Emulator, tmp_path: Path) -> Path:
    """A key registered in the emulator, its private half in a file."""
    answer = emu.control.jwt_key()
    path = tmp_path / "oic.pem"
    path.write_text(answer["private_key"])
    path.chmod(0o600)
    return path


def _settings(emu: Emulator, key: Path, **changes: object) -> Settings:
    values: dict[str, object] = dict(
        password=None, username="sso.user", private_key_file=str(key), key_id="oic-magic-demo-key"
    )
    return demo_settings(emu, **(values | changes))


def test_assertion_signs_the_federated_user_in(emu: Emulator, key: Path) -> None:
    """No password: the signed assertion gets the SSO user a token that opens the API."""
    with OICClient.sign_in(_settings(emu, key), grant="jwt") as client:
        assert client.session.user == "sso.user"
        assert client.get("connections")["items"]
    (entry,) = token_requests(emu, JWT_GRANT)
    assert entry["status"] == 200


def test_assertion_claims_follow_rfc7523(emu: Emulator, key: Path) -> None:
    """iss = client, sub = user, aud = the identity domain, five minutes, a jti, the kid."""
    assertion = user_assertion(_settings(emu, key), clock=lambda: 1_700_000_000.0).reveal()
    header = jwt.get_unverified_header(assertion)
    claims = jwt.decode(assertion, options={"verify_signature": False})
    assert header == {"alg": "RS256", "kid": "oic-magic-demo-key", "typ": "JWT"}
    assert claims["iss"] == DEMO.client_id and claims["sub"] == "sso.user"
    assert claims["aud"] == OCI_AUDIENCE and claims["exp"] - claims["iat"] == 300
    assert claims["jti"]


def test_a_renewal_without_refresh_token_signs_a_new_assertion(emu: Emulator, key: Path) -> None:
    """Refresh grant switched off: the session renews by signing a fresh assertion."""
    emu.control.set_grant(DEMO.client_id, "refresh_token", False)
    clock = Clock(time.time())
    session = Session.sign_in(_settings(emu, key), grant="jwt", clock=clock)
    assert not session.token.refresh_token
    clock.advance(3600)
    session.valid_token()
    assert [e["status"] for e in token_requests(emu, JWT_GRANT)] == [200, 200]


def _endpoint(emu: Emulator) -> TokenEndpoint:
    return TokenEndpoint(
        url=emu.token_url, client_id=DEMO.client_id, client_secret=DEMO.client_secret
    )


@pytest.mark.parametrize(
    ("changes", "clock_shift"),
    [
        ({"key_id": "not-registered"}, 0),
        ({"assertion_audience": "https://someone-else.example.com/"}, 0),
        ({"username": "locked.user"}, 0),
        ({}, 600),  # expired on the emulator clock
    ],
    ids=["unknown-kid", "wrong-aud", "locked-user", "expired"],
)
def test_assertion_refused(
    emu: Emulator, key: Path, changes: dict[str, object], clock_shift: int
) -> None:
    """Each broken assertion is invalid_grant."""
    emu.control.advance_clock(clock_shift)
    assertion = user_assertion(_settings(emu, key, **changes))
    with pytest.raises(SignInError) as refused:
        _endpoint(emu).grant(assertion_form(assertion, emu.scope), grant="jwt")
    assert refused.value.error == "invalid_grant"


def test_a_replayed_assertion_is_refused(emu: Emulator, key: Path) -> None:
    """Each jti once."""
    form = assertion_form(user_assertion(_settings(emu, key)), emu.scope)
    assert _endpoint(emu).grant(form, grant="jwt").access_token
    with pytest.raises(SignInError) as replayed:
        _endpoint(emu).grant(form, grant="jwt")
    assert replayed.value.error == "invalid_grant"


def test_a_key_of_another_signer_is_refused(emu: Emulator, key: Path, tmp_path: Path) -> None:
    """Signed by a key the domain does not know under that kid: invalid_grant."""
    other = Emulator().control  # not started: only its key maker is used
    stranger = tmp_path / "stranger.pem"
    stranger.write_text(other.jwt_key()["private_key"])
    assertion = user_assertion(_settings(emu, stranger))
    with pytest.raises(SignInError):
        _endpoint(emu).grant(assertion_form(assertion, emu.scope), grant="jwt")


def test_missing_or_bad_key_files_say_so(emu: Emulator, tmp_path: Path) -> None:
    """No file, an unreadable file, a file that is no key: ConfigurationError, nothing sent."""
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    for path in (tmp_path / "absent.pem", bad):
        with pytest.raises(ConfigurationError, match="private"):
            Session.sign_in(_settings(emu, path), grant="jwt")
    assert not token_requests(emu, JWT_GRANT)


def test_without_the_extra_the_message_says_what_to_install(
    emu: Emulator, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyjwt missing (the base install): one ConfigurationError naming oic_magic[jwt]."""
    import sys

    monkeypatch.setitem(sys.modules, "jwt", None)
    with pytest.raises(ConfigurationError, match=r"oic_magic\[jwt\]"):
        Session.sign_in(_settings(emu, key), grant="jwt")


def test_the_key_may_live_in_the_keyring(emu: Emulator, key: Path) -> None:
    """No key file: the PEM saved in the keyring signs, also when the session renews."""
    from _emulated import MemoryKeyring

    from oic_magic import RememberedTokens

    environ = {
        "OIC_DESIGN_URL": emu.design_url,
        "OIC_IDENTITY_URL": emu.identity_url,
        "OIC_CLIENT_ID": DEMO.client_id,
        "OIC_CLIENT_SECRET": DEMO.client_secret,
        "OIC_AUDIENCE": emu.audience,
        "OIC_INSTANCE": emu.instance,
        "OIC_USERNAME": "sso.user",
        "OIC_KEY_ID": "oic-magic-demo-key",
        "OIC_GRANT": "jwt",
    }
    keyring = RememberedTokens(backend=MemoryKeyring())
    with pytest.raises(ConfigurationError, match="private key file"):
        OICClient.connect(environ=environ, remembered=keyring)
    pem = key.read_text()
    keyring.save_private_key(_settings(emu, key, private_key_file=None), pem)
    emu.control.set_grant(DEMO.client_id, "refresh_token", False)
    with OICClient.connect(environ=environ, remembered=keyring) as client:
        assert client.session.user == "sso.user"
        client.session.refresh()  # no refresh token: a new assertion, signed by the same key
        assert pem not in repr(client.session) and "PRIVATE" not in repr(client.session)
    assert [e["status"] for e in token_requests(emu, JWT_GRANT)] == [200, 200]
