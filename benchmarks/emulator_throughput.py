"""Throughput of the emulator: a 100-item connections page on loopback.

Prints requests per second and median latency with 1 and with 16 concurrent clients
(each an httpx.Client in its own thread, keep-alive), against 10,000 connections, twice:
with the emulator in its own process (``python -m oic_magic.emulator``, as a user runs
it beside a notebook), and inside the clients' process (as ``%oic_login --demo`` runs it,
where clients and server share one interpreter lock).
Run: ``.venv/bin/python benchmarks/emulator_throughput.py [--requests N]``.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import httpx
from _common import EmulatorProcess  # run as a script: benchmarks/ is on sys.path

from oic_magic.emulator import DEMO, Emulator

API = "/ic/api/integration/v1/connections"


def _token(emu: Emulator | EmulatorProcess) -> str:
    form = {
        "grant_type": "password",
        "username": DEMO.username,
        "password": DEMO.password,
        "scope": emu.scope,
    }
    answer = httpx.post(emu.token_url, auth=(DEMO.client_id, DEMO.client_secret), data=form)
    return str(answer.json()["access_token"])


def _client_loop(
    emu: Emulator | EmulatorProcess, token: str, count: int, offsets: int, latencies: list[float]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(headers=headers, timeout=30) as http:
        for n in range(count):
            params: dict[str, str | int] = {
                "integrationInstance": emu.instance,
                "limit": 100,
                "offset": (n * 100) % offsets,
            }
            start = time.perf_counter()
            response = http.get(emu.design_url + API, params=params)
            latencies.append(time.perf_counter() - start)
            assert len(response.json()["items"]) == 100


Server = Emulator | EmulatorProcess


def run(emu: Server, token: str, clients: int, total: int) -> tuple[float, float]:
    """Requests per second and median latency (ms) with ``clients`` concurrent clients."""
    per_client = max(1, total // clients)
    latencies: list[float] = []
    threads = [
        threading.Thread(target=_client_loop, args=(emu, token, per_client, 9_900, latencies))
        for _ in range(clients)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return len(latencies) / elapsed, statistics.median(latencies) * 1000


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--requests", type=int, default=800, help="requests per scenario")
    cli.add_argument("--connections", type=int, default=10_000, help="size of the data set")
    args = cli.parse_args()
    print(f"100-item connections page, {args.connections} connections, loopback")
    size = ("--connections", str(args.connections), "--instances", "1000")
    with EmulatorProcess(*size) as emu:
        _report("emulator in its own process", emu, args.requests)
    with Emulator(connections=args.connections, instances=1_000) as emu:
        _report("emulator in the clients' process", emu, args.requests)


def _report(title: str, emu: Emulator | EmulatorProcess, requests: int) -> None:
    token = _token(emu)
    run(emu, token, 1, 20)  # warm-up: sorted lists cached, imports done
    print(f"{title}:")
    for clients in (1, 16):
        rate, median = run(emu, token, clients, requests)
        print(f"  {clients:2d} client(s): {rate:7.1f} requests/s, median latency {median:6.2f} ms")


if __name__ == "__main__":
    main()
