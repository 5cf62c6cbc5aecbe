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
    DEFAULT_FORMATS, FORMATS, BuildResult, BuildSettings, sweep_partials, write_all, write_atomically,
)
from .errors import Diagnostic, PipelineError, template_error
from .model import Article
from .options import DocxOptions, PdfOptions, WriterOptions
from .reader.frontmatter import FIRST_YEAR, LAST_YEAR
from .reader import decode_source, read_article, read_source, uncovered_characters
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
        return model_passes(read_article(decode_source(read_source(path)))[0])
    except PipelineError as exc:
        raise exc.located(str(path)) from None


def source_timestamp(path: Path, article: Article) -> dt.datetime:
    """SOURCE_DATE_EPOCH, else the front-matter date, else the file's time (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise PipelineError(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}",
                                hint="set it to an integer such as 1700000000") from None
        if not FIRST_YEAR <= when.year <= LAST_YEAR:
            raise PipelineError(f"SOURCE_DATE_EPOCH is in the year {when.year}, outside "
                                f"{FIRST_YEAR}–{LAST_YEAR}",
                                hint="ZIP files (EPUB, DOCX) cannot store a later time")
        return when
    if article.meta.date:
        return dt.datetime.combine(article.meta.date, dt.time(), dt.timezone.utc)
    # a file's time can be anything a clock said: kept inside what every format stores
    mtime = min(max(path.stat().st_mtime, 0), _LAST_SECOND)
    return dt.datetime.fromtimestamp(int(mtime), dt.timezone.utc)


_LAST_SECOND = dt.datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp()


def publication_id(article: Article, raw: bytes) -> str:
    """The front matter's ``id``, else a UUID derived from the source bytes."""
    if article.meta.ident:
        return article.meta.ident
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                        "sha256:" + hashlib.sha256(raw).hexdigest()))


MAX_BLEED_MM = 25
"""Bleed past this is refused: printers ask for 3–5 mm."""
MAX_STEM_BYTES = 150
"""A source whose name (less ``.md``) is longer than this is refused: the
outputs, their temporary files and a web page's folder are named after it,
and file systems stop at 255 bytes."""


def writer_options(path: Path, article: Article, raw: bytes,
                   settings: BuildSettings, text: str = "") -> WriterOptions:
    if not 0 <= settings.bleed_mm <= MAX_BLEED_MM:
        raise PipelineError(f"bleed of {settings.bleed_mm:g} mm is outside 0–{MAX_BLEED_MM} mm",
                            hint="printers ask for 3mm to 5mm")
    if len(output_stem(path).encode()) > MAX_STEM_BYTES:
        raise PipelineError(f"the source's name is over {MAX_STEM_BYTES} bytes long",
                            hint="rename it: the outputs are named after it")
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
    warnings: list[Diagnostic]
    """What the reader and the checks found that did not stop the build."""


def prepare(source: Path, settings: BuildSettings) -> ArticleJob:
    """Read, parse and check one source and its images (cheap; done where the
    outputs are written). Raises PipelineError."""
    raw = read_source(source)
    text = decode_source(raw)
    article, found = read_article(text, dict(settings.metadata))
    article = model_passes(article)
    found += uncovered_characters(text, fonts.coverage(settings.fonts_dir))
    found += [Diagnostic(f"image {image.src!r} has no alt text",
                         **locate(text, image.src), severity="warning",
                         hint="describe it: ![what the picture shows](file)")
              for image in dict.fromkeys(images(article)) if not image.alt]
    options = writer_options(source, article, raw, settings, text)
    inputs = {str(source.resolve()): hashlib.sha256(raw).hexdigest()}
    inputs.update({str(image.path): hashlib.sha256(image.data).hexdigest()
                   for image in options.images.values()})
    return ArticleJob(source, article, options, settings.formats, inputs,
                      [replace(w, path=str(source)) for w in found])


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
    from . import workers
    from .writers import writer_for
    try:
        with workers.time_limit(workers.MAX_RENDER_SECONDS):
            return writer_for(fmt)(article, options)
    except workers.RenderTimeout:
        raise PipelineError(f"the {fmt.upper()} took over {workers.MAX_RENDER_SECONDS} s to "
                            f"render and was stopped",
                            hint="split the article, or simplify its images") from None
    except Exception as exc:
        if type(exc).__module__.startswith("jinja2"):
            # a template from a template folder failed or tried what the
            # sandbox refuses: one located line, not an internal failure
            raise template_error(exc) from None
        raise


def render_job(job: ArticleJob) -> tuple[dict, float]:
    """What a batch worker (a process of a pool, or a Dask worker) runs: the
    rendered formats and how long they took."""
    started = time.perf_counter()
    rendered = render(job)
    return rendered, time.perf_counter() - started


def write_outputs(job: ArticleJob, rendered: dict, outdir: Path) -> dict[str, tuple[Path, str]]:
    """Each format's bytes to ``outdir/<name>.<format>`` (a web page's files to
    ``<name>_files/``), all or none: format → (the file, its sha256)."""
    from .writers import Bundle

    stem = output_stem(job.source)
    files: dict[Path, bytes] = {}
    written = {}
    for fmt, data in rendered.items():
        target = outdir / f"{stem}.{fmt}"
        if isinstance(data, Bundle):
            files.update({outdir / f"{stem}_files" / name: content
                          for name, content in data.files.items()})
            data = data.main
        files[target] = data
        written[fmt] = (target, hashlib.sha256(data).hexdigest())
    write_all(files)
    return written


def _record(result: BuildResult, job: ArticleJob, written: dict) -> None:
    result.outputs = {fmt: path for fmt, (path, _) in written.items()}
    result.digests = {fmt: digest for fmt, (_, digest) in written.items()}
    result.inputs = job.inputs


def build_article(source: Path, outdir: Path, settings: BuildSettings,
                  parallel_pdf: bool = False) -> BuildResult:
    """Build every requested format of one article; errors land in the result."""
    result = BuildResult(source)
    started = time.perf_counter()
    with _reported(result, settings):
        job = prepare(source, settings)
        result.warnings += job.warnings
        _record(result, job, write_outputs(job, render(job, parallel_pdf), outdir))
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
    """The named sources (folders expand to their ``*.md``), or every
    ``content/*.md`` when none is named (None; an empty list names none)."""
    if sources is None:
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
          executor: Executor | None = None, workers: int | None = None) -> list[BuildResult]:
    """Build each source into ``outdir``; one failing article does not stop the rest.

    Articles whose inputs have not changed since the last build are skipped
    (``settings.force`` rebuilds them). One article renders its PDF in a second
    process; several go to ``executor`` (any ``concurrent.futures.Executor``: a
    process pool, a Dask cluster's) or to a pool of ``workers`` processes
    (default: one a core)."""
    settings = settings or BuildSettings()
    unknown = [f for f in settings.formats if f not in FORMATS]
    if unknown:
        raise PipelineError(f"unknown format {unknown[0]!r}",
                            hint="choose from " + ", ".join(FORMATS))
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise PipelineError(f"the output folder {outdir} is a file",
                            hint="choose a folder with -o")
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
    by_stem: dict[str, list[Path]] = {}
    for source in all_sources:
        by_stem.setdefault(output_stem(source), []).append(source)
    for source in all_sources:
        if (other := _same_outputs(source, by_stem[output_stem(source)])) is not None:
            done(BuildResult(source, error=Diagnostic(
                f"writes the same files as {other} ({output_stem(source)}.*)", str(source),
                hint="build them into different folders, or rename one")))
        elif not settings.force and (fresh := cache.fresh(source)) is not None:
            done(fresh)
        else:
            pending.append(source)

    if len(pending) == 1 and executor is None:
        done(build_article(pending[0], outdir, settings, parallel_pdf=True))
    elif pending:
        workers = min(len(pending), workers or os.cpu_count() or 1)
        _build_batch(pending, outdir, settings, done, executor,
                     None if executor is not None else lambda n: worker_pool(min(n, workers)))
    cache.save()
    return [results[s] for s in all_sources]


def _same_outputs(source: Path, same_stem: list[Path]) -> Path | None:
    """Another source of this run (of ``same_stem``, those with this one's
    output name) whose outputs would overwrite this one's."""
    return next((other for other in same_stem if other.resolve() != source.resolve()), None)


def _build_batch(sources: list[Path], outdir: Path, settings: BuildSettings,
                 done: Callable[[BuildResult], None], executor: Executor | None,
                 new_pool: Callable[[int], Executor] | None) -> None:
    """Prepare here, render on the executor (or on pools from ``new_pool``),
    write here as each finishes.

    A pool worker that dies (killed, out of memory) breaks the whole pool and
    every article in it; with ``new_pool`` those articles are rendered again
    on a fresh pool, and any that breaks that one too on a worker of its own,
    so that only the article that kills its worker fails."""
    jobs = []
    for source in sources:
        result = BuildResult(source)
        job = None
        with _reported(result, settings):
            job = prepare(source, settings)
            result.warnings += job.warnings
        if result.error or job is None:
            done(result)
        else:
            jobs.append((job, result))
    rounds = 0
    while jobs:
        rounds += 1
        alone = rounds > 2  # the third round: one article a pool
        broken: list = []
        for batch in ([j] for j in jobs) if alone else [jobs]:
            pool = executor if new_pool is None else new_pool(len(batch))
            try:
                broken += _render_on(pool, batch, outdir, settings, done,
                                     retry=new_pool is not None and not alone)
            finally:
                if new_pool is not None:
                    pool.shutdown(cancel_futures=True)
        jobs = broken


def _render_on(executor: Executor, jobs: list, outdir: Path, settings: BuildSettings,
               done: Callable[[BuildResult], None], retry: bool) -> list:
    """Render ``jobs`` on ``executor``; returns those a dead worker took down
    when they may be tried again."""
    futures = {executor.submit(render_job, job): (job, result) for job, result in jobs}
    broken = []
    for future in as_completed(futures):
        job, result = futures[future]
        if retry and isinstance(future.exception(), BrokenProcessPool):
            broken.append((job, result))
            continue
        with _reported(result, settings):
            try:
                rendered, result.seconds = future.result()
            except BrokenProcessPool:
                raise PipelineError("the process rendering this article died (killed, or "
                                    "out of memory)", hint="build it alone to see why") from None
            _record(result, job, write_outputs(job, rendered, outdir))
        done(result)
    return broken
