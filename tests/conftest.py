"""Shared fixtures: a real Neo4j server for the test session, never the user's database.

By default the session starts its own server (graph.server.LocalNeo4j) in `.state/test-neo4j` on
ports 17687/17474 and stops it at the end. Set KLASTER_TEST_NEO4J_URI (and
KLASTER_TEST_NEO4J_PASSWORD) to use an already running disposable server instead: it is wiped.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from klaster.settings import PROJECT_ROOT, Neo4jSettings

if TYPE_CHECKING:
    from graph.server import LocalNeo4j

TEST_BOLT_PORT = 17687
TEST_HTTP_PORT = 17474
TEST_PASSWORD = "klaster-test-password"
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def local_neo4j() -> Iterator[LocalNeo4j | None]:
    """The session's own server (started here, stopped at the end), or None with KLASTER_TEST_NEO4J_URI set."""
    if os.environ.get("KLASTER_TEST_NEO4J_URI"):
        yield None
        return
    from graph.server import LocalNeo4j

    # 512m heap and page cache: the test graphs are small and the machine has 2 cores and 24 GiB.
    server = LocalNeo4j(home=PROJECT_ROOT / ".state" / "test-neo4j", bolt_port=TEST_BOLT_PORT,
                        http_port=TEST_HTTP_PORT, password=TEST_PASSWORD, heap="512m", pagecache="512m")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_settings(local_neo4j: LocalNeo4j | None) -> Neo4jSettings:
    uri = os.environ.get("KLASTER_TEST_NEO4J_URI")
    if uri:
        return Neo4jSettings(uri=uri, user="neo4j", password=os.environ.get("KLASTER_TEST_NEO4J_PASSWORD", ""),
                             database="neo4j", is_local=False)
    assert local_neo4j is not None
    return Neo4jSettings(uri=local_neo4j.bolt_uri, user="neo4j", password=TEST_PASSWORD,
                         database="neo4j", is_local=False)


@pytest.fixture(scope="session")
def driver(neo4j_settings: Neo4jSettings):
    from graph.connection import open_driver

    drv = open_driver(neo4j_settings)
    drv.verify_connectivity()
    yield drv
    drv.close()


@pytest.fixture()
def empty_graph(driver):
    """A database with no nodes, no constraints and no indexes (dropped before the test)."""
    with driver.session() as session:  # CALL ... IN TRANSACTIONS needs an auto-commit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    for rec in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
        driver.execute_query(f"DROP CONSTRAINT `{rec['name']}` IF EXISTS")
    for rec in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'").records:
        driver.execute_query(f"DROP INDEX `{rec['name']}` IF EXISTS")
    return driver


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED
