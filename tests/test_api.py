"""The HTTP API on the seed graph: catalogue, one typed route per query, JSON and CSV, health, the
Neo4j Browser guide and CORS for the Browser."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fixtures.seed_graph import build_seed_graph

from api.app import create_app
from api.config import ApiSettings
from api.registry import load_registry
from klaster.settings import Neo4jSettings, cypher_dir


@pytest.fixture(scope="module")
def client(driver: Any, neo4j_settings: Neo4jSettings) -> Iterator[TestClient]:
    build_seed_graph(driver)
    app = create_app(ApiSettings(neo4j=neo4j_settings, cypher_dir=cypher_dir()))
    with TestClient(app) as c:
        yield c


def test_catalogue_lists_every_query(client: TestClient) -> None:
    r = client.get("/queries")
    assert r.status_code == 200
    entries = {e["name"]: e for e in r.json()}
    assert set(entries) == set(load_registry(cypher_dir()))
    search = entries["search"]
    assert search["columns"] == ["label", "name", "nameRu", "key", "score", "aliases"]
    limit = next(p for p in search["parameters"] if p["name"] == "limit")
    assert (limit["type"], limit["default"], limit["required"]) == ("integer", 20, False)
    assert limit["meaning"] and search["url"] == "/queries/search"


def test_openapi_documents_each_query_with_its_own_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for name in load_registry(cypher_dir()):
        assert f"/queries/{name}" in spec["paths"]
    agreements = {p["name"]: p for p in spec["paths"]["/queries/agreements"]["get"]["parameters"]}
    assert set(agreements) == {"region", "cluster", "since", "format"}
    assert "pattern" in agreements["since"]["schema"]["anyOf"][0]
    search = {p["name"]: p for p in spec["paths"]["/queries/search"]["get"]["parameters"]}
    assert search["text"]["required"] is True
    assert search["limit"]["schema"]["type"] == "integer" and search["limit"]["schema"]["maximum"] == 1000
    evidence = {p["name"] for p in spec["paths"]["/queries/evidence"]["get"]["parameters"]}
    assert evidence == {"from", "type", "to", "format"}


def test_region_spellings_give_the_same_answer(client: TestClient) -> None:
    ru = client.get("/queries/clusters_in_region", params={"region": "Тульской области"})
    iso = client.get("/queries/clusters_in_region", params={"region": "RU-TUL"})
    assert ru.status_code == iso.status_code == 200
    assert ru.json() == iso.json()
    body = iso.json()
    assert body["query"] == "clusters_in_region"
    assert body["columns"][:2] == ["region", "cluster"]
    assert "Упаковка на основе алюминиевой фольги" in {row["cluster"] for row in body["rows"]}


def test_regions_sharing_clusters(client: TestClient) -> None:
    body = client.get("/queries/regions_sharing_clusters").json()
    found = {frozenset({r["regionA"]["iso"], r["regionB"]["iso"]}): r["clusters"] for r in body["rows"]}
    assert found[frozenset({"RU-TUL", "RU-STA"})] == ["National Aerosol Cluster"]
    assert found[frozenset({"RU-TUL", "RU-KC"})] == ["National Aerosol Cluster"]
    assert found[frozenset({"RU-TUL", "RU-KLU"})] == ["Упаковка на основе алюминиевой фольги"]
    filtered = client.get("/queries/regions_sharing_clusters", params={"region": "Tula region"}).json()
    assert {r["regionA"]["iso"] for r in filtered["rows"]} == {"RU-TUL"}


def test_optional_parameters_take_their_defaults(client: TestClient) -> None:
    assert len(client.get("/queries/search", params={"text": "cluster"}).json()["rows"]) <= 20
    assert len(client.get("/queries/search", params={"text": "cluster", "limit": 2}).json()["rows"]) == 2
    assert client.get("/queries/agreements", params={"since": "2019"}).json()["rows"] == []


def test_csv_format(client: TestClient) -> None:
    as_json = client.get("/queries/interregional_clusters").json()
    r = client.get("/queries/interregional_clusters", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == as_json["columns"]
    assert len(table) - 1 == len(as_json["rows"])
    assert table[1][0] == as_json["rows"][0]["cluster"]
    assert table[1][table[0].index("count")] == str(as_json["rows"][0]["count"])


def test_rows_are_json_safe(client: TestClient) -> None:
    [row] = client.get("/queries/stats").json()["rows"]
    assert isinstance(row["lastLoad"], str) and row["lastLoad"][:4].isdigit()  # a DateTime became ISO text
    assert row["documents"] == 5


def test_health_reports_api_and_neo4j(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["api"] == "ok" and r.json()["neo4j"] == "ok"


def test_guide_is_a_browser_guide_of_every_query(client: TestClient) -> None:
    r = client.get("/guide")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert html.startswith('<article class="guide">') and "<carousel" in html
    registry = load_registry(cypher_dir())
    assert html.count("<slide") == len(registry) + 1
    for name in registry:
        assert f"<h3>{name}</h3>" in html
    assert html.count('<pre mode="cypher" class="pre-scrollable code runnable">') >= len(registry)
    assert ':param region =&gt; &quot;Тульской области&quot;' in html
    assert "MATCH (g)&lt;-[loc:LOCATED_IN]-(c:Cluster)" in html  # the query text, escaped


def test_cors_allows_the_browser(client: TestClient) -> None:
    r = client.get("/guide", headers={"Origin": "http://localhost:7474"})
    assert r.headers["access-control-allow-origin"] == "http://localhost:7474"
    pre = client.options("/guide", headers={"Origin": "http://127.0.0.1:7474", "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "http://127.0.0.1:7474"
    other = client.get("/guide", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
