"""The layer rule, enforced: the core is plain Python, the notebook layer alone imports IPython,
pandas and ipywidgets, and the emulator shares no code with the client."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "oic_magic"
NOTEBOOK_ONLY = ("IPython", "pandas", "ipywidgets", "traitlets", "matplotlib")


def _modules(folder: str) -> list[str]:
    return sorted(
        f"oic_magic.{folder}.{p.stem}"
        for p in (PACKAGE / folder).glob("*.py")
        if p.stem != "__init__" and p.stem != "__main__"
    )


def _loaded_after(code: str) -> set[str]:
    """The top-level names in sys.modules after running *code* in a fresh interpreter."""
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def _top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_the_core_imports_only_httpx_and_the_standard_library() -> None:
    """Every core module imported in a fresh interpreter loads no notebook package, no keyring."""
    loaded = _loaded_after("\n".join(f"import {m}" for m in _modules("core")))
    assert not _top(loaded) & {*NOTEBOOK_ONLY, "keyring"}
    assert not {
        m
        for m in loaded
        if m.startswith(("oic_magic.notebook", "oic_magic.widgets", "oic_magic.emulator"))
    }


def test_a_headless_load_ext_loads_no_ipywidgets() -> None:
    """%load_ext oic_magic in a plain IPython shell (headless) does not import ipywidgets."""
    loaded = _loaded_after(
        "from IPython.testing.globalipapp import start_ipython\n"
        "ip = start_ipython()\nip.run_line_magic('load_ext', 'oic_magic')\n"
        "assert 'oic' in ip.magics_manager.magics['line']"
    )
    assert "IPython" in _top(loaded)
    assert "ipywidgets" not in _top(loaded)


def test_plain_import_loads_nothing_heavy() -> None:
    """import oic_magic and its public client name load neither IPython, pandas nor widgets."""
    loaded = _loaded_after("import oic_magic\nfrom oic_magic import OICClient, Session, Settings")
    assert not _top(loaded) & {*NOTEBOOK_ONLY, "keyring"}


def test_the_emulator_imports_nothing_of_the_client() -> None:
    """Importing every emulator module loads no oic_magic module outside oic_magic.emulator."""
    loaded = _loaded_after("\n".join(f"import {m}" for m in _modules("emulator")))
    ours = {m for m in loaded if m.startswith("oic_magic.")}
    assert ours and all(m.startswith("oic_magic.emulator") for m in ours), sorted(ours)
    assert not _top(loaded) & set(NOTEBOOK_ONLY)


def _imports(path: Path) -> set[str]:
    """Every module an imported file names, lazily imported ones included, made absolute."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module or "")
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "core").glob("*.py")), ids=lambda p: p.name)
def test_no_core_module_reaches_up_even_lazily(path: Path) -> None:
    """No import in the core, at any depth, names the notebook layer or its libraries."""
    bad = {
        m
        for m in _imports(path)
        if m.split(".")[0] in NOTEBOOK_ONLY
        or m.startswith(("oic_magic.notebook", "oic_magic.widgets", "oic_magic.emulator"))
    }
    assert not bad, bad


@pytest.mark.parametrize("path", sorted((PACKAGE / "emulator").glob("*.py")), ids=lambda p: p.name)
def test_no_emulator_module_imports_the_client_even_lazily(path: Path) -> None:
    """The emulator is the independent oracle: it imports only itself of oic_magic."""
    ours = {m for m in _imports(path) if m == "oic_magic" or m.startswith("oic_magic.")}
    assert all(m.startswith("oic_magic.emulator") for m in ours), ours
