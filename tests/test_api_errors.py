"""The API's failures as users meet them: 404, 422 naming the parameter, 400, 503 with Retry-After
when Neo4j is down, 504 past the transaction timeout, a refused write query at start-up, and a generic
500 with no trace for anything unexpected."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.config import ApiSettings
from api.registry import RegistryError
from klaster.settings import Neo4jSettings, cypher_dir

SLOW = """// name: slow
// description: Counts to a billion, slowly.
// param: n integer = 1000000000 — how far
// returns: total
UNWIND range(1, $n) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS total
"""
DIVIDE = """// name: divide
// description: One divided by n.
// param: n integer — the divisor
// returns: x
RETURN 1 / $n AS x
"""


@pytest.fixture(scope="module")
def settings(neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory) -> ApiSettings:
    folder = tmp_path_factory.mktemp("cypher")
    for path in cypher_dir().glob("*.cypher"):
        shutil.copy(path, folder)
    (folder / "slow.cypher").write_text(SLOW, encoding="utf-8")
    (folder / "divide.cypher").write_text(DIVIDE, encoding="utf-8")
    return ApiSettings(neo4j=neo4j_settings, cypher_dir=folder, query_timeout=1.0)


@pytest.fixture(scope="module")
def client(settings: ApiSettings, driver: Any) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def down(settings: ApiSettings) -> Iterator[TestClient]:
    """The API pointed at a closed port: Neo4j "stopped"."""
    dead = replace(settings, neo4j=replace(settings.neo4j, uri="bolt://127.0.0.1:1"), max_retry_time=0.0,
                   connect_timeout=1.0, health_timeout=2.0, retry_after=7)
    with TestClient(create_app(dead)) as c:
        yield c


def assert_error(r: Any, status: int, error: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"] == error and body["message"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    return body


def test_unknown_query_is_404(client: TestClient) -> None:
    body = assert_error(client.get("/queries/no_such_query"), 404, "unknown_query")
    assert "no_such_query" in body["message"]
    assert_error(client.get("/nowhere"), 404, "not_found")


@pytest.mark.parametrize(("path", "params", "parameter"), [
    ("/queries/clusters_in_region", {}, "region"),
    ("/queries/search", {"text": "x", "limit": "many"}, "limit"),
    ("/queries/search", {"text": "x", "limit": "0"}, "limit"),
    ("/queries/search", {"text": "x", "limit": "99999999999999999999999"}, "limit"),
    ("/queries/interregional_clusters", {"min_regions": "1.5"}, "min_regions"),
    ("/queries/agreements", {"since": "last year"}, "since"),
    ("/queries/stats", {"format": "xml"}, "format"),
    ("/queries/evidence", {"from": "Arnest"}, "to"),
])
def test_bad_parameter_is_422_naming_it(client: TestClient, path: str, params: dict[str, str],
                                        parameter: str) -> None:
    body = assert_error(client.get(path, params=params), 422, "invalid_parameter")
    assert body["parameter"] == parameter
    assert repr(parameter) in body["message"]


def test_neo4j_refusing_the_values_is_400(client: TestClient) -> None:
    body = assert_error(client.get("/queries/divide", params={"n": 0}), 400, "bad_request")
    assert "zero" in body["message"].lower()
    assert client.get("/queries/divide", params={"n": 1}).json()["rows"] == [{"x": 1}]


def test_query_past_its_timeout_is_504(client: TestClient) -> None:
    assert_error(client.get("/queries/slow"), 504, "query_timeout")
    assert client.get("/queries/slow", params={"n": 10}).json()["rows"] == [{"total": 2}]  # still serving


def test_neo4j_down_is_503_with_retry_after(down: TestClient) -> None:
    r = down.get("/queries/clusters_in_region", params={"region": "RU-TUL"})
    assert_error(r, 503, "neo4j_unavailable")
    assert r.headers["retry-after"] == "7"
    assert_error(down.get("/queries/stats", params={"format": "csv"}), 503, "neo4j_unavailable")


def test_health_when_neo4j_is_down(down: TestClient) -> None:
    r = down.get("/health")
    assert r.status_code == 200  # the API itself is fine; the database is reported separately
    assert r.json()["api"] == "ok" and r.json()["neo4j"] == "unavailable"
    assert down.get("/queries").status_code == 200  # the catalogue needs no database
    assert down.get("/guide").status_code == 200


def test_write_query_refused_at_start_up(tmp_path: Path, settings: ApiSettings) -> None:
    shutil.copy(cypher_dir() / "stats.cypher", tmp_path)
    (tmp_path / "sneaky.cypher").write_text(
        "// name: sneaky\n// description: Looks harmless.\n// returns: n\n"
        "MATCH (n:Cluster)\nDETACH DELETE n\nRETURN count(*) AS n\n", encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        create_app(replace(settings, cypher_dir=tmp_path))
    assert f"{tmp_path / 'sneaky.cypher'}:5:" in str(err.value) and "DETACH" in str(err.value)


def test_unexpected_error_is_a_generic_500(settings: ApiSettings, caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(settings)

    async def broken() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/broken")
    body = assert_error(r, 500, "internal_error")
    assert "secret" not in r.text and "RuntimeError" not in r.text and body.keys() == {"error", "message"}
    assert any("unexpected error" in rec.message for rec in caplog.records)  # the trace stays server-side


def test_queries_run_in_read_transactions(driver: Any, tmp_path: Path) -> None:
    """The second line of defence: a write that slipped past the registry still cannot write."""
    from neo4j.exceptions import ClientError

    from api.execute import run_sync
    from api.registry import NamedQuery

    sneaky = NamedQuery("sneaky", "x", (), ("n",), "CREATE (n:Sneaky) RETURN count(n) AS n", tmp_path / "s.cypher")
    with pytest.raises(ClientError, match="(?i)read"):
        run_sync(driver, sneaky, {}, database=None, timeout=10)
    assert driver.execute_query("MATCH (n:Sneaky) RETURN count(n) AS n").records[0]["n"] == 0
