"""WeasyPrint's private names, in one place.

WeasyPrint draws each line of text in ``weasyprint.draw.text.draw_first_line``
from Pango's shaped glyphs, writing kerning and mark offsets as text-position
numbers and text rise. ``glyph_layer`` replaces that function, for one
``write_pdf`` call, with one that reads each line's glyphs from Pango, hands
them to the PDF writer's line drawer (``writers.pdf.lines.LineDrawer``: the
kashidas, the pause marks, the glyph variants are its policy) and writes what
it gives back; everything else WeasyPrint draws as before. The reaches:

- ``weasyprint.draw.text.draw_first_line`` (replaced; the original is called
  for lines this module does not handle: ellipses, bitmap and colour fonts,
  characters no font has);
- Pango's line, run and glyph structures through ``weasyprint.text.ffi``;
- ``stream.add_font``, ``stream.set_font_size``, ``stream.ink_rect`` /
  ``logical_rect``, and ``Font.widths``, ``to_unicode``, ``hash``,
  ``glyph_count``, ``file_content``, ``bitmap``/``png``/``svg``/``colr``/``missing``;
- ``TextBox.justification_spacing`` (the extra width WeasyPrint gave each space);
- ``weasyprint.svg.text`` and ``TAGS`` (the SVG text function, wrapped by
  ``shaped_svg_text``), which iterates ``node.text``, an ElementTree text.

- ``Page._page_box`` (each rendered page's box tree, which
  ``writers.pdf.fill`` moves blocks in), ``Box.translate``, ``Box.background``
  (its ``layers``' painting and positioning areas and clipped boxes) and
  ``Page.__init__`` (links, anchors and bookmarks gathered again).

tests/test_compat.py checks each of them against the installed WeasyPrint.
"""

from __future__ import annotations

import contextlib
import contextvars

from dataclasses import dataclass
from typing import Any

_DRAWER: contextvars.ContextVar[Any] = contextvars.ContextVar("pipeline_line_drawer",
                                                              default=None)
_ORIGINAL = None


@dataclass(slots=True)
class Glyph:
    """One glyph of a line as Pango shaped it (advances and offsets in
    thousandths of an em); the writer may change its advance and add a
    kashida before it is written."""

    font: object
    """WeasyPrint's embedded font: its ``hash``, ``glyph_count``, ``file_content``…"""
    font_size: float
    glyph: int
    advance: float
    """Pen advance, thousandths of an em."""
    natural: int
    """The glyph's own advance (the PDF's width for its id), thousandths of an em."""
    dx: float
    dy: float
    cluster: int
    """Byte offset of its cluster in the line's text (items told apart by ``item``)."""
    item: int
    text: str
    """The text of its cluster."""
    rtl: bool
    empty: bool = False
    kashida: float = 0.0


@contextlib.contextmanager
def glyph_layer(drawer):
    """Draw text through ``drawer`` while the block runs (one PDF's
    rendering): ``drawer.box(size, spacing, x, y, page)`` makes a line's box
    from its type size, the width justification added to each space, its
    left and top on the page and its page; ``drawer.line(glyphs, box)`` sets
    the shaped line and gives the glyphs to draw and those to draw again just
    aside; ``drawer.written(glyph)`` gives the id to write and the gap after
    it. This module decides nothing of how a line is set."""
    _install()
    token = _DRAWER.set(drawer)
    try:
        yield drawer
    finally:
        _DRAWER.reset(token)


def laid_out_pages(document) -> list:
    """The box tree of each page of a rendered ``Document``, top to bottom."""
    return [page._page_box for page in document.pages]


def move_down(box, dy: float) -> None:
    """Move a laid-out block ``dy`` px down, with the backgrounds WeasyPrint
    placed for it and its descendants at layout (``box.background``'s
    painting and positioning areas, in page coordinates, which
    ``Box.translate`` leaves behind)."""
    box.translate(dy=dy)
    stack = [box]
    while stack:
        b = stack.pop()
        background = getattr(b, "background", None)
        if background is not None and background.layers:
            b.background = background._replace(layers=[_moved_layer(layer, dy)
                                                        for layer in background.layers])
        stack.extend(b.all_children() if hasattr(b, "all_children") else ())


def _moved_layer(layer, dy: float):
    def down(area):  # a colour's layer has no positioning area ("unused")
        return (area[0], area[1] + dy, *area[2:]) if isinstance(area, (tuple, list)) else area
    return layer._replace(painting_area=down(layer.painting_area),
                          positioning_area=down(layer.positioning_area),
                          clipped_boxes=[down(b) for b in layer.clipped_boxes or ()])


def gather_targets_again(document) -> None:
    """Links, anchors and bookmarks read again from boxes that were moved."""
    from weasyprint.document import Page
    for page in document.pages:
        Page.__init__(page, page._page_box)


def _install() -> None:
    global _ORIGINAL
    from weasyprint.draw import text as draw_text
    if _ORIGINAL is None:
        _ORIGINAL = draw_text.draw_first_line
        draw_text.draw_first_line = _draw_first_line
    shaped_svg_text()


# --- SVG text drawn as runs ---------------------------------------------------
#
# WeasyPrint lays out and draws an SVG <text> one code point at a time
# (weasyprint/svg/text.py: "for char in node.text"), so that each may have its
# own x, y, dx, dy or rotate: Arabic comes out as unjoined letters in
# reverse order (WeasyPrint issues 2249 and 2909). Where nothing places the
# letters one by one, the text is handed over as one piece, which WeasyPrint
# then lays out as a whole: shaped, joined, in bidi order.

_SVG_TEXT = None
_PER_LETTER = ("x", "y", "dx", "dy", "rotate")


class _OneRun(str):
    """A text that iterates as one item: itself."""

    __slots__ = ()

    def __iter__(self):
        yield str(self)


def shaped_svg_text() -> None:
    """Have WeasyPrint draw SVG text runs whole (once per process)."""
    global _SVG_TEXT
    import weasyprint.svg as svg_module
    if _SVG_TEXT is not None:
        return
    _SVG_TEXT = svg_module.text
    # draw_node compares TAGS' entries with the module's own name: both change
    svg_module.text = _svg_text
    for tag, function in list(svg_module.TAGS.items()):
        if function is _SVG_TEXT:
            svg_module.TAGS[tag] = _svg_text


def _svg_text(svg, node, font_size):
    element = node._etree_node
    text = element.text
    placed = any(len((node.get(name) or "").replace(",", " ").split()) > 1
                 for name in _PER_LETTER)
    if not text or placed or node.get("textLength") or \
            (node.get("letter-spacing") or "0").strip() not in ("0", "normal", "0px"):
        return _SVG_TEXT(svg, node, font_size)
    element.text = _OneRun(text)
    try:
        return _SVG_TEXT(svg, node, font_size)
    finally:
        element.text = text


def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    drawer = _DRAWER.get()
    if drawer is None or text_overflow == "ellipsis" or block_ellipsis != "none":
        return _ORIGINAL(stream, textbox, text_overflow, block_ellipsis, matrix)
    if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return []
    glyphs = _shaped_glyphs(stream, textbox)
    if glyphs is None:  # a font or glyph WeasyPrint draws its own way
        return _ORIGINAL(stream, textbox, text_overflow, block_ellipsis, matrix)
    # an SVG's text boxes are not laid out in lines: no justification, no place
    box = drawer.box(textbox.style["font_size"], getattr(textbox, "justification_spacing", 0),
                     getattr(textbox, "position_x", 0.0), getattr(textbox, "position_y", 0.0),
                     id(stream))
    glyphs, again = drawer.line(glyphs, box)
    stream.set_text_matrix(*matrix.values)
    _show(stream, glyphs, drawer)
    if again:
        stream.begin_marked_content("Span")
        a, b, c, d, e, f = matrix.values
        stream.set_text_matrix(a, b, c, d, e + 0.001, f)
        _show(stream, again, drawer)
        stream.end_marked_content()
    return []


def _shaped_glyphs(stream, textbox) -> list[Glyph] | None:
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    utf8 = layout.text.encode()
    glyphs: list[Glyph] = []
    run = first_line.runs[0]
    item_number = 0
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item_number += 1
        pango_font = glyph_item.item.analysis.font
        font, font_size = stream.add_font(pango_font)
        if (pango.pango_version() < 14802 or font.bitmap or font.png or font.svg
                or font.colr or font.missing):
            return None
        units = 1000 * FROM_UNITS / font_size
        string = glyph_item.glyphs
        count = string.num_glyphs
        infos, clusters = string.glyphs, string.log_clusters
        offset, length = glyph_item.item.offset, glyph_item.item.length
        rtl = bool(glyph_item.item.analysis.level % 2)
        cluster_of = [clusters[i] for i in range(count)]  # one cffi read a glyph
        starts = sorted(set(cluster_of))
        texts = {s: utf8[offset + s:offset + (starts[k + 1] if k + 1 < len(starts)
                                             else length)].decode(errors="replace")
                 for k, s in enumerate(starts)}
        empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
        widths, to_unicode = font.widths, font.to_unicode
        for i in range(count):
            info = infos[i]
            glyph_id = info.glyph
            cluster = cluster_of[i]
            text = texts[cluster]
            geometry = info.geometry
            advance = geometry.width * units
            if glyph_id == empty:
                glyphs.append(Glyph(font, font_size, 0, advance, 0, 0, 0, cluster,
                                     item_number, text, rtl, empty=True))
                continue
            if glyph_id & unknown:
                return None
            if glyph_id not in to_unicode:
                to_unicode[glyph_id] = text  # keeps the glyph in the subset
            natural = widths.get(glyph_id)
            if natural is None:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
                natural = widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
            glyphs.append(Glyph(
                font, font_size, glyph_id, advance, natural,
                geometry.x_offset * units, -geometry.y_offset * units,
                cluster, item_number, text, rtl))
    return glyphs


def _show(stream, glyphs: list[Glyph], drawer) -> None:
    """Write the line as TJ strings: the glyph id the drawer gives a glyph,
    numbers only for the gaps it asks and for empty glyphs."""
    parts: list[str] = []
    current = None

    def flush():
        if parts:  # adjacent glyph strings become one: "<0012><0034>" → "<00120034>"
            stream.show_text("".join(parts).replace("><", ""))
            parts.clear()

    for glyph in glyphs:
        if current is not glyph.font:
            flush()
            stream.set_font_size(glyph.font.hash, glyph.font_size)
            current = glyph.font
        if glyph.empty:
            if glyph.advance:
                parts.append(f"{-glyph.advance:.3f}")
            continue
        glyph_id, gap = drawer.written(glyph)
        parts.append(f"<{glyph_id:04x}>")
        if abs(gap) >= 0.001:
            parts.append(f"{-gap:.3f}")
    flush()
