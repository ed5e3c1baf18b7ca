"""CLI commands: neo4j start|stop|status|assemble, the local Neo4j server (or a report on an external one)."""
from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from graph.server import LocalNeo4j

NOT_RUNNING_EXIT = 3  # the LSB status code for "not running", as Neo4j's own `neo4j status` uses


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _local_server(heap: str = "1g", pagecache: str = "1g") -> LocalNeo4j:
    from graph.server import LocalNeo4j
    from klaster.settings import local_password, state_dir

    return LocalNeo4j(home=state_dir() / "neo4j", bolt_port=7687, http_port=7474, password=local_password(),
                      heap=heap, pagecache=pagecache, report=_progress)


def _password_note() -> str:
    from klaster.settings import password_file

    if os.environ.get("NEO4J_PASSWORD"):
        return "from NEO4J_PASSWORD"
    return f"in {password_file()} (readable only by you)"


def _external_uri() -> str | None:
    return os.environ.get("NEO4J_URI") or None


def _print_addresses(server: LocalNeo4j) -> None:
    click.echo(f"  Bolt:     {server.bolt_uri}")
    click.echo(f"  HTTP:     {server.http_url}")
    click.echo(f"  Browser:  {server.browser_url}")
    click.echo(f"  user:     neo4j, password {_password_note()}")
    click.echo(f"  home:     {server.home} (logs in {server.log_file.parent})")


def _server_error(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group("neo4j")
def neo4j_group() -> None:
    """Run the local Neo4j 5.26 server (no Docker): assemble, start, stop, status.

    The server is assembled once from Maven Central into .state/neo4j-dist/ and keeps its data and
    logs in .state/neo4j/. With NEO4J_URI set, Klaster uses that server and starts nothing.

    \b
    Example:
      klaster neo4j start
      klaster neo4j status
      klaster neo4j stop
    """


@neo4j_group.command("assemble")
def assemble_cmd() -> None:
    """Download and assemble Neo4j and APOC with Maven (once; later runs reuse the cache).

    \b
    Example:
      klaster neo4j assemble
    """
    from graph.server import Neo4jServerError

    server = _local_server()
    started = time.monotonic()
    try:
        dist = server.assemble()
    except Neo4jServerError as exc:
        raise _server_error(exc) from exc
    click.echo(f"Neo4j jars ready in {dist} ({time.monotonic() - started:.1f} s)")


@neo4j_group.command("start")
@click.option("--heap", default="1g", show_default=True, help="JVM heap (initial and maximum).")
@click.option("--pagecache", default="1g", show_default=True, help="Page cache size.")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt to answer.")
def start_cmd(heap: str, pagecache: str, timeout: float) -> None:
    """Start the local server and wait until Bolt answers; does nothing if it already runs.

    \b
    Example:
      klaster neo4j start
      klaster neo4j start --heap 2g --pagecache 2g
    """
    from graph.server import Neo4jServerError

    uri = _external_uri()
    if uri:
        click.echo(f"NEO4J_URI is set ({uri}): an external server is configured, nothing is started locally.")
        return
    server = _local_server(heap, pagecache)
    already = server.pid() is not None
    started = time.monotonic()
    try:
        status = server.start(timeout=timeout)
    except Neo4jServerError as exc:
        raise _server_error(exc) from exc
    how = "was already running" if already else f"started in {time.monotonic() - started:.1f} s"
    click.echo(f"Neo4j {status.version or ''} {how} (pid {status.pid})".replace("  ", " "))
    _print_addresses(server)


@neo4j_group.command("stop")
def stop_cmd() -> None:
    """Stop the local server started by `klaster neo4j start` (found by its pid file).

    \b
    Example:
      klaster neo4j stop
    """
    uri = _external_uri()
    if uri:
        click.echo(f"NEO4J_URI is set ({uri}): an external server is configured, nothing to stop here.")
        return
    server = _local_server()
    pid = server.pid()
    started = time.monotonic()
    if server.stop():
        click.echo(f"Neo4j stopped (pid {pid}, {time.monotonic() - started:.1f} s)")
    else:
        click.echo("Neo4j was not running")


@neo4j_group.command("status")
def status_cmd() -> None:
    """Say whether Neo4j runs, with its pid, version and URLs; exit code 3 when it does not.

    \b
    Example:
      klaster neo4j status
    """
    uri = _external_uri()
    if uri:
        from graph.server import probe
        from klaster.settings import Neo4jSettings

        settings = Neo4jSettings.from_env()
        version, problem = probe(settings.uri, settings.user, settings.password)
        state = f"reachable, Neo4j {version}" if version else f"NOT usable: {problem}"
        click.echo(f"External Neo4j (NEO4J_URI): {state}")
        click.echo(f"  URI:      {uri}")
        click.echo(f"  user:     {settings.user}, database {settings.database}")
        if not version:
            sys.exit(NOT_RUNNING_EXIT)
        return
    server = _local_server()
    status = server.status()
    if status.running:
        version = status.version or f"version unknown: {status.problem}"
        click.echo(f"Neo4j: running (pid {status.pid}), {version}")
    else:
        click.echo("Neo4j: stopped")
    _print_addresses(server)
    if not status.running:
        sys.exit(NOT_RUNNING_EXIT)


def register(group: click.Group) -> None:
    """Add this family's commands to the top-level group."""
    group.add_command(neo4j_group)
