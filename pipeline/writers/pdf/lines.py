"""One drawn line of the PDF, between WeasyPrint's shaping and the glyphs
the glyph layer writes: its kashidas placed (``composer.place_kashidas``) and
its Quranic pause marks set down on their words, each glyph's id chosen
(``LineDrawer``). compat/weasyprint.py only reads Pango's glyphs into
``Glyph``s and writes out what the drawer gives; here a glyph's ``font``
(WeasyPrint's embedded font) is only asked for its file, and told the text
of its tatweel when one is drawn.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass

from ...caches import memo
from ...compat.weasyprint import Glyph
from ...composer import Candidate, kashida_policy, place_kashidas
from ...fonts import PAUSE_MARK_GAP_EM, PAUSE_MARKS
from ...kashida import TATWEEL, elongation_join
from .glyphs import GlyphLayer, Variant

KASHIDA_LEAST_EM = 0.2
"""One elongation is at least this long (em), long enough to be seen; how
long at most, and how many a line, is the composer's policy."""
KASHIDA_QUANTUM_EM = 0.02
"""Elongations are multiples of this (em): fewer glyph variants to embed."""


@dataclass(frozen=True, slots=True)
class LineBox:
    """Where one of a line's boxes stands and what justification gave it."""

    font_size: float
    """Its type size (points): an em."""
    justification_spacing: float
    """The width (points) justification added to each of its spaces."""
    x: float
    """Its left edge on the page (points)."""
    y: float
    """Its top on the page (points): boxes of one line share it."""
    page: int = 0
    """Which page it is drawn on (any number that tells pages apart)."""


def is_space(glyph: Glyph) -> bool:
    return glyph.text == " " and not glyph.empty


class LineDrawer:
    """What the line-drawing hook (``compat.weasyprint.glyph_layer``) asks of
    the PDF writer, so that the hook only reads Pango's glyphs and writes them:
    how a shaped line is set — its pause marks set down, its kashidas placed
    when it is justified with them, its leading marks drawn a second time —
    and which glyph id each glyph is written as, with what gap after it."""

    def __init__(self, layer: GlyphLayer) -> None:
        self.layer = layer

    @staticmethod
    def box(font_size: float, justification_spacing: float, x: float, y: float,
            page: int) -> LineBox:
        return LineBox(font_size, justification_spacing, x, y, page)

    def line(self, glyphs: list[Glyph], box: LineBox) -> tuple[list[Glyph], list[Glyph]]:
        """The line's glyphs as they are to be drawn, and the marks to draw a
        second time just aside, in a marked content of their own (for pdf.js:
        ``leading_marks``)."""
        lower_pause_marks(glyphs)
        if self.layer.justify == "kashida" and box.justification_spacing > 0:
            started = time.perf_counter()
            elongate(glyphs, self.layer, box)
            self.layer.kashida_seconds += time.perf_counter() - started
        return glyphs, leading_marks(glyphs)

    def written(self, glyph: Glyph) -> tuple[int, float]:
        """The glyph id to write for ``glyph`` (a variant of the font where it
        is moved, resized or elongated) and the gap to leave after it, in
        thousandths of an em."""
        if is_space(glyph):
            return glyph.glyph, glyph.advance - glyph.natural
        if (round(glyph.advance) != glyph.natural or round(glyph.dx) or round(glyph.dy)
                or glyph.kashida or glyph.text == TATWEEL):
            variant = Variant(glyph.glyph, round(glyph.advance), round(glyph.dx),
                              round(glyph.dy), round(glyph.kashida),
                              TATWEEL if glyph.text == TATWEEL else None)
            found = self.layer.variants_for(glyph.font.hash,
                                            glyph.font.glyph_count).id_for(variant)
            if found is None:  # the font is full: position with numbers, as WeasyPrint does
                return glyph.glyph, glyph.advance - glyph.natural
            return found, 0.0
        return glyph.glyph, 0.0


def elongate(glyphs: list[Glyph], layer: GlyphLayer, box: LineBox) -> None:
    """Share the slack WeasyPrint gave this box's spaces as the composer's
    kashida policy says (``composer.place_kashidas``): spaces widen first, then
    as few kashidas as take the rest, at most three a line, half an em each,
    in words of four letters or more, never side by side nor under one of the
    line above; the spaces keep whatever is left."""
    spaces = [g for g in glyphs if is_space(g)]
    if not spaces:
        return
    em = box.font_size
    _follow_line(layer, box)
    slack = box.justification_spacing * len(spaces) / em  # ems
    candidates, places = [], {}
    where, x = {}, box.x  # each glyph's left edge on the page, points
    for glyph in glyphs:
        where[id(glyph)] = x
        x += glyph.advance * glyph.font_size / 1000
    for number, word in enumerate(_words(glyphs)):
        found = _carrier(word)
        if found is not None:
            candidate = Candidate(number, found[0], where[id(found[1])] / em)
            candidates.append(candidate)
            places[candidate] = found[1]
    # a space as set before justification (its glyph's advance, less the
    # paragraph's word-spacing), in ems
    natural_space = spaces[0].advance * spaces[0].font_size / 1000 / em \
        - box.justification_spacing / em
    policy = kashida_policy(natural_space)
    chosen, _ = place_kashidas(
        slack, len(spaces), candidates, policy,
        above=tuple(x / em for x in layer.above), taken=len(layer.line_kashidas),
        least=KASHIDA_LEAST_EM, quantum=KASHIDA_QUANTUM_EM)
    if not chosen or any(_tatweel(layer, places[c].font) is None for c, _ in chosen):
        return
    for candidate, each in chosen:
        carrier = places[candidate]
        carrier.kashida = each * em * 1000 / carrier.font_size
        carrier.advance += carrier.kashida
        layer.line_kashidas.append(candidate.x * em)
    taken = sum(each for _, each in chosen) * em / len(spaces)
    for space in spaces:
        space.advance -= taken * 1000 / space.font_size
    layer.kashidas += len(chosen)
    layer.stretched_lines += 1


def _follow_line(layer: GlyphLayer, box: LineBox) -> None:
    """Note a new line when this box stands on another baseline than the last
    one drawn: the kashidas of the line before become the ones to avoid."""
    line = (box.page, round(box.y, 1))
    if line != layer.line:
        layer.above = layer.line_kashidas
        layer.line_kashidas = []
        layer.line = line


def _words(glyphs: list[Glyph]):
    """Runs of right-to-left glyphs between spaces, in visual order; a glyph
    that draws nothing (the word joiner before a pause mark) is passed over,
    so that a word and its pause mark are one word."""
    word: list[Glyph] = []
    for glyph in glyphs:
        if glyph.empty:
            continue
        if is_space(glyph) or not glyph.rtl or (word and (glyph.item != word[-1].item)):
            if word:
                yield word
            word = [] if (is_space(glyph) or not glyph.rtl) else [glyph]
            continue
        word.append(glyph)
    if word:
        yield word


def _carrier(word: list[Glyph]) -> tuple[int, Glyph] | None:
    """The glyph that draws a word's kashida: the last glyph (visually) of the
    cluster after the best join, which the tatweel extends towards the cluster
    before it, with the join's priority. None where the join is moved
    (kerned, raised, cursive)."""
    clusters: list[list[Glyph]] = []
    for glyph in word:  # visual order; a cluster's glyphs are adjacent
        if clusters and clusters[-1][0].cluster == glyph.cluster:
            clusters[-1].append(glyph)
        else:
            clusters.append([glyph])
    clusters.reverse()  # logical order
    letters: list[list[Glyph]] = []
    for cluster in clusters:  # a vowel mark shaped apart belongs to its letter
        if letters and all(unicodedata.combining(ch) for ch in cluster[0].text):
            letters[-1] = letters[-1] + cluster
        else:
            letters.append(cluster)
    join = elongation_join(["".join(dict.fromkeys(g.text for g in c)) for c in letters])
    if join is None:
        return None
    before, after = letters[join.before], letters[join.before + 1]
    if any(g.dy for g in before + after if g.natural):
        return None  # a cursive join that lifts a letter: a tatweel would not meet it
    drawn = [g for g in after if g.natural]
    if not drawn:
        return None
    carrier = max(drawn, key=lambda g: word.index(g))
    if carrier.dx or carrier.dy or abs(carrier.advance - carrier.natural) >= 1:
        return None
    return join.priority, carrier


def _tatweel(layer: GlyphLayer, font):
    variants = layer.variants_for(font.hash, font.glyph_count)
    if variants.tatweel is None:
        found = _font_tatweel(font.file_content, font.index)
        if found is None:
            return None
        variants.tatweel, variants.tatweel_advance = found
        font.to_unicode.setdefault(variants.tatweel, "\u0640")
    return variants.tatweel


@memo(16)
def _font_tatweel(data: bytes, index: int) -> tuple[int, int] | None:
    font, upem = _hb_font(data, index)
    glyph = font.get_nominal_glyph(0x0640)
    if not glyph:
        return None
    advance = round(font.get_glyph_h_advance(glyph) * 1000 / upem)
    return (glyph, advance) if advance > 0 else None


def lower_pause_marks(glyphs: list[Glyph]) -> None:
    """Set each Quranic pause mark just above the rest of its word's ink
    (``fonts.PAUSE_MARK_GAP_EM``), never higher than the font sets it: Amiri
    draws them at one height for every word, up to the line above over a
    short one. ``fonts.ink_extent_em`` counts them where they are set here."""
    for k, mark in enumerate(glyphs):
        if mark.empty or not PAUSE_MARKS & set(mark.text) or any(
                ch.isalpha() and ch not in PAUSE_MARKS for ch in mark.text):
            continue
        top = None
        for glyph in glyphs[k + 1:]:  # its word, to its right on the page
            if glyph.empty or glyph.cluster == mark.cluster and glyph.item == mark.item:
                continue
            if is_space(glyph) or glyph.item != mark.item:
                break
            extent = _glyph_extent(glyph.font.file_content, glyph.font.index, glyph.glyph)
            if extent is not None:
                top = max(top or 0.0, extent[0] + glyph.dy)
        extent = _glyph_extent(mark.font.file_content, mark.font.index, mark.glyph)
        if top is None or extent is None:
            continue
        lowered = top + PAUSE_MARK_GAP_EM * 1000 - extent[1]
        mark.dy = min(mark.dy, lowered)


@memo(4096)
def _glyph_extent(data: bytes, index: int, glyph: int) -> tuple[float, float] | None:
    """A glyph's ink top and bottom above the baseline, thousandths of an em."""
    font, upem = _hb_font(data, index)
    extents = font.get_glyph_extents(glyph)
    if extents is None or not extents.height:
        return None
    top = extents.y_bearing * 1000 / upem
    return top, top + extents.height * 1000 / upem


@memo(16)
def _hb_font(data: bytes, index: int):
    import uharfbuzz as hb
    face = hb.Face(hb.Blob(data), index)
    return hb.Font(face), face.upem




def leading_marks(glyphs: list[Glyph]) -> list[Glyph]:
    """The marks a line draws before its first letter. A right-to-left line is drawn from its left end, its last letter's
    marks first; pdf.js (Firefox) adds a mark to the text it is building
    without looking where it stands, and gave a line's last vowel to the line
    above. Drawn again after the rest of the line, where they stand (a
    thousandth of a point aside, so that PDFium keeps its order), in a
    marked-content sequence of their own (where pdf.js starts a new text
    item), they reach pdf.js with their word; the other readers take the two
    drawings for one."""
    leading = []
    for glyph in glyphs:
        if glyph.empty:
            continue
        if glyph.natural == 0 and glyph.advance == 0 and any(
                unicodedata.combining(ch) for ch in glyph.text):
            leading.append(glyph)
            continue
        break
    return leading
