"""read → transform → writers, with atomic outputs; one article or a batch."""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import os
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import fonts
from .errors import Diagnostic, PipelineError
from .model import Article
from .options import DocxOptions, PdfOptions, WriterOptions
from .reader import decode_source, parse_article, uncovered_characters
from .resources import load_images, locate
from .transforms import assign_ids, images

FORMATS = ("pdf", "docx", "epub")
CONTENT_DIR = Path("content")


@dataclass
class BuildResult:
    source: Path
    """The article's source file."""
    outputs: dict[str, Path] = field(default_factory=dict)
    """Format → the file written."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """What the user should know but did not stop the build."""
    error: Diagnostic | None = None
    """Why the build failed, or None."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class BuildSettings:
    """What the command line (or an API caller) chooses for every article of a run."""

    formats: tuple[str, ...] = FORMATS
    paper: str | None = None
    """Overrides the front matter's ``paper``; None keeps it (default A4)."""
    pdf_variant: str = "pdf/ua-1"
    bleed_mm: float = 0.0
    marks: bool = False
    reference_docx: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    fonts_dir: Path = fonts.FONTS_DIR
    debug: bool = False
    """Let unexpected exceptions propagate (with their traceback) instead of
    recording them as the article's error."""


def load_article(path: str | Path) -> Article:
    """Read one source into the model, with heading ids assigned."""
    path = Path(path)
    try:
        return assign_ids(parse_article(decode_source(_read(path))))
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
        images=load_images(article, path.parent, text),
        identifier=publication_id(article, raw),
        timestamp=source_timestamp(path, article),
        source_dir=path.resolve().parent,
        fonts_dir=settings.fonts_dir,
        template_dirs=settings.template_dirs,
        pdf=PdfOptions(paper=settings.paper or article.meta.paper or "a4",
                       variant=settings.pdf_variant, bleed_mm=settings.bleed_mm,
                       marks=settings.marks),
        docx=DocxOptions(reference=settings.reference_docx),
    )


def output_stem(source: Path) -> str:
    """The source's name without its suffix, less invisible format characters
    (bidi overrides would make a file name read differently from what it is)."""
    stem = "".join(ch for ch in source.stem if unicodedata.category(ch) not in ("Cf", "Cc"))
    return stem or "article"


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and rename it over: a reader sees the old
    file or the new one, never half of one. A temporary file a killed build
    left for the same target is swept first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.part"):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide outputs from others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_article(source: Path, outdir: Path, settings: BuildSettings) -> BuildResult:
    """Build every requested format of one article; errors land in the result."""
    from .writers import writer_for

    result = BuildResult(source)
    try:
        raw = _read(source)
        text = decode_source(raw)
        warnings: list[Diagnostic] = []
        article = assign_ids(parse_article(text, warnings))
        warnings += uncovered_characters(text, fonts.coverage(settings.fonts_dir))
        warnings += [Diagnostic(f"image {image.src!r} has no alt text",
                                **locate(text, image.src), severity="warning",
                                hint="describe it: ![what the picture shows](file)")
                     for image in dict.fromkeys(images(article)) if not image.alt]
        result.warnings = [replace(w, path=str(source)) for w in warnings]
        options = writer_options(source, article, raw, settings, text)
        rendered = {fmt: writer_for(fmt)(article, options) for fmt in settings.formats}
        # All formats rendered before any is written: a failure leaves no mix
        # of new and old outputs.
        for fmt, data in rendered.items():
            target = outdir / f"{output_stem(source)}.{fmt}"
            write_atomically(target, data)
            result.outputs[fmt] = target
    except PipelineError as exc:
        result.error = exc.located(str(source)).diagnostic
    except Exception as exc:  # a bug, not bad input: this article fails, the batch goes on
        if settings.debug:
            raise
        result.error = Diagnostic(f"internal failure: {type(exc).__name__}: {exc}",
                                  str(source), hint="rerun with --debug for the traceback")
    return result


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
          on_result: Callable[[BuildResult], None] | None = None) -> list[BuildResult]:
    """Build each source into ``outdir``; one failing article does not stop the rest."""
    settings = settings or BuildSettings()
    unknown = [f for f in settings.formats if f not in FORMATS]
    if unknown:
        raise PipelineError(f"unknown format {unknown[0]!r}",
                            hint="choose from " + ", ".join(FORMATS))
    results = []
    for source in find_sources(sources):
        result = build_article(source, Path(outdir), settings)
        if on_result:
            on_result(result)
        results.append(result)
    return results
