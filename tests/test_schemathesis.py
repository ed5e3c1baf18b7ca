"""Property-based tests of the whole API from its own /openapi.json: for every operation, generated
parameters (valid and invalid) must never produce a 5xx, and every response must match the documented
status codes, content types and schemas. Bounded: a few dozen examples per operation.

The same check by hand, against a running `klaster serve`:
    schemathesis run http://127.0.0.1:8000/openapi.json --checks all --max-examples 50
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fixtures.live_server import live_server
from fixtures.seed_graph import build_seed_graph
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.config import ApiSettings
from klaster.settings import Neo4jSettings, cypher_dir


@pytest.fixture(scope="module")
def base_url(driver: Any, neo4j_settings: Neo4jSettings) -> Iterator[str]:
    build_seed_graph(driver)
    app = create_app(ApiSettings(neo4j=neo4j_settings, cypher_dir=cypher_dir(), query_timeout=10.0))
    with live_server(app) as url:
        yield url


def _spec() -> dict[str, Any]:
    """The OpenAPI document, generated without touching Neo4j (it depends only on the query files)."""
    unused = Neo4jSettings(uri="bolt://127.0.0.1:1", user="neo4j", password="", database="neo4j", is_local=False)
    return create_app(ApiSettings(neo4j=unused, cypher_dir=cypher_dir())).openapi()


schema = schemathesis.openapi.from_dict(_spec())


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, base_url: str) -> None:
    response = case.call_and_validate(base_url=base_url)
    assert response.status_code < 500
