"""The emulator's whole state: data, identity, clock, faults, latency and logs.

``Backend`` owns every piece of mutable state and the operations of the control API;
``Control`` (in ``_control.py``) and the HTTP routes (in ``_app.py``) only call into it.
"""

from __future__ import annotations

import collections
import itertools
import random
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from ._activity import Activity
from ._clock import Clock
from ._data import Dataset, add_instances, build
from ._identity import Identity
from ._lifecycle import Lifecycle
from ._monitoring import Monitoring
from ._recovery import Recovery
from ._resources import Limits, Resources
from ._variants import plant

FAULT_KINDS = (
    "429",
    "500",
    "502",
    "503",
    "504",
    "slow",
    "drop",
    "malformed",
    "html",
    "huge",
    "deep",
    "latin1",
    "text",
    "items-not-list",
)
ORIGINS = ("identity", "design", "runtime", "foreign")
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


@dataclass
class Fault:
    """One injected fault: what to do, to which requests, how many times."""

    id: int
    kind: str
    pattern: re.Pattern[str] | None
    origin: str | None
    count: int | None
    fraction: float | None
    retry_after: float | None
    seconds: float
    status: int | None
    rng: random.Random = field(repr=False)

    def matches(self, origin: str, path: str) -> bool:
        """Whether this fault applies to a request (without consuming it)."""
        if self.origin is not None and self.origin != origin:
            return False
        return self.pattern is None or self.pattern.search(path) is not None


@dataclass(frozen=True)
class Settings:
    """Construction-time settings that ``reset`` returns to."""

    seed: int
    connections: int
    instances: int | None
    access_ttl: float
    refresh_ttl: float
    activation_delay: float
    limits: Limits
    audience: str
    #: Another instance of the same estate: planted differences (see ``_variants``).
    variant: str | None = None


class Backend:
    """State and rules of one emulated OIC instance and its identity domain."""

    def __init__(self, settings: Settings, *, log_size: int = 100_000) -> None:
        self.settings = settings
        self.clock = Clock()
        self.identity = Identity(
            clock=self.clock,
            audience=settings.audience,
            access_ttl=settings.access_ttl,
            refresh_ttl=settings.refresh_ttl,
        )
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._log: collections.deque[dict[str, Any]] = collections.deque(maxlen=log_size)
        self._foreign: collections.deque[dict[str, Any]] = collections.deque(maxlen=log_size)
        self._faults: list[Fault] = []
        self._latency: tuple[float, re.Pattern[str] | None] = (0.0, None)
        self.redirect_target, self.redirect_status = "design", 307
        self._urls = ("", "")
        self.planted: list[dict[str, Any]] = []
        self._load(settings.seed, settings.connections, settings.instances)

    # -- data ------------------------------------------------------------------------------
    def _load(self, seed: int, connections: int, instances: int | None) -> None:
        data = build(
            seed=seed, connections=connections, anchor=self.clock.now(), instances=instances
        )
        if self.settings.variant:
            self.planted = plant(data, self.settings.variant)
        self._install(data)

    def _install(self, data: Dataset) -> None:
        self.data = data
        self.resources = Resources(
            data=data,
            clock=self.clock,
            limits=self.settings.limits,
            activation_delay=self.settings.activation_delay,
        )
        self.monitoring = Monitoring(data=data, clock=self.clock, limits=self.settings.limits)
        self.recovery = Recovery(data=data, clock=self.clock, limits=self.settings.limits)
        self.activity = Activity(data=data, clock=self.clock)
        self.monitoring.before_read = self.recovery.settle
        self.lifecycle = Lifecycle(self.resources)
        self.set_urls(*self._urls)

    def set_urls(self, design_url: str, runtime_url: str) -> None:
        """Tell the resources where they are served (for links and endpoint URIs)."""
        self._urls = (design_url, runtime_url)
        self.resources.design_url = self.monitoring.design_url = design_url
        self.activity.design_url = design_url
        self.resources.runtime_url = runtime_url

    # -- control operations ----------------------------------------------------------------
    def reset(self) -> None:
        """Data, tokens, faults, latency, clock, redirect and logs back to the start."""
        self.clock.reset()
        self.identity.reset()
        self.clear_faults()
        self._ids = itertools.count(1)
        self._latency = (0.0, None)
        self.redirect_target, self.redirect_status = "design", 307
        self.clear_requests()
        self._foreign.clear()
        self.resources.activation_delay = self.settings.activation_delay
        self._load(self.settings.seed, self.settings.connections, self.settings.instances)

    def reseed(self, seed: int, connections: int | None = None) -> None:
        """A new data set (tokens, faults and logs are kept)."""
        self._load(
            seed,
            connections if connections is not None else len(self.data.connections),
            None if connections is not None else self.settings.instances,
        )

    def add_instances(self, count: int, seconds: float, seed: int) -> int:
        """More monitoring instances in the last *seconds* (see ``_data.add_instances``)."""
        added = add_instances(self.data, count, now=self.clock.now(), span=seconds, seed=seed)
        self.monitoring.reindex()
        return added

    def set_latency(self, seconds: float, pattern: str | None = None) -> None:
        """Delay every request (or those whose path matches ``pattern``) by ``seconds``."""
        self._latency = (float(seconds), re.compile(pattern) if pattern else None)

    def latency_for(self, path: str) -> float:
        """The delay to add before answering ``path``."""
        seconds, pattern = self._latency
        if seconds <= 0 or (pattern is not None and pattern.search(path) is None):
            return 0.0
        return seconds

    def inject_fault(
        self,
        kind: str | int,
        *,
        count: int | None = None,
        fraction: float | None = None,
        pattern: str | None = None,
        origin: str | None = None,
        retry_after: float | None = None,
        seconds: float = 30.0,
        status: int | None = None,
    ) -> int:
        """Add a fault; with neither ``count`` nor ``fraction`` it hits every match."""
        kind = str(kind)
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if origin is not None and origin not in ORIGINS:
            raise ValueError(f"origin must be one of {', '.join(ORIGINS)}")
        if fraction is not None and not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        with self._lock:
            ident = next(self._ids)
            self._faults.append(
                Fault(
                    ident,
                    kind,
                    re.compile(pattern) if pattern else None,
                    origin,
                    None if count is None else int(count),
                    fraction,
                    retry_after,
                    float(seconds),
                    status,
                    random.Random(f"{self.settings.seed}:{ident}"),
                )
            )
        return ident

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        with self._lock:
            self._faults.clear()

    def take_fault(self, origin: str, path: str) -> Fault | None:
        """The fault to apply to this request, consuming one of its ``count``."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if not fault.matches(origin, path):
                    continue
                if fault.fraction is not None and fault.rng.random() >= fault.fraction:
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def redirect_runtime(self, target: str = "design", status: int = 307) -> None:
        """Where (and with which status) the runtime origin sends Developer API calls.

        ``target`` is ``design``, ``foreign`` or any ``http(s)://host:port`` origin (another
        emulator, e.g. one serving https, for scheme-changing hops).
        """
        if target not in ("design", "foreign") and not _is_origin(target):
            raise ValueError("target must be 'design', 'foreign' or an http(s):// origin")
        if int(status) not in REDIRECT_STATUSES:
            raise ValueError(f"status must be one of {REDIRECT_STATUSES}")
        self.redirect_target, self.redirect_status = target, int(status)

    # -- logs ------------------------------------------------------------------------------
    def record(self, entry: dict[str, Any]) -> None:
        """Append one request to the log (deque appends are thread-safe)."""
        self._log.append(entry)

    def requests(self) -> list[dict[str, Any]]:
        """The request log, oldest first."""
        return [dict(e) for e in list(self._log)]

    def clear_requests(self) -> None:
        """Empty the request log."""
        self._log.clear()

    def record_foreign(self, entry: dict[str, Any]) -> None:
        """Remember what the foreign origin received."""
        self._foreign.append(entry)

    def foreign_received(self) -> list[dict[str, Any]]:
        """Requests seen by the foreign origin: method, path, headers."""
        return [dict(e) for e in list(self._foreign)]


def _is_origin(target: str) -> bool:
    scheme, _, rest = target.partition("://")
    return scheme in ("http", "https") and bool(rest) and "/" not in rest
