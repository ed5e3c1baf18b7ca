"""`klaster query`: a named query from the terminal, as JSON or a table, with typed --param values."""
from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from fixtures.seed_graph import build_seed_graph

from klaster.cli import cli
from klaster.settings import Neo4jSettings


@pytest.fixture(scope="module")
def env(driver: Any, neo4j_settings: Neo4jSettings) -> dict[str, str]:
    build_seed_graph(driver)
    return {"NEO4J_URI": neo4j_settings.uri, "NEO4J_USER": neo4j_settings.user,
            "NEO4J_PASSWORD": neo4j_settings.password}


def test_query_json(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["query", "clusters_in_region", "--param", "region=Тульской области", "--json"],
                                env=env)
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["query"] == "clusters_in_region"
    assert "National Aerosol Cluster" in {r["cluster"] for r in body["rows"]}


def test_query_table(env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["query", "interregional_clusters", "-p", "min_regions=4"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("cluster") and "regions" in lines[0]
    assert lines[2].startswith("Упаковка на основе") and "| 4 " in lines[2] and lines[-1] == "(1 row)"


@pytest.mark.parametrize(("args", "message"), [
    (["query", "search", "-p", "text=x", "-p", "limit=many"], "limit"),
    (["query", "search", "-p", "nope=1"], "nope"),
    (["query", "search"], "missing required parameter(s): text"),
    (["query", "no_such_query"], "no query named 'no_such_query'"),
])
def test_query_bad_input(env: dict[str, str], args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 2 and message in result.output


def test_query_list() -> None:
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    assert "clusters_in_region region=<region>" in result.output and "search text=<string> [limit=20]" in result.output
