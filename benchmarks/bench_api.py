"""Load on the read endpoints: 50 concurrent clients against `magchain serve` on 127.0.0.1.

    python benchmarks/bench_api.py [--seconds 60] [--clients 50]

Starts the server in its own process on the default store (as a user would), warms each
endpoint once (the outlook is then cached), and has the clients cycle through the endpoints
for the given time. Prints throughput, p50 and p95 latency per endpoint, and every error.
Target: p95 under 200 ms for the cached outlook page, with no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx

ENDPOINTS = ["/api/facilities?stage=magnet", "/api/facilities/evac-sumter", "/api/outlook?region=US",
             "/outlook?region=US", "/api/scenarios", "/api/sources?limit=50"]
TARGET_P95_S = 0.2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from magchain.cli.main import app; app()", "serve", "--port", str(port)]
    server = subprocess.Popen(command,
                              stdout=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the server did not start within two minutes")


async def client(base: str, until: float, offset: int, timings: dict, errors: list) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        step = offset
        while time.monotonic() < until:
            path = ENDPOINTS[step % len(ENDPOINTS)]
            step += 1
            start = time.perf_counter()
            try:
                response = await http.get(path)
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code}")
            except httpx.HTTPError as error:
                errors.append(f"{path}: {type(error).__name__}")
                continue
            timings[path].append(time.perf_counter() - start)


async def load(base: str, seconds: float, clients: int) -> tuple[dict, list]:
    timings, errors = {p: [] for p in ENDPOINTS}, []
    until = time.monotonic() + seconds
    await asyncio.gather(*(client(base, until, i, timings, errors) for i in range(clients)))
    return timings, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        for path in ENDPOINTS:  # warm: the chain is built and the outlook cached
            httpx.get(base + path, timeout=120).raise_for_status()
        timings, errors = asyncio.run(load(base, args.seconds, args.clients))
    finally:
        server.terminate()
        server.wait(10)
    total = sum(len(t) for t in timings.values())
    print(f"{args.clients} clients for {args.seconds:g} s: {total:,} requests, {total / args.seconds:,.1f} per second, "
          f"{len(errors)} errors")
    for path, times in timings.items():
        if times:
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(f"  {path:34s} {len(times):6,d} requests  p50 {1000 * statistics.median(times):7.1f} ms  "
                  f"p95 {1000 * p95:7.1f} ms")
    outlook = timings["/outlook?region=US"]
    if outlook:
        p95 = statistics.quantiles(outlook, n=20)[-1] if len(outlook) > 1 else outlook[0]
        verdict = "met" if p95 < TARGET_P95_S and not errors else "missed"
        print(f"cached outlook page p95 {1000 * p95:.1f} ms   target < {1000 * TARGET_P95_S:.0f} ms with no errors: {verdict}")
    for error in errors[:20]:
        print("  error:", error)


if __name__ == "__main__":
    main()
