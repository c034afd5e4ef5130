"""The public namespace: sorted, complete, and every name resolves."""

from __future__ import annotations

import oic_magic


def test_all_is_sorted_and_unique() -> None:
    """__all__ is sorted and has no duplicates."""
    assert oic_magic.__all__ == sorted(set(oic_magic.__all__))


def test_every_public_name_resolves() -> None:
    """Each name in __all__ is an attribute of the package."""
    for name in oic_magic.__all__:
        assert getattr(oic_magic, name) is not None, name


def test_exported_classes_claim_to_be_public() -> None:
    """Exported classes and functions are defined inside oic_magic."""
    for name in oic_magic.__all__:
        member = getattr(oic_magic, name)
        assert getattr(member, "__module__", "oic_magic").startswith("oic_magic"), name
