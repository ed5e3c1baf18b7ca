"""The blind held-out development set (tests/devset): its gold files are well-formed and faithful to their
articles, and extraction over its articles stays above a regression floor (entity F1 >= 0.70, relation
F1 >= 0.50), printing the per-label table so a drop shows where it happened."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from klaster.cli import cli
from klaster.settings import PROJECT_ROOT
from loaders.exchange import REL_ENDS, Exchange
from loaders.scoring import score_dirs

DEVSET = Path(__file__).parent / "devset"
DOCS = DEVSET / "docs"
GOLD = DEVSET / "gold"
REFERENCE_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"

ENTITY_F1_FLOOR = 0.70
RELATION_F1_FLOOR = 0.50

KINDS = {"university", "college", "ministry", "government", "fund", "association", "sez", "technopark",
         "corporation", "other"}
FEDERAL_DISTRICTS = {"Central Federal District", "Northwestern Federal District", "Southern Federal District",
                     "North Caucasian Federal District", "Volga Federal District", "Ural Federal District",
                     "Siberian Federal District", "Far Eastern Federal District"}
# Legal forms that must live in props.legalForm, never in an Enterprise name (schema.md, Identity).
LEGAL_FORM_WORD = re.compile(r"(?<!\w)(ООО|OOO|LLC|АО|JSC|ПАО|PJSC|ЗАО|CJSC|ОАО|OJSC|НП|NP|АНО)(?!\w)")

GOLD_FILES = sorted(GOLD.glob("*.json"))


def _gold(path: Path) -> Exchange:
    return Exchange.read(path)


def _article(gold_path: Path) -> str:
    return (DOCS / (gold_path.stem + ".txt")).read_text(encoding="utf-8")


def test_devset_has_twelve_paired_articles_in_both_languages() -> None:
    docs = sorted(p.stem for p in DOCS.glob("*.txt"))
    gold = [p.stem for p in GOLD_FILES]
    assert docs == gold, "every article needs exactly one gold file of the same name"
    assert len(docs) >= 12
    langs = Counter(_gold(p).documents[0].lang for p in GOLD_FILES)
    assert langs["en"] >= 6 and langs["ru"] >= 5, langs


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_document_header_matches_its_article(path: Path) -> None:
    gold = _gold(path)
    text = _article(path)
    assert len(gold.documents) == 1
    doc = gold.documents[0]
    assert doc.id == path.stem + ".txt"
    assert 400 <= len(text) <= 2500, len(text)
    cyrillic = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    assert doc.lang == ("ru" if cyrillic > len(text) / 3 else "en")
    assert doc.title and doc.title in text
    assert doc.date and re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", doc.date)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_relations_join_existing_entities_of_the_right_labels(path: Path) -> None:
    gold = _gold(path)
    keys = [e.key for e in gold.entities]
    assert len(keys) == len(set(keys)), "entity keys must be unique"
    labels = {e.key: e.label for e in gold.entities}
    seen = set()
    for rel in gold.relations:
        assert rel.from_ in labels and rel.to in labels, (rel.type, rel.from_, rel.to)
        sources, targets = REL_ENDS[rel.type]
        assert labels[rel.from_] in sources and labels[rel.to] in targets, (rel.type, rel.from_, rel.to)
        triple = (rel.type, rel.from_, rel.to)
        assert triple not in seen, f"duplicate relation {triple}: merge its evidence instead"
        seen.add(triple)


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_evidence_is_copied_verbatim_from_the_article(path: Path) -> None:
    gold = _gold(path)
    text = _article(path)
    for rel in gold.relations:
        assert rel.evidence, f"{rel.type} {rel.from_}->{rel.to} has no evidence"
        for ev in rel.evidence:
            assert ev.doc == gold.documents[0].id
            assert ev.text in text, f"not in the article: {ev.text!r}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_entities_carry_the_properties_the_schema_requires(path: Path) -> None:
    gold = _gold(path)
    for ent in gold.entities:
        if ent.label == "Region":
            assert re.fullmatch(r"RU-[A-Z]{2,3}", ent.props.get("iso", "")), ent.name
            assert ent.props.get("nameRu") and ent.props.get("federalDistrict") in FEDERAL_DISTRICTS, ent.name
        elif ent.label == "Enterprise":
            assert not LEGAL_FORM_WORD.search(ent.name), f"legal form in name: {ent.name}"
        elif ent.label == "Institution":
            assert ent.props.get("kind") in KINDS, ent.name
        elif ent.label == "Cluster":
            assert ent.props.get("industry") and ent.props.get("status") in {"planned", "active"}, ent.name
    posts = [r for r in gold.relations if r.type == "HOLDS_POST"]
    assert all(r.props.get("title") for r in posts)
    # A Russian article's names are Russian: Cyrillic name, English/transliterated form among the aliases.
    if gold.documents[0].lang == "ru":
        for ent in gold.entities:
            if ent.label in {"Enterprise", "Official", "Cluster"}:
                assert re.search(r"[а-яё]", ent.name, re.IGNORECASE), ent.name
                assert any(re.search(r"[a-z]", a, re.IGNORECASE) for a in ent.aliases), ent.name


def test_gold_scores_perfectly_against_itself() -> None:
    report = score_dirs(GOLD, GOLD)
    assert report.entity_total.f1 == pytest.approx(1.0)
    assert report.relation_total.f1 == pytest.approx(1.0)
    assert report.entity_total.tp > 150 and report.relation_total.tp > 200
    if REFERENCE_SCORER.exists():
        out = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(GOLD), str(GOLD)],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1].startswith("entity F1 1.000 (P 1.000 R 1.000); relation F1 1.000")


def test_extraction_over_the_devset_stays_above_the_floor(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(DOCS), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == [p.stem for p in GOLD_FILES]
    report = score_dirs(GOLD, tmp_path)
    print("\n" + report.format(misses=False))
    if REFERENCE_SCORER.exists():
        # The project's scorer must agree with the reference one on this unseen set too.
        out = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(GOLD), str(tmp_path)],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == report.summary()
    assert report.entity_total.f1 >= ENTITY_F1_FLOOR, report.summary()
    assert report.relation_total.f1 >= RELATION_F1_FLOOR, report.summary()
