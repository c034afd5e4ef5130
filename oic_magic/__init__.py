"""oic_magic: the Oracle Integration 3 Developer REST API from IPython and Jupyter."""

from __future__ import annotations

__version__ = "0.1.0"
