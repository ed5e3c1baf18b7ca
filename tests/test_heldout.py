"""The second blind held-out set (tests/heldout): its gold files are well-formed and faithful to the article
text the readers produce (plain text, an HTML page, a JSON record), and extraction over it stays above a
regression floor (entity F1 >= 0.60, relation F1 >= 0.40), printing the per-label table. Never tune on it."""
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
from loaders.readers import read_path
from loaders.regions import region

HELDOUT = Path(__file__).parent / "heldout"
DOCS = HELDOUT / "docs"
GOLD = HELDOUT / "gold"

ENTITY_F1_FLOOR = 0.60
RELATION_F1_FLOOR = 0.40


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
    assert_relations_join_entities(Exchange.read(path))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_evidence_is_copied_verbatim_from_the_article(path: Path) -> None:
    assert_evidence_verbatim(Exchange.read(path), *_article(path))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_entities_carry_the_properties_the_schema_requires(path: Path) -> None:
    gold = Exchange.read(path)
    for ent in gold.entities:
        if ent.label == "Region":
            # The project's gazetteer is the authority on codes, names and districts (Crimea is UA-43).
            record = region(ent.props["iso"])
            assert ent.name == record.name and ent.props.get("nameRu") == record.name_ru, ent.name
            assert ent.props.get("federalDistrict") == record.federal_district, ent.name
    assert_schema_properties(gold)


def test_gold_scores_perfectly_against_itself() -> None:
    assert_self_score_perfect(GOLD, min_entities=120, min_relations=150)


def test_extraction_over_the_heldout_set_stays_above_the_floor(tmp_path: Path) -> None:
    assert_extraction_above_floor(DOCS, GOLD, tmp_path, ENTITY_F1_FLOOR, RELATION_F1_FLOOR)
