"""Article → print-ready PDF: the shared HTML page, print CSS, WeasyPrint.

The package: this module sets the page and runs WeasyPrint; ``lines`` is how
a drawn line is set (kashidas, pause marks, glyph ids), ``glyphs`` and
``truetype`` the glyph variants the fonts gain, ``fill`` the pages run to the
text block's foot, ``marks`` the printer's marks. ``compat.weasyprint`` only
adapts WeasyPrint: it reads Pango's glyphs and writes what ``lines`` gives."""

from __future__ import annotations

import functools
import logging
import os
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...caches import memo
from ...compat.weasyprint import gather_targets_again, glyph_layer, laid_out_pages, move_down
from ...composer import SPACE_SHRINK_EM, kashida_policy, spaces_policy
from ...compat.weasyprint_setup import load as load_weasyprint, shipped_font_configuration
from ...facts import facts_for
from ...errors import PipelineError
from ...fonts import (
    TEXT_FAMILY, coverage, face_path, faces_used, glyph_texts, ink_extent_em, text_width_em, regular_face, shaped_width_em, shipped_faces,
    word_width_em,
)
from ...model import Article
from ...pages import COLUMN_GAP_MM, LEADING, PAPERS, layout, measure_em
from ...options import WriterOptions
from ..html import TEMPLATES_DIR, template_env
from ..page import FONT_STACK, font_faces_css, render_page
from . import marks
from ..paragraphs import Composition
from .fill import PX_PER_PT, fill
from .glyphs import GlyphLayer
from .lines import LineDrawer

RUNNING_HEAD_PT = 9.0
RUN_ON_INDENT_EM = 1.0
"""Two columns: a paragraph after a paragraph opens this far in, with no space
over it (print.css.j2), as a newspaper sets its columns on one baseline grid."""


def running_title(article: Article, options: WriterOptions) -> str:
    """The running head's text, on one line: the front matter's short_title,
    else the title, cut at a word with an ellipsis when HarfBuzz says it is
    wider than the text block."""
    title = article.meta.short_title or article.meta.title
    pdf = options.pdf
    available = layout(pdf.paper, pdf.columns).text_width_mm(pdf.paper) * 72 / 25.4 * 0.9
    regular = regular_face(options.fonts_dir)
    if _width(title, regular) <= available:
        return title
    words = title.split()
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip("،,:;") + "…"
        if _width(cut, regular) <= available:
            return cut
    return title


def _width(text: str, font_path: Path) -> float:
    return shaped_width_em(text, font_path) * RUNNING_HEAD_PT


def faces_css(article: Article, options: WriterOptions) -> str:
    """The @font-face rules of the faces the article uses."""
    return font_faces_css(faces_used(article, facts_for(article, options).text,
                                     options.fonts_dir),
                          lambda f: f.path.resolve().as_uri(), options)


def print_css(article: Article, options: WriterOptions) -> str:
    """The page layout (no @font-face: ``faces_css``)."""
    pdf = options.pdf
    measure = layout(pdf.paper, pdf.columns)
    css = template_env(options.template_dirs).get_template("print.css.j2").render(
        paper=PAPERS[pdf.paper].css,
        bleed=f"{pdf.bleed_mm:g}mm" if pdf.bleed_mm else "",
        font_stack=FONT_STACK,
        body_size=f"{measure.body_pt:g}pt",
        inner=f"{measure.inner_mm:g}mm", outer=f"{measure.outer_mm:g}mm",
        columns=measure.columns,
        column_gap=f"{COLUMN_GAP_MM:g}mm",
        page_counter="arabic-indic" if options.digits == "arabic-indic" else "decimal",
        word_spacing=f"{-SPACE_SHRINK_EM:g}em", leading=f"{LEADING:g}",
        start_side="right" if article.meta.dir == "rtl" else "left",
        run_on_indent=f"{RUN_ON_INDENT_EM:g}em",
        grid_line=f"{measure.body_pt * LEADING:g}pt",
    )
    return css


@memo(16)
def _faces_stylesheet(css: str, roots: tuple[Path, ...]):
    """One stylesheet per set of faces, for the life of the process: WeasyPrint
    adds each @font-face it parses to the font configuration again (a quarter
    of a megabyte a PDF, for ever, in a long-lived worker or service)."""
    from weasyprint import CSS
    return CSS(string=css, base_url=TEMPLATES_DIR.as_uri() + "/",
               url_fetcher=_local_fetcher(roots), font_config=font_config())


@memo(16)
def _print_stylesheet(css: str, roots: tuple[Path, ...]):
    """The page layout parsed once per distinct text (a few: paper, columns,
    digits), with the counter-style table its @counter-style rules (list
    numbers) fill and the document must be given: parsing it was a twentieth
    of every PDF. Both are only read while a document is laid out."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle
    counters = CounterStyle()
    stylesheet = CSS(string=css, base_url=TEMPLATES_DIR.as_uri() + "/",
                     url_fetcher=_local_fetcher(roots), font_config=font_config(),
                     counter_style=counters)
    return stylesheet, counters


def write(article: Article, options: WriterOptions) -> bytes:
    return render(article, options)[0]


def render(article: Article, options: WriterOptions) -> tuple[bytes, GlyphLayer]:
    """The PDF, and the glyph layer that drew its text (what it elongated)."""
    load_weasyprint()
    from weasyprint import HTML

    started = time.perf_counter()
    html = render_page(article, options, running_title=running_title(article, options),
                       tie_runts=True, notes="foot",
                       measure_em=measure_em(options.pdf.paper, options.pdf.columns),
                       block_em=measure_em(options.pdf.paper, options.pdf.columns, across=True),
                       width_em=lambda word, bold: word_width_em(word, options.fonts_dir, bold),
                       composition=composition(options))
    compose_seconds = time.perf_counter() - started
    fetcher = _confined_fetcher(options)
    article_base = ARTICLE_BASE  # images are relative to it; no real path reaches the PDF
    failures = _LoadFailures()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        document = HTML(string=html, base_url=article_base, url_fetcher=fetcher)
        stylesheet, counters = _print_stylesheet(
            print_css(article, options), (options.fonts_dir, TEMPLATES_DIR, *options.template_dirs))
        fonts = _faces_stylesheet(faces_css(article, options),
                                  (options.fonts_dir.resolve(), *options.template_dirs))
        variant = pdf_variant(options.pdf.variant)
        extra = {}
        if variant and variant.startswith("pdf/x"):
            # One file for the printer and for screen readers: PDF/X keeps the
            # PDF/UA structure tags, and its output intent is the sRGB the
            # page is drawn in (WeasyPrint ships that profile).
            extra = {"pdf_tags": True, "output_intent": "srgb"}
        layer = GlyphLayer(justify=options.pdf.justify)
        layer.compose_seconds = compose_seconds
        settings = dict(pdf_variant=variant, **extra, pdf_identifier=options.identifier.encode())
        with glyph_layer(LineDrawer(layer)):
            pages = document.render(stylesheets=[fonts, stylesheet], font_config=font_config(),
                                    counter_style=counters, **settings)
            full_pages(pages, options)
            pdf = pages.write_pdf(finisher=_finisher(article, options, layer), **settings)
    finally:
        logger.removeHandler(failures)
    if failures.messages:
        raise PipelineError("PDF: " + failures.messages[0],
                            hint="only files inside the article's folder, fonts/ and "
                                 "templates/ can be used")
    return pdf, layer


def full_pages(document, options: WriterOptions) -> None:
    """Every page but the last run to the text block's foot (``fill``)."""
    line_px = layout(options.pdf.paper, options.pdf.columns).body_pt * LEADING * PX_PER_PT
    fill(laid_out_pages(document), line_px, move_down)
    gather_targets_again(document)


def composition(options: WriterOptions) -> Composition:
    """What the paragraph composer measures against: the body's measure, the
    justification's glue, HarfBuzz's widths of the text face."""
    regular = regular_face(options.fonts_dir)
    space = shaped_width_em(" ", regular) - SPACE_SHRINK_EM
    policy = kashida_policy(space) if options.pdf.justify == "kashida" else spaces_policy(space)
    return Composition(
        measure_em=measure_em(options.pdf.paper, options.pdf.columns), policy=policy,
        width_of=lambda text, bold, italic: text_width_em(text, options.fonts_dir, bold, italic),
        covered=coverage(options.fonts_dir),
        ink_of=lambda text, bold, italic: ink_extent_em(text, face_path(
            options.fonts_dir, bold, italic)),
        leading_em=LEADING,
        run_on_indent_em=RUN_ON_INDENT_EM if layout(options.pdf.paper,
                                                    options.pdf.columns).columns > 1 else 0)


@memo(1)
def font_config():
    """One per process (costly to build), knowing the shipped fonts alone: no
    system font can reach the PDF, whatever the script."""
    return shipped_font_configuration(TEXT_FAMILY)


def pdf_variant(name: str) -> str | None:
    """The variant WeasyPrint is asked for (the schema checked ``name``
    against those it makes); None for a plain PDF (``none``)."""
    return None if name == "none" else name


def _finisher(article: Article, options: WriterOptions, layer: GlyphLayer):
    faces = shipped_faces(options.fonts_dir)

    def finisher(document, pdf) -> None:
        import pydyf
        prefs = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
        prefs["Direction"] = "/R2L" if article.meta.dir == "rtl" else "/L2R"
        pdf.catalog["ViewerPreferences"] = prefs
        _repair_text_layer(pdf, faces)
        layer.finish(pdf, functools.partial(_texts_by_font_name, faces))
        marks.ensure_trim_boxes(pdf)
        if options.pdf.marks:
            marks.add_printer_marks(pdf, f"{options.stem}.pdf",
                                        options.timestamp.strftime("%Y-%m-%d"),
                                        regular_face(options.fonts_dir))
    return finisher


def _texts_by_font_name(faces, base_font: str) -> dict[int, str] | None:
    name = base_font.lstrip("/").split("+", 1)[-1]
    for face in faces:
        if name in _font_names(face.path):
            return glyph_texts(face.path)
    return None


_BFCHAR = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")


def _repair_text_layer(pdf, faces) -> None:
    """Give every glyph of a shipped font the text the font says it stands for.

    WeasyPrint maps each glyph id once, to the text of the first cluster it
    met. Amiri draws some letters with two glyphs (a lam and a kashida before a
    kaf), and the same glyphs also appear alone, so that first mapping is
    wrong elsewhere: extraction reads "الكبرى" as "اللكبرى" or "ا لكبرى". The
    font's own cmap and substitutions give each glyph's text; a glyph that is
    only ever inserted maps to U+200D ZERO WIDTH JOINER, invisible between
    joining letters."""
    import pydyf
    by_name = {}
    for face in faces:
        for name in _font_names(face.path):
            by_name.setdefault(name, face)
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
                and obj.get("Subtype") == "/Type0" and "ToUnicode" in obj):
            continue
        base = obj["BaseFont"]
        base = base.decode() if isinstance(base, bytes) else str(base)
        face = by_name.get(base.lstrip("/").split("+", 1)[-1])
        if face is None:
            continue
        number = int(obj["ToUnicode"].split()[0])
        stream = pdf.objects[number]
        texts = glyph_texts(face.path)
        lines = []
        for line in stream.stream:
            m = _BFCHAR.match(line) if isinstance(line, bytes) else None
            if m and (text := texts.get(int(m.group(1), 16))) is not None:
                code = (text or "\u200d").encode("utf-16-be").hex()
                line = f"<{m.group(1).decode()}> <{code}>".encode()
            lines.append(line)
        stream.stream[:] = lines


@memo(16)
def _font_names(path: Path) -> frozenset[str]:
    """The names a PDF may give this font (PostScript, full name with hyphens)."""
    from fontTools.ttLib import TTFont
    with TTFont(path, lazy=True) as font:
        names = {font["name"].getDebugName(i) for i in (4, 6)}
        if font["name"].getDebugName(2) == "Regular":  # the regular face goes by its family
            names.add(font["name"].getDebugName(1))
    return frozenset(n.replace(" ", "-") for n in names if n)


class _LoadFailures(logging.Handler):
    """Collects WeasyPrint's "failed to load" reports so the build fails on them
    instead of silently dropping a font, stylesheet or image."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Failed to load" in message or "Error fetching" in message:
            self.messages.append(" ".join(message.split()))


ARTICLE_BASE = "file:///article/"
"""The address the page's images are relative to. Not the article's real
folder: WeasyPrint names each image of the PDF after its address, and the same
article built in another folder must give the same bytes."""


def _confined_fetcher(options: WriterOptions):
    """Fetch the article's checked images and files under fonts/ and templates/."""
    article = Path(urlsplit(ARTICLE_BASE).path)
    return _local_fetcher((options.fonts_dir, TEMPLATES_DIR, *options.template_dirs),
                          {Path(os.path.normpath(article / src)): image
                           for src, image in options.images.items()})


def _local_fetcher(roots: tuple[Path, ...], images: dict | None = None):
    """Fetch ``images`` (checked images, by resolved path) and files under
    ``roots``; nothing else: no network, no ``file://`` elsewhere, no symlink
    leading out."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    images = images or {}
    roots = tuple(p.resolve() for p in roots)

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refused to fetch {url!r}: only local files are read")
            path = Path(os.path.normpath(unquote(parts.path)))
            if path in images:
                image = images[path]
                return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})
            path = path.resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"refused to read {path}: outside the allowed folders")
            return URLFetcherResponse(url, path.read_bytes())

    return ConfinedFetcher()
