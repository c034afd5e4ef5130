"""The ranges of the ``%config`` traits and of the waits and pools of long operations.

``%config OICMagics.timeout = float('inf')``, an activation waited on with ``interval=nan``,
a sweep with ``concurrency=65``: each is refused with the setting's name and range, before
anything is sent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from oic_magic import (
    OICClient,
    SettingRangeError,
)
from oic_magic.emulator import Emulator
from oic_magic.notebook._traits import BOUNDS

pytestmark = pytest.mark.timeout(120)

# -- %config traits ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BOUNDS))
@pytest.mark.parametrize("value", [math.inf, math.nan, -math.inf, 10**12, 1e300])
def test_a_config_trait_out_of_range_is_refused_by_name(name: str, value: float) -> None:
    """%config OICMagics.timeout = inf (or nan, or retries = 10**12...): a TraitError naming
    the trait and its range (below the minimum, traitlets' own message names the minimum);
    the value in force stays."""
    from traitlets import TraitError

    from oic_magic.notebook._magics import OICMagics
    from oic_magic.notebook._ops_magics import OICOperations

    magics = OICMagics() if OICMagics.class_traits().get(name) else OICOperations()
    before = getattr(magics, name)
    if BOUNDS[name].whole and isinstance(value, float):
        value = 10**12  # an Int trait refuses a float by its type already
    with pytest.raises(TraitError) as caught:
        setattr(magics, name, value)
    owner = type(magics).__name__
    if value == -math.inf:
        assert f"'{name}' trait of an {owner} instance should not be less than" in str(caught.value)
    else:
        assert f"{owner}.{name} must be" in str(caught.value) and "from " in str(caught.value)
    assert getattr(magics, name) == before or (before is None and getattr(magics, name) is None)


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_a_config_trait_inside_its_range_is_kept(name: str) -> None:
    """The highest value a trait may take is accepted as it is."""
    from oic_magic.notebook._magics import OICMagics
    from oic_magic.notebook._ops_magics import OICOperations

    magics = OICMagics() if OICMagics.class_traits().get(name) else OICOperations()
    high = BOUNDS[name].high
    setattr(magics, name, int(high) if BOUNDS[name].whole else high)
    assert getattr(magics, name) == high


# -- the waits and pools of long operations ---------------------------------------------------


def _one_job() -> Any:
    from oic_magic.core._recovery import RecoveryResult

    return RecoveryResult(action="resubmit", rows=(), job_ids=("J1",), requests=1)


BAD_WAITS = [
    {"timeout": math.nan},
    {"timeout": math.inf},
    {"timeout": -1.0},
    {"timeout": 86_401.0},
    {"interval": math.nan},
    {"interval": math.inf},
    {"interval": 0.0},
    {"interval": 0.001},
]


@pytest.mark.parametrize("bad", BAD_WAITS, ids=str)
def test_a_wait_out_of_range_is_refused_before_anything_is_sent(
    emu: Emulator, tmp_path: Path, bad: dict[str, float]
) -> None:
    """activate/deactivate/import/recovery waits of nan, inf, 0...: refused by name, unsent."""
    from _emulated import demo_settings

    from oic_magic import import_archive, wait_for_recovery

    (setting,) = bad
    waits: dict[str, Any] = dict(bad)
    archive = tmp_path / "HELLO_01.00.0000.iar"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip: never read here
    with OICClient.sign_in(demo_settings(emu), retries=0) as client:
        emu.control.clear_requests()
        calls: list[Callable[[], object]] = [
            lambda: client.activate("HELLO|01.00.0000", **waits),
            lambda: client.deactivate("HELLO|01.00.0000", **waits),
            lambda: client.wait_for_activation("HELLO|01.00.0000", **waits),
            lambda: import_archive(client, archive, **waits),
            lambda: wait_for_recovery(client, _one_job(), **waits),
        ]
        for call in calls:
            with pytest.raises(SettingRangeError) as caught:
                call()
            assert caught.value.setting == setting and isinstance(caught.value, ValueError)
        assert emu.control.requests() == []


@pytest.mark.parametrize("concurrency", [0, -1, 65, 2.5, math.nan, True])
def test_a_pool_out_of_range_is_refused_before_anything_is_sent(
    emu: Emulator, tmp_path: Path, concurrency: Any
) -> None:
    """sweep() and export_archives() with concurrency 0, 65, nan...: refused by name."""
    from _emulated import demo_settings

    from oic_magic import export_archives, sweep

    with OICClient.sign_in(demo_settings(emu), retries=0) as client:
        emu.control.clear_requests()
        with pytest.raises(SettingRangeError, match="concurrency must be a whole number"):
            sweep(client, concurrency=concurrency)
        with pytest.raises(SettingRangeError, match="concurrency must be a whole number"):
            export_archives(client, tmp_path / "backup", concurrency=concurrency)
        assert emu.control.requests() == [] and not (tmp_path / "backup").exists()
