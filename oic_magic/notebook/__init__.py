"""The notebook layer: the only importer of IPython, pandas and ipywidgets.

Magics (thin), command and cell parsing, frames, results and exports, progress, and the
sign-in flow in the notebook. Everything here sits on :mod:`oic_magic.core`; nothing in
the core imports from here.
"""
