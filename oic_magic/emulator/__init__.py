"""A built-in emulator of Oracle Integration 3 and its OCI IAM identity domain.

Standard library only, and independent of the rest of ``oic_magic`` (it is the oracle the
client is tested against)::

    from oic_magic.emulator import DEMO, Emulator

    with Emulator(seed=42, connections=300) as emu:
        emu.token_url, emu.design_url, emu.runtime_url, emu.instance, emu.scope
        emu.control.advance_clock(3600)

``python -m oic_magic.emulator`` serves one from the command line.
"""

from __future__ import annotations

from ._control import Control
from ._emulator import Emulator
from ._identity import DEMO, Demo, DemoClient, DemoUser

__all__ = ["DEMO", "Control", "Demo", "DemoClient", "DemoUser", "Emulator"]
