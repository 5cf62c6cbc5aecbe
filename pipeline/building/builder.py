"""Render and write: one article (its PDF beside the other formats when the
run's context holds a PDF worker) or a batch on any executor, every article's
files written all or nothing."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from concurrent.futures import Executor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable

from ..errors import Diagnostic, PipelineError, template_error
from ..model import Article
from ..options import WriterOptions
from .cache import BuildCache
from .context import BuildContext
from .jobs import (  # noqa: F401  (the public names stay importable from here)
    DEFAULT_FORMATS, FORMATS, BuildResult, BuildSettings, sweep_partials, write_all,
    write_atomically,
)
from .prepare import (  # noqa: F401  (load_article and output_stem stay importable from here)
    ArticleJob, load_article, output_stem, prepare,
)
from .workers import PdfWorker, worker_pool


def render(job: ArticleJob, pdf: PdfWorker | None = None) -> dict:
    """Run the writers; given a ``pdf`` worker the PDF renders there while this
    process writes the other formats."""
    if pdf is None or "pdf" not in job.formats:
        return {f: _write_one(f, job.article, job.options) for f in job.formats}
    future = pdf.executor().submit(_write_one, "pdf", job.article, job.options)
    rendered = {f: _write_one(f, job.article, job.options) for f in job.formats if f != "pdf"}
    try:
        rendered["pdf"] = future.result()
    except BrokenProcessPool:  # the worker died (killed, out of memory): render here
        pdf.stop()
        rendered["pdf"] = _write_one("pdf", job.article, job.options)
    return {f: rendered[f] for f in job.formats}


def _write_one(fmt: str, article: Article, options: WriterOptions) -> bytes:
    from . import workers
    from ..writers import writer_for
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
    from ..writers import Bundle

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
                  context: BuildContext | None = None) -> BuildResult:
    """Build every requested format of one article; errors land in the result."""
    context = context or BuildContext(pdf=None)
    result = BuildResult(source)
    started = time.perf_counter()
    with _reported(result, settings):
        job = prepare(source, settings, context.epoch)
        result.warnings += job.warnings
        _record(result, job, write_outputs(job, render(job, context.pdf), outdir))
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


def find_sources(sources: Iterable[str | Path] | None,
                 content_dir: Path = Path("content")) -> list[Path]:
    """The named sources (folders expand to their ``*.md``), or every
    ``content_dir/*.md`` when none is named (None; an empty list names none)."""
    if sources is None:
        found = sorted(content_dir.glob("*.md"))
        if not found:
            raise PipelineError(f"no articles in {content_dir}/",
                                hint="name a source file, or run from the project folder")
        return found
    paths: list[Path] = []
    for s in map(Path, sources):
        paths.extend(sorted(s.glob("*.md")) if s.is_dir() else [s])
    return paths


def build(sources: Iterable[str | Path] | None = None, outdir: str | Path = "out",
          settings: BuildSettings | None = None,
          on_result: Callable[[BuildResult], None] | None = None,
          executor: Executor | None = None, workers: int | None = None,
          context: BuildContext | None = None) -> list[BuildResult]:
    """Build each source into ``outdir``; one failing article does not stop the rest.

    Articles whose inputs have not changed since the last build are skipped
    (``settings.force`` rebuilds them). One article renders its PDF in a second
    process when ``context`` holds a PDF worker (the command's does), else in
    this one; several go to ``executor`` (any ``concurrent.futures.Executor``:
    a process pool, a Dask cluster's) or to a pool of ``workers`` processes
    (default: one a core). ``context`` carries the run's clock and content
    folder; without one, SOURCE_DATE_EPOCH is read now."""
    settings = settings or BuildSettings()  # its formats are checked when it is made
    context = context or BuildContext(pdf=None)
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise PipelineError(f"the output folder {outdir} is a file",
                            hint="choose a folder with -o")
    cache = BuildCache(outdir, settings, context.epoch)
    pending: list[Path] = []
    results: dict[Path, BuildResult] = {}

    def done(result: BuildResult) -> None:
        results[result.source] = result
        if result.ok and not result.up_to_date:
            cache.record(result)
        if on_result:
            on_result(result)

    all_sources = find_sources(sources, context.content_dir)
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
        done(build_article(pending[0], outdir, settings, context))
    elif pending:
        workers = min(len(pending), workers or os.cpu_count() or 1)
        _build_batch(pending, outdir, settings, context.epoch, done, executor,
                     None if executor is not None else lambda n: worker_pool(min(n, workers)))
    cache.save()
    return [results[s] for s in all_sources]


def _same_outputs(source: Path, same_stem: list[Path]) -> Path | None:
    """Another source of this run (of ``same_stem``, those with this one's
    output name) whose outputs would overwrite this one's."""
    return next((other for other in same_stem if other.resolve() != source.resolve()), None)


def _build_batch(sources: list[Path], outdir: Path, settings: BuildSettings,
                 epoch: str | None, done: Callable[[BuildResult], None],
                 executor: Executor | None,
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
            job = prepare(source, settings, epoch)
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
