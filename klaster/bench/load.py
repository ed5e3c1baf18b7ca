"""`klaster bench load`: end-to-end load throughput on a generated corpus, measured side by side in one run.

The corpus comes from templates and name parts in `load_corpus.yaml` plus the region gazetteer: English
and Russian articles naming clusters, enterprises with legal forms, regions, officials with posts and
universities, drawn from a bounded vocabulary so that documents keep naming the same things (resolution
has work to do). For each size the database is wiped and the corpus loaded with `klaster load`'s pipeline;
the run prints

- documents/s end to end, and extraction-only documents/s on the same corpus with the same number of
  processes (ratio; target >= 70%);
- the write phase on its own: the documents prepared by the extraction-only run are resolved and written
  into the emptied database with nothing else running, nodes+relationships/s, next to a raw
  `UNWIND ... CREATE` of the same number of nodes and relationships in as many transactions on the same
  server (ratio; target >= 50%). The two alternate `--rounds` times (each write starts from an emptied
  database) and the best time of each is compared, every round printed: the server shares its CPUs with
  other work. During the end-to-end run the write shares the CPUs with extraction and the server, so it is
  timed apart;
- time(largest)/time(smallest) against the size ratio (target for 10k/1k: <= 11);
- peak RSS of the loading process and of its workers per size (flat memory).

It writes to the database only when told it may wipe it (`--wipe`).
"""
from __future__ import annotations

import json
import os
import random
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

CORPUS_DATA = Path(__file__).with_name("load_corpus.yaml")


# ---------------------------------------------------------------- corpus

@dataclass(frozen=True)
class _Vocab:
    enterprises: list[tuple[str, str]]  # (English form, Russian form), with legal forms
    clusters: list[tuple[str, str]]  # (English name, Russian name in quotes-free form)
    officials: list[tuple[str, str]]
    universities: list[tuple[str, str]]
    regions: list[tuple[str, str]]


def _vocabulary(rng: random.Random, data: dict[str, Any]) -> _Vocab:
    from loaders.regions import all_regions

    names = data["names"]
    regions = [(r.name, r.name_ru) for r in all_regions() if not r.disputed]
    enterprises = []
    for i in range(400):
        j = i % len(names["stems_en"])
        k = rng.randrange(len(names["legal_en"]))
        suffix = i // len(names["stems_en"]) + 1
        enterprises.append((f"{names['legal_en'][k]} {names['stems_en'][j]}-{suffix}",
                            f"{names['legal_ru'][k]} «{names['stems_ru'][j]}-{suffix}»"))
    clusters = []
    for i in range(150):
        j = i % len(names["industries_en"])
        reg_en, reg_ru = regions[i % len(regions)]
        clusters.append((f"{reg_en.split()[0]} {names['industries_en'][j]} cluster",
                         f"{names['cluster_words_ru'][j]} {reg_ru.split()[0]}"))
    officials = [(f"{names['first_en'][i % 10]} {names['last_en'][i % 12]}",
                  f"{names['first_ru'][i % 10]} {names['last_ru'][i % 12]}") for i in range(120)]
    universities = []
    from loaders.regions import all_regions as regs

    for r in regs()[:60]:
        if r.adjective_ru:
            j = len(universities) % len(names["universities_en"])
            universities.append((f"{r.name.split()[0]} {names['universities_en'][j]}",
                                 f"{r.adjective_ru.capitalize()} {names['universities_ru'][j]}"))
    return _Vocab(enterprises, clusters, officials, universities, regions)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def generate_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    """n article files (.txt, title on the first line), half English and half Russian, deterministic."""
    data = yaml.safe_load(CORPUS_DATA.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    vocab = _vocabulary(rng, data)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "ru"
        post = rng.randrange(len(data["names"]["posts_en"]))
        ent, cl, off = rng.choice(vocab.enterprises), rng.choice(vocab.clusters), rng.choice(vocab.officials)
        reg, reg2, uni = rng.choice(vocab.regions), rng.choice(vocab.regions), rng.choice(vocab.universities)
        slots = {"enterprise_en": ent[0], "enterprise_ru": ent[1], "cluster_en": f"the {cl[0]}",
                 "cluster_name_ru": cl[1], "official_en": off[0], "official_ru": off[1],
                 "region_en": reg[0], "region_ru": reg[1], "region2_en": reg2[0],
                 "post_en": data["names"]["posts_en"][post], "post_ru": data["names"]["posts_ru"][post],
                 "university_en": uni[0], "university_ru": uni[1], "year": str(2015 + rng.randrange(10))}
        part = data[lang]
        sentences = rng.sample(part["sentences"], k=min(5, len(part["sentences"])))
        title = _capitalised(rng.choice(part["titles"]).format(**slots))
        body = " ".join(_capitalised(s.format(**slots)) for s in sentences)
        path = folder / f"{i:06d}_{lang}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


# ---------------------------------------------------------------- measurements

def _rss_mb(who: int) -> float:
    """Peak resident set size in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _reset_peak_rss() -> bool:
    """Reset this process's peak-RSS counter (Linux clear_refs 5) so each size gets its own peak."""
    try:
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_now_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _rss_mb(resource.RUSAGE_SELF)


def _wipe(driver: Any, database: str | None) -> None:
    """Delete everything, then pause, so the next timing pays less for the deletion's background work
    (db.checkpoint() is an Enterprise procedure)."""
    with driver.session(database=database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    time.sleep(2.0)


def _graph_size(driver: Any, database: str | None) -> tuple[int, int]:
    n = driver.execute_query("MATCH (n) RETURN count(n) AS c", database_=database).records[0]["c"]
    r = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS c", database_=database).records[0]["c"]
    return n, r


def raw_create(driver: Any, nodes: int, rels: int, transactions: int, database: str | None) -> float:
    """Seconds to CREATE `nodes` nodes and `rels` relationships between them with UNWIND, in as many
    transactions as the load used; the scratch data is deleted afterwards (not timed)."""
    driver.execute_query("CREATE INDEX bench_raw_id IF NOT EXISTS FOR (n:BenchRaw) ON (n.id)", database_=database)
    driver.execute_query("CALL db.awaitIndexes(60)", database_=database)
    transactions = max(1, transactions)
    node_ids = list(range(nodes))
    rng = random.Random(1)
    start = time.perf_counter()
    with driver.session(database=database) as session:
        per = -(-nodes // transactions)
        for t in range(transactions):
            chunk = node_ids[t * per:(t + 1) * per]
            rel_count = rels * len(chunk) // max(1, nodes)
            pairs = [[rng.choice(chunk), rng.choice(chunk)] for _ in range(rel_count)] if chunk else []

            def work(tx: Any, chunk: list[int] = chunk, pairs: list[list[int]] = pairs) -> None:
                tx.run("UNWIND $ids AS i CREATE (:BenchRaw {id: i, name: 'n' + toString(i)})", ids=chunk).consume()
                tx.run("UNWIND $pairs AS p MATCH (a:BenchRaw {id: p[0]}) MATCH (b:BenchRaw {id: p[1]}) "
                       "CREATE (a)-[:BENCH_RAW {w: 1}]->(b)", pairs=pairs).consume()

            if chunk:
                session.execute_write(work)
    seconds = time.perf_counter() - start
    with driver.session(database=database) as session:
        session.run("MATCH (n:BenchRaw) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    driver.execute_query("DROP INDEX bench_raw_id IF EXISTS", database_=database)
    return seconds


@dataclass
class _Run:
    size: int
    seconds: float
    loaded: int
    failed: int
    write_seconds: float
    batches: int
    nodes: int
    rels: int
    rss_main_mb: float
    rss_workers_mb: float


def _load_run(driver: Any, database: str | None, files: list[Path], workers: int, batch: int) -> _Run:
    from graph.schema import init_graph
    from loaders.load import load_paths

    _wipe(driver, database)
    init_graph(driver, database)
    base_nodes, base_rels = _graph_size(driver, database)
    _reset_peak_rss()
    report = load_paths(driver, files, workers=workers, batch_size=batch, progress=False, database=database,
                        init=False)
    nodes, rels = _graph_size(driver, database)
    return _Run(len(files), report.seconds, len(report.loaded), len(report.failed), report.write_seconds,
                -(-len(report.loaded) // batch), nodes - base_nodes, rels - base_rels, _peak_rss_now_mb(),
                _rss_mb(resource.RUSAGE_CHILDREN))


def _write_phase(driver: Any, database: str | None, prepared: list[Any], batch: int) -> tuple[float, int, int]:
    """Resolve and write already-prepared documents into the emptied database: (seconds, nodes, rels) added."""
    from graph.schema import init_graph
    from loaders.load import Loader

    _wipe(driver, database)
    init_graph(driver, database)
    base_nodes, base_rels = _graph_size(driver, database)
    start = time.perf_counter()
    loader = Loader(driver, database, batch)
    for doc in prepared:
        loader.add(doc)
    loader.flush()
    seconds = time.perf_counter() - start
    nodes, rels = _graph_size(driver, database)
    return seconds, nodes - base_nodes, rels - base_rels


@click.command("load")
@click.option("--sizes", default="1000,10000", show_default=True, help="Corpus sizes (documents), comma-separated.")
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=max(1, (os.cpu_count() or 2)),
              show_default=True, help="Extraction processes, for the load and for extraction-only alike.")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=1000, show_default=True)
@click.option("--rounds", type=click.IntRange(1, 10), default=2, show_default=True,
              help="Alternating write-phase and raw-baseline runs per size; the best of each is compared.")
@click.option("--uri", envvar="NEO4J_URI", help="Neo4j to load into (default: the settings, NEO4J_URI).")
@click.option("--wipe", is_flag=True, help="Allow wiping the database (required: every size starts empty).")
@click.option("--corpus", type=click.Path(path_type=Path), help="Keep the generated corpus in this folder.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON too.")
def command(sizes: str, workers: int, batch_size: int, rounds: int, uri: str | None, wipe: bool,
            corpus: Path | None, as_json: bool) -> None:
    """Load throughput end to end vs extraction only; write phase vs raw UNWIND CREATE; scaling; memory.

    \b
    Example:
      NEO4J_URI=bolt://127.0.0.1:7691 NEO4J_PASSWORD=... klaster bench load --sizes 1000,10000 --wipe
    """
    import logging

    from graph.connection import open_driver
    from klaster.settings import Neo4jSettings
    from loaders.load import extract_only

    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    counts = sorted({int(s) for s in sizes.split(",") if s.strip()})
    if not counts:
        raise click.UsageError("--sizes needs at least one number")
    settings = Neo4jSettings.from_env()
    if uri:
        settings = Neo4jSettings(uri, settings.user, os.environ.get("NEO4J_PASSWORD", settings.password),
                                 settings.database, False)
    driver = open_driver(settings)
    driver.verify_connectivity()
    if not wipe:
        n, _ = _graph_size(driver, settings.database)
        raise click.ClickException(f"the benchmark wipes the database at {settings.uri} ({n} nodes); "
                                   "pass --wipe if it may")
    folder = corpus or Path(tempfile.mkdtemp(prefix="klaster-bench-load-"))
    db = settings.database
    results: dict[str, Any] = {"workers": workers, "batch": batch_size}
    try:
        t0 = time.perf_counter()
        files = generate_corpus(folder, max(counts))
        click.echo(f"corpus: {len(files)} documents generated in {time.perf_counter() - t0:.1f}s ({folder}); "
                   f"workers={workers}, batch={batch_size}, server {settings.uri}")
        # Each compared pair runs back to back (end to end, then extraction only; write phase, then raw):
        # the machine may be shared, and neighbouring measurements see the same load.
        runs: list[_Run] = []
        for size in counts:
            run = _load_run(driver, db, files[:size], workers, batch_size)  # first: its peak RSS is its own
            runs.append(run)
            prepared: list[Any] = []
            ext_docs, ext_seconds = extract_only(files[:size], workers, keep=prepared)
            e2e, ext = run.loaded / run.seconds, ext_docs / ext_seconds
            click.echo(f"load {size:>6}: {run.seconds:7.1f}s  {e2e:7.1f} docs/s end to end  ({run.failed} failed)  "
                       f"+{run.nodes} nodes +{run.rels} rels  peak RSS main {run.rss_main_mb:.0f} MB, "
                       f"workers {run.rss_workers_mb:.0f} MB")
            click.echo(f"  extraction only: {ext_seconds:7.1f}s  {ext:7.1f} docs/s; end to end = {e2e / ext:.0%} of it "
                       f"(target >= 70%)")
            # The write phase and the raw baseline alternate, `--rounds` times each, and the best time of each
            # is compared: the server shares its CPUs with other work, and a slow moment should not decide.
            write_times, raw_times = [], []
            written = 0
            for _ in range(rounds):
                write_seconds, nodes, rels = _write_phase(driver, db, prepared, batch_size)
                written = nodes + rels
                raw_seconds = raw_create(driver, nodes, rels, -(-size // batch_size), db)
                write_times.append(write_seconds)
                raw_times.append(raw_seconds)
            del prepared
            write_seconds, raw_seconds = min(write_times), min(raw_times)
            write_rate, raw_rate = written / write_seconds, written / raw_seconds
            rounds_text = ", ".join(f"{w:.2f}/{r:.2f}s" for w, r in zip(write_times, raw_times))
            click.echo(f"  write phase alone: {written} nodes+rels in {write_seconds:.1f}s = {write_rate:,.0f}/s; "
                       f"raw UNWIND CREATE {raw_seconds:.1f}s = {raw_rate:,.0f}/s; ratio {write_rate / raw_rate:.0%} "
                       f"(target >= 50%; best of {rounds} alternating rounds, write/raw: {rounds_text})")
            results.setdefault("sizes", []).append(
                {**run.__dict__, "endToEndDocsPerSec": e2e, "extractOnlyDocsPerSec": ext,
                 "writeRate": write_rate, "rawRate": raw_rate, "writeSeconds": write_seconds,
                 "rawSeconds": raw_seconds, "writeRounds": write_times, "rawRounds": raw_times})
        if len(runs) > 1:
            small, big = runs[0], runs[-1]
            scale = big.seconds / small.seconds
            click.echo(f"time({big.size})/time({small.size}) = {scale:.2f} for {big.size / small.size:.0f}x the "
                       f"documents (target <= {1.1 * big.size / small.size:.0f}); peak RSS main "
                       f"{small.rss_main_mb:.0f} -> {big.rss_main_mb:.0f} MB")
            results["scaling"] = scale
        if as_json:
            click.echo(json.dumps(results, indent=2, default=str))
    finally:
        driver.close()
        if corpus is None:
            shutil.rmtree(folder, ignore_errors=True)
