"""One article, read and checked, ready for the writers: its model, the
options every writer gets (images, identifier, clock, digits, paper), and the
limits a build checks before any writer runs."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .. import fonts
from ..bidi import isolate_article
from ..errors import Diagnostic, PipelineError
from ..facts import ArticleFacts, article_facts
from ..model import (
    Article, Code, CodeBlock, Figure, Heading, ListItem, Paragraph, TableRow, Text,
)
from ..options import DocxOptions, PdfOptions, WriterOptions
from ..reader import decode_source, read_article, read_source, uncovered_characters
from ..reader.frontmatter import FIRST_YEAR, LAST_YEAR, typed_front_matter
from ..regional import digit_style
from ..resources import GivenImages, ImageFolder, load_images, locate
from ..schema import article_settings
from ..pages import PAPERS, layout, measure_em
from ..transforms import (
    assign_ids, attach_pause_marks, images, iter_nodes, plain_text,
)
from .jobs import BuildSettings


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


@dataclass(frozen=True)
class ArticleSource:
    """What an article is made from, wherever it is: a file in a folder (the
    command) or text and images in memory (``render()``, the service) — read
    the same way from here on, and the second never touches a disk."""

    path: Path
    """Its name in diagnostics, and the outputs' (a file's path, or a bare name)."""
    raw: bytes
    """The source's bytes."""
    images: ImageFolder | GivenImages
    """Where the images it names are found."""
    mtime: float
    """The file's time (seconds), or the moment it was given."""

    @classmethod
    def from_file(cls, path: Path) -> "ArticleSource":
        raw = read_source(path)  # a regular file, within the limit, or refused
        try:
            mtime = path.stat().st_mtime
        except OSError as exc:  # gone since it was read
            raise PipelineError(f"cannot read the source: {exc.strerror}",
                                path=str(path)) from None
        return cls(path, raw, ImageFolder(path.parent), mtime)

    @classmethod
    def given(cls, name: str, raw: bytes, images: Mapping[str, bytes]) -> "ArticleSource":
        return cls(Path(name), raw, GivenImages(images), time.time())


def source_timestamp(source: ArticleSource, article: Article, epoch: str | None) -> dt.datetime:
    """``epoch`` (SOURCE_DATE_EPOCH), else the front-matter date, else the
    file's time (UTC)."""
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
    mtime = min(max(source.mtime, 0), _LAST_SECOND)
    return dt.datetime.fromtimestamp(int(mtime), dt.timezone.utc)


_LAST_SECOND = dt.datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc).timestamp()


def publication_id(article: Article, raw: bytes) -> str:
    """The front matter's ``id``, else a UUID derived from the source bytes."""
    if article.meta.ident:
        return article.meta.ident
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                        "sha256:" + hashlib.sha256(raw).hexdigest()))


MAX_PDF_SOURCE_BYTES = 800 * 1024
MAX_PDF_BLOCKS = 3_000
MAX_PDF_CELLS = 10_000
MAX_PDF_CHARS = 500_000
"""A PDF is not made of a source larger than 800 KB, of more than 3,000
paragraphs, headings, list items, table rows and figures, of more than
10,000 table cells, or of more than 500,000 characters to set (a note
counts at each of its calls): WeasyPrint holds the whole laid-out document
(some 36 KB of memory a paragraph, and a tagging step quadratic in pages);
such a text is a book, not an article."""
MAX_STEM_BYTES = 150
"""A source whose name (less ``.md``) is longer than this is refused: the
outputs, their temporary files and a web page's folder are named after it,
and file systems stop at 255 bytes."""


def writer_options(source: ArticleSource, article: Article, settings: BuildSettings,
                   text: str = "", epoch: str | None = None) -> WriterOptions:
    stem = output_stem(source.path)
    if len(stem.encode()) > MAX_STEM_BYTES:
        raise PipelineError(f"the source's name is over {MAX_STEM_BYTES} bytes long",
                            hint="rename it: the outputs are named after it")
    merged = {key: value for key, (value, _) in article_settings(
        {"paper": settings.paper, "justify": settings.justify, "digits": settings.digits,
         "columns": settings.columns}, article).items()}
    digits = digit_style(article.meta.lang, merged["digits"])
    return WriterOptions(
        stem=stem,
        images=load_images(article, source.images, text),
        identifier=publication_id(article, source.raw),
        timestamp=source_timestamp(source, article, epoch),
        fonts_dir=settings.fonts_dir,
        template_dirs=settings.template_dirs,
        digits=digits,
        pdf=PdfOptions(paper=merged["paper"], variant=settings.pdf_variant,
                       bleed_mm=settings.bleed_mm, marks=settings.marks,
                       justify=merged["justify"], columns=merged["columns"]),
        docx=DocxOptions(reference=reference_docx(settings),
                         reference_page=settings.reference_page,
                         front_matter=typed_front_matter(text)),
        # worked out once for every writer (a PDF's tables measured on its page)
        facts=article_facts(article, digits, pdf_page(
            merged["paper"], merged["columns"], settings.fonts_dir)
            if "pdf" in settings.formats else None),
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


def reference_docx(settings: BuildSettings):
    """The reference DOCX read and mended once (``writers.docx.reference``), or None."""
    if not settings.reference_docx or "docx" not in settings.formats:
        return None
    from ..fonts import TEXT_FAMILY
    from ..writers.docx.reference import read_reference
    return read_reference(Path(settings.reference_docx), TEXT_FAMILY)


def reference_warnings(options: WriterOptions, paper: str) -> list[Diagnostic]:
    """One line for each thing the reference DOCX set that the output does not
    take as it stands: a size or font for one script only, theme fonts, and
    its paper when the article's stands."""
    reference = options.docx.reference
    if reference is None:
        return []
    found = [Diagnostic(f"reference DOCX: {mend}", severity="warning",
                        hint="set it for Latin and for complex-script text in the style "
                             "to keep it as it is")
             for mend in reference.mends]
    article_paper = PAPERS[paper].css
    if not options.docx.reference_page and reference.paper and \
            not reference.paper.startswith(article_paper):
        found.append(Diagnostic(
            f"reference DOCX: its {reference.paper} page is not used: the article's "
            f"{article_paper} is", severity="warning",
            hint="add --reference-page (reference-page = true) to take its page setup"))
    return found


def pdf_page(paper: str, columns: int,
             fonts_dir: Path = fonts.FONTS_DIR) -> tuple[float, float, object]:
    """The PDF page a table is measured against: its column and text block
    (body ems), and how wide a word is set in the fonts."""
    def width_em(word: str, bold: bool) -> float:
        return fonts.word_width_em(word, fonts_dir, bold)
    return measure_em(paper, columns), measure_em(paper, columns, across=True), width_em


def wide_tables(facts: ArticleFacts, block: float) -> list[Diagnostic]:
    """A warning for each table too wide for the page's text block (``block``
    ems), wrapped at every space: the PDF sets it smaller and breaks its
    longest words (one too wide for a column of two only is set across
    both, unsaid) — from the tables the facts measured."""
    found = []
    for table, (setting, needed) in facts.tables.items():
        if setting not in ("small", "stacked"):
            continue
        head = " | ".join(plain_text(c.content) for c in table.head.cells)
        if setting == "small":
            found.append(Diagnostic(
                f"the table '{head[:60]}' is wider than the page ({needed:.0f} em of "
                f"{block:.0f}): the PDF sets it in smaller type and breaks long words",
                severity="warning",
                hint="shorten its longest words or split it into two tables; "
                     "landscape pages are not made"))
        else:
            found.append(Diagnostic(
                f"the table '{head[:60]}' ({len(table.head.cells)} columns) is wider than the "
                f"page even in smaller type: the PDF sets each of its rows as "
                f"'header: value' lines", severity="warning",
                hint="split it into tables of fewer columns to keep a grid"))
    return found


def check_pdf_size(article: Article) -> None:
    """Refuse, before any layout, an article too large for one PDF."""
    blocks = cells = chars = 0
    for n in iter_nodes(article):
        if isinstance(n, (Paragraph, Heading, ListItem, CodeBlock, TableRow, Figure)):
            blocks += 1
            if isinstance(n, TableRow):
                cells += len(n.cells)
        elif isinstance(n, (Text, Code)):
            chars += len(n.text)
    for count, limit, what in (
            (blocks, MAX_PDF_BLOCKS, "paragraphs, headings, list items, table rows and figures"),
            (cells, MAX_PDF_CELLS, "table cells"),
            (chars, MAX_PDF_CHARS, "characters to set, each note counted at each call")):
        if count > limit:
            raise PipelineError(f"the article has {count:,} {what}: a PDF is made of up to "
                                f"{limit:,}", hint="split the article, or build --to docx,epub")


def prepare(source: Path | ArticleSource, settings: BuildSettings,
            epoch: str | None = None) -> ArticleJob:
    """Read, parse and check one source and its images (cheap; done where the
    outputs are written): a file, or an ``ArticleSource`` given in memory.
    Raises PipelineError."""
    if not isinstance(source, ArticleSource):
        source = ArticleSource.from_file(Path(source))
    raw = source.raw
    if "pdf" in settings.formats and len(raw) > MAX_PDF_SOURCE_BYTES:
        raise PipelineError(f"source is {len(raw):,} bytes: a PDF is made of sources up to "
                            f"{MAX_PDF_SOURCE_BYTES:,} bytes",
                            hint="split the article, or build --to docx,epub")
    text = decode_source(raw)
    article, found = read_article(text, dict(settings.metadata))
    if "pdf" in settings.formats:
        check_pdf_size(article)
    article = model_passes(article)
    found += uncovered_characters(text, fonts.coverage(settings.fonts_dir))
    found += [Diagnostic(f"image {image.src!r} has no alt text",
                         **locate(text, image.src), severity="warning",
                         hint="describe it: ![what the picture shows](file)")
              for image in dict.fromkeys(images(article)) if not image.alt]
    options = writer_options(source, article, settings, text, epoch)
    if "pdf" in settings.formats:
        found += wide_tables(options.facts, measure_em(options.pdf.paper, options.pdf.columns,
                                                       across=True))
    found += reference_warnings(options, options.pdf.paper)
    if "pdf" in settings.formats and layout(options.pdf.paper, options.pdf.columns).columns \
            != options.pdf.columns:
        found.append(Diagnostic(
            f"{options.pdf.columns} columns were asked for, but {options.pdf.paper.upper()} "
            f"sets one: the PDF has one column", severity="warning",
            hint="two columns are set on A4 and Letter"))
    inputs = {str(source.path.resolve() if isinstance(source.images, ImageFolder)
                  else source.path): hashlib.sha256(raw).hexdigest()}
    # one digest a file, however many spellings the article gives it
    files = {image.path: image.data for image in options.images.values()}
    inputs.update({str(path): hashlib.sha256(data).hexdigest() for path, data in files.items()})
    return ArticleJob(source.path, article, options, settings.formats, inputs,
                      [replace(w, path=str(source.path)) for w in found])
