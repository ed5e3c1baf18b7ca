"""`klaster bench api`: requests/s and latency (p50, p99) of named queries through the HTTP API, next to
the same queries run directly with the async Neo4j driver, in one run, with the same concurrency.

The API runs under uvicorn in a subprocess on a free 127.0.0.1 port (as `klaster serve` would); the
clients are 32 httpx AsyncClients in this process, one keep-alive connection each (a shared pool of
32 costs the client more CPU than the server spends on a request: httpcore scans the whole pool per
request). The direct side runs the very same read transactions (api.execute.run_async, JSON
conversion included) from 32 tasks in this process. Both sides run on the same event loop (uvloop
when installed), alternating in rounds so that a change of machine load hits both alike.
Target: API throughput >= 70 % of direct.
"""
from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import click

TARGET_RATIO = 0.70


@dataclass
class Result:
    query: str
    mode: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    client_cpu: float = 0.0  # CPU seconds of this process (the driver for direct, httpx for api)
    server_cpu: float = 0.0  # CPU seconds of the uvicorn process tree (api only)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def _drive(ops: list[Callable[[], Awaitable[None]]], total: int) -> tuple[float, list[float], int]:
    """`total` calls shared by one worker per op (each op is one client); wall time, latencies, failures."""
    remaining = total
    latencies: list[float] = []
    errors = 0

    async def worker(op: Callable[[], Awaitable[None]]) -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            t0 = time.perf_counter()
            try:
                await op()
            except Exception:  # noqa: BLE001 -- a failed call is counted, the run goes on
                errors += 1
            latencies.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(op) for op in ops))
    return time.perf_counter() - t0, latencies, errors


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a process and its descendants, from /proc (0.0 elsewhere)."""
    stats: dict[int, tuple[int, float]] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += stats.get(pid, (0, 0.0))[1]
        todo += [child for child, (parent, _) in stats.items() if parent == pid]
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int, workers: int, settings: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, env=env)


async def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise click.ClickException("the API server exited at start-up")
            try:
                r = await client.get(f"{base}/health")
                if r.status_code == 200 and r.json().get("neo4j") == "ok":
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise click.ClickException("the API server did not become healthy")


def _quiet_sniffio() -> None:
    """httpcore tries `import sniffio` on every request; when it is not installed each failed import
    searches sys.path (~0.4 ms of client CPU). A None entry makes the import fail at once."""
    import importlib.util

    if importlib.util.find_spec("sniffio") is None:
        sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]


async def _run(cases: list[tuple[str, dict[str, Any]]], total: int, concurrency: int, workers: int,
               warmup: int, rounds: int) -> list[Result]:
    import httpx
    from neo4j import AsyncGraphDatabase

    from api.execute import run_async
    from api.registry import load_registry
    from klaster.settings import Neo4jSettings, cypher_dir

    settings = Neo4jSettings.from_env()
    registry = load_registry(cypher_dir())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_server(port, workers, settings)
    results: dict[tuple[str, str], Result] = {}
    driver = AsyncGraphDatabase.driver(settings.uri, auth=(settings.user, settings.password),
                                       notifications_min_severity="OFF")
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [httpx.AsyncClient(base_url=base, limits=one, timeout=60, trust_env=False)
               for _ in range(concurrency)]
    try:
        await _wait_healthy(base, proc)
        for name, params in cases:
            query = registry[name]
            full = {**query.defaults(), **params}

            async def direct(query: Any = query, full: dict[str, Any] = full) -> None:
                _, rows = await run_async(driver, query, full, database=settings.database, timeout=15)
                if not rows:
                    raise RuntimeError("no rows")

            def api(client: Any, name: str = name, params: dict[str, Any] = params) -> Callable[[], Awaitable[None]]:
                # The request is built once and sent again and again: the same bytes on the wire, without
                # httpx re-parsing the URL and merging headers each time (client CPU is scarce here).
                request = client.build_request("GET", f"/queries/{name}", params=params)

                async def call() -> None:
                    r = await client.send(request)
                    if r.status_code != 200 or b'"rows":[]' in r.content:
                        raise RuntimeError(f"HTTP {r.status_code}")
                return call

            modes = {"direct": [direct] * concurrency, "api": [api(c) for c in clients]}
            for ops in modes.values():
                await _drive(ops, warmup)
            for _ in range(rounds):
                for mode, ops in modes.items():
                    cpu0, server0 = time.process_time(), _tree_cpu(proc.pid)
                    seconds, latencies, errors = await _drive(ops, total // rounds)
                    r = results.setdefault((name, mode), Result(name, mode, 0, 0.0, [], 0))
                    r.client_cpu += time.process_time() - cpu0
                    r.server_cpu += _tree_cpu(proc.pid) - server0
                    r.requests += len(latencies)
                    r.seconds += seconds
                    r.latencies += latencies
                    r.errors += errors
    finally:
        for c in clients:
            await c.aclose()
        await driver.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return list(results.values())


def _event_loop_run(coro: Awaitable[list[Result]]) -> list[Result]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    return uvloop.run(coro)  # type: ignore[arg-type]


@click.command("api")
@click.option("--requests", "total", default=3000, show_default=True, help="Requests per query and mode.")
@click.option("--concurrency", default=32, show_default=True, help="Concurrent clients.")
@click.option("--workers", default=1, show_default=True, help="uvicorn worker processes for the API.")
@click.option("--warmup", default=200, show_default=True, help="Unmeasured requests first, per query and mode.")
@click.option("--rounds", default=6, show_default=True, help="Alternations of direct and API per query.")
@click.option("--cluster", default="National Aerosol Cluster", show_default=True,
              help="The cluster that cluster_profile asks for.")
def command(total: int, concurrency: int, workers: int, warmup: int, rounds: int, cluster: str) -> None:
    """Named queries through the HTTP API vs the async driver directly: requests/s, p50, p99, ratio.

    Uses the graph at NEO4J_URI (load it first, e.g. `klaster load seeds/`). Target: API >= 70 % of
    direct throughput.

    \b
    Example:
      klaster bench api --requests 3000 --concurrency 32
    """
    cases = [("cluster_profile", {"cluster": cluster}), ("regions_sharing_clusters", {})]
    _quiet_sniffio()
    results = _event_loop_run(_run(cases, total, concurrency, workers, warmup, max(1, rounds)))
    click.echo(f"{concurrency} concurrent clients, {total} requests per query and mode, "
               f"API under uvicorn with {workers} worker(s)")
    click.echo(f"{'query':<26} {'mode':<7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
               f" {'cpu ms/req: bench':>18} {'server':>7}")
    ok = True
    for name, _ in cases:
        pair = {r.mode: r for r in results if r.query == name}
        for mode in ("direct", "api"):
            r = pair[mode]
            click.echo(f"{name:<26} {mode:<7} {r.rate:>9.0f} {r.percentile(0.5):>8.2f} {r.percentile(0.99):>8.2f}"
                       f" {r.errors:>7} {r.client_cpu / r.requests * 1000:>18.2f}"
                       f" {r.server_cpu / r.requests * 1000 if mode == 'api' else 0:>7.2f}")
        ratio = pair["api"].rate / pair["direct"].rate if pair["direct"].rate else 0.0
        ok &= ratio >= TARGET_RATIO and not pair["api"].errors and not pair["direct"].errors
        api_cpu = pair["api"].server_cpu / pair["api"].requests
        direct_cpu = pair["direct"].client_cpu / pair["direct"].requests
        click.echo(f"{name:<26} ratio api/direct = {ratio:.2f} (target >= {TARGET_RATIO:.2f}); "
                   f"CPU per request direct/API server = {direct_cpu / api_cpu if api_cpu else 0:.2f}")
    mean = statistics.mean(r.rate for r in results if r.mode == "api")
    click.echo(f"mean API throughput {mean:.0f} req/s; target {'met' if ok else 'NOT met'}; "
               f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
