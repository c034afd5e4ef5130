"""Two kernels sharing one remembered sign-in (--remember): rotations never clobber each other.

Each kernel is its own ``OICClient`` with its own ``RememberedTokens``; they share one
keyring backend, as two kernels of one user share the desktop keyring.
"""

from __future__ import annotations

import threading

import httpx
import pytest
from _emulated import MemoryKeyring, token_requests

from oic_magic import OICClient, RememberedTokens, RenewedElsewhereError, SessionExpiredError
from oic_magic.emulator import DEMO, Emulator

from ._hardening import Sleeps, settings_for


class WatchedKeyring(MemoryKeyring):
    """A shared backend that records every write or delete that hit a live refresh token."""

    def __init__(self, emu: Emulator) -> None:
        super().__init__()
        self._identity = emu.backend.identity
        self.deletes = 0
        self.clobbered: list[str] = []  # what happened to a live token, in words

    def set_password(self, service: str, username: str, password: str) -> None:
        old = self.entries.get((service, username))
        if old is not None and old != password and self._identity.refresh_token_live(old):
            self.clobbered.append("a live token was overwritten")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        old = self.entries.get((service, username))
        self.deletes += 1
        if old is not None and self._identity.refresh_token_live(old):
            self.clobbered.append("a live token was deleted")
        super().delete_password(service, username)


def _first_kernel(emu: Emulator, backend: WatchedKeyring) -> OICClient:
    """A kernel that signs in with the password and --remember (the password is then dropped)."""
    return OICClient.sign_in(
        settings_for(emu), remembered=RememberedTokens(backend=backend), sleep=Sleeps()
    )


def _kernel_from_keyring(emu: Emulator, backend: WatchedKeyring) -> OICClient:
    """A kernel that starts from the remembered refresh token, with no password."""
    return OICClient.sign_in(
        settings_for(emu, password=None),
        grant="refresh_token",
        remembered=RememberedTokens(backend=backend),
        sleep=Sleeps(),
    )


def _stored(backend: WatchedKeyring, emu: Emulator) -> str | None:
    return backend.entries.get(("oic_magic", RememberedTokens.key(settings_for(emu))))


def test_kernel_adopts_the_token_another_kernel_renewed(emu: Emulator) -> None:
    """A kernel whose token another kernel consumed takes the newer one: no refusal, no loss."""
    backend = WatchedKeyring(emu)
    first = _first_kernel(emu, backend)
    second = _kernel_from_keyring(emu, backend)  # consumed the first kernel's token
    emu.control.clear_requests()
    for _ in range(3):
        first.session.refresh()
        assert _stored(backend, emu) == first.session.token.refresh_token
        second.session.refresh()
        assert _stored(backend, emu) == second.session.token.refresh_token
    assert first.get("connections", params={"limit": 1})["items"]
    assert second.get("connections", params={"limit": 1})["items"]
    assert [e["status"] for e in token_requests(emu)] == [200] * 6  # no consumed token sent
    assert backend.clobbered == [] and backend.deletes == 0
    first.close()
    second.close()


def test_two_kernels_racing_a_rotation(emu: Emulator) -> None:
    """Both renew at once, round after round: none clobbers the other's live token."""
    backend = WatchedKeyring(emu)
    kernels = [_first_kernel(emu, backend), _kernel_from_keyring(emu, backend)]
    # Each answer takes a moment, so both kernels read the entry before either stores.
    emu.control.set_latency(0.2, pattern="/oauth2/v1/token")
    emu.control.clear_requests()
    failures: list[BaseException] = []
    for _ in range(5):
        barrier = threading.Barrier(2)

        def renew(kernel: OICClient, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                kernel.session.refresh()
            except SessionExpiredError as exc:
                failures.append(exc)

        threads = [threading.Thread(target=renew, args=(k,)) for k in kernels]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            break
    assert 400 in [e["status"] for e in token_requests(emu)]  # the race did happen
    # The loser adopts the winner's newer token; if ever it cannot, it says why.
    for failure in failures:
        assert isinstance(failure, RenewedElsewhereError)
        assert "another kernel renewed it" in str(failure)
    assert backend.clobbered == []
    if not failures:
        for kernel in kernels:
            assert kernel.get("connections", params={"limit": 1})["items"]
    third = _kernel_from_keyring(emu, backend)  # the keyring still holds a live token
    assert third.get("connections", params={"limit": 1})["items"]
    for kernel in [*kernels, third]:
        kernel.close()


def test_two_kernels_starting_from_one_remembered_token(emu: Emulator) -> None:
    """Two kernels signing in from the same keyring entry at once both get a session."""
    backend = WatchedKeyring(emu)
    _first_kernel(emu, backend).close()
    barrier = threading.Barrier(2)
    started: list[OICClient] = []
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            started.append(_kernel_from_keyring(emu, backend))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(started) == 2
    assert backend.clobbered == []
    for client in started:
        assert client.get("connections", params={"limit": 1})["items"]
        client.close()


def test_refused_newer_token_says_another_kernel_renewed_it(emu: Emulator) -> None:
    """When the newer token another kernel stored cannot be used either, the error says so."""
    backend = WatchedKeyring(emu)
    first = _first_kernel(emu, backend)
    second = _kernel_from_keyring(emu, backend)
    newer = second.session.token.refresh_token
    assert newer and _stored(backend, emu) == newer
    used = httpx.post(  # a third process uses the stored token and keeps the next one
        emu.token_url,
        auth=(DEMO.client_id, DEMO.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": newer},
    )
    assert used.status_code == 200
    with pytest.raises(RenewedElsewhereError, match="another kernel renewed it") as failed:
        first.session.refresh()
    assert "%oic_login" in str(failed.value) and "session expired" not in str(failed.value)
    assert backend.clobbered == []
    first.close()
    second.close()


def test_lone_kernel_refused_token_is_plain_expiry(emu: Emulator) -> None:
    """Without another kernel in the picture, a refused token is the plain expiry."""
    backend = WatchedKeyring(emu)
    only = _first_kernel(emu, backend)
    emu.control.revoke_refresh_tokens()
    with pytest.raises(SessionExpiredError, match="the refresh token was refused") as failed:
        only.session.refresh()
    assert not isinstance(failed.value, RenewedElsewhereError)
    assert _stored(backend, emu) is None  # its own refused token was removed
    only.close()
