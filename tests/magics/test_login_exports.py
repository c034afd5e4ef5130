"""The notebook's sign-in module re-exports the credential chain's names as the core lists them."""

from __future__ import annotations

from oic_magic.core import _credentials
from oic_magic.notebook import _login


def test_login_exports_every_name_of_the_chain() -> None:
    """Each name the core's chain exports is in the notebook module's ``__all__``, and defined."""
    assert set(_credentials.__all__) <= set(_login.__all__)
    for name in _credentials.__all__:
        if name != "resolve":  # the notebook's own, with the form's fields ranked highest
            assert getattr(_login, name) is getattr(_credentials, name)
    assert _login.resolve is not _credentials.resolve


def test_login_all_names_nothing_twice_or_undefined() -> None:
    """``__all__`` names no name twice, and each is an attribute of the module."""
    assert len(_login.__all__) == len(set(_login.__all__))
    assert all(hasattr(_login, name) for name in _login.__all__)
    assert {"demo_emulator", "describe_session", "is_headless"} <= set(_login.__all__)
