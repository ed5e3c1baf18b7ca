"""Every named query run on the seed graph (the five seed articles' facts) against answers read from
the articles themselves."""
from __future__ import annotations

from typing import Any

import pytest
from fixtures.seed_graph import build_seed_graph

from api.execute import run_sync
from api.registry import NamedQuery, load_registry
from klaster.settings import cypher_dir

NAC = "National Aerosol Cluster"
FOIL = "Упаковка на основе алюминиевой фольги"


@pytest.fixture(scope="module")
def graph(driver: Any) -> Any:
    build_seed_graph(driver)
    return driver


@pytest.fixture(scope="module")
def registry() -> dict[str, NamedQuery]:
    return load_registry(cypher_dir())


@pytest.fixture(scope="module")
def run(graph: Any, registry: dict[str, NamedQuery]) -> Any:
    def _run(qname: str, /, **params: Any) -> list[dict[str, Any]]:
        query = registry[qname]
        full = {**query.defaults(), **params}
        columns, rows = run_sync(graph, query, full, database=None, timeout=30)
        assert tuple(columns) == query.returns, f"{qname}: columns differ from its '// returns:' header"
        return rows
    return _run


def pairs(rows: list[dict[str, Any]]) -> dict[frozenset[str], list[str]]:
    return {frozenset({r["regionA"]["iso"], r["regionB"]["iso"]}): r["clusters"] for r in rows}


def test_every_query_file_is_tested(registry: dict[str, NamedQuery]) -> None:
    tested = {name.removeprefix("test_").split("__")[0] for name in globals() if name.startswith("test_")}
    assert set(registry) <= tested, f"untested: {set(registry) - tested}"


def test_regions_sharing_clusters(run: Any) -> None:
    rows = run("regions_sharing_clusters")
    found = pairs(rows)
    assert found[frozenset({"RU-TUL", "RU-STA"})] == [NAC]
    assert found[frozenset({"RU-TUL", "RU-KC"})] == [NAC]
    assert found[frozenset({"RU-STA", "RU-KC"})] == [NAC]
    assert found[frozenset({"RU-TUL", "RU-KLU"})] == [FOIL]
    assert found[frozenset({"RU-SAM", "RU-BA"})] == [FOIL]
    assert len(found) == len(rows), "each pair once"
    assert all(r["count"] == len(r["clusters"]) for r in rows)
    tula = next(r for r in rows if {r["regionA"]["iso"], r["regionB"]["iso"]} == {"RU-TUL", "RU-STA"})
    assert {tula["regionA"]["name"], tula["regionB"]["name"]} == {"Tula Oblast", "Stavropol Krai"}
    assert frozenset({"RU-VLA", "RU-TUL"}) not in found  # Vladimir's clusters are Vladimir's alone


def test_regions_sharing_clusters__region_filter(run: Any) -> None:
    rows = run("regions_sharing_clusters", region="тульской области")
    assert {r["regionA"]["iso"] for r in rows} == {"RU-TUL"}
    assert {r["regionB"]["iso"] for r in rows} == {"RU-STA", "RU-KC", "RU-KLU", "RU-SAM", "RU-BA"}
    assert run("regions_sharing_clusters", region="Kaluga region") == [
        r for r in run("regions_sharing_clusters", region="RU-KLU")]
    assert run("regions_sharing_clusters", region="Atlantis") == []


@pytest.mark.parametrize("spelling", ["Тульской области", "тульская область", "Tula Oblast", "tula region",
                                      "RU-TUL", "ru-tul", "Тульский"])
def test_clusters_in_region(run: Any, spelling: str) -> None:
    rows = run("clusters_in_region", region=spelling)
    assert rows == run("clusters_in_region", region="RU-TUL")
    assert {r["cluster"] for r in rows} == {NAC, FOIL, "Композиты без границ",
                                            "Кластер авиационных и беспилотных летательных систем"}
    foil = next(r for r in rows if r["cluster"] == FOIL)
    assert foil["anchors"] == ["Презент упаковка"] and foil["status"] == "planned"
    assert foil["region"] == {"iso": "RU-TUL", "name": "Tula Oblast"}
    nac = next(r for r in rows if r["cluster"] == NAC)
    assert sorted(nac["sources"]) == ["000_6cd9891a57f4c440.txt", "001_b1d624e466ddd344.txt"]


def test_clusters_in_region__other_regions(run: Any) -> None:
    assert {r["cluster"] for r in run("clusters_in_region", region="Владимирская область")} == {
        "interregional cluster on climate systems and mechanical engineering", "glass cluster"}
    assert [r["cluster"] for r in run("clusters_in_region", region="Karachai-Cherkess republic")] == [NAC]
    assert run("clusters_in_region", region="Atlantis") == []
    assert run("clusters_in_region", region='"(*') == []


@pytest.mark.parametrize("name", [NAC, "национальный аэрозольный кластер", "aerosol cluster"])
def test_cluster_profile(run: Any, name: str) -> None:
    [row] = run("cluster_profile", cluster=name)
    assert row["cluster"]["name"] == NAC and row["cluster"]["founded"] == "2016"
    assert [a["name"] for a in row["anchors"]] == ["Arnest"]
    assert row["anchors"][0]["sources"] == ["000_6cd9891a57f4c440.txt"]
    kinds = {g["kind"]: {m["name"] for m in g["members"]} for g in row["members"]}
    assert kinds["college"] == {"College of chemistry and technologies of Nevinnomyssk"}
    assert kinds["university"] == {"North-Caucasus Federal University"}
    assert "Arnest" in kinds["enterprise"]
    assert {r["iso"] for r in row["regions"]} == {"RU-STA", "RU-KC", "RU-TUL"}
    assert {(o["name"], o["post"]) for o in row["officials"]} >= {("Alexey Sagal", "President")}
    [agreement] = row["agreements"]
    assert agreement["place"] == "Sochi" and set(agreement["signatories"]) == {
        "Alexey Dyumin", "Alexey Sagal", "Vladimir Vladimirov", "Rashid Temrezov"}
    assert all(fact["sources"] for fact in row["regions"] + row["anchors"] + row["officials"])


def test_cluster_profile__coordinator(run: Any) -> None:
    [row] = run("cluster_profile", cluster="Aluminium foil-based packaging")
    assert row["cluster"]["name"] == FOIL
    assert [c["name"] for c in row["coordinators"]] == ["Фонд развития промышленности Тульской области"]
    assert {r["iso"] for r in row["regions"]} == {"RU-TUL", "RU-KLU", "RU-SAM", "RU-BA"}
    assert run("cluster_profile", cluster="no such thing anywhere") == []


@pytest.mark.parametrize("name", ["Arnest", "АО «Арнест»", "JSC Arnest", "arnest"])
def test_enterprise_profile(run: Any, name: str) -> None:
    [row] = run("enterprise_profile", name=name)
    assert row["enterprise"]["name"] == "Arnest" and row["enterprise"]["legalForm"] == "JSC"
    assert [(c["name"], c["role"]) for c in row["clusters"]] == [(NAC, "anchor")]
    assert {(o["name"], o["post"]) for o in row["officials"]} == {
        ("Alexey Sagal", "President"), ("Vladimir Guryanov", "Chairman of the Board")}
    assert [d["id"] for d in row["documents"]] == ["000_6cd9891a57f4c440.txt"]


@pytest.mark.parametrize("name", ["Alexey Dyumin", "Алексей Дюмин", "aleksey dyumin"])
def test_official_profile(run: Any, name: str) -> None:
    [row] = run("official_profile", name=name)
    assert row["official"]["name"] == "Alexey Dyumin"
    assert [(p["post"], p["at"]) for p in row["posts"]] == [("Governor", "Tula Oblast")]
    assert [a["place"] for a in row["agreements"]] == ["Sochi"]
    assert {c["name"] for c in row["coSigners"]} == {"Alexey Sagal", "Vladimir Vladimirov", "Rashid Temrezov"}


def test_official_profile__post_in_institution(run: Any) -> None:
    [row] = run("official_profile", name="Dmitry Pronin")
    assert [(p["post"], p["atLabel"]) for p in row["posts"]] == [("Deputy Minister", "Institution")]
    assert row["agreements"] == [] and row["coSigners"] == []


def test_interregional_clusters(run: Any) -> None:
    rows = run("interregional_clusters")
    assert [(r["cluster"], r["count"]) for r in rows] == [(FOIL, 4), (NAC, 3)]
    assert [g["iso"] for g in rows[1]["regions"]] == ["RU-KC", "RU-STA", "RU-TUL"]
    assert [r["cluster"] for r in run("interregional_clusters", min_regions=4)] == [FOIL]
    # 11 of the 12 clusters are stated to be somewhere (the mechanical engineering one only implicitly)
    assert len(run("interregional_clusters", min_regions=1)) == 11


def test_anchor_enterprises(run: Any) -> None:
    rows = run("anchor_enterprises")
    assert {(r["enterprise"], tuple(r["clusters"])) for r in rows} == {("Arnest", (NAC,)),
                                                                        ("Презент упаковка", (FOIL,))}
    arnest = next(r for r in rows if r["enterprise"] == "Arnest")
    assert {g["iso"] for g in arnest["regions"]} == {"RU-STA", "RU-KC", "RU-TUL"}
    assert arnest["legalForm"] == "JSC" and arnest["sources"] == ["000_6cd9891a57f4c440.txt"]


def test_agreements(run: Any) -> None:
    rows = run("agreements")
    assert len(rows) == 3
    sochi = next(r for r in rows if r["place"] == "Sochi")
    assert sochi["date"] == "2018" and sochi["clusters"] == [NAC]
    assert {p["name"] for p in sochi["parties"]} >= {"Tula Oblast", "Stavropol Krai", "Karachay-Cherkess Republic"}
    assert [r["place"] for r in run("agreements", region="Тульской области")] == ["Sochi"]
    assert [r["place"] for r in run("agreements", cluster="национальный аэрозольный кластер")] == ["Sochi"]
    assert [r["place"] for r in run("agreements", since="2018-05")] == ["Sochi"]
    assert run("agreements", since="2019") == []
    vla = run("agreements", region="RU-VLA")
    assert len(vla) == 1 and "VlSU" in vla[0]["agreement"]
    altai = run("agreements", region="Altai Krai")
    assert len(altai) == 1 and "Altai Krai" in altai[0]["agreement"]


@pytest.mark.parametrize(("text", "label", "name"), [
    ("Тульской области", "Region", "Tula Oblast"),
    ("минпромторгом", "Institution", "Industry and Trade Ministry"),
    ("aerosol", "Cluster", NAC),
    ("Арнест", "Enterprise", "Arnest"),
    ("Дюмина", "Official", "Alexey Dyumin"),
])
def test_search(run: Any, text: str, label: str, name: str) -> None:
    rows = run("search", text=text)
    assert (rows[0]["label"], rows[0]["name"]) == (label, name)
    assert rows == sorted(rows, key=lambda r: -r["score"])


@pytest.mark.parametrize("text", ['"', "(*:[", "AND OR NOT", "\\", "aerosol~ -x +y", "", "   ",
                                  " ".join(f"w{i}" for i in range(2000))])  # past Lucene's 1024-clause limit
def test_search__lucene_syntax_is_literal(run: Any, text: str) -> None:
    rows = run("search", text=text, limit=5)  # must not raise
    assert len(rows) <= 5


def test_connection(run: Any) -> None:
    rows = run("connection", a="Alexey Dyumin", b="Arnest")
    assert rows and {r["length"] for r in rows} == {3}
    kinds = {tuple(s["type"] for s in r["steps"]): r for r in rows}
    assert ("HOLDS_POST", "LOCATED_IN", "ANCHORS") in kinds  # governor of Tula, where Arnest's cluster is
    via_agreement = kinds[("SIGNED", "SIGNED", "HOLDS_POST")]  # co-signer Sagal is Arnest's president
    assert [s["to"] for s in via_agreement["steps"]][-1] == "Arnest"
    assert all(s["evidence"] and s["sources"] for s in via_agreement["steps"])
    [tula_kaluga] = run("connection", a="Тульской области", b="Kaluga Oblast")
    assert tula_kaluga["length"] == 2 and tula_kaluga["steps"][0]["from"] == FOIL
    assert run("connection", a="Arnest", b="Atlantis") == []


def test_evidence(run: Any) -> None:
    [row] = run("evidence", **{"from": "Arnest", "type": "anchors", "to": NAC})
    assert row["sentence"].startswith("JSC Arnest has become the core enterprise")
    assert row["document"] == "000_6cd9891a57f4c440.txt" and row["lang"] == "en"
    rows = run("evidence", **{"from": NAC, "to": "RU-TUL"})
    assert {r["document"] for r in rows} == {"000_6cd9891a57f4c440.txt", "001_b1d624e466ddd344.txt"}
    assert all(r["type"] == "LOCATED_IN" for r in rows)
    assert run("evidence", **{"from": "Arnest", "type": "MEMBER_OF", "to": NAC}) == []


def test_stats(run: Any, graph: Any) -> None:
    [row] = run("stats")
    labels = {x["label"]: x["count"] for x in row["labels"]}
    types = {x["type"]: x["count"] for x in row["relationships"]}
    assert row["documents"] == labels["Document"] == 5
    assert labels["Region"] >= 8
    direct = graph.execute_query("MATCH (:Cluster) RETURN count(*) AS n").records[0]["n"]
    assert labels["Cluster"] == direct
    assert types["ANCHORS"] == 2
    assert row["lastLoad"] is not None and row["lastLoad"][:4].isdigit()
