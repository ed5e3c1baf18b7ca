"""`klaster bench api`: requests/s and latency (p50, p99) of named queries through the HTTP API, next to
the same queries run directly with the async Neo4j driver, in one run, with the same concurrency.

The API runs under uvicorn (uvloop, httptools, no access log) in a subprocess on a free 127.0.0.1 port.
The load generator is a minimal HTTP/1.1 client on asyncio streams: one keep-alive connection per
client, one request in flight on each, a prebuilt request, the status line and Content-Length parsed
and the body read. It costs far less CPU per request than httpx, which on a small machine competed
with the server it was measuring. Every answer is checked: status 200 and a body equal to a reference
answer that was itself checked, once, against the rows the driver returns directly (or, if the bytes
differ, parsed and compared); anything else is an error, and a run with errors fails.

The direct side runs the very same read transactions as the API (api.execute.run_async: a session per
call, execute_read, the same query text and prepared parameters, the rows consumed into lists of dicts
of the driver's values) through a driver configured like the API's (api.app._open_driver: its pool
holds up to 100 connections), from 32 tasks in this process; what the API adds is HTTP and encoding
the rows as JSON. Direct and API alternate in short
rounds (ABBA order) so that a change of machine load hits both alike; the figures are medians over
the rounds and the ratio is the median of the per-round API/direct ratios. Target: API >= 70 % of
direct throughput.
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import click

TARGET_RATIO = 0.70
Op = Callable[[], Awaitable[bool]]


@dataclass
class Round:
    in_window: int  # requests completed within the round's window
    requests: int  # all requests of the round (CPU is shared among them)
    seconds: float  # the window
    errors: int
    bench_cpu: float  # CPU seconds of this process: the HTTP client for api, the driver for direct
    server_cpu: float  # CPU seconds of the uvicorn process tree (api only)
    neo4j_cpu: float  # CPU seconds of the local Neo4j server (0.0 when it cannot be seen)

    @property
    def rate(self) -> float:
        return self.in_window / self.seconds if self.seconds else 0.0


@dataclass
class Series:
    query: str
    mode: str
    rounds: list[Round] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.rounds)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)

    def median_rate(self) -> float:
        return statistics.median(r.rate for r in self.rounds) if self.rounds else 0.0

    def cpu_ms(self, attr: str) -> float:
        return sum(getattr(r, attr) for r in self.rounds) / self.requests * 1000 if self.requests else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class HttpConnection:
    """One HTTP/1.1 keep-alive connection with one request in flight; reconnects after a failure."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, request: bytes) -> tuple[int, bytes]:
        """Status and body of one prebuilt request."""
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
            assert self.reader is not None
            self.writer.write(request)
            head = (await self.reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head[9:12])
            start = head.find(b"\r\ncontent-length:")
            if start >= 0:
                end = head.index(b"\r\n", start + 2)
                body = await self.reader.readexactly(int(head[start + 17:end]))
            elif b"\r\ntransfer-encoding: chunked" in head:
                body = await self._chunked()
            else:
                raise ConnectionError("response without Content-Length or chunked encoding")
            if b"\r\nconnection: close" in head:
                self.close()
            return status, body
        except BaseException:
            self.close()  # the connection's state is unknown: the next request opens a new one
            raise

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":
                    pass  # trailer fields, up to the empty line
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Drive:
    in_window: int  # calls completed within the window: the throughput is in_window / seconds
    latencies: list[float]  # of every call, those still in flight at the window's end included
    errors: int


async def _drive(ops: list[Op], seconds: float) -> Drive:
    """Every op (one client) called again and again for a window of `seconds`; the calls still in flight
    at its end are awaited (their CPU and latency count) but not counted in the throughput, so a mode
    with longer latencies is not charged for the emptying of its pipeline."""
    latencies: list[float] = []
    errors = in_window = 0
    clock = time.perf_counter
    deadline = clock() + seconds

    async def worker(op: Op) -> None:
        nonlocal errors, in_window
        while clock() < deadline:
            t0 = clock()
            try:
                ok = await op()
            except Exception:  # noqa: BLE001 -- a failed call is counted, the run goes on
                ok = False
            t1 = clock()
            latencies.append(t1 - t0)
            in_window += t1 <= deadline
            if not ok:
                errors += 1

    # A server that stops answering must not hang the benchmark: the round is given up, all as errors.
    try:
        await asyncio.wait_for(asyncio.gather(*(worker(op) for op in ops)), seconds + 60)
    except TimeoutError:
        errors += len(ops)
    return Drive(in_window, latencies, errors)


def _process_tree(root: int) -> list[int]:
    """A process and its descendants (uvicorn with --workers forks children), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += [child for child, parent in parents.items() if parent == pid]
    return tree


def _cpu(pids: list[int]) -> float:
    """CPU seconds (user + system) of these processes, from /proc (0.0 where unavailable)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _listening_pid(uri: str) -> int | None:
    """The local process listening on the URI's port (the Neo4j server), from /proc; None when the
    server is remote or not visible from here. Its CPU shows what each request costs the database."""
    parts = urlsplit(uri)
    if parts.hostname not in ("localhost", "127.0.0.1", "::1") or not os.path.isdir("/proc"):
        return None
    port = parts.port or 7687
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as fh:
                next(fh)
                for line in fh:
                    fields = line.split()
                    if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                        inodes.add(f"socket:[{fields[9]}]")
        except OSError:
            continue
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{entry}/fd"):
                if os.readlink(f"/proc/{entry}/fd/{fd}") in inodes:
                    return int(entry)
        except OSError:
            continue
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_server(port: int, workers: int, settings: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": settings.database}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
           "--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(cmd, env=env)


async def _wait_healthy(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    conn = HttpConnection("127.0.0.1", port)
    request = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise click.ClickException("the API server exited at start-up")
            try:
                status, body = await conn.get(request)
                if status == 200 and json.loads(body).get("neo4j") == "ok":
                    return
            except (OSError, ValueError, asyncio.IncompleteReadError):
                pass
            await asyncio.sleep(0.2)
    finally:
        conn.close()
    raise click.ClickException("the API server did not become healthy")


def _check(name: str, body: bytes, columns: list[str], rows: list[dict[str, Any]]) -> bool:
    """Whether an API body says exactly what the driver returned."""
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return answer == {"query": name, "columns": columns, "rows": rows}


async def _run(cases: list[tuple[str, dict[str, Any]]], seconds: float, concurrency: int, workers: int,
               warmup: float, rounds: int) -> list[Series]:
    from api.app import _open_driver
    from api.config import ApiSettings
    from api.execute import prepare_params, run_async
    from api.registry import load_registry

    settings = ApiSettings.from_env()
    registry = load_registry(settings.cypher_dir)
    port = _free_port()
    proc = _start_server(port, workers, settings.neo4j)
    series: list[Series] = []
    # The API's own driver settings (pool, timeouts, notifications), so the two sides differ only by HTTP.
    driver = _open_driver(settings)
    conns = [HttpConnection("127.0.0.1", port) for _ in range(concurrency)]
    try:
        await _wait_healthy(port, proc)
        server_pids = _process_tree(proc.pid)
        neo4j_pid = _listening_pid(settings.neo4j.uri)
        neo4j_pids = [neo4j_pid] if neo4j_pid else []
        for name, given in cases:
            query = registry[name]
            params = prepare_params(query, given)
            columns, rows = await run_async(driver, query, params, database=settings.neo4j.database,
                                            timeout=settings.query_timeout)  # JSON-safe: the reference answer
            if not rows:
                raise click.ClickException(f"{name} returns no rows for {given}: load the graph first")
            request = (f"GET /queries/{name}?{urlencode(given)} HTTP/1.1\r\n"
                       f"Host: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n").encode()
            status, reference = await conns[0].get(request)
            if status != 200 or not _check(name, reference, columns, rows):
                raise click.ClickException(f"{name}: the API (HTTP {status}) does not answer what the driver returns")

            async def direct(query: Any = query, params: dict[str, Any] = params, columns: list[str] = columns,
                             count: int = len(rows)) -> bool:
                # The API's own call: rows of the driver's values, which the API then encodes in one pass.
                got_columns, got_rows = await run_async(driver, query, params, database=settings.neo4j.database,
                                                        timeout=settings.query_timeout, convert=False)
                return got_columns == columns and len(got_rows) == count

            def api(conn: HttpConnection, name: str = name, request: bytes = request, reference: bytes = reference,
                    columns: list[str] = columns, rows: list[dict[str, Any]] = rows) -> Op:
                async def call() -> bool:
                    status, body = await conn.get(request)
                    # Equal bytes cost a memcmp; a different body is parsed and must still say the same.
                    return status == 200 and (body == reference or _check(name, body, columns, rows))
                return call

            modes: dict[str, list[Op]] = {"direct": [direct] * concurrency, "api": [api(c) for c in conns]}
            measured = {mode: Series(name, mode) for mode in modes}
            for ops in modes.values():
                await _drive(ops, warmup)
            for i in range(rounds):
                for mode in (("direct", "api") if i % 2 == 0 else ("api", "direct")):
                    server0, neo0 = _cpu(server_pids), _cpu(neo4j_pids)
                    cpu0 = time.process_time()
                    drive = await _drive(modes[mode], seconds)
                    cpu1 = time.process_time()
                    server1, neo1 = _cpu(server_pids), _cpu(neo4j_pids)
                    measured[mode].rounds.append(Round(drive.in_window, len(drive.latencies), seconds, drive.errors,
                                                       cpu1 - cpu0, server1 - server0 if mode == "api" else 0.0,
                                                       neo1 - neo0))
                    measured[mode].latencies += drive.latencies
            series += measured.values()
    finally:
        for c in conns:
            c.close()
        await driver.close()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return series


def _event_loop_run(coro: Awaitable[list[Series]]) -> list[Series]:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    return uvloop.run(coro)  # type: ignore[arg-type]


def _report(cases: list[tuple[str, dict[str, Any]]], series: list[Series]) -> bool:
    """Prints the table and the verdict; whether the target is met without errors."""
    click.echo(f"{'query':<26} {'mode':<7} {'req/s':>7} {'min':>6} {'max':>6} {'p50 ms':>7} {'p99 ms':>7}"
               f" {'requests':>8} {'errors':>6} {'cpu ms/req: bench':>17} {'server':>6} {'neo4j':>6}")
    ok, verdicts, failed = True, [], 0
    for name, _ in cases:
        pair = {s.mode: s for s in series if s.query == name}
        for mode in ("direct", "api"):
            s = pair[mode]
            rates = [r.rate for r in s.rounds]
            server = f"{s.cpu_ms('server_cpu'):>6.2f}" if mode == "api" else f"{'-':>6}"
            click.echo(f"{name:<26} {mode:<7} {s.median_rate():>7.0f} {min(rates):>6.0f} {max(rates):>6.0f}"
                       f" {s.percentile(0.5):>7.1f} {s.percentile(0.99):>7.1f} {s.requests:>8} {s.errors:>6}"
                       f" {s.cpu_ms('bench_cpu'):>17.3f} {server} {s.cpu_ms('neo4j_cpu'):>6.2f}")
        ratios = [a.rate / d.rate for a, d in zip(pair["api"].rounds, pair["direct"].rounds, strict=True) if d.rate]
        ratio = statistics.median(ratios) if ratios else 0.0
        click.echo(f"{name:<26} ratio api/direct: median of {len(ratios)} paired rounds {ratio:.2f} "
                   f"(range {min(ratios, default=0):.2f}-{max(ratios, default=0):.2f}); "
                   f"of median rates {pair['api'].median_rate() / (pair['direct'].median_rate() or 1):.2f}")
        total = {m: pair[m].cpu_ms("bench_cpu") + pair[m].cpu_ms("server_cpu") + pair[m].cpu_ms("neo4j_cpu")
                 for m in pair}
        click.echo(f"{name:<26} CPU ms per request, all measured processes: direct {total['direct']:.2f}, "
                   f"api {total['api']:.2f} (direct/api {total['direct'] / (total['api'] or 1):.2f})")
        errors = pair["api"].errors + pair["direct"].errors
        failed += errors
        ok &= ratio >= TARGET_RATIO and not errors
        verdicts.append(f"{name} {ratio:.2f}")
    state = "FAILED (errors)" if failed else ("MET" if ok else "NOT MET")
    click.echo(f"verdict: API >= {TARGET_RATIO:.2f} x direct throughput {state}: {', '.join(verdicts)}; "
               f"{failed} errors; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    return ok


@click.command("api")
@click.option("--seconds", default=0.75, show_default=True, help="Length of one round, per query and mode.")
@click.option("--rounds", default=13, show_default=True, help="Alternations of direct and API per query.")
@click.option("--concurrency", default=32, show_default=True, help="Concurrent clients.")
@click.option("--workers", default=1, show_default=True, help="uvicorn worker processes for the API.")
@click.option("--warmup", default=0.75, show_default=True, help="Unmeasured seconds first, per query and mode.")
@click.option("--cluster", default="National Aerosol Cluster", show_default=True,
              help="The cluster that cluster_profile asks for.")
def command(seconds: float, rounds: int, concurrency: int, workers: int, warmup: float, cluster: str) -> None:
    """Named queries through the HTTP API vs the async driver directly: requests/s, p50, p99, ratio.

    Uses the graph at NEO4J_URI (load it first, e.g. `klaster load seeds/`). Rounds of direct and API
    alternate; figures are medians over rounds. Target: API >= 70 % of direct throughput. Takes
    2 queries x 2 modes x (rounds x seconds + warmup) + pipeline tails + start-up: ~55 s by default. CPU per request
    is that of this process (client or driver), the API server and, when local, Neo4j.

    \b
    Example:
      klaster bench api --rounds 13 --seconds 0.75 --concurrency 32
    """
    cases = [("cluster_profile", {"cluster": cluster}), ("regions_sharing_clusters", {})]
    series = _event_loop_run(_run(cases, seconds, concurrency, workers, warmup, max(1, rounds)))
    click.echo(f"{concurrency} concurrent clients (raw HTTP/1.1 keep-alive, one connection each); "
               f"{rounds} alternating rounds of {seconds:g} s per query and mode; "
               f"API: uvicorn (uvloop, httptools, no access log), {workers} worker(s)")
    _report(cases, series)
