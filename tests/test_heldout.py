"""The second blind held-out set (tests/heldout): its gold files are well-formed and faithful to the article
text the readers produce (plain text, an HTML page, a JSON record), and extraction over it stays above a
regression floor (entity F1 >= 0.60, relation F1 >= 0.40), printing the per-label table. Never tune on it."""
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
from loaders.readers import read_path
from loaders.regions import region
from loaders.scoring import score_dirs

HELDOUT = Path(__file__).parent / "heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "gold"
REFERENCE_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"

ENTITY_F1_FLOOR = 0.60
RELATION_F1_FLOOR = 0.40

KINDS = {"university", "college", "ministry", "government", "fund", "association", "sez", "technopark",
         "corporation", "other"}
# Legal forms that must live in props.legalForm, never in an Enterprise name (schema.md, Identity).
LEGAL_FORM_WORD = re.compile(r"(?<!\w)(ООО|OOO|LLC|АО|JSC|ПАО|PJSC|ЗАО|CJSC|ОАО|OJSC|НП|NP|АНО)(?!\w)")

GOLD_FILES = sorted(GOLD.glob("*.json"))


def _doc_file(gold_path: Path) -> Path:
    (match,) = [p for p in DOCS.iterdir() if p.stem == gold_path.stem]
    return match


def _article(gold_path: Path) -> tuple[str, str]:
    """(document id, article text) as the project's reader gives them."""
    (doc,) = read_path(_doc_file(gold_path))
    return doc.id, doc.text


def test_heldout_has_ten_paired_articles_in_both_languages_and_three_formats() -> None:
    docs = sorted(p.stem for p in DOCS.iterdir())
    assert docs == [p.stem for p in GOLD_FILES], "every article needs exactly one gold file of the same name"
    assert len(docs) == 10
    langs = Counter(Exchange.read(p).documents[0].lang for p in GOLD_FILES)
    assert langs == {"en": 5, "ru": 5}, langs
    suffixes = Counter(p.suffix for p in DOCS.iterdir())
    assert suffixes == {".txt": 8, ".html": 1, ".json": 1}, suffixes


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_document_header_matches_what_the_reader_gives(path: Path) -> None:
    gold = Exchange.read(path)
    doc_id, text = _article(path)
    assert len(gold.documents) == 1
    doc = gold.documents[0]
    assert doc.id == doc_id
    assert 500 <= len(text) <= 3000, len(text)
    cyrillic = len(re.findall(r"[а-яё]", text, re.IGNORECASE))
    assert doc.lang == ("ru" if cyrillic > len(text) / 3 else "en")
    assert doc.title and doc.title in text
    assert doc.date is None or re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", doc.date)


def test_html_boilerplate_is_not_in_the_article_text() -> None:
    # The gold does not annotate the menu, "Related news" or the cookie notice; the reader must drop them.
    (doc,) = read_path(DOCS / "004_murmansk_fisheries.html")
    for junk in ("Related news", "cookies", "All rights reserved", "Arkhangelsk timber cluster"):
        assert junk not in doc.text, junk


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_relations_join_existing_entities_of_the_right_labels(path: Path) -> None:
    gold = Exchange.read(path)
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
    gold = Exchange.read(path)
    doc_id, text = _article(path)
    for rel in gold.relations:
        assert rel.evidence, f"{rel.type} {rel.from_}->{rel.to} has no evidence"
        for ev in rel.evidence:
            assert ev.doc == doc_id
            assert ev.text in text, f"not in the article: {ev.text!r}"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_entities_carry_the_properties_the_schema_requires(path: Path) -> None:
    gold = Exchange.read(path)
    for ent in gold.entities:
        if ent.label == "Region":
            # The project's gazetteer is the authority on codes, names and districts (Crimea is UA-43).
            record = region(ent.props["iso"])
            assert record is not None, ent.props["iso"]
            assert ent.name == record.name and ent.props.get("nameRu") == record.name_ru, ent.name
            assert ent.props.get("federalDistrict") == record.federal_district, ent.name
        elif ent.label == "Enterprise":
            assert not LEGAL_FORM_WORD.search(ent.name), f"legal form in name: {ent.name}"
        elif ent.label == "Institution":
            assert ent.props.get("kind") in KINDS, ent.name
        elif ent.label == "Cluster":
            assert ent.props.get("industry") and ent.props.get("status") in {"planned", "active"}, ent.name
    assert all(r.props.get("title") for r in gold.relations if r.type == "HOLDS_POST")
    if gold.documents[0].lang == "ru":
        for ent in gold.entities:
            if ent.label in {"Enterprise", "Official", "Cluster"}:
                assert re.search(r"[а-яё]", ent.name, re.IGNORECASE), ent.name
                assert any(re.search(r"[a-z]", a, re.IGNORECASE) for a in ent.aliases), ent.name


def test_gold_scores_perfectly_against_itself() -> None:
    report = score_dirs(GOLD, GOLD)
    assert report.entity_total.f1 == pytest.approx(1.0)
    assert report.relation_total.f1 == pytest.approx(1.0)
    assert report.entity_total.tp > 120 and report.relation_total.tp > 150
    if REFERENCE_SCORER.exists():
        out = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(GOLD), str(GOLD)],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1].startswith("entity F1 1.000 (P 1.000 R 1.000); relation F1 1.000")


def test_extraction_over_the_heldout_set_stays_above_the_floor(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(DOCS), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in tmp_path.glob("*.json")) == [p.stem for p in GOLD_FILES]
    report = score_dirs(GOLD, tmp_path)
    print("\n" + report.format(misses=False))
    if REFERENCE_SCORER.exists():
        out = subprocess.run([sys.executable, str(REFERENCE_SCORER), str(GOLD), str(tmp_path)],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == report.summary()
    assert report.entity_total.f1 >= ENTITY_F1_FLOOR, report.summary()
    assert report.relation_total.f1 >= RELATION_F1_FLOOR, report.summary()
