"""One place that opens drivers to Neo4j from the settings (sync for loaders and CLI, async for the API)."""
from __future__ import annotations

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from klaster.settings import Neo4jSettings


def open_driver(settings: Neo4jSettings | None = None) -> Driver:
    s = settings or Neo4jSettings.from_env()
    return GraphDatabase.driver(s.uri, auth=(s.user, s.password))


def open_async_driver(settings: Neo4jSettings | None = None) -> AsyncDriver:
    s = settings or Neo4jSettings.from_env()
    return AsyncGraphDatabase.driver(s.uri, auth=(s.user, s.password))
