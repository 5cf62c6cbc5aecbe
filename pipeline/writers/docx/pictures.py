"""A picture as a DOCX inline drawing: no wider than the text, its alt text
as the picture's description, in a format every Word reader takes (an SVG
drawing as a PNG drawn by WeasyPrint, as the PDF draws it)."""

from __future__ import annotations

import io

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml import OxmlElement
from docx.shared import Emu

from ...model import Image
from ...resources import SVG, ImageResource, as_png


def picture_run(document, resource: ImageResource, image: Image):
    """A ``w:r`` holding the picture."""
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    width = min(Emu(int(resource.width * 914400 / 96)), text_width)  # CSS px at 96 dpi
    # both sides given: python-docx would otherwise divide by the file's dpi (0 in some)
    height = Emu(int(width * resource.height / max(resource.width, 1)))
    try:
        if resource.media_type == "image/webp":  # Word reads PNG, JPEG and GIF
            raise UnrecognizedImageError
        inline = document.part.new_pic_inline(io.BytesIO(resource.data), width, height)
    except UnrecognizedImageError:  # WebP, CMYK JPEG…: a plain RGB PNG every reader takes
        inline = document.part.new_pic_inline(io.BytesIO(as_png(resource.data)),
                                              width, height)
    inline.docPr.set("descr", image.alt)
    inline.docPr.set("name", image.src)  # the file it came from: pipeline import writes it back there
    if image.title:
        inline.docPr.set("title", image.title)
    run = OxmlElement("w:r")
    drawing = OxmlElement("w:drawing")
    drawing.append(inline)
    run.append(drawing)
    return run


def word_picture(resource: ImageResource, options) -> ImageResource | None:
    """The picture as Word takes it: an SVG drawing as a PNG drawn with the
    shipped fonts (None where it cannot be drawn: its alt text stands in),
    any other picture as it is."""
    if resource.media_type != SVG:
        return resource
    from ..drawings import svg_as_png
    try:
        return svg_as_png(resource, options.fonts_dir)
    except Exception:  # noqa: BLE001 — any failure to draw it leaves the alt text, as before
        return None
