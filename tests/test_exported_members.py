"""The public namespace: written out sorted, complete, and every name resolves."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import oic_magic
import oic_magic.exceptions

INIT = Path(oic_magic.__file__)


def _literal_all() -> list[str]:
    """``__all__`` as written in ``__init__.py`` (a literal list, not computed)."""
    tree = ast.parse(INIT.read_text())
    node = next(
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in n.targets)
    )
    assert isinstance(node.value, ast.List), "__all__ must be a literal list"
    return [ast.literal_eval(e) for e in node.value.elts]


def test_all_is_written_sorted_and_unique() -> None:
    """__all__ is a literal list, written in sorted order, without duplicates."""
    written = _literal_all()
    assert written == sorted(set(written))


def test_all_is_exactly_the_lazy_exports_and_the_extension_hooks() -> None:
    """Every lazy export is in __all__ and __all__ names nothing that is not exported."""
    hooks = {"load_ipython_extension", "unload_ipython_extension"}
    assert set(oic_magic.__all__) == set(oic_magic._EXPORTS) | hooks


def test_every_public_exception_is_exported() -> None:
    """Every public error class of oic_magic.exceptions can be caught as oic_magic.X."""
    public = {
        name
        for name, member in vars(oic_magic.exceptions).items()
        if inspect.isclass(member)
        and issubclass(member, oic_magic.exceptions.OICError)
        and not name.startswith("_")
        and member.__module__ == "oic_magic.exceptions"
    }
    assert public <= set(oic_magic.__all__), sorted(public - set(oic_magic.__all__))


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
    tree = ast.parse(INIT.read_text())
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    seen = {
        alias.name: f".{node.module}"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == oic_magic._EXPORTS
