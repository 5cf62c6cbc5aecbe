"""SVG drawings set by WeasyPrint outside the article's pages: the DOCX's
picture of a drawing (Word documents need a raster copy), drawn as the PDF
draws it, by the same engine with the same fonts."""

from __future__ import annotations

import io
import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..caches import memo
from ..fonts import FONTS_DIR, TEXT_FAMILY, shipped_faces
from ..resources import SVG, ImageResource

RASTER_SCALE = 2
"""Pixels of the PNG for each CSS pixel of an SVG drawing: about 190 dpi at
the text width."""
MAX_RASTER_PIXELS = 16_000_000
"""Past this many pixels the PNG is drawn coarser (a poster-sized drawing)."""
DEFAULT_SIZE = (800, 600)
"""CSS pixels of a drawing whose size neither its width and height nor its
viewBox says."""
_DRAWING_URL = "file:///drawing.svg"


def svg_as_png(resource: ImageResource, fonts_dir: Path = FONTS_DIR) -> ImageResource:
    """An SVG drawing (checked: no scripts, nothing outside it) as a PNG of
    the same CSS size: WeasyPrint draws it onto a page of its size, with the
    shipped fonts of ``fonts_dir``, and PDFium rasterises that page."""
    import pypdfium2
    from ..compat.weasyprint_setup import load as load_weasyprint
    load_weasyprint()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from ..compat.weasyprint import shaped_svg_text
    shaped_svg_text()  # Arabic in the drawing joined, as in the PDF

    class OneDrawing(URLFetcher):
        def fetch(self, url, headers=None):
            if url != _DRAWING_URL:
                raise ValueError(f"refused to fetch {url!r}: the drawing alone is read")
            return URLFetcherResponse(url, resource.data, {"Content-Type": SVG})

    width, height = drawing_size(resource)
    page = (f"<style>@page {{ size: {width}px {height}px; margin: 0 }} body {{ margin: 0 }}"
            f" img {{ display: block; width: {width}px; height: {height}px }}</style>"
            f'<img src="{_DRAWING_URL}" alt="">')
    faces, font_config = _faces(fonts_dir.resolve())
    failures = _Errors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(failures)
    try:
        pdf = HTML(string=page, url_fetcher=OneDrawing()).write_pdf(
            stylesheets=[faces], font_config=font_config)
    finally:
        logger.removeHandler(failures)
    if failures.messages:  # a drawing WeasyPrint could not read: a blank picture else
        raise ValueError(failures.messages[0])
    pixels = min(RASTER_SCALE, (MAX_RASTER_PIXELS / (width * height)) ** 0.5)
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=pixels * 96 / 72).to_pil()  # PDFium: 72 dpi at 1
        out = io.BytesIO()
        image.save(out, "PNG")
    finally:
        document.close()
    return ImageResource(resource.src, resource.path, out.getvalue(), "image/png", width, height)


def drawing_size(resource: ImageResource) -> tuple[int, int]:
    """An SVG's CSS size: its width and height, what its viewBox's shape
    gives for one missing, else ``DEFAULT_SIZE`` (at most 4000 px a side)."""
    from lxml import etree
    width, height = resource.width, resource.height
    if width and height:
        return min(width, 4000), min(height, 4000)
    root = etree.fromstring(resource.data, etree.XMLParser(resolve_entities=False,
                                                           no_network=True))
    box = [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?",
                                         root.get("viewBox") or "")]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        box = [0, 0, *DEFAULT_SIZE]
    ratio = box[3] / box[2]
    if width:
        height = round(width * ratio)
    elif height:
        width = round(height / ratio)
    else:
        width, height = round(box[2]), round(box[3])
    return max(1, min(width, 4000)), max(1, min(height, 4000))


class _Errors(logging.Handler):
    """WeasyPrint's error reports while a drawing is set."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@memo(4)
def _faces(fonts_dir: Path):
    """The shipped faces as @font-face rules, and the font configuration
    they are registered in (once per folder, for the life of the process)."""
    from ..compat.weasyprint_setup import shipped_font_configuration
    font_config = shipped_font_configuration(TEXT_FAMILY)  # imports WeasyPrint
    from weasyprint import CSS
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(os.path.normpath(unquote(urlsplit(url).path))).resolve()
            if urlsplit(url).scheme != "file" or not path.is_relative_to(fonts_dir):
                raise ValueError(f"refused to fetch {url!r}: fonts only")
            return URLFetcherResponse(url, path.read_bytes())

    rules = "".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.resolve().as_uri()}");'
        f' font-weight: {"bold" if face.bold else "normal"};'
        f' font-style: {"italic" if face.italic else "normal"} }}\n'
        for face in shipped_faces(fonts_dir))
    return CSS(string=rules, font_config=font_config, url_fetcher=FontsOnly()), font_config
