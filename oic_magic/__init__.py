"""oic_magic: the Oracle Integration 3 Developer REST API from IPython and Jupyter.

``import oic_magic`` stays cheap and works in a plain script: the public names are
resolved on first use, and IPython, pandas, ipywidgets and keyring are imported only by
the parts that need them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "APIStatusError": ".exceptions",
    "Activation": ".core._activation",
    "ActivationError": ".exceptions",
    "ActivationFailedError": ".exceptions",
    "ActivationTimeoutError": ".exceptions",
    "BadCredentialsError": ".exceptions",
    "ConfigurationError": ".exceptions",
    "ConnectionTest": ".core._sweep",
    "Difference": ".core._drift",
    "Edge": ".core._dependencies",
    "FederatedUserError": ".exceptions",
    "GrantNotAllowedError": ".exceptions",
    "IncompleteResultError": ".exceptions",
    "InvalidClientError": ".exceptions",
    "InvalidScopeError": ".exceptions",
    "JobFailedError": ".exceptions",
    "ListChangedError": ".exceptions",
    "Listing": ".core._paging",
    "LockedUserError": ".exceptions",
    "NotSignedInError": ".exceptions",
    "OICClient": ".core._client",
    "OICError": ".exceptions",
    "RecoveryPlan": ".core._recovery",
    "RecoveryResult": ".core._recovery",
    "RecoveryTimeoutError": ".exceptions",
    "RedirectError": ".exceptions",
    "RememberedTokens": ".core._keyring",
    "RenewalLostError": ".exceptions",
    "RenewedElsewhereError": ".exceptions",
    "RequestError": ".exceptions",
    "ResponseFormatError": ".exceptions",
    "RowLimitError": ".exceptions",
    "Session": ".core._session",
    "SessionExpiredError": ".exceptions",
    "SessionStore": ".core._session",
    "SessionsFailedError": ".exceptions",
    "SettingRangeError": ".exceptions",
    "Settings": ".core._settings",
    "SignInCancelledError": ".exceptions",
    "SignInDeniedError": ".exceptions",
    "SignInError": ".exceptions",
    "SignInTimeoutError": ".exceptions",
    "Step": ".core._archives",
    "StepsFailedError": ".exceptions",
    "TLSVerificationError": ".exceptions",
    "Token": ".core._token",
    "TokenEndpointError": ".exceptions",
    "TransportError": ".exceptions",
    "WindowedListing": ".core._windows",
    "across": ".core._fanout",
    "classify_url": ".core._settings",
    "compare": ".core._drift",
    "default_store": ".core._session",
    "dependencies": ".core._dependencies",
    "export_archives": ".core._archives",
    "import_archive": ".core._archives",
    "import_manifest": ".core._archives",
    "plan_recovery": ".core._recovery",
    "recover": ".core._recovery",
    "sweep": ".core._sweep",
    "used_by": ".core._dependencies",
    "wait_for_recovery": ".core._recovery",
}

__all__ = [
    "APIStatusError",
    "Activation",
    "ActivationError",
    "ActivationFailedError",
    "ActivationTimeoutError",
    "BadCredentialsError",
    "ConfigurationError",
    "ConnectionTest",
    "Difference",
    "Edge",
    "FederatedUserError",
    "GrantNotAllowedError",
    "IncompleteResultError",
    "InvalidClientError",
    "InvalidScopeError",
    "JobFailedError",
    "ListChangedError",
    "Listing",
    "LockedUserError",
    "NotSignedInError",
    "OICClient",
    "OICError",
    "RecoveryPlan",
    "RecoveryResult",
    "RecoveryTimeoutError",
    "RedirectError",
    "RememberedTokens",
    "RenewalLostError",
    "RenewedElsewhereError",
    "RequestError",
    "ResponseFormatError",
    "RowLimitError",
    "Session",
    "SessionExpiredError",
    "SessionStore",
    "SessionsFailedError",
    "SettingRangeError",
    "Settings",
    "SignInCancelledError",
    "SignInDeniedError",
    "SignInError",
    "SignInTimeoutError",
    "Step",
    "StepsFailedError",
    "TLSVerificationError",
    "Token",
    "TokenEndpointError",
    "TransportError",
    "WindowedListing",
    "across",
    "classify_url",
    "compare",
    "default_store",
    "dependencies",
    "export_archives",
    "import_archive",
    "import_manifest",
    "load_ipython_extension",
    "plan_recovery",
    "recover",
    "sweep",
    "unload_ipython_extension",
    "used_by",
    "wait_for_recovery",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'oic_magic' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def load_ipython_extension(ipython: Any) -> None:
    """Register the magics: ``%load_ext oic_magic``."""
    from .notebook._magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Remove the magics: ``%unload_ext oic_magic``."""
    from .notebook._magics import unload_ipython_extension as unload

    unload(ipython)


if TYPE_CHECKING:  # pragma: no cover - what the lazy names resolve to, for type checkers
    from .core._activation import Activation as Activation
    from .core._archives import Step as Step
    from .core._archives import export_archives as export_archives
    from .core._archives import import_archive as import_archive
    from .core._archives import import_manifest as import_manifest
    from .core._client import OICClient as OICClient
    from .core._dependencies import Edge as Edge
    from .core._dependencies import dependencies as dependencies
    from .core._dependencies import used_by as used_by
    from .core._drift import Difference as Difference
    from .core._drift import compare as compare
    from .core._fanout import across as across
    from .core._keyring import RememberedTokens as RememberedTokens
    from .core._paging import Listing as Listing
    from .core._recovery import RecoveryPlan as RecoveryPlan
    from .core._recovery import RecoveryResult as RecoveryResult
    from .core._recovery import plan_recovery as plan_recovery
    from .core._recovery import recover as recover
    from .core._recovery import wait_for_recovery as wait_for_recovery
    from .core._session import Session as Session
    from .core._session import SessionStore as SessionStore
    from .core._session import default_store as default_store
    from .core._settings import Settings as Settings
    from .core._settings import classify_url as classify_url
    from .core._sweep import ConnectionTest as ConnectionTest
    from .core._sweep import sweep as sweep
    from .core._token import Token as Token
    from .core._windows import WindowedListing as WindowedListing
    from .exceptions import ActivationError as ActivationError
    from .exceptions import ActivationFailedError as ActivationFailedError
    from .exceptions import ActivationTimeoutError as ActivationTimeoutError
    from .exceptions import APIStatusError as APIStatusError
    from .exceptions import BadCredentialsError as BadCredentialsError
    from .exceptions import ConfigurationError as ConfigurationError
    from .exceptions import FederatedUserError as FederatedUserError
    from .exceptions import GrantNotAllowedError as GrantNotAllowedError
    from .exceptions import IncompleteResultError as IncompleteResultError
    from .exceptions import InvalidClientError as InvalidClientError
    from .exceptions import InvalidScopeError as InvalidScopeError
    from .exceptions import JobFailedError as JobFailedError
    from .exceptions import ListChangedError as ListChangedError
    from .exceptions import LockedUserError as LockedUserError
    from .exceptions import NotSignedInError as NotSignedInError
    from .exceptions import OICError as OICError
    from .exceptions import RecoveryTimeoutError as RecoveryTimeoutError
    from .exceptions import RedirectError as RedirectError
    from .exceptions import RenewalLostError as RenewalLostError
    from .exceptions import RenewedElsewhereError as RenewedElsewhereError
    from .exceptions import RequestError as RequestError
    from .exceptions import ResponseFormatError as ResponseFormatError
    from .exceptions import RowLimitError as RowLimitError
    from .exceptions import SessionExpiredError as SessionExpiredError
    from .exceptions import SessionsFailedError as SessionsFailedError
    from .exceptions import SettingRangeError as SettingRangeError
    from .exceptions import SignInCancelledError as SignInCancelledError
    from .exceptions import SignInDeniedError as SignInDeniedError
    from .exceptions import SignInError as SignInError
    from .exceptions import SignInTimeoutError as SignInTimeoutError
    from .exceptions import StepsFailedError as StepsFailedError
    from .exceptions import TLSVerificationError as TLSVerificationError
    from .exceptions import TokenEndpointError as TokenEndpointError
    from .exceptions import TransportError as TransportError
