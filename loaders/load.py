"""The load pipeline: paths → read → extract (parallel) → resolve → write, with a progress bar and a summary.

Reading, extraction and the per-document half of resolution (`loaders.resolve.prepare`) run in a pool of
worker processes (`workers`), each loading its models once. Results come back in input order, so the
graph is the same whatever the number of workers and an interrupted load re-run gives the same graph
as one clean run. The main process resolves against the in-memory index of the graph and writes whole
documents in batches (`graph.writer.write_documents`).

A document whose content hash is already in the graph is "unchanged" and skipped before extraction; one
with the same id and another hash replaces its own facts. Unreadable files are reported with the reason
and the rest of the batch loads.
"""
from __future__ import annotations

import gc
import glob
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.writer import WriteStats, write_documents
from loaders.document import SourceDocument
from loaders.exchange import DocumentRef, Exchange
from loaders.resolve import PreparedDocument, Resolver, prepare

DEFAULT_BATCH = 1000
MAX_BYTES = 20 * 2**20
# Files a load never reads: our own exports and editor debris.
_SKIP_SUFFIXES = {".pyc", ".swp", ".tmp", ".lock"}


@dataclass
class Failure:
    path: str
    reason: str


@dataclass
class Unchanged:
    id: str


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    stats: WriteStats = field(default_factory=WriteStats)
    seconds: float = 0.0
    extract_seconds: float = 0.0  # time the writer waited for extraction results
    write_seconds: float = 0.0  # time spent resolving and writing

    def summary(self) -> str:
        s = self.stats
        rate = len(self.loaded) / self.seconds if self.seconds else 0.0
        lines = [
            (f"documents: {len(self.loaded)} loaded ({len(self.replaced)} of them replaced), "
             f"{len(self.unchanged)} unchanged, {len(self.failed)} failed in {self.seconds:.1f}s ({rate:.1f} docs/s)"),
            f"nodes: {s.nodes_created} created, {s.nodes_merged} merged"
            + (f", {len(s.deleted_nodes)} removed (no evidence left)" if s.deleted_nodes else ""),
            f"relationships: {s.rels_created} created, {s.rels_merged} merged",
        ]
        lines += [f"failed: {f.path}: {f.reason}" for f in self.failed]
        return "\n".join(lines)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files, folders (recursively) and glob patterns, each file once, sorted within each argument."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        raw = str(raw)
        matches = [Path(m) for m in sorted(glob.glob(raw, recursive=True))] if glob.has_magic(raw) else [Path(raw)]
        for path in matches:
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for f in files:
                if f.suffix.lower() in _SKIP_SUFFIXES or any(part.startswith(".") for part in f.parts[-1:]):
                    continue
                if f not in seen:
                    seen.add(f)
                    out.append(f)
    return out


# ---------------------------------------------------------------- worker side (one per process)

_KNOWN: dict[str, str] = {}
_MODE = "text"
_EXTRACT: Callable[[SourceDocument], Exchange] | None = None


def _init_worker(known: dict[str, str], mode: str) -> None:
    """Runs once per worker process: remember which content hashes are already loaded."""
    global _KNOWN, _MODE
    _KNOWN, _MODE = known, mode


def _extractor() -> Callable[[SourceDocument], Exchange]:
    """The extraction entry point, imported (models loaded) once per process, on first need."""
    global _EXTRACT
    if _EXTRACT is None:
        from loaders.extract.pipeline import extract_document

        _EXTRACT = extract_document
    return _EXTRACT


def _read_exchange(path: Path) -> list[PreparedDocument | Unchanged]:
    """A pre-extracted exchange file (e.g. `klaster extract` output): one document per file."""
    import hashlib

    size = path.stat().st_size
    if size == 0:
        raise ValueError("empty file")
    if size > MAX_BYTES:
        raise ValueError(f"too large ({size / 2**20:.1f} MB > {MAX_BYTES // 2**20} MB)")
    exchange = Exchange.model_validate_json(path.read_bytes())
    ref = exchange.documents[0] if exchange.documents else DocumentRef(id=path.name)
    if ref.source is None:
        ref = ref.model_copy(update={"source": str(path)})
    digest = ref.contentHash or hashlib.sha256(path.read_bytes()).hexdigest()
    if _KNOWN.get(ref.id) == digest:
        return [Unchanged(ref.id)]
    return [prepare(exchange, ref, content_hash=digest)]


def process_path(path: Path) -> list[PreparedDocument | Unchanged | Failure]:
    """Read one file and prepare each document in it; never raises (failures are results)."""
    from loaders import registry
    from loaders.readers import ReadError, read_path

    try:
        if registry.is_registry(path):
            exchange, doc = registry.read_registry(path)
            if _KNOWN.get(doc.id) == doc.content_hash:
                return [Unchanged(doc.id)]
            return [prepare(exchange, doc)]
        if _MODE == "exchange":
            return list(_read_exchange(path))
        out: list[PreparedDocument | Unchanged | Failure] = []
        for doc in read_path(path):
            if _KNOWN.get(doc.id) == doc.content_hash:
                out.append(Unchanged(doc.id))
                continue
            try:
                out.append(prepare(_extractor()(doc), doc))
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                out.append(Failure(f"{path} [{doc.id}]", f"extraction failed: {type(exc).__name__}: {exc}"))
        return out
    except ReadError as exc:
        return [Failure(str(path), getattr(exc, "reason", str(exc)))]
    except registry.RegistryError as exc:
        return [Failure(str(path), str(exc))]
    except (ValueError, OSError, UnicodeError) as exc:
        return [Failure(str(path), f"{type(exc).__name__}: {exc}")]


def extract_only(paths: list[Path], workers: int = 1, mode: str = "text",
                 keep: list[PreparedDocument] | None = None) -> tuple[int, float]:
    """Run read + extraction + preparation with no database: (documents, seconds). For benchmarks;
    `keep` collects the prepared documents (to time the write phase on its own)."""
    start = time.perf_counter()
    n = 0
    for results in _results(paths, workers, {}, mode):
        docs = [r for r in results if isinstance(r, PreparedDocument)]
        n += len(docs)
        if keep is not None:
            keep.extend(docs)
    return n, time.perf_counter() - start


def _results(paths: list[Path], workers: int, known: dict[str, str], mode: str
             ) -> Iterator[list[PreparedDocument | Unchanged | Failure]]:
    if workers <= 1:
        _init_worker(known, mode)
        for path in paths:
            yield process_path(path)
        return
    import multiprocessing as mp

    # fork is cheapest and shares the already-imported code; chunks keep the pipe traffic low.
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(16, len(paths) // (workers * 8) or 1))
    with ctx.Pool(workers, initializer=_init_worker, initargs=(known, mode)) as pool:
        yield from pool.imap(process_path, paths, chunksize=chunk)


# ---------------------------------------------------------------- main side

def known_documents(driver: Driver, database: str | None = None) -> dict[str, str]:
    """id → contentHash of every document already loaded."""
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) WHERE d.contentHash IS NOT NULL RETURN d.id AS id, d.contentHash AS hash",
        database_=database)
    return {r["id"]: r["hash"] for r in records}


class Loader:
    """Resolves and writes prepared documents in batches; keeps the resolver index in step."""

    def __init__(self, driver: Driver, database: str | None = None, batch_size: int = DEFAULT_BATCH) -> None:
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.known = known_documents(driver, database)
        self.resolver = Resolver.from_graph(driver, database)
        self.report = LoadReport()
        self._pending: list[PreparedDocument] = []

    def add(self, doc: PreparedDocument) -> None:
        self._pending.append(doc)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        t0 = time.perf_counter()
        # A batch allocates many small acyclic objects (rows, lists, dicts) while the resolver index keeps
        # growing: with the collector on, its full passes over that index took over half the Python time.
        # Reference counting still frees everything; the collector resumes after the batch.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._flush()
        finally:
            if collecting:
                gc.enable()
        self.report.write_seconds += time.perf_counter() - t0
        if self._pending:
            pending, self._pending = self._pending, []
            for doc in pending:
                self.add(doc)

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        resolved, replace, ids = [], set(), set()
        for doc in batch:
            if doc.id in ids:  # the same id twice in one batch: the later one wins, in the next batch
                self._pending.append(doc)
                continue
            ids.add(doc.id)
            if self.known.get(doc.id) == doc.content_hash:
                self.report.unchanged.append(doc.id)
                continue
            if doc.id in self.known:
                replace.add(doc.id)
            resolved.append(self.resolver.resolve(doc))
        try:
            stats = write_documents(self.driver, resolved, replace, self.database)
        except Exception:
            # The index already holds this batch's names; rebuild it from what is really in the graph.
            self.resolver = Resolver.from_graph(self.driver, self.database)
            raise
        if stats.deleted_nodes:
            self.resolver = Resolver.from_graph(self.driver, self.database)
        self.report.stats.add(stats)
        for res in resolved:
            self.known[res.doc.id] = res.doc.content_hash
            self.report.loaded.append(res.doc.id)
        self.report.replaced += sorted(replace)


def load_exchange(driver: Driver, exchange: Exchange, doc: SourceDocument | DocumentRef | None = None,
                  database: str | None = None, skip_optional: bool = False) -> LoadReport:
    """Load one document's facts given as an Exchange (e.g. a gold file) with its document metadata
    (default: the exchange's first document; its `contentHash` or a hash of the exchange)."""
    import hashlib

    if doc is None:
        doc = exchange.documents[0]
    chash = None
    if isinstance(doc, DocumentRef) and not doc.contentHash:
        chash = hashlib.sha256(exchange.to_json(indent=None).encode("utf-8")).hexdigest()
    loader = Loader(driver, database)
    loader.add(prepare(exchange, doc, content_hash=chash, skip_optional=skip_optional))
    loader.flush()
    return loader.report


def load_paths(driver: Driver, paths: Iterable[str | Path], workers: int = 1, batch_size: int = DEFAULT_BATCH,
               mode: str = "text", progress: bool = True, database: str | None = None,
               init: bool = True) -> LoadReport:
    """`klaster load`: every file under `paths` into the graph; returns what happened."""
    from tqdm import tqdm

    if init:
        from graph.schema import init_graph

        init_graph(driver, database)
    files = expand_paths(paths)
    loader = Loader(driver, database, batch_size)
    report = loader.report
    start = time.perf_counter()
    bar = tqdm(total=len(files), unit="doc", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    wait_start = time.perf_counter()
    for results in _results(files, workers, dict(loader.known), mode):
        report.extract_seconds += time.perf_counter() - wait_start
        for item in results:
            if isinstance(item, Failure):
                report.failed.append(item)
            elif isinstance(item, Unchanged):
                report.unchanged.append(item.id)
            else:
                for note in item.dropped:
                    _debug(f"{item.id}: dropped {note}")
                loader.add(item)
        bar.update(1)
        bar.set_postfix(docs=len(report.loaded), failed=len(report.failed), refresh=False)
        wait_start = time.perf_counter()
    loader.flush()
    bar.close()
    report.seconds = time.perf_counter() - start
    return report


def _debug(message: str) -> None:
    if os.environ.get("KLASTER_DEBUG"):
        print(message, file=sys.stderr)


def report_dict(report: LoadReport) -> dict[str, Any]:
    s = report.stats
    return {"loaded": len(report.loaded), "unchanged": len(report.unchanged), "replaced": len(report.replaced),
            "failed": [{"path": f.path, "reason": f.reason} for f in report.failed],
            "nodesCreated": s.nodes_created, "nodesMerged": s.nodes_merged,
            "relationshipsCreated": s.rels_created, "relationshipsMerged": s.rels_merged,
            "seconds": round(report.seconds, 3)}
