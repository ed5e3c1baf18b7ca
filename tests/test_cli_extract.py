"""`klaster extract` and `klaster eval` through click's CliRunner: bad files are reported by name while
the others are written, stdin works, encodings and HTML reach the extractor as clean text."""
from __future__ import annotations

import json
import random
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from klaster.cli import cli
from klaster.settings import seeds_dir
from loaders.document import SourceDocument
from loaders.exchange import Entity, Exchange

RU_TEXT = ("Тульский кластер «Упаковка на основе алюминиевой фольги» создан\n\n"
           "Якорным предприятием кластера станет ООО «Презент упаковка». В состав кластера вошли предприятия "
           "Тульской области. Губернатор Тульской области Алексей Дюмин поддержал проект.\n")
EN_TEXT = ("Kaluga cluster grows\n\nJSC Arnest has become the anchor enterprise of the aerosol cluster in "
           "Tula Oblast. Governor of Tula Oblast Alexey Dyumin signed the agreement.\n")
HTML_PAGE = ("<html><head><title>Cluster news | Site</title></head><body>"
             "<nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li><li><a href='/c'>Contacts</a></li>"
             "</ul></nav><article><h1>Aerosol cluster expands</h1><p>" + EN_TEXT.split("\n\n")[1] + "</p></article>"
             "<footer><p>Copyright Example Media, all rights reserved. Follow us on VK.</p></footer></body></html>")


@pytest.fixture()
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[SourceDocument]:
    """A stand-in extractor that records the documents it gets: for the error-handling tests only."""
    seen: list[SourceDocument] = []

    def extract_document(doc: SourceDocument) -> Exchange:
        seen.append(doc)
        return Exchange(entities=[Entity(key="e1", label="Enterprise", name=doc.title or "x")])

    module = types.ModuleType("loaders.extract.pipeline")
    module.extract_document = extract_document  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "loaders.extract.pipeline", module)
    import loaders.extract

    monkeypatch.setattr(loaders.extract, "pipeline", module, raising=False)
    return seen


def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good_en.txt").write_text(EN_TEXT, encoding="utf-8")
    (folder / "good_ru.txt").write_bytes(RU_TEXT.encode("cp1251"))
    rng = random.Random(1)
    (folder / "broken.txt").write_bytes(bytes(rng.randrange(256) for _ in range(2048)) + b"\x00" * 16)
    (folder / "bad.json").write_text('{"title": "x", "text": "no end', encoding="utf-8")
    return folder


def test_bad_files_are_named_and_the_others_written(tmp_path: Path, fake_pipeline: list[SourceDocument]) -> None:
    folder = _bad_folder(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(out), "--quiet"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2
    assert any(line.startswith(f"error: {folder / 'broken.txt'}: ") and "binary" in line for line in errors)
    assert any(line.startswith(f"error: {folder / 'bad.json'}: malformed JSON") for line in errors)
    assert sorted(p.name for p in out.iterdir()) == ["good_en.json", "good_ru.json"]
    ru = json.loads((out / "good_ru.json").read_text(encoding="utf-8"))
    assert ru["documents"][0]["id"] == "good_ru.txt"
    assert ru["documents"][0]["lang"] == "ru"
    assert ru["documents"][0]["title"] == "Тульский кластер «Упаковка на основе алюминиевой фольги» создан"
    assert "2 documents" in result.stdout and "2 failed" in result.stdout


def test_all_good_exits_zero_and_missing_path_is_an_error(tmp_path: Path, fake_pipeline: list[SourceDocument]) -> None:
    good = tmp_path / "a.md"
    good.write_text("# Title\n\nSome *text* about the cluster.", encoding="utf-8")
    ok = CliRunner().invoke(cli, ["extract", str(good), "--out", str(tmp_path / "o1")])
    assert ok.exit_code == 0 and (tmp_path / "o1" / "a.json").exists()
    missing = CliRunner().invoke(cli, ["extract", str(good), str(tmp_path / "nope.txt"), "--out", str(tmp_path / "o2")])
    assert missing.exit_code == 1 and f"error: {tmp_path / 'nope.txt'}: no such file" in missing.stderr


def test_json_list_gives_one_file_per_item(tmp_path: Path, fake_pipeline: list[SourceDocument]) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"title": "One", "text": "First text."}, {"title": "Two", "text": "Second."}]),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["batch-0.json", "batch-1.json"]
    second = json.loads((tmp_path / "out" / "batch-1.json").read_text(encoding="utf-8"))
    assert second["documents"][0]["id"] == "batch.json#1" and second["documents"][0]["title"] == "Two"


def test_stdin_is_read_and_written_as_stdin_json(tmp_path: Path, fake_pipeline: list[SourceDocument]) -> None:
    result = CliRunner().invoke(cli, ["extract", "-", "--out", str(tmp_path)], input=RU_TEXT.encode("cp1251"))
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "stdin.json").read_text(encoding="utf-8"))
    assert data["documents"][0]["id"] == "stdin" and data["documents"][0]["lang"] == "ru"
    assert fake_pipeline[0].title == "Тульский кластер «Упаковка на основе алюминиевой фольги» создан"


def test_html_reaches_the_extractor_without_navigation(tmp_path: Path, fake_pipeline: list[SourceDocument]) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    assert CliRunner().invoke(cli, ["extract", str(page), "--out", str(tmp_path / "o")]).exit_code == 0
    (doc,) = fake_pipeline
    assert doc.title == "Aerosol cluster expands"
    assert "JSC Arnest has become the anchor enterprise" in doc.text
    for junk in ("Home", "Contacts", "Copyright", "Follow us"):
        assert junk not in doc.text


# --- the real extractor ----------------------------------------------------------------------------

@pytest.fixture()
def real_pipeline() -> None:
    pytest.importorskip("loaders.extract.pipeline", reason="the extraction pipeline is not built yet")


def _entities(path: Path) -> dict[str, set[str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for ent in data["entities"]:
        out.setdefault(ent["label"], set()).add(ent["name"])
        if ent["label"] == "Region":
            out["iso"] = out.get("iso", set()) | {ent["props"].get("iso")}
    return out


def test_windows_1251_russian_file_extracted(tmp_path: Path, real_pipeline: None) -> None:
    path = tmp_path / "tula.txt"
    path.write_bytes(RU_TEXT.encode("cp1251"))
    result = CliRunner().invoke(cli, ["extract", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    found = _entities(tmp_path / "out" / "tula.json")
    assert "RU-TUL" in found.get("iso", set())
    assert any("Презент упаковка" in name for name in found.get("Enterprise", set()))


def test_html_page_extracted_without_navigation_entities(tmp_path: Path, real_pipeline: None) -> None:
    page = tmp_path / "page.html"
    page.write_text(HTML_PAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "page.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in data["entities"]}
    assert any("Arnest" in n for n in names)
    assert not any("Example Media" in n or "VK" == n for n in names)


def test_bad_file_among_seeds_with_the_real_extractor(tmp_path: Path, real_pipeline: None) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(seeds_dir().glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "zz_broken.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe\x00" * 50)
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"error: {folder / 'zz_broken.txt'}: " in result.stderr
    assert len(list((tmp_path / "out").glob("*.json"))) == 2


def test_eval_with_docs_extracts_then_scores(tmp_path: Path, shared_dir: Path, real_pipeline: None) -> None:
    gold = shared_dir / "gold" / "seeds"
    if not gold.is_dir():
        pytest.skip(f"gold annotations not found at {gold}")
    result = CliRunner().invoke(cli, ["eval", str(gold), "--docs", str(seeds_dir()), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 5
    assert report["entities"]["all"]["tp"] > 0 and set(report["entities"]) >= {"all", "Region"}


def test_eval_needs_predictions_or_docs(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path)])
    assert result.exit_code == 2 and "PRED_DIR or --docs" in result.output


def test_bench_extract_prints_both_figures_and_their_ratio(tmp_path: Path, real_pipeline: None) -> None:
    doc = tmp_path / "en.txt"
    doc.write_text(EN_TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["bench", "extract", "--docs", str(doc), "--repeat", "2", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["rounds"] == 2 and figures["corpus"]["documents"] == 1
    assert figures["whole_docs_per_second"] > 0 and figures["ner_docs_per_second"] > 0
    assert figures["ratio_whole_to_ner"] == pytest.approx(
        figures["whole_docs_per_second"] / figures["ner_docs_per_second"], rel=0.02)


def test_eval_names_a_broken_prediction_file(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    (gold / "a.json").write_text('{"entities": [], "relations": []}', encoding="utf-8")
    (pred / "a.json").write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), str(pred)])
    assert result.exit_code == 1 and f"{pred / 'a.json'}: not readable exchange JSON" in result.output


def test_eval_prints_the_table(tmp_path: Path) -> None:
    gold, pred = tmp_path / "gold", tmp_path / "pred"
    gold.mkdir()
    pred.mkdir()
    ent = {"key": "r", "label": "Region", "name": "Tula Oblast", "props": {"iso": "RU-TUL"}}
    (gold / "a.json").write_text(json.dumps({"entities": [ent, {"key": "c", "label": "Cluster", "name": "X"}],
                                             "relations": []}), encoding="utf-8")
    (pred / "a.json").write_text(json.dumps({"entities": [{**ent, "name": "Тульская область"}]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(gold), str(pred), "--misses"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  Region       P=1.00 R=1.00 F1=1.00  (tp=1 fp=0 fn=1)" not in lines  # fn belongs to Cluster
    assert "  Region       P=1.00 R=1.00 F1=1.00  (tp=1 fp=0 fn=0)" in lines
    assert "  Cluster      P=0.00 R=0.00 F1=0.00  (tp=0 fp=0 fn=1)" in lines
    assert "a: missed Cluster 'X'" in lines
    assert lines[-1] == "entity F1 0.667 (P 1.000 R 0.500); relation F1 0.000 (P 0.000 R 0.000)"
