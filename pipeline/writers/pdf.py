"""Article → print-ready PDF: the shared HTML page, print CSS, WeasyPrint."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from ..errors import PipelineError
from ..fonts import shipped_faces
from ..model import Article
from ..options import WriterOptions
from .html import TEMPLATES_DIR, template_env
from .page import FONT_STACK, font_faces_css, render_page

PAPER = {"a4": "A4", "a5": "A5", "letter": "letter"}


def print_css(article: Article, options: WriterOptions) -> str:
    pdf = options.pdf
    arabic = article.meta.lang.split("-")[0].lower() == "ar"
    faces_css = font_faces_css(shipped_faces(options.fonts_dir),
                               lambda f: f.path.resolve().as_uri(), options)
    layout = template_env(options.template_dirs).get_template("print.css.j2").render(
        paper=PAPER[pdf.paper],
        bleed=f"{pdf.bleed_mm:g}mm" if pdf.bleed_mm else "",
        marks=pdf.marks,
        font_stack=FONT_STACK,
        body_size="11.5pt" if pdf.paper != "a5" else "10.5pt",
        page_counter="arabic-indic" if arabic else "decimal",
        list_counter="arabic-indic" if arabic else "decimal",
    )
    return faces_css + layout


def write(article: Article, options: WriterOptions) -> bytes:
    from weasyprint import CSS, HTML

    html = render_page(article, options)
    fetcher = _confined_fetcher(options)
    base = TEMPLATES_DIR.as_uri() + "/"
    failures = _LoadFailures()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        document = HTML(string=html, base_url=base, url_fetcher=fetcher)
        stylesheet = CSS(string=print_css(article, options), base_url=base,
                         url_fetcher=fetcher, font_config=font_config())
        variant = None if options.pdf.variant == "none" else options.pdf.variant
        pdf = document.write_pdf(
            stylesheets=[stylesheet], font_config=font_config(), pdf_variant=variant,
            pdf_identifier=options.identifier.encode(),
            finisher=_reading_direction(article.meta.dir))
    finally:
        logger.removeHandler(failures)
    if failures.messages:
        raise PipelineError("PDF: " + failures.messages[0],
                            hint="only files inside the article's folder, fonts/ and "
                                 "templates/ can be used")
    return pdf


@functools.lru_cache(maxsize=1)
def font_config():
    # One per process: WeasyPrint's font configuration is costly to build.
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def _reading_direction(direction: str):
    def finisher(document, pdf) -> None:
        import pydyf
        prefs = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
        prefs["Direction"] = "/R2L" if direction == "rtl" else "/L2R"
        pdf.catalog["ViewerPreferences"] = prefs
    return finisher


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


def _confined_fetcher(options: WriterOptions):
    """Fetch ``file:`` URLs under the allowed folders only: no network, no
    ``file://`` elsewhere, no symlink leading out."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse
    from urllib.parse import unquote, urlsplit

    roots = tuple(p.resolve() for p in (options.fonts_dir, options.source_dir, TEMPLATES_DIR,
                                        *options.template_dirs))

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise ValueError(f"refused to fetch {url!r}: only local files are read")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise ValueError(f"refused to read {path}: outside the allowed folders")
            return URLFetcherResponse(url, path.read_bytes())

    return ConfinedFetcher()
