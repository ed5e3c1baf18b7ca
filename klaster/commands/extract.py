"""CLI commands: `klaster extract` (documents to exchange JSON files, no database) and `klaster eval`
(precision, recall and F1 against gold annotations, by the rules of shared/schema.md)."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from loaders.document import SourceDocument
    from loaders.exchange import Exchange

# Below this many inputs a progress bar is noise.
PROGRESS_MIN_FILES = 3


@dataclass
class ExtractRun:
    """What one `extract` run did: files written, failures (input, reason), documents extracted."""

    written: list[Path] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0

    def summary(self, out_dir: Path) -> str:
        return (f"extracted {len(self.written)} documents from {self.files} inputs into {out_dir}; "
                f"{len(self.failures)} failed")


def _with_document_ref(exchange: Exchange, doc: SourceDocument) -> Exchange:
    """The exchange with `documents` naming `doc` (id, lang, title, date, source, content hash)."""
    from loaders.exchange import DocumentRef

    known = {"id": doc.id, "lang": doc.lang, "title": doc.title, "date": doc.date, "source": doc.source,
             "contentHash": doc.content_hash or None}
    refs = list(exchange.documents)
    for i, ref in enumerate(refs):
        if ref.id == doc.id:
            refs[i] = ref.model_copy(update={k: v for k, v in known.items() if getattr(ref, k) is None})
            break
    else:
        refs.insert(0, DocumentRef(**known))
    return exchange.model_copy(update={"documents": refs})


def _output_name(source: Path | str, doc: SourceDocument, taken: set[str]) -> str:
    stem = "stdin" if source == "-" else Path(source).stem
    if "index" in doc.meta:
        stem = f"{stem}-{doc.meta['index']}"
    name, n = f"{stem}.json", 2
    while name in taken:  # two inputs with one stem (a.txt and a.html): keep both
        name, n = f"{stem}~{n}.json", n + 1
    taken.add(name)
    return name


def _write_registry(path: Path, out_dir: Path, taken: set[str], run: ExtractRun,
                    fail: Callable[[str, str], None]) -> bool:
    """Write a registry file's facts (CSV, XLSX, JSON rows; loaders/registry.py) as its exchange
    file, as `klaster load` reads it; False when `path` is not a registry."""
    from loaders import registry

    if not registry.is_registry(path):
        return False
    try:
        exchange, doc = registry.read_registry(path)
    except (registry.RegistryError, ValueError, OSError) as exc:
        fail(str(path), str(exc).removeprefix(f"{path}: "))
        return True
    target = out_dir / _output_name(path, doc, taken)
    target.write_text(_with_document_ref(exchange, doc).to_json(), encoding="utf-8")
    run.written.append(target)
    return True


def extract_to_dir(raw_paths: tuple[str, ...] | list[str], out_dir: Path, progress: bool = True) -> ExtractRun:
    """Read and extract every input into `out_dir/<stem>.json`; failures are reported, not raised."""
    from loaders.runtime import single_threaded_math

    single_threaded_math()
    from tqdm import tqdm

    from loaders.extract.pipeline import extract_document
    from loaders.inputs import STDIN, expand_inputs
    from loaders.readers import ReadError, read_bytes, read_path

    files, problems = expand_inputs(raw_paths)
    run = ExtractRun(files=len(files))
    out_dir.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()

    def fail(where: str, reason: str) -> None:
        run.failures.append((where, reason))
        tqdm.write(f"error: {where}: {reason}", file=sys.stderr)

    for raw, reason in problems:
        fail(raw, reason)
    bar = tqdm(files, file=sys.stderr, unit="file", disable=None if progress and len(files) >= PROGRESS_MIN_FILES
               else True)
    for source in bar:
        if source != STDIN and _write_registry(Path(source), out_dir, taken, run, fail):
            continue
        try:
            if source == STDIN:
                docs = read_bytes(sys.stdin.buffer.read(), "stdin", None)
            else:
                docs = read_path(Path(source))
        except ReadError as exc:
            fail(str(source), exc.reason)
            continue
        for doc in docs:
            try:
                exchange = _with_document_ref(extract_document(doc), doc)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the others
                fail(f"{source} [{doc.id}]", f"extraction failed: {type(exc).__name__}: {exc}")
                continue
            target = out_dir / _output_name(source, doc, taken)
            target.write_text(exchange.to_json(), encoding="utf-8")
            run.written.append(target)
    return run


def register(group: click.Group) -> None:
    """Add this family's commands to the top-level group."""

    @group.command("extract")
    @click.argument("paths", nargs=-1, required=True)
    @click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
                  help="Folder for the <input stem>.json exchange files (created if missing).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
    def extract(paths: tuple[str, ...], out_dir: Path, quiet: bool) -> None:
        """Extract entities and relations from documents into exchange JSON files, no database needed.

        PATHS are files (text, Markdown, HTML, JSON `{title, text, date, url}` or a list of them;
        CSV/XLSX registries as `klaster load` reads them), folders (read recursively), glob
        patterns, or `-` for stdin (written as stdin.json). Each
        document becomes OUT/<input stem>.json (JSON lists: <stem>-<index>.json). An unreadable file
        is reported as `error: <file>: <reason>` and the others are still processed; the exit code
        is then 1.

        \b
        Example:
          klaster extract seeds/ --out out/
          cat article.html | klaster extract - --out out/
        """
        run = extract_to_dir(paths, out_dir, progress=not quiet)
        click.echo(run.summary(out_dir))
        if run.failures:
            sys.exit(1)

    @group.command("eval")
    @click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.argument("pred_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--docs", "docs", multiple=True, metavar="PATH",
                  help="Extract these documents (files, folders, globs; repeatable) into a temporary "
                       "folder and score that instead of PRED_DIR.")
    @click.option("--misses", is_flag=True, help="List every missed and extra entity and relation.")
    @click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
    def evaluate(gold_dir: Path, pred_dir: Path | None, docs: tuple[str, ...], misses: bool, as_json: bool) -> None:
        """Score predicted exchange files against gold: P/R/F1 per entity label and relation type.

        Every GOLD_DIR/NAME.json is compared with PRED_DIR/NAME.json (a missing prediction counts
        as empty), by the rules of shared/schema.md; the figures equal shared/eval/score.py's.

        \b
        Example:
          klaster eval ../shared/gold/seeds out/
          klaster eval ../shared/gold/seeds --docs seeds/ --misses
        """
        import tempfile

        from loaders.scoring import ScoringInputError, score_dirs

        if (pred_dir is None) == (not docs):
            raise click.UsageError("give either PRED_DIR or --docs PATH (not both)")
        if not any(gold_dir.glob("*.json")):
            raise click.ClickException(f"{gold_dir}: no gold .json files")
        try:
            if docs:
                with tempfile.TemporaryDirectory(prefix="klaster-eval-") as tmp:
                    extract_to_dir(docs, Path(tmp), progress=not as_json)
                    report = score_dirs(gold_dir, Path(tmp))
            else:
                assert pred_dir is not None
                report = score_dirs(gold_dir, pred_dir)
        except ScoringInputError as exc:
            raise click.ClickException(str(exc)) from exc
        if as_json:
            data: dict[str, Any] = report.to_dict()
            if not misses:
                data.pop("misses")
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            click.echo(report.format(misses=misses))
