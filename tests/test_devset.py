"""The first development set (tests/devset, used for tuning since): its gold files are well-formed and faithful to their
articles, and extraction over its articles stays above a regression floor (entity F1 >= 0.70, relation
F1 >= 0.50), printing the per-label table so a drop shows where it happened."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fixtures.gold_checks import (
    assert_evidence_verbatim,
    assert_extraction_above_floor,
    assert_relations_join_entities,
    assert_schema_properties,
    assert_self_score_perfect,
)

from loaders.exchange import Exchange

DEVSET = Path(__file__).parent / "devset"
DOCS = DEVSET / "docs"
GOLD = DEVSET / "gold"

ENTITY_F1_FLOOR = 0.70
RELATION_F1_FLOOR = 0.50

FEDERAL_DISTRICTS = {"Central Federal District", "Northwestern Federal District", "Southern Federal District",
                     "North Caucasian Federal District", "Volga Federal District", "Ural Federal District",
                     "Siberian Federal District", "Far Eastern Federal District"}

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
    assert_relations_join_entities(_gold(path))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_evidence_is_copied_verbatim_from_the_article(path: Path) -> None:
    gold = _gold(path)
    assert_evidence_verbatim(gold, gold.documents[0].id, _article(path))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_entities_carry_the_properties_the_schema_requires(path: Path) -> None:
    gold = _gold(path)
    for ent in gold.entities:
        if ent.label == "Region":
            assert re.fullmatch(r"RU-[A-Z]{2,3}", ent.props.get("iso", "")), ent.name
            assert ent.props.get("nameRu") and ent.props.get("federalDistrict") in FEDERAL_DISTRICTS, ent.name
    assert_schema_properties(gold)


def test_gold_scores_perfectly_against_itself() -> None:
    assert_self_score_perfect(GOLD, min_entities=150, min_relations=200)


def test_extraction_over_the_devset_stays_above_the_floor(tmp_path: Path) -> None:
    assert_extraction_above_floor(DOCS, GOLD, tmp_path, ENTITY_F1_FLOOR, RELATION_F1_FLOOR)
