"""Resolution: one node per real thing, across scripts, cases and legal forms; uncertain matches stay apart."""
from __future__ import annotations

from fixtures.graph_dump import gold_exchanges

from loaders.exchange import DocumentRef, Entity, Evidence, Exchange, Relation
from loaders.load import Loader, load_exchange
from loaders.resolve import Resolver, prepare, sentence_id


def _doc(doc_id: str, lang: str, entities: list[Entity], relations: list[Relation] = ()) -> tuple[Exchange, DocumentRef]:
    ref = DocumentRef(id=doc_id, lang=lang, contentHash=f"hash-{doc_id}")
    return Exchange(documents=[ref], entities=entities, relations=list(relations)), ref


def _resolve(resolver: Resolver, exchange: Exchange, ref: DocumentRef) -> dict[str, tuple[str, str]]:
    """exchange key → (label, node key)."""
    prepared = prepare(exchange, ref)
    resolved = resolver.resolve(prepared)
    by_name = {(n.label, n.name): n.key for n in resolved.nodes}
    out = {}
    for ent in prepared.entities:
        key, _ = resolver.match(ent, ref.id)
        out[ent.local] = (ent.label, key)
        assert key in {n.key for n in resolved.nodes} or (ent.label, ent.name) in by_name
    return out


def test_english_and_russian_names_of_one_enterprise_are_one_node():
    res = Resolver()
    en = _resolve(res, *_doc("en.txt", "en", [Entity(key="a", label="Enterprise", name="Arnest",
                                                      aliases=["JSC Arnest"], props={"legalForm": "JSC"})]))
    ru = _resolve(res, *_doc("ru.txt", "ru", [Entity(key="b", label="Enterprise", name="Арнест",
                                                      aliases=["АО «Арнест»"], props={"legalForm": "JSC"})]))
    assert en["a"] == ru["b"]


def test_grammatical_case_and_quotes_do_not_split_a_node():
    res = Resolver()
    a = _resolve(res, *_doc("1.txt", "ru", [Entity(key="x", label="Institution", name="Фонд развития промышленности",
                                                    props={"kind": "fund"})]))
    b = _resolve(res, *_doc("2.txt", "ru", [Entity(key="y", label="Institution",
                                                    name="Фонда развития промышленности")]))
    assert a["x"] == b["y"]


def test_person_transliterated_across_scripts_is_one_official():
    res = Resolver()
    a = _resolve(res, *_doc("1.txt", "ru", [Entity(key="p", label="Official", name="Дмитрий Пронин")]))
    b = _resolve(res, *_doc("2.txt", "en", [Entity(key="q", label="Official", name="Dmitry Pronin")]))
    assert a["p"] == b["q"]


def test_same_name_in_another_label_is_another_node():
    res = Resolver()
    a = _resolve(res, *_doc("1.txt", "en", [Entity(key="c", label="Cluster", name="National Aerosol Cluster")]))
    b = _resolve(res, *_doc("2.txt", "en", [Entity(key="e", label="Enterprise", name="National Aerosol Cluster",
                                                    props={"legalForm": "LLC"})]))
    assert a["c"][0] == "Cluster" and b["e"][0] == "Enterprise"


def test_different_legal_forms_stay_separate_nodes():
    res = Resolver()
    a = _resolve(res, *_doc("1.txt", "en", [Entity(key="j", label="Enterprise", name="Arnest",
                                                    props={"legalForm": "JSC"})]))
    b = _resolve(res, *_doc("2.txt", "ru", [Entity(key="l", label="Enterprise", name="ООО «Арнест»",
                                                    props={"legalForm": "LLC"})]))
    assert a["j"] != b["l"]
    assert b["l"][1].endswith("|llc")  # the same name, marked apart by its legal form: a doubt


def test_registry_id_wins_over_names():
    res = Resolver()
    a = _resolve(res, *_doc("1.csv", "ru", [Entity(key="r", label="Enterprise", name="Ромашка",
                                                    props={"inn": "7701234567"})]))
    b = _resolve(res, *_doc("2.csv", "en", [Entity(key="s", label="Enterprise", name="Romashka Trading House",
                                                    props={"inn": "7701234567"})]))
    c = _resolve(res, *_doc("3.csv", "ru", [Entity(key="t", label="Enterprise", name="Ромашка",
                                                    props={"inn": "5009999999"})]))
    assert a["r"] == b["s"]
    assert c["t"] != a["r"]  # the same name with another INN is another company


def test_generic_agreement_titles_in_two_documents_are_two_agreements():
    res = Resolver()
    ent = Entity(key="ag", label="Agreement", name="cooperation agreement")
    a = _resolve(res, *_doc("1.txt", "en", [ent]))
    b = _resolve(res, *_doc("2.txt", "en", [ent]))
    assert a["ag"] != b["ag"]
    dated = Entity(key="ag", label="Agreement", name="cooperation agreement", props={"date": "2018-02-15"})
    assert _resolve(res, *_doc("3.txt", "en", [dated]))["ag"] == _resolve(res, *_doc("4.txt", "en", [dated]))["ag"]


def test_keys_are_derived_from_content():
    first, second = Resolver(), Resolver()
    for ex in gold_exchanges():
        k1 = {(n.label, n.key) for n in first.resolve(prepare(ex, ex.documents[0])).nodes}
        k2 = {(n.label, n.key) for n in second.resolve(prepare(ex, ex.documents[0])).nodes}
        assert k1 == k2


def test_prepare_numbers_sentences_and_prunes_off_schema_relations():
    ex, ref = _doc("d.txt", "en", [
        Entity(key="o", label="Official", name="Ivan Petrov"),
        Entity(key="r", label="Region", name="Tula region", props={"iso": "RU-TUL"}),
        Entity(key="c", label="Cluster", name="Tula pharma cluster"),
        Entity(key="x", label="Region", name="Atlantis"),
    ], [
        Relation(type="HOLDS_POST", **{"from": "o"}, to="r", props={"title": "Governor"},
                 evidence=[Evidence(doc="d.txt", text="Governor Ivan Petrov.")]),
        Relation(type="ANCHORS", **{"from": "o"}, to="c", evidence=[Evidence(doc="d.txt", text="bad")]),
        Relation(type="LOCATED_IN", **{"from": "c"}, to="r", evidence=[Evidence(doc="d.txt", text="In Tula.")]),
        Relation(type="LOCATED_IN", **{"from": "c"}, to="x", evidence=[Evidence(doc="d.txt", text="Atlantis")]),
    ])
    prepared = prepare(ex, ref)
    assert [r.type for r in prepared.relations] == ["HOLDS_POST", "LOCATED_IN"]
    assert any("off-schema" in d for d in prepared.dropped)
    assert any("Atlantis" in d for d in prepared.dropped)  # not a region of the gazetteer
    assert prepared.relations[0].sentences == [sentence_id("d.txt", "Governor Ivan Petrov.")]
    assert sentence_id("d.txt", "x") == sentence_id("d.txt", "x") != sentence_id("e.txt", "x")
    region = next(e for e in prepared.entities if e.label == "Region")
    assert region.iso == "RU-TUL"


def test_region_without_iso_is_found_in_the_gazetteer():
    ex, ref = _doc("d.txt", "ru", [Entity(key="r", label="Region", name="Тульской области")])
    assert prepare(ex, ref).entities[0].iso == "RU-TUL"


def test_resolution_is_against_the_graph_not_only_the_batch(empty_graph):
    """Two loads with fresh in-memory indexes (as two `klaster load` runs) still give one node."""
    ex1, ref1 = _doc("en.txt", "en", [Entity(key="a", label="Enterprise", name="Arnest", aliases=["JSC Arnest"],
                                             props={"legalForm": "JSC"})])
    ex2, ref2 = _doc("ru.txt", "ru", [Entity(key="b", label="Enterprise", name="АО «Арнест»",
                                             props={"legalForm": "JSC"})])
    load_exchange(empty_graph, ex1, ref1)
    load_exchange(empty_graph, ex2, ref2)
    rows = empty_graph.execute_query("MATCH (e:Enterprise) OPTIONAL MATCH (e)-[:MENTIONED_IN]->(d) "
                                     "RETURN e.key AS key, e.aliases AS aliases, collect(d.id) AS docs").records
    assert len(rows) == 1
    assert sorted(rows[0]["docs"]) == ["en.txt", "ru.txt"]
    assert "АО «Арнест»" in rows[0]["aliases"]
    index = Loader(empty_graph).resolver
    assert index.by_key["Enterprise"]["арнест"] == rows[0]["key"]
