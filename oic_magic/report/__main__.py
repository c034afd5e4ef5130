"""``python -m oic_magic.report``: build the report (see :mod:`oic_magic.report`)."""

from __future__ import annotations

import sys

from ._build import main

if __name__ == "__main__":
    sys.exit(main())
