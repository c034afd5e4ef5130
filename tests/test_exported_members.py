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


def test_type_checkers_see_every_lazy_name_from_its_module() -> None:
    """The TYPE_CHECKING imports in __init__ name exactly the lazy exports, from their modules."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(oic_magic.__file__).read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and getattr(node.test, "id", None) == "TYPE_CHECKING")
    seen = {alias.name: f".{node.module}" for node in block.body
            if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert seen == oic_magic._EXPORTS
