"""Our scorer (loaders/scoring.py) gives the same figures and misses as shared/eval/score.py.

The reference runs as a subprocess under the system python3 on the gold against itself, on
predictions perturbed from the gold with a seeded RNG (dropped, renamed, extra and duplicated
entities and relations, MEMBER_OF for ANCHORS, optional facts, shuffled keys), and on the real
extractor's output when it is available.
"""
from __future__ import annotations

import copy
import json
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loaders.scoring import ScoreReport, fuzzy_score, normalise_name, score_dirs

ROW = re.compile(r"^  (\S+)\s+P=\S+ R=\S+ F1=\S+  \(tp=(\d+) fp=(\d+) fn=(\d+)\)$")
Doc = dict[str, Any]


def _system_python() -> str:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("no system python3 to run the reference scorer")


@pytest.fixture(scope="module")
def gold_dir(shared_dir: Path) -> Path:
    path = shared_dir / "gold" / "seeds"
    if not (shared_dir / "eval" / "score.py").exists() or not path.is_dir():
        pytest.skip(f"shared folder with gold and eval/score.py not found at {shared_dir}")
    return path


def reference(shared_dir: Path, gold: Path, pred: Path) -> dict[str, Any]:
    """Per-label counts, misses and totals as printed by shared/eval/score.py."""
    out = subprocess.run([_system_python(), str(shared_dir / "eval" / "score.py"), str(gold), str(pred),
                          "--misses", "--json"], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    tables: dict[str, dict[str, tuple[int, int, int]]] = {"entities": {}, "relations": {}}
    section = ""
    misses_start = 0
    for i, line in enumerate(lines):
        if line.startswith("== "):
            section = line[3:]
        elif (m := ROW.match(line)) and section:
            tables[section][m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4)))
        elif line.startswith("  ALL") and section == "relations":
            misses_start = i + 1
            break
    json_at = next(i for i, line in enumerate(lines) if line.startswith('{"ent"'))
    misses = [line for line in lines[misses_start:json_at] if line]
    return {"tables": tables, "misses": misses, "totals": json.loads(lines[json_at]), "summary": lines[-1],
            "table_text": lines[:misses_start]}


def ours(report: ScoreReport) -> dict[str, Any]:
    tables = {
        "entities": {k: (c.tp, c.fp, c.fn) for k, c in report.entities.items()},
        "relations": {k: (c.tp, c.fp, c.fn) for k, c in report.relations.items()},
    }
    e, r = report.entity_total, report.relation_total
    totals = {"ent": {"p": e.precision, "r": e.recall, "f": e.f1},
              "rel": {"p": r.precision, "r": r.recall, "f": r.f1}}
    return {"tables": tables, "misses": report.misses, "totals": totals, "summary": report.summary()}


def assert_same(shared_dir: Path, gold: Path, pred: Path) -> dict[str, Any]:
    ref = reference(shared_dir, gold, pred)
    report = score_dirs(gold, pred)
    mine = ours(report)
    assert report.format().splitlines()[:-1] == ref["table_text"]  # `klaster eval` prints the same table
    assert mine["tables"] == ref["tables"]
    assert mine["totals"] == ref["totals"]  # same arithmetic: exactly equal floats
    assert mine["misses"] == ref["misses"]
    assert mine["summary"] == ref["summary"]
    return ref


def _load(gold_dir: Path) -> dict[str, Doc]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}


def _write(docs: dict[str, Doc], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


# --- perturbations: each takes (rng, doc) and changes the prediction copy in place ----------------

def drop_entities(rng: random.Random, doc: Doc) -> None:
    ents = doc["entities"]
    for ent in rng.sample(ents, k=min(len(ents), rng.randint(1, 4))):
        ents.remove(ent)


def drop_relations(rng: random.Random, doc: Doc) -> None:
    rels = doc["relations"]
    for rel in rng.sample(rels, k=min(len(rels), rng.randint(1, 5))):
        rels.remove(rel)


def rename(rng: random.Random, doc: Doc) -> None:
    """Surface changes the scorer must see through (legal forms, case, quotes) and ones it must not."""
    for ent in rng.sample(doc["entities"], k=min(len(doc["entities"]), 5)):
        name = ent["name"]
        ent["aliases"] = []
        choice = rng.randrange(6)
        if choice == 0:
            ent["name"] = f"JSC «{name.upper()}»"
        elif choice == 1:
            ent["name"] = name[:-1] if len(name) > 3 else name + "x"  # a typo
        elif choice == 2:
            ent["name"] = " ".join(reversed(name.split()))
        elif choice == 3:
            ent["name"] = name.split()[0] if name.split() else name  # a truncated name
        elif choice == 4:
            ent["name"] = f"{name} group of companies"
        else:
            ent["name"] = "Completely different name"
        if ent["label"] == "Region" and rng.random() < 0.5:
            ent.setdefault("props", {})["iso"] = rng.choice(["RU-MOW", ent.get("props", {}).get("iso") or ""])


def add_extras(rng: random.Random, doc: Doc) -> None:
    labels = ["Region", "Cluster", "Enterprise", "Institution", "Official", "Agreement"]
    new = []
    for i in range(rng.randint(1, 3)):
        label = rng.choice(labels)
        ent = {"key": f"x-extra-{i}", "label": label, "name": f"Extra thing {i} {rng.randint(0, 999)}"}
        if label == "Region":
            ent["props"] = {"iso": rng.choice(["RU-SPE", "RU-NVS"])}
        new.append(ent)
    doc["entities"] += new
    keys = [e["key"] for e in doc["entities"]]
    for _ in range(rng.randint(1, 4)):
        doc["relations"].append({"type": rng.choice(["LOCATED_IN", "MEMBER_OF", "PARTY_TO", "HOLDS_POST"]),
                                 "from": rng.choice(keys), "to": rng.choice(keys), "evidence": []})


def duplicate(rng: random.Random, doc: Doc) -> None:
    """Duplicated entities (same or variant name) and repeated relations, some pointing at the copy."""
    for ent in rng.sample(doc["entities"], k=min(len(doc["entities"]), 3)):
        copy_ = copy.deepcopy(ent)
        copy_["key"] = ent["key"] + "-dup"
        if rng.random() < 0.5:
            copy_["name"] = ent["name"] + "s"
        doc["entities"].append(copy_)
        for rel in list(doc["relations"]):
            if rel["from"] == ent["key"] and rng.random() < 0.5:
                doc["relations"].append({**rel, "from": copy_["key"]})
    if doc["relations"]:
        doc["relations"].append(copy.deepcopy(rng.choice(doc["relations"])))


def member_for_anchor(rng: random.Random, doc: Doc) -> None:
    for rel in doc["relations"]:
        if rel["type"] == "ANCHORS":
            if rng.random() < 0.5:
                rel["type"] = "MEMBER_OF"
            else:
                doc["relations"].append({**rel, "type": "MEMBER_OF"})
                break


def optional_facts(rng: random.Random, doc: Doc) -> None:
    """Drop some optional gold facts from the prediction, and strip the flag from the others."""
    doc["entities"] = [e for e in doc["entities"] if not (e.get("optional") and rng.random() < 0.5)]
    doc["relations"] = [r for r in doc["relations"] if not (r.get("optional") and rng.random() < 0.5)]
    for item in doc["entities"] + doc["relations"]:
        item.pop("optional", None)


def agreements(rng: random.Random, doc: Doc) -> None:
    """Agreements renamed (pairing by signers/parties) and some of their relations dropped."""
    for ent in doc["entities"]:
        if ent["label"] == "Agreement":
            ent["name"] = f"Memorandum {rng.randint(1, 99)}"
            ent["aliases"] = []
            doc["relations"] = [r for r in doc["relations"]
                                if not (r["to"] == ent["key"] and rng.random() < 0.4)]


def merge_names(rng: random.Random, doc: Doc) -> None:
    """One predicted entity carrying the names of two gold entities: pairing ties decide the ends."""
    by_label: dict[str, list[Doc]] = {}
    for ent in doc["entities"]:
        by_label.setdefault(ent["label"], []).append(ent)
    groups = [g for label, g in sorted(by_label.items()) if len(g) >= 2 and label != "Region"]
    for group in rng.sample(groups, k=min(2, len(groups))):
        keep, gone = rng.sample(group, k=2)
        keep["aliases"] = [*keep.get("aliases", []), gone["name"], *gone.get("aliases", [])]
        doc["entities"].remove(gone)


def rekey(rng: random.Random, doc: Doc) -> None:
    """New keys and shuffled order: pairing must not depend on either beyond the reference's ties."""
    mapping = {e["key"]: f"k{rng.randint(0, 10**6)}-{e['key']}" for e in doc["entities"]}
    for ent in doc["entities"]:
        ent["key"] = mapping[ent["key"]]
    for rel in doc["relations"]:
        rel["from"], rel["to"] = mapping.get(rel["from"], rel["from"]), mapping.get(rel["to"], rel["to"])
    rng.shuffle(doc["entities"])
    rng.shuffle(doc["relations"])


PERTURBATIONS: dict[str, Callable[[random.Random, Doc], None]] = {
    "drop_entities": drop_entities, "drop_relations": drop_relations, "rename": rename,
    "add_extras": add_extras, "duplicate": duplicate, "member_for_anchor": member_for_anchor,
    "optional_facts": optional_facts, "agreements": agreements, "rekey": rekey,
    "merge_names": merge_names,
}


def test_gold_against_itself_is_perfect_and_equal(shared_dir: Path, gold_dir: Path) -> None:
    ref = assert_same(shared_dir, gold_dir, gold_dir)
    assert ref["totals"]["ent"]["f"] == 1.0 and ref["totals"]["rel"]["f"] == 1.0


@pytest.mark.parametrize("kind", sorted(PERTURBATIONS))
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_perturbed_predictions_score_like_the_reference(shared_dir: Path, gold_dir: Path, tmp_path: Path,
                                                       kind: str, seed: int) -> None:
    rng = random.Random(f"{kind}-{seed}")
    docs = _load(gold_dir)
    for doc in docs.values():
        PERTURBATIONS[kind](rng, doc)
    ref = assert_same(shared_dir, gold_dir, _write(docs, tmp_path / "pred"))
    if kind in ("drop_entities", "drop_relations", "add_extras"):
        assert (ref["totals"]["ent"]["f"], ref["totals"]["rel"]["f"]) != (1.0, 1.0)  # the change is seen


@pytest.mark.parametrize("seed", range(6))
def test_mixed_perturbations_score_like_the_reference(shared_dir: Path, gold_dir: Path, tmp_path: Path,
                                                      seed: int) -> None:
    rng = random.Random(seed)
    docs = _load(gold_dir)
    for doc in docs.values():
        for kind in rng.sample(sorted(PERTURBATIONS), k=3):
            PERTURBATIONS[kind](rng, doc)
    assert_same(shared_dir, gold_dir, _write(docs, tmp_path / "pred"))


def test_optional_gold_facts_are_neither_required_nor_rewarded(shared_dir: Path, gold_dir: Path,
                                                                 tmp_path: Path) -> None:
    """Marking facts optional in the gold copy changes the counts the same way in both scorers."""
    rng = random.Random(7)
    gold = _load(gold_dir)
    pred = copy.deepcopy(gold)
    for doc in gold.values():
        for item in rng.sample(doc["entities"], k=3) + rng.sample(doc["relations"], k=3):
            item["optional"] = True
    for doc in pred.values():
        drop_entities(rng, doc)
    ref = assert_same(shared_dir, _write(gold, tmp_path / "gold"), _write(pred, tmp_path / "pred"))
    assert ref["totals"]["ent"]["p"] == 1.0


def test_missing_prediction_file_counts_as_empty(shared_dir: Path, gold_dir: Path, tmp_path: Path) -> None:
    docs = _load(gold_dir)
    first = min(docs)
    del docs[first]
    ref = assert_same(shared_dir, gold_dir, _write(docs, tmp_path / "pred"))
    assert f"{first}: no prediction file" in ref["misses"]


def test_real_extractor_output_scores_like_the_reference(shared_dir: Path, gold_dir: Path,
                                                        tmp_path: Path) -> None:
    pipeline = pytest.importorskip("loaders.extract.pipeline", reason="the extraction pipeline is not built yet")
    from loaders.readers import read_path

    out = tmp_path / "pred"
    out.mkdir()
    for text in sorted((shared_dir / "seeds").glob("*.txt")):
        (doc,) = read_path(text)
        (out / f"{text.stem}.json").write_text(pipeline.extract_document(doc).to_json(), encoding="utf-8")
    assert_same(shared_dir, gold_dir, out)


def test_normalisation_and_fuzzy_rules() -> None:
    assert normalise_name("АО «Арнест»") == normalise_name("Арнест") == "арнест"
    assert normalise_name("Тульской области") == normalise_name("Тульская область")
    assert normalise_name("JSC Arnest") == "arnest"
    assert fuzzy_score("altai polymer composite cluster", "altai composite cluster") >= 90  # containment 3/4
    assert fuzzy_score("kaluga", "kaluga cluster") < 90  # one word of two is not the same name


NAME_POOL = [
    "ООО «Ёлка»", "елка", "Елки", "АО 'Арнест'", "Арнест", "(JSC) Arnest", "Arnest Inc.", "arnest ltd",
    "Тульской области", "Тульская область", "Tula-region", "Tula — region", "Tula region", "Kaluga",
    "Kaluga cluster", "Национальный аэрозольный кластер", "национального аэрозольного кластера",
    "National Aerosol Cluster", "NP Altai Polymer Composite Cluster", "Altai composite cluster",
    "Министерство промышленности и торговли", "Минпромторг России", "Ministry of Industry and Trade",
    "Алексей Дюмин", "Alexey Dyumin", "Дюмина Алексея", "Vladimir Popov", "Popov Vladimir",
    "Соглашение о сотрудничестве", "cooperation agreement", "Memorandum", "", "«»", "ГУП «Завод № 1»",
]


def _random_doc(rng: random.Random, prefix: str) -> Doc:
    labels = ["Region", "Cluster", "Enterprise", "Institution", "Official", "Agreement"]
    ents = []
    for i in range(rng.randint(0, 9)):
        label = rng.choice(labels)
        ent: Doc = {"key": f"{prefix}{rng.randint(0, 30)}-{i}", "label": label, "name": rng.choice(NAME_POOL),
                    "aliases": rng.sample(NAME_POOL, k=rng.randint(0, 2))}
        if label == "Region" and rng.random() < 0.7:
            ent["props"] = {"iso": rng.choice(["RU-TUL", "ru-tul", "RU-KLU", ""])}
        if rng.random() < 0.15:
            ent["optional"] = True
        ents.append(ent)
    keys = [e["key"] for e in ents]
    if prefix == "p":
        keys.append("dangling")  # a prediction may point at a key it never defined
    if not keys:
        return {"documents": [{"id": prefix}], "entities": ents, "relations": []}
    rels = [{"type": rng.choice(["ANCHORS", "MEMBER_OF", "LOCATED_IN", "SIGNED", "PARTY_TO", "HOLDS_POST"]),
             "from": rng.choice(keys), "to": rng.choice(keys), "optional": rng.random() < 0.15}
            for _ in range(rng.randint(0, 10))]
    return {"documents": [{"id": prefix}], "entities": ents, "relations": rels}


@pytest.mark.parametrize("seed", range(8))
def test_random_documents_with_tricky_names_score_like_the_reference(shared_dir: Path, gold_dir: Path,
                                                                     tmp_path: Path, seed: int) -> None:
    rng = random.Random(1000 + seed)
    names = [f"doc{i}.json" for i in range(12)]
    gold = {n: _random_doc(rng, "g") for n in names}
    pred = {n: _random_doc(rng, "p") for n in names}
    assert_same(shared_dir, _write(gold, tmp_path / "gold"), _write(pred, tmp_path / "pred"))
