"""The load pipeline against a real Neo4j: dedup across documents, idempotent reload, replacing a changed
document, an interrupted load re-run, and bad input skipped with reasons."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures.graph_dump import canonical_dump, counts, gold_exchanges, gold_files

from loaders.exchange import Exchange
from loaders.load import load_exchange, load_paths

TULA_DOCS = {"000_6cd9891a57f4c440.txt", "001_b1d624e466ddd344.txt"}


def _load_gold(driver, skip_optional: bool = False) -> None:
    for ex in gold_exchanges():
        load_exchange(driver, ex, skip_optional=skip_optional)


def _copy_gold(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for src in gold_files():
        dst = folder / src.name
        dst.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        out.append(dst)
    return out


def test_seed_entities_are_one_node_each_across_documents(empty_graph):
    _load_gold(empty_graph)
    tula = empty_graph.execute_query(
        "MATCH (r:Region {iso: 'RU-TUL'}) OPTIONAL MATCH (r)-[:MENTIONED_IN]->(d:Document) "
        "RETURN count(DISTINCT r) AS nodes, collect(DISTINCT d.id) AS docs").records[0]
    assert tula["nodes"] == 1
    assert set(tula["docs"]) == TULA_DOCS
    # Evidence from two documents on one relationship: the aerosol cluster is in Tula Oblast (000 and 001).
    rel = empty_graph.execute_query(
        "MATCH (c:Cluster)-[r:LOCATED_IN]->(:Region {iso: 'RU-TUL'}) WHERE 'National Aerosol Cluster' IN "
        "[c.name] + c.aliases RETURN r.sources AS sources, r.evidence AS evidence").records
    assert len(rel) == 1
    assert set(rel[0]["sources"]) == TULA_DOCS
    assert {e.split("#")[0] for e in rel[0]["evidence"]} == TULA_DOCS
    # The Ministry of Industry and Trade: English (000, 004) and Russian (001) names, one Institution.
    minprom = empty_graph.execute_query(
        "MATCH (i:Institution) WHERE 'Минпромторг России' IN [i.name] + i.aliases "
        "OR 'Ministry of Industry and Trade of Russia' IN [i.name] + i.aliases "
        "MATCH (i)-[:MENTIONED_IN]->(d:Document) RETURN i.key AS key, collect(d.id) AS docs").records
    assert len(minprom) == 1
    assert len(minprom[0]["docs"]) == 3
    # Every domain node is unique by label and key, and there is no second Tula/Arnest under another key.
    arnest = empty_graph.execute_query(
        "MATCH (e:Enterprise) WHERE any(a IN [e.name] + e.aliases WHERE a CONTAINS 'Арнест' "
        "OR a CONTAINS 'Arnest') RETURN count(e) AS c").records[0]["c"]
    assert arnest == 1


def test_every_relationship_has_sources_and_evidence_sentences(empty_graph):
    _load_gold(empty_graph)
    bad = empty_graph.execute_query(
        "MATCH ()-[r]->() WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] "
        "AND (size(r.sources) = 0 OR size(r.evidence) = 0) RETURN count(r) AS c").records[0]["c"]
    assert bad == 0
    dangling = empty_graph.execute_query(
        "MATCH ()-[r]->() WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] UNWIND r.evidence AS sid "
        "OPTIONAL MATCH (s:Sentence {id: sid}) WITH sid, s WHERE s IS NULL RETURN count(*) AS c").records[0]["c"]
    assert dangling == 0


def test_reload_of_unchanged_documents_changes_nothing(empty_graph, tmp_path):
    files = _copy_gold(tmp_path / "gold")
    first = load_paths(empty_graph, [tmp_path / "gold"], mode="exchange", progress=False)
    assert len(first.loaded) == len(files)
    before = canonical_dump(empty_graph, volatile=())  # even the load time must not move
    again = load_paths(empty_graph, [tmp_path / "gold"], mode="exchange", progress=False)
    assert again.loaded == [] and len(again.unchanged) == len(files)
    assert again.stats.nodes_created == 0 and again.stats.rels_created == 0
    assert canonical_dump(empty_graph, volatile=()) == before


def _rels_without(driver, doc_id: str) -> set[str]:
    """Every domain relationship as the other documents state it (doc_id's sources and evidence removed)."""
    out = set()
    for r in driver.execute_query(
            "MATCH (a)-[r]->(b) WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] "
            "RETURN a.key AS a, type(r) AS t, b.key AS b, r.sources AS s, r.evidence AS e").records:
        sources = [s for s in r["s"] if s != doc_id]
        if sources:
            evidence = sorted(e for e in r["e"] if not e.startswith(doc_id + "#"))
            out.add(json.dumps([r["a"], r["t"], r["b"], sorted(sources), evidence], ensure_ascii=False))
    return out


def test_changed_document_replaces_only_its_own_facts(empty_graph, tmp_path):
    folder = tmp_path / "gold"
    _copy_gold(folder)
    load_paths(empty_graph, [folder], mode="exchange", progress=False)
    doc_id = "004_82116abbcd982931.txt"
    others_before = _rels_without(empty_graph, doc_id)

    path = folder / "004_82116abbcd982931.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    # The new version no longer names the Ministry (also named by 000 and 001) nor Probryzganov (only here),
    # drops Labudin's post, and states a new fact.
    data["entities"] = [e for e in data["entities"] if e["key"] not in ("i-minprom", "o-probryzganov")]
    data["relations"] = [r for r in data["relations"]
                         if r["from"] not in ("o-probryzganov", "o-labudin") and r["to"] != "i-minprom"]
    data["entities"].append({"key": "c-tourism", "label": "Cluster", "name": "Kaluga tourism cluster",
                             "aliases": [], "props": {}})
    data["relations"].append({"type": "LOCATED_IN", "from": "c-tourism", "to": "r-klu", "props": {},
                              "evidence": [{"doc": doc_id, "text": "A tourism cluster will appear in Kaluga."}]})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    report = load_paths(empty_graph, [folder], mode="exchange", progress=False)
    assert report.replaced == [doc_id] and len(report.unchanged) == 4

    q = empty_graph.execute_query
    assert q("MATCH (o:Official) WHERE o.name = 'Dmitry Probryzganov' RETURN count(o) AS c").records[0]["c"] == 0
    assert q("MATCH (:Official {name: 'Mikhail Labudin'})-[r:HOLDS_POST]->() RETURN count(r) AS c"
             ).records[0]["c"] == 0
    # Labudin is still mentioned by the new version, so his node stays.
    assert q("MATCH (o:Official {name: 'Mikhail Labudin'}) RETURN count(o) AS c").records[0]["c"] == 1
    minprom = q("MATCH (i:Institution) WHERE 'Minpromtorg' IN i.aliases "
                "MATCH (i)-[:MENTIONED_IN]->(d) RETURN collect(d.id) AS docs").records
    assert len(minprom) == 1 and doc_id not in minprom[0]["docs"] and len(minprom[0]["docs"]) == 2
    new = q("MATCH (c:Cluster {name: 'Kaluga tourism cluster'})-[r:LOCATED_IN]->(:Region {iso: 'RU-KLU'}) "
            "RETURN r.sources AS s").records
    assert new and new[0]["s"] == [doc_id]
    # Sentences of the old version that the new one does not use are gone.
    assert q("MATCH (s:Sentence {docId: $d}) WHERE NOT (s)<-[:HAS_SENTENCE]-(:Document {id: $d}) "
             "RETURN count(s) AS c", d=doc_id).records[0]["c"] == 0
    # ... and every sentence it keeps is evidence of one of its facts.
    kept = {r["id"] for r in q("MATCH (s:Sentence {docId: $d}) RETURN s.id AS id", d=doc_id).records}
    used = {r["e"] for r in q("MATCH ()-[r]->() WHERE $d IN r.sources UNWIND r.evidence AS e WITH e "
                              "WHERE e STARTS WITH $d + '#' RETURN DISTINCT e", d=doc_id).records}
    assert kept == used and kept
    # Facts of the other documents: exactly as before.
    assert _rels_without(empty_graph, doc_id) == others_before


def test_bad_files_are_reported_and_skipped(empty_graph, tmp_path):
    folder = tmp_path / "in"
    _copy_gold(folder)
    (folder / "empty.json").write_bytes(b"")
    (folder / "malformed.json").write_text('{"documents": [', encoding="utf-8")
    (folder / "binary.json").write_bytes(bytes(range(256)) * 4)
    (folder / "cp1251.json").write_bytes('{"entities": "Тульская"}'.encode("cp1251"))
    with (folder / "huge.json").open("wb") as fh:
        fh.truncate(21 * 2**20)
    report = load_paths(empty_graph, [folder], mode="exchange", progress=False)
    assert len(report.loaded) == 5
    failed = {Path(f.path).name: f.reason for f in report.failed}
    assert set(failed) == {"empty.json", "malformed.json", "binary.json", "cp1251.json", "huge.json"}
    assert "empty" in failed["empty.json"] and "large" in failed["huge.json"]
    assert all(str(folder) in f.path for f in report.failed)
    assert "failed: " + str(folder / "huge.json") in report.summary()


def test_bad_text_files_are_reported_with_the_reader_reason(empty_graph, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "bad.json").write_text("[{", encoding="utf-8")
    registry = folder / "registry.csv"  # a good file that needs no extraction
    registry.write_text("cluster,region,member,role\nTest cluster,RU-TUL,ООО «Тест»,anchor\n", encoding="utf-8")
    report = load_paths(empty_graph, [folder], progress=False)
    assert report.loaded == ["registry.csv"]
    failed = {Path(f.path).name for f in report.failed}
    assert failed == {"empty.txt", "binary.txt", "bad.json"}


# ------------------------------------------------------------------ interrupted load

def _synthetic_corpus(folder: Path, n: int) -> None:
    """n exchange files: the gold documents under new ids, with people and clusters renamed per copy."""
    folder.mkdir(parents=True)
    golds = [json.loads(p.read_text(encoding="utf-8")) for p in gold_files()]
    for i in range(n):
        data = json.loads(json.dumps(golds[i % len(golds)]))
        old = data["documents"][0]["id"]
        new = f"{i:04d}_{old}"
        data["documents"][0]["id"] = new
        for ent in data["entities"]:
            if ent["label"] in ("Official", "Agreement") or (ent["label"] == "Cluster" and i % 3):
                ent["name"] = f"{ent['name']} {i // 2}"
                ent["aliases"] = []
        for rel in data["relations"]:
            for ev in rel["evidence"]:
                ev["doc"] = new
                ev["text"] = f"{ev['text']} [{i}]"
        (folder / f"{i:04d}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _klaster(args: list[str], settings) -> subprocess.Popen:
    env = dict(os.environ, NEO4J_URI=settings.uri, NEO4J_USER=settings.user, NEO4J_PASSWORD=settings.password)
    return subprocess.Popen([sys.executable, "-c", "from klaster.cli import main; main()", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _per_doc_rels(driver) -> dict[str, int]:
    rows = driver.execute_query(
        "MATCH ()-[r]->() WHERE NOT type(r) IN ['MENTIONED_IN', 'HAS_SENTENCE'] UNWIND r.sources AS d "
        "RETURN d, count(*) AS c").records
    return {r["d"]: r["c"] for r in rows}


def _wipe(driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def test_interrupted_load_then_rerun_equals_one_clean_run(empty_graph, neo4j_settings, tmp_path):
    n = 300
    corpus = tmp_path / "corpus"
    _synthetic_corpus(corpus, n)
    args = ["load", "--exchange", "--batch-size", "2", "-q", str(corpus)]

    proc = _klaster(args, neo4j_settings)
    deadline = time.monotonic() + 120
    loaded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        loaded = empty_graph.execute_query(
            "MATCH (d:Document) WHERE d.contentHash IS NOT NULL RETURN count(d) AS c").records[0]["c"]
        if loaded >= 20:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the load finished before it could be interrupted"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(1.0)  # let the server notice the dropped connection and roll back the open transaction
    partial_docs = {r["id"] for r in empty_graph.execute_query(
        "MATCH (d:Document) WHERE d.contentHash IS NOT NULL RETURN d.id AS id").records}
    partial_rels = _per_doc_rels(empty_graph)
    assert 20 <= len(partial_docs) < n

    rerun = _klaster(args + ["--json"], neo4j_settings)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["loaded"] + summary["unchanged"] == n
    assert summary["unchanged"] >= len(partial_docs)
    resumed = canonical_dump(empty_graph)

    _wipe(empty_graph)
    clean = _klaster(args, neo4j_settings)
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err.decode()
    once = canonical_dump(empty_graph)
    for part in ("nodes", "rels"):
        assert sorted(set(once[part]) ^ set(resumed[part]))[:4] == []
    assert once == resumed
    # Each document committed whole: what was loaded before the kill had all its relationships.
    clean_rels = _per_doc_rels(empty_graph)
    assert {d: partial_rels.get(d, 0) for d in partial_docs} == {d: clean_rels[d] for d in partial_docs}


def test_load_command_prints_a_summary(empty_graph, neo4j_settings, tmp_path):
    _copy_gold(tmp_path / "gold")
    proc = _klaster(["load", "--exchange", str(tmp_path / "gold")], neo4j_settings)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    text = out.decode()
    assert "5 loaded" in text and "nodes:" in text and "relationships:" in text
    assert "doc/s" in err.decode()  # the progress bar


def test_exchange_roundtrip_through_load_exchange_matches_paths(empty_graph, tmp_path):
    """The API entry point and the CLI pipeline write the same graph."""
    from graph.schema import init_graph

    init_graph(empty_graph)  # what load_paths does first: schema and the gazetteer's regions
    _load_gold(empty_graph)
    via_api = canonical_dump(empty_graph, volatile=("loadedAt", "contentHash", "source"))
    _wipe(empty_graph)
    _copy_gold(tmp_path / "gold")
    load_paths(empty_graph, [tmp_path / "gold"], mode="exchange", progress=False, batch_size=2)
    assert canonical_dump(empty_graph, volatile=("loadedAt", "contentHash", "source")) == via_api


def test_counts_do_not_move_on_second_load_exchange(empty_graph):
    _load_gold(empty_graph)
    before = counts(empty_graph)
    _load_gold(empty_graph)
    assert counts(empty_graph) == before


@pytest.mark.parametrize("workers", [2])
def test_parallel_workers_give_the_same_graph(empty_graph, tmp_path, workers):
    corpus = tmp_path / "corpus"
    _synthetic_corpus(corpus, 30)
    load_paths(empty_graph, [corpus], mode="exchange", progress=False, workers=1, batch_size=4)
    single = canonical_dump(empty_graph)
    _wipe(empty_graph)
    load_paths(empty_graph, [corpus], mode="exchange", progress=False, workers=workers, batch_size=7)
    assert canonical_dump(empty_graph) == single


def test_exchange_files_validate(tmp_path):
    for path in gold_files():
        assert Exchange.read(path).documents


def test_seed_articles_through_extraction_dedupe_across_languages(empty_graph):
    """The whole chain on the seed articles (read, extract, resolve, write): one Tula Oblast mentioned by
    both documents that name it, one Ministry of Industry and Trade for the English and Russian articles."""
    from klaster.settings import seeds_dir

    report = load_paths(empty_graph, [seeds_dir()], progress=False)
    assert not report.failed and len(report.loaded) == 6  # five articles and the example registry
    tula = empty_graph.execute_query("MATCH (r:Region {iso: 'RU-TUL'})-[:MENTIONED_IN]->(d:Document) "
                                     "RETURN collect(d.id) AS docs").records[0]["docs"]
    assert TULA_DOCS <= set(tula)
    ministries = empty_graph.execute_query(
        "MATCH (i:Institution)-[:MENTIONED_IN]->(d:Document) WHERE any(a IN [i.name] + i.aliases "
        "WHERE a IN ['Минпромторг России', 'Ministry of Industry and Trade of Russia']) "
        "RETURN i.key AS key, collect(d.id) AS docs").records
    assert len(ministries) == 1
    assert {"000_6cd9891a57f4c440.txt", "001_b1d624e466ddd344.txt"} <= set(ministries[0]["docs"])
    again = load_paths(empty_graph, [seeds_dir()], progress=False)
    assert again.loaded == [] and len(again.unchanged) == 6
