"""`klaster bench extract`: documents per second of the whole extraction and of the NER step alone,
measured in one process, interleaved document by document, with model loading timed apart.

The whole extraction is what `klaster extract` does per document: read the bytes (decode, strip
boilerplate, detect languages) and run `loaders.extract.pipeline.extract_document`. The NER step is
`loaders.extract.pipeline.ner_only`: natasha's NER over Russian paragraphs and the English
extractor's candidate step. Target: whole >= 60 % of NER-only throughput.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

TARGET_RATIO = 0.60


@dataclass
class _Timer:
    seconds: float = 0.0
    docs: int = 0
    first_round_seconds: float = 0.0
    by_lang: dict[str, list[float]] = field(default_factory=dict)  # lang -> [seconds, docs]

    def add(self, seconds: float, lang: str, first_round: bool) -> None:
        self.seconds += seconds
        self.docs += 1
        if first_round:
            self.first_round_seconds += seconds
        slot = self.by_lang.setdefault(lang, [0.0, 0])
        slot[0] += seconds
        slot[1] += 1

    def rate(self) -> float:
        return self.docs / self.seconds if self.seconds else 0.0

    def lang_rates(self) -> dict[str, float]:
        return {lang: n / s if s else 0.0 for lang, (s, n) in sorted(self.by_lang.items())}


def _corpus(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the article files under `paths` (registries are not articles)."""
    from loaders import registry
    from loaders.inputs import expand_inputs

    files, problems = expand_inputs(paths)
    for raw, reason in problems:
        click.echo(f"warning: {raw}: {reason}", err=True)
    return [(Path(f).name, Path(f).read_bytes()) for f in files
            if f != "-" and not registry.is_registry(Path(f))]


@click.command("extract")
@click.option("--docs", "docs", multiple=True, metavar="PATH", help="Corpus files, folders or globs (repeatable). Default: seeds/.")
@click.option("--repeat", type=click.IntRange(0, 100000), default=0, show_default=True,
              help="Rounds over the corpus; 0 = as many as fit in --seconds (at least 3).")
@click.option("--seconds", type=click.FloatRange(0.5, 3600), default=8.0, show_default=True,
              help="Minimum measured time when --repeat is 0.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def command(docs: tuple[str, ...], repeat: int, seconds: float, as_json: bool) -> None:
    """Documents per second: whole extraction vs the NER step alone, in one process, side by side.

    Each round times every document twice, interleaved (whole, then NER-only, alternating the
    order between rounds), so both figures see the same machine. Model loading is timed apart and
    happens once per process.

    \b
    Example:
      klaster bench extract
      klaster bench extract --docs seeds/ --docs 'news/*.html' --repeat 20
    """
    from loaders.runtime import single_threaded_math

    single_threaded_math()  # single process, single math thread: see loaders/runtime.py
    from klaster.settings import seeds_dir
    from loaders.readers import ReadError, read_bytes

    corpus_paths = docs or (str(seeds_dir()),)
    t0 = time.perf_counter()
    from loaders.extract import pipeline

    for lang in ("en", "ru"):
        pipeline._language_module(lang)  # imports the language extractors
    import_seconds = time.perf_counter() - t0
    ner_only: Callable[[Any], Any] | None = getattr(pipeline, "ner_only", None)

    corpus = _corpus(corpus_paths)
    parsed = []
    for name, data in corpus:
        try:
            parsed.append((name, data, read_bytes(data, name, None)))
        except ReadError as exc:
            click.echo(f"warning: skipped {exc}", err=True)
    if not parsed:
        raise click.ClickException(f"no readable documents in {', '.join(corpus_paths)}")

    # Model loading and first-use caches: one warm-up document per language, timed apart.
    t1 = time.perf_counter()
    warmed: set[str] = set()
    for _, _, doc_list in parsed:
        for doc in doc_list:
            if doc.lang not in warmed:
                warmed.add(doc.lang)
                pipeline.extract_document(doc)
                if ner_only is not None:
                    ner_only(doc)
    load_seconds = time.perf_counter() - t1

    whole, ner = _Timer(), _Timer()
    rounds = 0
    started = time.perf_counter()
    while (rounds < repeat) if repeat else (rounds < 3 or time.perf_counter() - started < seconds):
        first = rounds == 0
        for i, (name, data, doc_list) in enumerate(parsed):
            steps = [("whole", name, data), ("ner", doc_list)]
            if (rounds + i) % 2:
                steps.reverse()
            for step in steps:
                if step[0] == "whole":
                    s = time.perf_counter()
                    for doc in read_bytes(step[2], step[1], None):
                        pipeline.extract_document(doc)
                    whole.add(time.perf_counter() - s, doc_list[0].lang, first)
                    whole.docs += len(doc_list) - 1
                elif ner_only is not None:
                    s = time.perf_counter()
                    for doc in step[1]:
                        ner_only(doc)
                    ner.add(time.perf_counter() - s, doc_list[0].lang, first)
                    ner.docs += len(doc_list) - 1
        rounds += 1

    n_docs = sum(len(d) for _, _, d in parsed)
    langs: dict[str, int] = {}
    for _, _, doc_list in parsed:
        for doc in doc_list:
            langs[doc.lang] = langs.get(doc.lang, 0) + 1
    ratio = whole.rate() / ner.rate() if ner_only is not None and ner.rate() else None
    result: dict[str, Any] = {
        "corpus": {"paths": list(corpus_paths), "documents": n_docs, "languages": langs,
                   "kilobytes": round(sum(len(d) for _, d, _ in parsed) / 1024, 1)},
        "rounds": rounds,
        "import_seconds": round(import_seconds, 3),
        "model_load_and_warmup_seconds": round(load_seconds, 3),
        "whole_docs_per_second": round(whole.rate(), 2),
        "whole_first_round_docs_per_second": round(n_docs / whole.first_round_seconds, 2)
        if whole.first_round_seconds else None,
        "whole_by_language": {k: round(v, 2) for k, v in whole.lang_rates().items()},
        "ner_available": ner_only is not None,
        "ner_docs_per_second": round(ner.rate(), 2) if ner_only is not None else None,
        "ner_by_language": {k: round(v, 2) for k, v in ner.lang_rates().items()} if ner_only is not None else None,
        "ratio_whole_to_ner": round(ratio, 3) if ratio is not None else None,
        "ratio_by_language": {k: round(v / ner.lang_rates()[k], 3) for k, v in whole.lang_rates().items()
                              if ner.lang_rates().get(k)} if ner_only is not None else None,
        "target_ratio": TARGET_RATIO,
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print(result)


def _print(r: dict[str, Any]) -> None:
    c = r["corpus"]
    langs = ", ".join(f"{n} {lang}" for lang, n in sorted(c["languages"].items()))
    click.echo(f"corpus: {c['documents']} documents ({langs}; {c['kilobytes']} KB) from {', '.join(c['paths'])}; "
               f"{r['rounds']} rounds, single process")
    click.echo(f"imports: {r['import_seconds']:.2f} s; model load + warm-up (once per process): "
               f"{r['model_load_and_warmup_seconds']:.2f} s")

    def by_lang(d: dict[str, float] | None, digits: int = 1) -> str:
        return ", ".join(f"{k} {v:.{digits}f}" for k, v in (d or {}).items())

    click.echo(f"whole extraction (read + extract): {r['whole_docs_per_second']:8.1f} docs/s  "
               f"[{by_lang(r['whole_by_language'])}; first round {r['whole_first_round_docs_per_second']}]")
    if not r["ner_available"]:
        click.echo("NER step alone: not available (loaders.extract.pipeline.ner_only is missing)")
        return
    click.echo(f"NER step alone (ner_only):         {r['ner_docs_per_second']:8.1f} docs/s  "
               f"[{by_lang(r['ner_by_language'])}]")
    ratio = r["ratio_whole_to_ner"]
    verdict = "meets" if ratio is not None and ratio >= TARGET_RATIO else "misses"
    click.echo(f"ratio whole / NER-only: {ratio:.2f} ({verdict} the target >= {TARGET_RATIO:.2f})  "
               f"[{by_lang(r['ratio_by_language'], 2)}]")
