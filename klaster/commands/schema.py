"""CLI command: `klaster init`, which applies the schema and loads the Region gazetteer."""
from __future__ import annotations

import click


def register(group: click.Group) -> None:
    @group.command("init")
    def init() -> None:
        """Create constraints and indexes and load every Russian region (idempotent).

        \b
        Example:
          klaster init
        """
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        from graph.connection import open_driver
        from graph.schema import init_graph
        from klaster.settings import Neo4jSettings

        settings = Neo4jSettings.from_env()
        try:
            with open_driver(settings) as driver:
                result = init_graph(driver, settings.database)
        except ServiceUnavailable as exc:
            raise click.ClickException(
                f"Neo4j is not reachable at {settings.uri} ({exc}). Start it with `klaster neo4j start`."
            ) from exc
        except Neo4jError as exc:
            raise click.ClickException(f"Neo4j refused the schema: {exc}") from exc
        click.echo(
            f"schema applied; {result.regions} regions ({result.created} created, {result.updated} updated)"
        )
