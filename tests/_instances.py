"""Sessions signed in to several emulators at once (see the ``instances`` fixture)."""

from __future__ import annotations

from _emulated import demo_settings

from oic_magic import Session, SessionStore
from oic_magic.emulator import Emulator


def sign_in_all(emulators: dict[str, Emulator], store: SessionStore | None = None) -> SessionStore:
    """A store with one session per emulator, named as the emulator is keyed."""
    store = SessionStore() if store is None else store
    for name, emu in emulators.items():
        store.put(Session.sign_in(demo_settings(emu), name=name))
    return store
