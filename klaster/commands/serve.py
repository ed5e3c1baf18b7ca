"""CLI commands: `klaster serve` (the HTTP API under uvicorn) and `klaster query` (a named query from
the terminal, as a table or JSON)."""
from __future__ import annotations

import json
import shutil
from typing import Any

import click


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return str(value)


def render_table(columns: list[str], rows: list[dict[str, Any]], width: int | None = None) -> str:
    """A plain-text table; when it is wider than the terminal the widest columns are cut first
    (use --json for everything)."""
    width = width or shutil.get_terminal_size((160, 20)).columns
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    room = width - 3 * (len(columns) - 1)
    while sum(widths) > room and max(widths) > 12:
        widths[widths.index(max(widths))] -= 1
    cut = [[c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(row, widths, strict=True)] for row in cells]

    def line(vals: list[str]) -> str:
        return " | ".join(v[:w].ljust(w) for v, w in zip(vals, widths, strict=True)).rstrip()

    out = [line(columns), "-+-".join("-" * w for w in widths)] + [line(row) for row in cut]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def register(group: click.Group) -> None:
    @group.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
    @click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
    @click.option("--workers", default=1, show_default=True, type=int, help="Worker processes.")
    def serve(host: str, port: int, workers: int) -> None:
        """Serve the named queries over HTTP: GET /queries, /queries/NAME, /health, /guide, /docs.

        Neo4j is reached through NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (default: the local server).
        Timeouts: KLASTER_API_QUERY_TIMEOUT (seconds, default 15). In Neo4j Browser,
        `:guide http://localhost:8000/guide` opens a guide of every query.

        \b
        Example:
          klaster serve --port 8000
          curl 'http://127.0.0.1:8000/queries/clusters_in_region?region=RU-TUL'
        """
        import uvicorn

        from api.app import create_app
        from api.registry import RegistryError

        try:
            create_app()  # validate the query files now, with a clear message, before uvicorn starts
        except RegistryError as exc:
            raise click.ClickException(f"bad query file: {exc}") from exc
        uvicorn.run("api.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="info", access_log=False)

    @group.command("query")
    @click.argument("name", required=False)
    @click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
                  help="A query parameter (repeatable).")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
    @click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
    def query(name: str | None, params: tuple[str, ...], as_json: bool, list_queries: bool) -> None:
        """Run a named query from cypher/ and print its rows as a table (or JSON).

        \b
        Example:
          klaster query clusters_in_region --param region="Тульской области"
          klaster query cluster_profile -p cluster="National Aerosol Cluster" --json
          klaster query --list
        """
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        from api.execute import prepare_params, run_sync
        from api.registry import RegistryError, load_registry
        from graph.connection import open_driver
        from klaster.settings import Neo4jSettings, cypher_dir

        try:
            registry = load_registry(cypher_dir())
        except RegistryError as exc:
            raise click.ClickException(f"bad query file: {exc}") from exc
        if list_queries or not name:
            for q in registry.values():
                args = " ".join(f"{p.name}=<{p.type}>" if p.required else f"[{p.name}={p.default}]"
                                for p in q.params)
                click.echo(f"{q.name} {args}".rstrip())
                click.echo(f"    {q.description}")
            return
        if name not in registry:
            raise click.UsageError(f"no query named {name!r}; `klaster query --list` shows them")
        named = registry[name]
        declared = {p.name: p for p in named.params}
        given: dict[str, Any] = {}
        for raw in params:
            key, sep, value = raw.partition("=")
            if not sep or key not in declared:
                raise click.BadParameter(f"{raw!r}: expected KEY=VALUE with KEY one of {sorted(declared)}",
                                         param_hint="--param")
            try:
                given[key] = declared[key].coerce(value)
            except ValueError as exc:
                raise click.BadParameter(f"{key}: {exc}", param_hint="--param") from exc
        missing = [p.name for p in named.params if p.required and p.name not in given]
        if missing:
            raise click.BadParameter(f"missing required parameter(s): {', '.join(missing)}", param_hint="--param")
        settings = Neo4jSettings.from_env()
        try:
            with open_driver(settings) as driver:
                columns, rows = run_sync(driver, named, prepare_params(named, given), database=settings.database,
                                         timeout=None)
        except ServiceUnavailable as exc:
            raise click.ClickException(f"Neo4j is not reachable at {settings.uri}: {exc}") from exc
        except Neo4jError as exc:
            raise click.ClickException(f"Neo4j refused the query: {exc.message or exc}") from exc
        if as_json:
            click.echo(json.dumps({"query": name, "columns": columns, "rows": rows}, ensure_ascii=False, indent=2))
        else:
            click.echo(render_table(columns, rows))
