"""The core: plain Python over httpx and the standard library (keyring imported lazily).

Settings and the credential chain, URLs and who may receive the token, the OIC catalogue,
grants, tokens and sessions, the client, paging, retries and long-running waits. Nothing
here imports IPython, pandas or ipywidgets: a test imports this package in a fresh
interpreter and checks ``sys.modules``. The public names are re-exported by ``oic_magic``.
"""
