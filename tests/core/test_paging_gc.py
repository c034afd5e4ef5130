"""Paging leaves the garbage collector alone: enabled, same thresholds, during and after.

The collector's settings belong to the whole process (the notebook's own objects
included), so no read, concurrent, failed or overlapping another, may change them; and no
module of the package touches the ``gc`` module at all.
"""

from __future__ import annotations

import ast
import gc
import threading
from pathlib import Path
from typing import Any

import pytest
from _emulated import demo_settings

from oic_magic import APIStatusError, IncompleteResultError, OICClient
from oic_magic.core._paging import paginate
from oic_magic.emulator import Emulator

PACKAGE = Path(__file__).resolve().parents[2] / "oic_magic"

State = tuple[bool, tuple[int, ...]]


def _state() -> State:
    return gc.isenabled(), gc.get_threshold()


def _pages(count: int, seen: list[State], lock: threading.Lock) -> Any:
    """A list of *count* items in memory whose every fetch records the collector's state."""
    items = [{"id": f"I{n:05d}", "links": [{"rel": "self"}]} for n in range(count)]

    def fetch(offset: int, limit: int) -> dict[str, Any]:
        with lock:
            seen.append(_state())
        page = items[offset : offset + limit]
        return {"items": page, "totalResults": count, "hasMore": offset + len(page) < count}

    return fetch


def test_concurrent_overlapping_reads_leave_the_collector_as_it_was() -> None:
    """Three overlapping reads of 8 page threads each: enabled and same thresholds throughout."""
    before = _state()
    seen: list[State] = []
    lock = threading.Lock()
    started = threading.Barrier(3)
    sizes: list[int] = []

    def read() -> None:
        started.wait(timeout=30)
        listing = paginate(_pages(2_000, seen, lock), url="u", page_size=50, concurrency=8)
        with lock:
            sizes.append(len(listing))
            seen.append(_state())

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
    assert sizes == [2_000] * 3
    assert len(seen) == 3 * (40 + 1)  # every page's fetch was seen, and each read's end
    assert set(seen) == {before}
    assert _state() == before


def test_a_failed_concurrent_read_leaves_the_collector_as_it_was() -> None:
    """A read that raises part-way through changes nothing either."""
    before = _state()
    seen: list[State] = []
    fetch = _pages(500, seen, threading.Lock())

    def failing(offset: int, limit: int) -> dict[str, Any]:
        if offset == 300:
            raise APIStatusError(status=404, method="GET", path="x")
        return dict(fetch(offset, limit))

    with pytest.raises(IncompleteResultError):
        paginate(failing, url="u", page_size=100, concurrency=3, retries=0)
    assert seen and set(seen) == {before}
    assert _state() == before


def test_client_reads_over_the_emulator_leave_the_collector_as_it_was(emu: Emulator) -> None:
    """Two clients' paged reads at once over HTTP, watched from a third thread."""
    before = _state()
    seen: list[State] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            seen.append(_state())
            stop.wait(0.001)

    counts: list[int] = []

    def read(client: OICClient) -> None:
        for _ in range(3):
            listing = client.paginate(
                "connections", page_size=10, progress=lambda done, total: seen.append(_state())
            )
            counts.append(len(listing))

    expected = emu.backend.resources.listing("connections", {"offset": "0", "limit": "1"})
    with (
        OICClient.sign_in(demo_settings(emu)) as first,
        OICClient.sign_in(demo_settings(emu)) as second,
    ):
        watcher = threading.Thread(target=watch)
        watcher.start()
        readers = [threading.Thread(target=read, args=(c,)) for c in (first, second)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=120)
        stop.set()
        watcher.join(timeout=10)
    assert counts == [expected["totalResults"]] * 6
    assert len(seen) > 6 * expected["totalResults"] // 10  # a state per page at least
    assert set(seen) == {before}
    assert _state() == before


def _imports_gc_by_name(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "__import__"
        and any(isinstance(a, ast.Constant) and a.value == "gc" for a in node.args)
    )


def _touches_gc(source: str) -> list[str]:
    """Where a module imports ``gc`` or names it (``import gc``, ``from gc import ...``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(a.name == "gc" for a in node.names):
            found.append(f"line {node.lineno}: import gc")
        elif isinstance(node, ast.ImportFrom) and node.module == "gc":
            found.append(f"line {node.lineno}: from gc import")
        elif isinstance(node, ast.Name) and node.id == "gc":
            found.append(f"line {node.lineno}: gc")
        elif _imports_gc_by_name(node):
            found.append(f"line {getattr(node, 'lineno', 0)}: __import__('gc')")
    return found


def test_no_module_of_the_package_touches_the_collector() -> None:
    """No ``import gc`` and no use of the ``gc`` module anywhere in oic_magic/."""
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50
    found = {
        str(path.relative_to(PACKAGE)): hits
        for path in modules
        if (hits := _touches_gc(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_search_finds_a_use_of_the_collector() -> None:
    """The search above can fail: each way of reaching the module is found."""
    assert _touches_gc("import gc\ngc.set_threshold(700, 10, 1 << 30)\n") == [
        "line 1: import gc",
        "line 2: gc",
    ]
    assert _touches_gc("from gc import freeze\n") == ["line 1: from gc import"]
    assert _touches_gc("__import__('gc').disable()\n") == ["line 1: __import__('gc')"]
    assert _touches_gc("import json\nlogic = 1\n") == []
