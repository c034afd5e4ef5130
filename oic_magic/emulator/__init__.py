"""A built-in emulator of Oracle Integration 3 and its OCI IAM identity domain.

Standard library only, and independent of the rest of ``oic_magic`` (it is the oracle the
client is tested against)::

    from oic_magic.emulator import DEMO, Emulator

    with Emulator(seed=42, connections=300) as emu:
        emu.token_url, emu.design_url, emu.runtime_url, emu.instance, emu.scope
        emu.control.advance_clock(3600)

``python -m oic_magic.emulator`` serves one from the command line. ``Emulator(answers=...)``
(a :class:`Answers`, or a name of ``ANSWERS``) answers in one of the ways the real OIC
may, where its answers are not published.
"""

from __future__ import annotations

from ._answers import NAMED as ANSWERS
from ._answers import Answers
from ._control import Control
from ._emulator import Emulator
from ._identity import DEMO, Demo, DemoClient, DemoUser

__all__ = ["ANSWERS", "DEMO", "Answers", "Control", "Demo", "DemoClient", "DemoUser", "Emulator"]
