"""What every benchmark shares: the emulator process, samples, rows, memory and children.

The emulator runs in its own process (``python -m oic_magic.emulator``), as OIC runs
on its own machine: its work does not compete for this interpreter's GIL, and
baseline and candidate talk to the same server in the same run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
API = "/ic/api/integration/v1"
DEMO_CLIENT = ("oic-magic-demo-client", "demo-Cl1ent-s3cret-9f4e")
DEMO_USER = ("ada.lovelace", "Welcome#Demo-2026")
_BANNER = re.compile(
    r"^\s+(identity domain|design-time URL|runtime URL|instance|scope)\s+:\s+"
    r"(.*\S)\s*$"
)


# -- samples and rows ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sample:
    """Repeated measurements of one quantity (seconds, bytes or a count)."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the results table."""

    id: str
    what: str
    unit: str  # "s", "MiB" or "" (a count)
    candidate: Sample
    baseline: Sample | None
    goal: str
    holds: bool
    reason: str = ""
    note: str = ""
    ratio: float | None = None  # defaults to candidate / baseline medians

    @property
    def shown_ratio(self) -> float | None:
        if self.ratio is not None:
            return self.ratio
        if self.baseline is None or self.baseline.median == 0:
            return None
        return self.candidate.median / self.baseline.median


def interleaved(repeats: int, runs: Mapping[str, Callable[[], float | None]]) -> dict[str, Sample]:
    """Run each callable *repeats* times, alternating the order every round.

    A callable returns its own measurement, or None to be timed from the outside.
    """
    values: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            gc.collect()
            start = time.perf_counter()
            measured = runs[name]()
            elapsed = time.perf_counter() - start
            values[name].append(elapsed if measured is None else measured)
    return {name: Sample(tuple(v)) for name, v in values.items()}


# -- memory ------------------------------------------------------------------------------------


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


@contextlib.contextmanager
def peak_rss_growth() -> Iterator[dict[str, float]]:
    """Peak RSS above the RSS at entry, in MiB (Linux: VmHWM reset through clear_refs)."""
    gc.collect()
    result: dict[str, float] = {}
    try:
        Path("/proc/self/clear_refs").write_text("5")
        result["reset"] = 1.0
    except OSError:
        result["reset"] = 0.0  # the peak then also covers what ran before; noted in the row
    before = _status_kib("VmRSS")
    yield result
    result["mib"] = (_status_kib("VmHWM") - before) / 1024


def run_child(
    script: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 600
) -> dict[str, Any]:
    """Run a benchmark child in a fresh interpreter; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, str(script), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{script.name} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the emulator in its own process -----------------------------------------------------------


class EmulatorProcess:
    """``python -m oic_magic.emulator`` on free loopback ports, with its control API."""

    def __init__(self, *options: str) -> None:
        self._options = options
        self._process: subprocess.Popen[str] | None = None
        self.urls: dict[str, str] = {}
        self._control = httpx.Client(timeout=60)

    def __enter__(self) -> EmulatorProcess:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "oic_magic.emulator", *self._options],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self._process.stdout is not None
        for line in self._process.stdout:  # the banner ends with the scope
            match = _BANNER.match(line)
            if match:
                self.urls[match.group(1)] = match.group(2)
            if "scope" in self.urls:
                break
        if "scope" not in self.urls:
            self.__exit__()
            raise RuntimeError("the emulator did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._control.close()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    @property
    def identity_url(self) -> str:
        return self.urls["identity domain"].split()[0]

    @property
    def design_url(self) -> str:
        return self.urls["design-time URL"]

    @property
    def instance(self) -> str:
        return self.urls["instance"]

    @property
    def scope(self) -> str:
        return self.urls["scope"]

    @property
    def token_url(self) -> str:
        return self.identity_url + "/oauth2/v1/token"

    def control(self, method: str, name: str, body: Mapping[str, Any] | None = None) -> Any:
        """One call of the control API (``/_emulator/<name>``)."""
        answer = self._control.request(
            method,
            f"{self.design_url}/_emulator/{name}",
            json=dict(body) if body is not None else None,
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def set_latency(self, seconds: float, pattern: str | None = None) -> None:
        self.control("POST", "latency", {"seconds": seconds, "pattern": pattern})

    def requests(self) -> list[dict[str, Any]]:
        return list(self.control("GET", "requests")["items"])

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def password_token(self) -> str:
        """An access token pasted from a password grant, as the manual procedure does."""
        form = {
            "grant_type": "password",
            "username": DEMO_USER[0],
            "password": DEMO_USER[1],
            "scope": self.scope,
        }
        answer = httpx.post(self.token_url, auth=DEMO_CLIENT, data=form, timeout=30)
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    def environment(self) -> dict[str, str]:
        """``OIC_*`` variables a headless ``%oic_login`` reads to sign in here."""
        return {
            "OIC_DESIGN_URL": self.design_url,
            "OIC_IDENTITY_URL": self.identity_url,
            "OIC_CLIENT_ID": DEMO_CLIENT[0],
            "OIC_CLIENT_SECRET": DEMO_CLIENT[1],
            "OIC_USERNAME": DEMO_USER[0],
            "OIC_PASSWORD": DEMO_USER[1],
            "OIC_INSTANCE": self.instance,
            "OIC_SCOPE": self.scope,
            "OIC_PROFILE_FILE": os.devnull,
        }

    def settings(self) -> Any:
        """:class:`oic_magic.Settings` for the demo user on this emulator."""
        from oic_magic import Settings

        return Settings(
            design_url=self.design_url,
            identity_url=self.identity_url,
            client_id=DEMO_CLIENT[0],
            client_secret=DEMO_CLIENT[1],
            scope=self.scope,
            instance=self.instance,
            username=DEMO_USER[0],
            password=DEMO_USER[1],
        )


def loop_all_pages(
    http: httpx.Client,
    url: str,
    *,
    instance: str,
    page_size: int = 100,
    params: Sequence[tuple[str, str]] = (),
) -> list[Any]:
    """The manual procedure: GET page after page while ``hasMore`` says so."""
    items: list[Any] = []
    offset = 0
    while True:
        query: list[tuple[str, str | int | float | bool | None]] = [
            *params,
            ("integrationInstance", instance),
            ("offset", str(offset)),
            ("limit", str(page_size)),
        ]
        answer = http.get(url, params=query)
        answer.raise_for_status()
        body = answer.json()
        items.extend(body["items"])
        if not body.get("hasMore"):
            return items
        offset += page_size


def bearer_client(token: str) -> httpx.Client:
    """A plain httpx client with the pasted token, as a user would write it."""
    return httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60)


@dataclasses.dataclass(frozen=True)
class Context:
    """What a benchmark is given: the running emulator, the sizes and the repeats."""

    emu: EmulatorProcess
    repeats: int
    quick: bool
    workdir: Path
    connections: int  # in the shared emulator (P1, P2, P4)
    instances: int  # monitoring instances in the shared emulator (P6)
    frame_items: int  # connection items turned into a frame (P3)


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of a block."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def make_shell(directory: Path) -> Any:
    """A real IPython ``InteractiveShell``: history off, its files in *directory*."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "nocolor"
    directory.mkdir(parents=True, exist_ok=True)
    return InteractiveShell.instance(config=config, ipython_dir=str(directory))


def run_cell(shell: Any, source: str) -> Any:
    """Run one cell as a notebook does; raise what the cell raised."""
    result = shell.run_cell(source, store_history=True)
    result.raise_error()
    return result.result
