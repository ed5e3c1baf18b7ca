"""Extraction pipeline: merging per-language results, pruning off-schema facts, routing, seed quality."""

from __future__ import annotations

from pathlib import Path

import pytest

from klaster.settings import PROJECT_ROOT
from loaders.document import Paragraph, SourceDocument
from loaders.exchange import Entity, Evidence, Exchange, Relation
from loaders.extract import pipeline


def rel(type_: str, src: str, dst: str, text: str = "s.") -> Relation:
    return Relation(type=type_, **{"from": src}, to=dst, evidence=[Evidence(doc="d", text=text)])


def doc(*paragraphs: tuple[str, str], lang: str = "en") -> SourceDocument:
    paras = tuple(Paragraph(t, lg) for t, lg in paragraphs)
    return SourceDocument(
        id="d.txt", text="\n\n".join(p.text for p in paras), paragraphs=paras, lang=lang, title="A title"
    )


# ---- merge -------------------------------------------------------------------------------------------


def test_merge_same_label_and_identity_key_is_one_entity() -> None:
    en = Exchange(
        entities=[
            Entity(
                key="e-1",
                label="Enterprise",
                name="Arnest",
                aliases=["JSC Arnest"],
                props={"legalForm": "JSC"},
            ),
            Entity(key="c-1", label="Cluster", name="National Aerosol Cluster"),
        ],
        relations=[rel("ANCHORS", "e-1", "c-1", "English sentence.")],
    )
    ru = Exchange(
        entities=[
            Entity(key="e-9", label="Enterprise", name="ARNEST", aliases=["АО «Арнест»"]),
            Entity(
                key="c-9",
                label="Cluster",
                name="Национальный аэрозольный кластер",
                aliases=["National Aerosol Cluster"],
            ),
        ],
        relations=[rel("ANCHORS", "e-9", "c-9", "Русское предложение.")],
    )
    merged = pipeline.merge([en, ru])
    assert [(e.label, e.name) for e in merged.entities] == [
        ("Enterprise", "Arnest"),
        ("Cluster", "National Aerosol Cluster"),
    ]
    arnest = merged.entities[0]
    assert "АО «Арнест»" in arnest.aliases and arnest.props == {"legalForm": "JSC"}
    assert len(merged.relations) == 1
    assert [e.text for e in merged.relations[0].evidence] == ["English sentence.", "Русское предложение."]


def test_merge_regions_by_iso_and_keeps_different_labels_apart() -> None:
    a = Exchange(
        entities=[
            Entity(key="r-tul", label="Region", name="Tula Oblast", props={"iso": "RU-TUL"}),
            Entity(key="x", label="Institution", name="Tula"),
        ]
    )
    b = Exchange(
        entities=[
            Entity(
                key="r-1",
                label="Region",
                name="Тульская область",
                aliases=["Тульской области"],
                props={"iso": "ru-tul"},
            ),
            Entity(key="x", label="Enterprise", name="Tula"),
        ],
        relations=[rel("LOCATED_IN", "x", "r-1")],
    )
    merged = pipeline.merge([a, b])
    assert sorted(e.label for e in merged.entities) == ["Enterprise", "Institution", "Region"]
    region = next(e for e in merged.entities if e.label == "Region")
    assert "Тульской области" in region.aliases
    enterprise = next(e for e in merged.entities if e.label == "Enterprise")
    assert enterprise.key != "x"  # the key was taken by the Institution, so it was made unique
    assert [(r.from_, r.to) for r in merged.relations] == [(enterprise.key, "r-tul")]


# ---- prune -------------------------------------------------------------------------------------------


def test_prune_drops_off_schema_relations_with_reasons() -> None:
    ex = Exchange(
        entities=[
            Entity(key="r", label="Region", name="Tula Oblast", props={"iso": "RU-TUL"}),
            Entity(key="c", label="Cluster", name="Aerosol cluster"),
            Entity(key="e", label="Enterprise", name="Arnest"),
        ],
        relations=[
            rel("MEMBER_OF", "r", "c"),
            rel("COORDINATES", "e", "c"),
            rel("LOCATED_IN", "c", "r"),
            rel("ANCHORS", "e", "missing"),
        ],
    )
    reasons = pipeline.prune(ex)
    assert [(r.type, r.from_, r.to) for r in ex.relations] == [("LOCATED_IN", "c", "r")]
    assert len(reasons) == 3
    assert any("MEMBER_OF r->c" in x and "Region->Cluster" in x for x in reasons)
    assert any("ANCHORS e->missing" in x and "not an entity" in x for x in reasons)


# ---- routing -----------------------------------------------------------------------------------------


def test_mixed_language_document_is_routed_per_paragraph() -> None:
    d = doc(
        ("JSC Sibkabel joined the Tomsk cable cluster.", "en"),
        ("Якорным резидентом кластера «Северная верфь» станет АО «Балтика».", "ru"),
    )
    ex = pipeline.extract_document(d)
    types = {(r.type, next(e.name for e in ex.entities if e.key == r.from_)) for r in ex.relations}
    assert ("MEMBER_OF", "Sibkabel") in types  # from the English extractor
    # from the Russian extractor: its entities, and a relation whose evidence is the Russian sentence
    assert {"Северная верфь", "Балтика"} <= {e.name for e in ex.entities}
    assert any(ev.text.startswith("Якорным") for r in ex.relations for ev in r.evidence)
    assert [(x.id, x.lang, x.title) for x in ex.documents] == [("d.txt", "en", "A title")]


def test_english_only_document_gets_document_entry_and_schema_clean_relations() -> None:
    ex = pipeline.extract_document(
        doc(("LLC Kirov Plastics from Kirov Oblast joined the Kirov polymer cluster.", "en"))
    )
    labels = {e.key: e.label for e in ex.entities}
    from loaders.exchange import REL_ENDS

    for r in ex.relations:
        assert labels[r.from_] in REL_ENDS[r.type][0] and labels[r.to] in REL_ENDS[r.type][1]
    assert ex.documents[0].id == "d.txt"


def test_ner_only_counts_spans() -> None:
    d = doc(("Governor of Tula Oblast Alexey Dyumin visited JSC Arnest.", "en"))
    assert pipeline.ner_only(d) >= 3  # the region, the person, the company


# ---- quality on the seeds ----------------------------------------------------------------------------

SHARED_GOLD = PROJECT_ROOT.parent / "shared" / "gold" / "seeds"


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="shared gold annotations not available")
def test_seed_quality(tmp_path: Path) -> None:
    from loaders.readers import read_path
    from loaders.scoring import score_dirs

    for path in sorted((PROJECT_ROOT / "seeds").glob("*.txt")):
        for d in read_path(path):
            (tmp_path / f"{path.stem}.json").write_text(
                pipeline.extract_document(d).to_json(), encoding="utf-8"
            )
    report = score_dirs(SHARED_GOLD, tmp_path)
    ent, rels = report.entity_total, report.relation_total
    assert ent.f1 >= 0.90, report.misses
    assert rels.f1 >= 0.80, report.misses


# ---- agreement date and place ----------------------------------------------------------------------


def _agreement(ex: Exchange) -> Entity:
    return next(e for e in ex.entities if e.label == "Agreement")


def test_agreement_date_from_day_and_month_with_the_documents_year_and_place_from_in() -> None:
    d = doc(
        ("The Oryol Machine Cluster was registered.", "en"),
        (("A cooperation agreement was concluded between the Government of Oryol Oblast and the Oryol "
         "Machine Cluster on October 7 in Oryol."), "en"),
    )
    d = SourceDocument(**{**d.__dict__, "date": "2022-10-08"})
    a = _agreement(pipeline.extract_document(d))
    assert a.props["date"] == "2022-10-07"
    assert a.props["place"] == "Oryol"


def test_agreement_place_is_the_forum_in_the_nominative_and_date_the_documents() -> None:
    d = doc(
        (("Соглашение о создании кластера подписали губернатор Курской области Роман Старовойт и "
         "директор завода Иван Петров на Международном инвестиционном форуме в Сочи."), "ru"),
        lang="ru",
    )
    d = SourceDocument(**{**d.__dict__, "date": "2021-02-17"})
    a = _agreement(pipeline.extract_document(d))
    assert a.props["place"] == "Международный инвестиционный форум"
    assert a.props["date"] == "2021-02-17"


def test_agreement_signed_in_another_year_gets_no_document_date() -> None:
    d = doc(("The agreement on the Kursk Cluster was signed in 2017 by Governor Roman Starovoit.", "en"))
    d = SourceDocument(**{**d.__dict__, "date": "2021-02-17"})
    assert "date" not in _agreement(pipeline.extract_document(d)).props


# ---- cluster industry --------------------------------------------------------------------------------


@pytest.mark.parametrize(("names", "industry"), [
    (["Ulyanovsk Aircraft Cluster"], "aerospace"),
    (["рыбопромышленный кластер"], "fisheries"),
    (["кластер «Сибирская нефтехимия»"], "petrochemicals"),
    (["Khanty-Mansi Autonomous Okrug innovation cluster"], None),  # "Autonomous" is not "auto"
])
def test_industry_of_names(names: list[str], industry: str | None) -> None:
    from loaders.extract.industry import industry_of

    assert industry_of(names) == industry


def test_extracted_russian_cluster_gets_a_listed_industry() -> None:
    ex = pipeline.extract_document(doc(("В Курской области создан сахарный кластер «Льгов».", "ru"), lang="ru"))
    cluster = next(e for e in ex.entities if e.label == "Cluster")
    assert cluster.props["industry"] == "agro-food"
