"""The `klaster` command line: a click group; each command family lives in klaster/commands/<family>.py.

Command modules import heavy libraries (natasha, neo4j, fastapi) inside their functions, so that
`klaster --help` stays instant.
"""
from __future__ import annotations

import importlib

import click

from klaster import __version__

# Each module exposes `register(group: click.Group) -> None`.
COMMAND_MODULES = (
    "klaster.commands.neo4j",   # neo4j start|stop|status
    "klaster.commands.schema",  # init
    "klaster.commands.extract", # extract, eval
    "klaster.commands.load",    # load, doubts, merge, export
    "klaster.commands.serve",   # serve, query
    "klaster.commands.bench",   # bench extract|load|api
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="klaster")
def cli() -> None:
    """Klaster: a knowledge graph of Russia's industrial clusters in Neo4j.

    \b
    Example:
      klaster neo4j start && klaster init && klaster load seeds/ && klaster serve
    """


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(cli)


def main() -> None:
    # Before numpy is imported by any command: one BLAS thread per process (see loaders/runtime.py).
    from loaders.runtime import single_threaded_math

    single_threaded_math()
    cli()
