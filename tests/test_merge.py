"""`klaster doubts` lists near-duplicates; `klaster merge A B` joins them keeping every relationship and its evidence."""
from __future__ import annotations

import pytest
from fixtures.graph_dump import gold_exchanges

from graph.merge import find_doubts, merge_nodes
from loaders.exchange import DocumentRef, Entity, Evidence, Exchange, Relation
from loaders.load import load_exchange

ALTAI = "Cluster:altai polymer composite cluster"
PLANTED_DOC = "planted.txt"


def _planted() -> Exchange:
    """A document naming the Altai cluster slightly differently, with facts of its own."""
    ev = [Evidence(doc=PLANTED_DOC, text="The Altai polymer-composites cluster is based in Altai Krai.")]
    return Exchange(
        documents=[DocumentRef(id=PLANTED_DOC, lang="en", contentHash="planted")],
        entities=[
            Entity(key="c", label="Cluster", name="Altai Polymer Composites Cluster Association"),
            Entity(key="r", label="Region", name="Altai Krai", props={"iso": "RU-ALT"}),
            Entity(key="u", label="Institution", name="Altai State Technical University",
                   props={"kind": "university"}),
        ],
        relations=[
            Relation(type="LOCATED_IN", **{"from": "c"}, to="r", evidence=ev),
            Relation(type="MEMBER_OF", **{"from": "u"}, to="c", evidence=[Evidence(
                doc=PLANTED_DOC, text="Altai State Technical University joined the cluster.")]),
        ])


@pytest.fixture()
def planted_graph(empty_graph):
    for ex in gold_exchanges():
        load_exchange(empty_graph, ex)
    load_exchange(empty_graph, _planted())
    key = empty_graph.execute_query("MATCH (c:Cluster {name: 'Altai Polymer Composites Cluster Association'}) "
                                    "RETURN c.key AS k").records[0]["k"]
    return empty_graph, f"Cluster:{key}"


def test_doubts_list_the_planted_near_duplicate(planted_graph):
    driver, planted = planted_graph
    doubts = find_doubts(driver)
    pair = [d for d in doubts if {d.a, d.b} == {ALTAI, planted}]
    assert len(pair) == 1
    assert 80 <= pair[0].score <= 100
    # Unrelated things are not listed against it.
    assert not any(planted in (d.a, d.b) and "glass" in (d.a + d.b) for d in doubts)
    assert all(d.score >= 80 for d in doubts)


def test_doubts_report_same_name_with_different_legal_forms(empty_graph):
    for form, legal in (("JSC Arnest", "JSC"), ("ООО «Арнест»", "LLC")):
        load_exchange(empty_graph, Exchange(
            documents=[DocumentRef(id=f"{legal}.txt", contentHash=legal)],
            entities=[Entity(key="e", label="Enterprise", name=form, props={"legalForm": legal})]))
    doubts = find_doubts(empty_graph, labels=("Enterprise",))
    assert len(doubts) == 1 and doubts[0].score == 100
    assert "legal forms" in doubts[0].reason


def _rels(driver, ref: str) -> dict[tuple[str, str, str], tuple[set[str], set[str]]]:
    label, key = ref.split(":", 1)
    out = {}
    for r in driver.execute_query(
            f"MATCH (n:{label} {{key: $k}})-[r]-(x) WHERE NOT type(r) IN ['MENTIONED_IN'] "
            "RETURN type(r) AS t, x.key AS x, startNode(r) = n AS out, r.sources AS s, r.evidence AS e",
            k=key).records:
        out[(r["t"], r["x"], "out" if r["out"] else "in")] = (set(r["s"]), set(r["e"]))
    return out


def test_merge_keeps_every_relationship_and_its_evidence(planted_graph):
    driver, planted = planted_graph
    before_a, before_b = _rels(driver, ALTAI), _rels(driver, planted)
    assert ("LOCATED_IN", "RU-ALT", "out") in before_a and ("LOCATED_IN", "RU-ALT", "out") in before_b

    result = merge_nodes(driver, ALTAI, planted)
    assert result["relationshipsMoved"] == len(before_b)

    after = _rels(driver, ALTAI)
    expected = dict(before_a)
    for k, (s, e) in before_b.items():
        old = expected.get(k, (set(), set()))
        expected[k] = (old[0] | s, old[1] | e)
    assert after == expected
    assert after[("LOCATED_IN", "RU-ALT", "out")][0] == {"002_32cb89deb033ca7f.txt", PLANTED_DOC}
    gone = driver.execute_query("MATCH (c:Cluster {key: $k}) RETURN count(c) AS c",
                                k=planted.split(":", 1)[1]).records[0]["c"]
    assert gone == 0
    node = driver.execute_query("MATCH (c:Cluster {key: $k}) OPTIONAL MATCH (c)-[:MENTIONED_IN]->(d) "
                                "RETURN c.aliases AS aliases, c.searchText AS st, collect(d.id) AS docs",
                                k=ALTAI.split(":", 1)[1]).records[0]
    assert "Altai Polymer Composites Cluster Association" in node["aliases"]
    assert "Altai Polymer Composites Cluster Association" in node["st"]
    assert PLANTED_DOC in node["docs"]


def test_after_a_merge_later_loads_resolve_to_the_kept_node(planted_graph):
    driver, planted = planted_graph
    merge_nodes(driver, ALTAI, planted)
    again = _planted()
    again.documents[0].id = "later.txt"
    again.documents[0].contentHash = "later"
    for rel in again.relations:
        for ev in rel.evidence:
            ev.doc = "later.txt"
    load_exchange(driver, again)
    clusters = driver.execute_query("MATCH (c:Cluster) WHERE c.name STARTS WITH 'Altai' RETURN c.key AS k").records
    assert [r["k"] for r in clusters] == [ALTAI.split(":", 1)[1]]


def test_merge_refuses_bad_references(planted_graph):
    driver, _ = planted_graph
    with pytest.raises(ValueError):
        merge_nodes(driver, ALTAI, "Enterprise:arnest")
    with pytest.raises(ValueError):
        merge_nodes(driver, ALTAI, "nonsense")
    with pytest.raises(LookupError):
        merge_nodes(driver, ALTAI, "Cluster:no such cluster")
