"""read → transform → writers, with atomic outputs; one article or a batch."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
import unicodedata
import uuid
from concurrent.futures import Executor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable

from . import fonts
from .bidi import isolate_article
from .regional import digit_style
from .cache import BuildCache
from .jobs import (  # noqa: F401  (the public names stay importable from here)
    DEFAULT_FORMATS, FORMATS, BuildResult, BuildSettings, sweep_partials, write_atomically,
)
from .errors import Diagnostic, PipelineError
from .model import Article
from .options import DocxOptions, PdfOptions, WriterOptions
from .reader import decode_source, parse_article, uncovered_characters
from .resources import load_images, locate
from .transforms import assign_ids, attach_pause_marks, images
from .workers import pdf_worker, stop_pdf_worker, worker_pool

CONTENT_DIR = Path("content")


def model_passes(article: Article) -> Article:
    """The passes every writer's model goes through: heading ids, Quranic pause
    marks joined to their word, the left-to-right runs of a right-to-left
    article isolated."""
    return isolate_article(attach_pause_marks(assign_ids(article)))


def load_article(path: str | Path) -> Article:
    """Read one source into the model, with heading ids assigned."""
    path = Path(path)
    try:
        return model_passes(parse_article(decode_source(_read(path))))
    except PipelineError as exc:
        raise exc.located(str(path)) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read the source: {exc.strerror}", path=str(path),
                            hint="check the path") from None


def source_timestamp(path: Path, article: Article) -> dt.datetime:
    """SOURCE_DATE_EPOCH, else the front-matter date, else the file's time (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PipelineError(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}",
                                hint="set it to an integer such as 1700000000") from None
    if article.meta.date:
        return dt.datetime.combine(article.meta.date, dt.time(), dt.timezone.utc)
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.timezone.utc)


def publication_id(article: Article, raw: bytes) -> str:
    """The front matter's ``id``, else a UUID derived from the source bytes."""
    if article.meta.ident:
        return article.meta.ident
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                        "sha256:" + hashlib.sha256(raw).hexdigest()))


def writer_options(path: Path, article: Article, raw: bytes,
                   settings: BuildSettings, text: str = "") -> WriterOptions:
    return WriterOptions(
        stem=output_stem(path),
        images=load_images(article, path.parent, text),
        identifier=publication_id(article, raw),
        timestamp=source_timestamp(path, article),
        source_dir=path.resolve().parent,
        fonts_dir=settings.fonts_dir,
        template_dirs=settings.template_dirs,
        digits=digit_style(article.meta.lang, settings.digits or article.meta.digits),
        pdf=PdfOptions(paper=settings.paper or article.meta.paper or "a4",
                       variant=settings.pdf_variant, bleed_mm=settings.bleed_mm,
                       marks=settings.marks,
                       justify=settings.justify or article.meta.justify or "kashida",
                       columns=settings.columns or article.meta.columns or 1),
        docx=DocxOptions(reference=settings.reference_docx),
    )


def output_stem(source: Path) -> str:
    """The source's name without its suffix, less invisible format characters
    (bidi overrides would make a file name read differently from what it is)."""
    stem = "".join(ch for ch in source.stem if unicodedata.category(ch) not in ("Cf", "Cc"))
    return stem or "article"


@dataclass
class ArticleJob:
    """One article, read and checked, ready for the writers: what a worker gets."""

    source: Path
    article: Article
    options: WriterOptions
    formats: tuple[str, ...]
    inputs: dict[str, str]
    """Every file the build read (path → sha256), for the up-to-date check."""


def prepare(source: Path, settings: BuildSettings, warnings: list[Diagnostic]) -> ArticleJob:
    """Read, parse and check one source and its images (cheap; done where the
    outputs are written). Raises PipelineError."""
    raw = _read(source)
    text = decode_source(raw)
    found: list[Diagnostic] = []
    article = model_passes(parse_article(text, found, dict(settings.metadata)))
    found += uncovered_characters(text, fonts.coverage(settings.fonts_dir))
    found += [Diagnostic(f"image {image.src!r} has no alt text",
                         **locate(text, image.src), severity="warning",
                         hint="describe it: ![what the picture shows](file)")
              for image in dict.fromkeys(images(article)) if not image.alt]
    warnings += [replace(w, path=str(source)) for w in found]
    options = writer_options(source, article, raw, settings, text)
    inputs = {str(source.resolve()): hashlib.sha256(raw).hexdigest()}
    inputs.update({str(image.path): hashlib.sha256(image.data).hexdigest()
                   for image in options.images.values()})
    return ArticleJob(source, article, options, settings.formats, inputs)


def render(job: ArticleJob, parallel_pdf: bool = False) -> dict:
    """Run the writers; with ``parallel_pdf`` the PDF renders in this process's
    PDF worker while this one writes the other formats."""
    if not (parallel_pdf and "pdf" in job.formats):
        return {f: _write_one(f, job.article, job.options) for f in job.formats}
    pdf = pdf_worker().submit(_write_one, "pdf", job.article, job.options)
    rendered = {f: _write_one(f, job.article, job.options) for f in job.formats if f != "pdf"}
    try:
        rendered["pdf"] = pdf.result()
    except BrokenProcessPool:  # the worker died (killed, out of memory): render here
        stop_pdf_worker()
        rendered["pdf"] = _write_one("pdf", job.article, job.options)
    return {f: rendered[f] for f in job.formats}


def _write_one(fmt: str, article: Article, options: WriterOptions) -> bytes:
    from .writers import writer_for
    try:
        return writer_for(fmt)(article, options)
    except Exception as exc:
        if type(exc).__module__.startswith("jinja2"):
            # a template from a template folder failed or tried what the
            # sandbox refuses: one located line, not an internal failure
            name = getattr(exc, "name", None) or getattr(exc, "filename", None)
            raise PipelineError(f"template{' ' + name if name else ''}: {exc}",
                                line=getattr(exc, "lineno", None),
                                hint="fix the template in the template folder") from None
        raise


def render_job(job: ArticleJob) -> tuple[dict, float]:
    """What a batch worker (a process of a pool, or a Dask worker) runs: the
    rendered formats and how long they took."""
    started = time.perf_counter()
    rendered = render(job)
    return rendered, time.perf_counter() - started


def write_outputs(job: ArticleJob, rendered: dict, outdir: Path, result: BuildResult) -> None:
    """Each format's bytes to ``outdir/<name>.<format>`` (a web page's files to
    ``<name>_files/``), atomically."""
    # All formats rendered before any is written: a failure leaves no mix of
    # new and old outputs.
    from .writers import Bundle

    stem = output_stem(job.source)
    for fmt, data in rendered.items():
        target = outdir / f"{stem}.{fmt}"
        if isinstance(data, Bundle):
            for name, content in data.files.items():
                write_atomically(outdir / f"{stem}_files" / name, content)
            data = data.main
        write_atomically(target, data)
        result.outputs[fmt] = target
        result.digests[fmt] = hashlib.sha256(data).hexdigest()


def build_article(source: Path, outdir: Path, settings: BuildSettings,
                  parallel_pdf: bool = False) -> BuildResult:
    """Build every requested format of one article; errors land in the result."""
    result = BuildResult(source)
    started = time.perf_counter()
    with _reported(result, settings):
        job = prepare(source, settings, result.warnings)
        write_outputs(job, render(job, parallel_pdf), outdir, result)
        result.inputs = job.inputs
    result.seconds = time.perf_counter() - started
    return result


@contextlib.contextmanager
def _reported(result: BuildResult, settings: BuildSettings):
    """Turn a failure into the result's one-line error."""
    try:
        yield
    except PipelineError as exc:
        result.error = exc.located(str(result.source)).diagnostic
    except Exception as exc:  # a bug, not bad input: this article fails, the batch goes on
        if settings.debug:
            raise
        result.error = Diagnostic(f"internal failure: {type(exc).__name__}: {exc}",
                                  str(result.source), hint="rerun with --debug for the traceback")


def find_sources(sources: Iterable[str | Path] | None) -> list[Path]:
    """The named sources (folders expand to their ``*.md``), or every ``content/*.md``."""
    if not sources:
        found = sorted(CONTENT_DIR.glob("*.md"))
        if not found:
            raise PipelineError(f"no articles in {CONTENT_DIR}/",
                                hint="name a source file, or run from the project folder")
        return found
    paths: list[Path] = []
    for s in map(Path, sources):
        paths.extend(sorted(s.glob("*.md")) if s.is_dir() else [s])
    return paths


def build(sources: Iterable[str | Path] | None = None, outdir: str | Path = "out",
          settings: BuildSettings | None = None,
          on_result: Callable[[BuildResult], None] | None = None,
          executor: Executor | None = None) -> list[BuildResult]:
    """Build each source into ``outdir``; one failing article does not stop the rest.

    Articles whose inputs have not changed since the last build are skipped
    (``settings.force`` rebuilds them). One article renders its PDF in a second
    process; several go to ``executor`` (any ``concurrent.futures.Executor``: a
    process pool, a Dask cluster's) or to a pool over every core."""
    settings = settings or BuildSettings()
    unknown = [f for f in settings.formats if f not in FORMATS]
    if unknown:
        raise PipelineError(f"unknown format {unknown[0]!r}",
                            hint="choose from " + ", ".join(FORMATS))
    outdir = Path(outdir)
    cache = BuildCache(outdir, settings)
    pending: list[Path] = []
    results: dict[Path, BuildResult] = {}

    def done(result: BuildResult) -> None:
        results[result.source] = result
        if result.ok and not result.up_to_date:
            cache.record(result)
        if on_result:
            on_result(result)

    all_sources = find_sources(sources)
    # what a killed build may have left for this run's outputs
    sweep_partials(outdir, {f"{output_stem(source)}.{fmt}" for source in all_sources
                            for fmt in settings.formats} | {BuildCache.NAME})
    if "html" in settings.formats:  # and in a web page's own folder
        for source in all_sources:
            sweep_partials(outdir / f"{output_stem(source)}_files")
    for source in all_sources:
        if not settings.force and (fresh := cache.fresh(source)) is not None:
            done(fresh)
        else:
            pending.append(source)

    if len(pending) == 1 and executor is None:
        done(build_article(pending[0], outdir, settings, parallel_pdf=True))
    elif pending:
        own_pool = executor is None
        if own_pool:
            executor = worker_pool(min(len(pending), os.cpu_count() or 1))
        try:
            _build_batch(pending, outdir, settings, executor, done)
        finally:
            if own_pool:
                executor.shutdown()
    cache.save()
    return [results[s] for s in all_sources]


def _build_batch(sources: list[Path], outdir: Path, settings: BuildSettings,
                 executor: Executor, done: Callable[[BuildResult], None]) -> None:
    """Prepare here, render on the executor, write here as each finishes."""
    futures = {}
    for source in sources:
        result = BuildResult(source)
        job = None
        with _reported(result, settings):
            job = prepare(source, settings, result.warnings)
        if result.error or job is None:
            done(result)
            continue
        futures[executor.submit(render_job, job)] = (job, result)
    for future in as_completed(futures):
        job, result = futures[future]
        with _reported(result, settings):
            rendered, result.seconds = future.result()
            write_outputs(job, rendered, outdir, result)
            result.inputs = job.inputs
        done(result)
