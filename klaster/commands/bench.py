"""CLI commands: `klaster bench extract|load|api`, each implemented in klaster/bench/<name>.py."""
from __future__ import annotations

import importlib

import click

# Each module exposes a click command named `command`.
BENCH_MODULES = {
    "extract": "klaster.bench.extract",
    "load": "klaster.bench.load",
    "api": "klaster.bench.api",
    "gazetteer": "klaster.bench.gazetteer",
}


class _LazyBenchGroup(click.Group):
    """Imports a benchmark only when it is run, so `klaster --help` stays fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(BENCH_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = BENCH_MODULES.get(name)
        if module is None:
            return None
        try:
            return importlib.import_module(module).command
        except ModuleNotFoundError:
            return None


def register(group: click.Group) -> None:
    @group.group(cls=_LazyBenchGroup)
    def bench() -> None:
        """Benchmarks that print throughput figures measured side by side in one run.

        \b
        Example:
          klaster bench extract --docs seeds/
        """
