"""CLI commands: `klaster load`, `doubts`, `merge`, `export` (the graph-writing side of Klaster)."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click


@contextmanager
def _driver() -> Iterator[tuple[Any, Any]]:
    """A driver from the settings, with a clear error when Neo4j is not there."""
    import logging

    from neo4j.exceptions import AuthError, ServiceUnavailable

    from graph.connection import open_driver
    from klaster.settings import Neo4jSettings

    # Schema notifications ("property does not exist yet") are noise on a young graph.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    settings = Neo4jSettings.from_env()
    try:
        with open_driver(settings) as driver:
            driver.verify_connectivity()
            yield driver, settings
    except ServiceUnavailable as exc:
        raise click.ClickException(
            f"Neo4j is not reachable at {settings.uri} ({exc}). Start it with `klaster neo4j start`.") from exc
    except AuthError as exc:
        raise click.ClickException(f"Neo4j refused the credentials for {settings.uri}: {exc}") from exc


def _neo4j_errors(fn: Callable[[], None]) -> None:
    from neo4j.exceptions import Neo4jError

    try:
        fn()
    except Neo4jError as exc:
        raise click.ClickException(f"Neo4j error: {exc}") from exc


def register(group: click.Group) -> None:
    """Add this family's commands to the top-level group."""

    @group.command("load")
    @click.argument("paths", nargs=-1, required=True)
    @click.option("--workers", "-w", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="Extraction processes (each loads the models once).")
    @click.option("--batch-size", type=click.IntRange(1, 10000), default=None,
                  help="Documents per write transaction (default: loaders.load.DEFAULT_BATCH, 1000).")
    @click.option("--exchange", is_flag=True,
                  help="Inputs are already-extracted exchange JSON files (e.g. `klaster extract --out` output).")
    @click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    def load(paths: tuple[str, ...], workers: int, batch_size: int | None, exchange: bool, as_json: bool,
             quiet: bool) -> None:
        """Extract, resolve and write documents and registries into the graph.

        PATHS are files, folders (read recursively) or glob patterns. CSV/XLSX files, and JSON files
        whose rows have a `cluster` column, are registries (docs/registries.md). A document whose content
        is already loaded is skipped as unchanged; a changed one replaces its own facts. Unreadable files
        are reported and skipped.

        \b
        Example:
          klaster load seeds/ --workers 2
          klaster load 'news/**/*.html' seeds/registry/example_registry.csv
        """
        from loaders.load import DEFAULT_BATCH, load_paths, report_dict

        with _driver() as (driver, settings):
            report = None

            def run() -> None:
                nonlocal report
                report = load_paths(driver, paths, workers=workers, batch_size=batch_size or DEFAULT_BATCH,
                                    mode="exchange" if exchange else "text", progress=not quiet,
                                    database=settings.database)

            _neo4j_errors(run)
        assert report is not None
        click.echo(json.dumps(report_dict(report), ensure_ascii=False, indent=2) if as_json else report.summary())

    @group.command("doubts")
    @click.option("--min-score", type=click.FloatRange(0, 100), default=80.0, show_default=True,
                  help="Lowest rapidfuzz token-set ratio listed.")
    @click.option("--label", type=click.Choice(["Cluster", "Enterprise", "Institution", "Official"]),
                  multiple=True, help="Only these labels (repeatable).")
    @click.option("--limit", type=int, default=100, show_default=True)
    @click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
    def doubts(min_score: float, label: tuple[str, ...], limit: int, as_json: bool) -> None:
        """List pairs of nodes that may be the same thing, with a score, for `klaster merge`.

        \b
        Example:
          klaster doubts --label Enterprise
          klaster merge Enterprise:arnest 'Enterprise:arnest|llc'
        """
        from graph.merge import COMPARED_LABELS, find_doubts

        with _driver() as (driver, settings):
            pairs = find_doubts(driver, min_score, tuple(label) or COMPARED_LABELS, limit, settings.database)
        if as_json:
            click.echo(json.dumps([p.__dict__ for p in pairs], ensure_ascii=False, indent=2))
            return
        if not pairs:
            click.echo("no doubts")
            return
        for p in pairs:
            click.echo(f"{p.score:5.1f}  {p.a}  ({p.a_name})  ~  {p.b}  ({p.b_name})  [{p.reason}]")

    @group.command("merge")
    @click.argument("a")
    @click.argument("b")
    def merge(a: str, b: str) -> None:
        """Merge node B into node A (`Label:key`, as `klaster doubts` prints them).

        A keeps every relationship of both, with all their sources and evidence; B's names become A's
        aliases, so later loads resolve them to A.

        \b
        Example:
          klaster merge 'Cluster:altai polymer composite cluster' 'Cluster:altai composite cluster'
        """
        from graph.merge import merge_nodes

        with _driver() as (driver, settings):
            try:
                result = merge_nodes(driver, a, b, settings.database)
            except (ValueError, LookupError) as exc:
                raise click.ClickException(str(exc)) from exc
        click.echo(f"merged {result['removed']} into {result['kept']}: {result['relationshipsMoved']} "
                   f"relationships moved, {result['aliasesAdded']} aliases added")

    @group.command("export")
    @click.option("--format", "fmt", type=click.Choice(["json", "graphml", "csv"]), required=True)
    @click.option("--out", type=click.Path(path_type=Path), required=True,
                  help="A file (json, graphml) or a folder (csv, json --per-document).")
    @click.option("--per-document", is_flag=True,
                  help="json only: one exchange file per document in the --out folder (the scorer's layout).")
    def export(fmt: str, out: Path, per_document: bool) -> None:
        """Export the graph: exchange JSON (shared/schema.md), GraphML (Gephi, yEd) or neo4j-admin CSV.

        \b
        Example:
          klaster export --format json --out graph.json
          klaster export --format json --per-document --out pred/ && python score.py gold/ pred/
          klaster export --format csv --out import/ && sh import/import.sh
        """
        from graph.export import export as run_export

        if per_document and fmt != "json":
            raise click.UsageError("--per-document applies to --format json only")
        with _driver() as (driver, settings):
            written = run_export(driver, fmt, out, per_document, settings.database)
        click.echo(f"wrote {len(written)} file(s) to {out}")
