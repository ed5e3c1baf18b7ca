"""The query routes' fast path answers exactly what the FastAPI routes behind it answer: the same
status, headers that matter and body for valid, invalid, missing, repeated and unknown parameters,
for CSV and for other methods, on every named query of the seed graph."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fixtures.seed_graph import build_seed_graph

from api.app import _FastQuery, create_app
from api.config import ApiSettings
from api.registry import load_registry
from klaster.settings import Neo4jSettings, cypher_dir

# Values to try for each parameter type; the valid ones first (the others keep them while one varies).
VALUES: dict[str, list[str]] = {
    "string": ["National Aerosol Cluster", "Тула", "", "  ", "x" * 300, "a&b=c"],
    "region": ["RU-TUL", "Тульской области", "", "nowhere"],
    "integer": ["5", "1", "0", "-3", "1001", "101", "2.5", "abc", "", "9" * 30],
    "float": ["1.5", "nan", "x"],
    "boolean": ["true", "yes", "0", "maybe"],
    "date": ["2018", "2018-06-01", "2018-6", "18", "", "2018-06-01x"],
}


@pytest.fixture(scope="module")
def clients(driver: Any, neo4j_settings: Neo4jSettings) -> Iterator[tuple[TestClient, TestClient]]:
    build_seed_graph(driver)
    settings = ApiSettings(neo4j=neo4j_settings, cypher_dir=cypher_dir())
    fast_app, plain_app = create_app(settings), create_app(settings)
    plain_app.router.routes[:] = [r for r in plain_app.router.routes if not isinstance(getattr(r, "app", None), _FastQuery)]
    with TestClient(fast_app) as fast, TestClient(plain_app) as plain:
        yield fast, plain


def _requests() -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """(method, path, query parameters) covering every query and parameter."""
    for query in load_registry(cypher_dir()).values():
        path = f"/queries/{query.name}"
        valid = [(p.name, VALUES[p.type][0]) for p in query.params]
        yield "GET", path, valid
        yield "GET", path, []  # required ones missing, optional ones defaulted
        yield "GET", path, valid + [("unknown", "1")]
        yield "GET", path, valid + [("format", "csv")]
        yield "GET", path, valid + [("format", "xml")]
        yield "HEAD", path, valid
        yield "POST", path, valid
        for i, p in enumerate(query.params):
            for value in VALUES[p.type][1:]:
                yield "GET", path, valid[:i] + [(p.name, value)] + valid[i + 1:]
            yield "GET", path, valid + [(p.name, VALUES[p.type][-1])]  # repeated: the last one counts


def test_fast_path_routes_stand_before_their_fastapi_routes(clients: tuple[TestClient, TestClient]) -> None:
    fast, _ = clients
    paths = [getattr(r, "path", None) for r in fast.app.router.routes]
    fast_paths = [r.path for r in fast.app.router.routes if isinstance(getattr(r, "app", None), _FastQuery)]
    assert len(fast_paths) == len(load_registry(cypher_dir()))
    assert all(paths.index(p) < len(paths) - 1 - paths[::-1].index(p) for p in fast_paths)


def test_fast_path_answers_what_fastapi_answers(clients: tuple[TestClient, TestClient]) -> None:
    fast, plain = clients
    compared = 0
    for method, path, params in _requests():
        a = fast.request(method, path, params=params)
        b = plain.request(method, path, params=params)
        where = f"{method} {path} {params}"
        assert a.status_code == b.status_code, where
        assert a.headers.get("content-type") == b.headers.get("content-type"), where
        assert a.headers.get("retry-after") == b.headers.get("retry-after"), where
        assert a.content == b.content, where
        assert a.status_code < 500, where
        compared += 1
    assert compared > 150
