"""The PDF's glyph layer: typography as HarfBuzz shapes it, text readers get back.

A shaped Arabic line is more than a row of glyphs: kerning moves a glyph
against its neighbour, mark positioning raises a fatha over a tall alef, a
cursive join lifts one letter onto the next, and kashida justification
lengthens a join. A PDF can say all of that with text-positioning numbers and
text rise, but the readers people use build their text from positions, and
each of those adjustments looks to them like a gap, a new word or a new line:
that is how a fully vowelled page came back 31% whole through poppler.

So the layout goes into the glyphs instead. Each glyph that is moved, kerned
or elongated is drawn as a *variant*: a new glyph id in the embedded font, a
TrueType composite of the original outline placed at its offset (and, for a
kashida, followed by the font's own tatweel stretched to the elongation), with
its own advance in the PDF's widths and the original's text in ToUnicode.
The content stream then shows each word as one unbroken string of glyphs on
one baseline: every reader sees the letters and marks of the word, in the
order the font drew them, with no gaps, and the page looks exactly as shaped.
Kashida is layout, not text: the elongation belongs to the letter's variant
and adds no character.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field

from ...schema import ARTICLE_DEFAULTS
from . import truetype

# Variant ids start this far above the font's own glyphs: WeasyPrint gives ids
# just past the font's last glyph to characters the font lacks.
_FIRST_VARIANT_OFFSET = 256
_MAX_GLYPH_ID = 0xFFFF


@dataclass(frozen=True, slots=True)
class Variant:
    """A glyph drawn moved, re-spaced or elongated."""

    glyph: int
    """The font's own glyph id."""
    advance: int
    """The pen's advance after it, in thousandths of an em (the PDF's unit)."""
    dx: int = 0
    """Horizontal offset of the outline, thousandths of an em."""
    dy: int = 0
    """Vertical offset (up), thousandths of an em."""
    kashida: int = 0
    """Length of the tatweel drawn after the outline (to its right), thousandths of an em."""
    text: str | None = None
    """The text it stands for, where that is not its glyph's: a tatweel the
    author typed (U+0640) drawn with the glyph the font also inserts, which
    stands for nothing, so that "لـ" is found by a search."""


@dataclass
class FontVariants:
    """The variants one embedded font needs, by the ids the content stream uses."""

    first_id: int
    tatweel: int | None = None
    """The font's tatweel glyph, drawn stretched after an elongated letter."""
    tatweel_advance: int = 0
    ids: dict[Variant, int] = field(default_factory=dict)

    def id_for(self, variant: Variant) -> int | None:
        """The glyph id that draws ``variant``; None when the font is full."""
        found = self.ids.get(variant)
        if found is None:
            found = self.first_id + len(self.ids)
            if found > _MAX_GLYPH_ID:
                return None
            self.ids[variant] = found
        return found


class GlyphLayer:
    """Variants of every font of one PDF, made while its pages are drawn."""

    def __init__(self, justify: str = ARTICLE_DEFAULTS["justify"]) -> None:
        self.justify = justify
        self.fonts: dict[str, FontVariants] = {}
        self.kashidas = 0
        """How many joins were elongated (the kashida test and the benchmark read it)."""
        self.stretched_lines = 0
        self.kashida_seconds = 0.0
        """Time spent choosing and placing kashidas (the benchmark reports it)."""
        self.compose_seconds = 0.0
        """Time the paragraph composer took to choose the breaks (likewise)."""
        self.line: tuple[int, float] | None = None
        """The line being drawn: (its page, its top), as ``lines.LineBox`` gives them."""
        self.line_kashidas: list[float] = []
        """Where the kashidas of that line stand across the page (points)."""
        self.above: list[float] = []
        """Where those of the line before stood: no kashida goes right under one."""
        self.finish_seconds = 0.0
        """Time spent adding the variants to the fonts."""

    def variants_for(self, font_hash: str, glyph_count: int) -> FontVariants:
        found = self.fonts.get(font_hash)
        if found is None:
            found = self.fonts[font_hash] = FontVariants(glyph_count + _FIRST_VARIANT_OFFSET)
        return found

    # -- after drawing: the PDF's fonts learn their variants -------------------

    def finish(self, pdf, glyph_texts_for) -> None:
        """Add each font's variants to its program, widths and ToUnicode.

        ``glyph_texts_for(base_font_name)`` gives the font's glyph id → text
        table (None for a font not ours)."""
        import pydyf

        started = time.perf_counter()
        by_name = {}
        for obj in pdf.objects:
            if (isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
                    and obj.get("Subtype") == "/Type0"):
                name = _name(obj["BaseFont"])
                tag = name.lstrip("/").split("+", 1)[0]
                if tag in self.fonts and self.fonts[tag].ids:
                    by_name.setdefault(tag, []).append(obj)
        patched_programs = set()
        for tag, dictionaries in by_name.items():
            variants = self.fonts[tag]
            for font_dict in dictionaries:
                texts = glyph_texts_for(_name(font_dict["BaseFont"])) or {}
                descendant = pdf.objects[_ref(font_dict["DescendantFonts"][0])]
                _extend_widths(descendant, variants)
                descriptor = pdf.objects[_ref(descendant["FontDescriptor"])]
                program = _ref(descriptor["FontFile2"]) if "FontFile2" in descriptor else None
                if program is not None and program not in patched_programs:
                    stream = pdf.objects[program]
                    data = _add_variant_glyphs(b"".join(stream.stream), variants)
                    stream.stream[:] = [data]
                    stream.extra["Length1"] = len(data)
                    patched_programs.add(program)
                if "CIDSet" in descriptor:
                    del descriptor["CIDSet"]  # optional; it would have to list every variant
                to_unicode = pdf.objects[_ref(font_dict["ToUnicode"])]
                _extend_to_unicode(to_unicode, variants, texts)
        self.finish_seconds += time.perf_counter() - started


def _name(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _ref(value) -> int:
    return int(_name(value).split()[0])


def _extend_widths(descendant, variants: FontVariants) -> None:
    import pydyf
    widths = descendant.get("W") or pydyf.Array()
    for variant, glyph_id in sorted(variants.ids.items(), key=lambda item: item[1]):
        widths.append(glyph_id)
        widths.append(pydyf.Array([variant.advance]))
    descendant["W"] = widths


_END_CMAP = b"endcmap"


def _extend_to_unicode(stream, variants: FontVariants, texts: dict[int, str]) -> None:
    """Each variant stands for its original glyph's text; a glyph the font only
    ever inserts (text ``""``) stands for U+200D, invisible between letters."""
    lines = []
    for variant, glyph_id in sorted(variants.ids.items(), key=lambda item: item[1]):
        text = variant.text if variant.text is not None else texts.get(variant.glyph)
        if text is None:
            text = _existing_text(stream, variant.glyph)
        if text is None:
            continue
        code = (text or "\u200d").encode("utf-16-be").hex()
        lines.append(f"<{glyph_id:04x}> <{code}>".encode())
    block = []
    for start in range(0, len(lines), 100):
        chunk = lines[start:start + 100]
        block += [f"{len(chunk)} beginbfchar".encode(), *chunk, b"endbfchar"]
    at = stream.stream.index(_END_CMAP)
    stream.stream[at:at] = block


_BFCHAR = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")


def _existing_text(stream, glyph: int) -> str | None:
    key = f"{glyph:04x}".encode()
    for line in stream.stream:
        m = _BFCHAR.match(line) if isinstance(line, bytes) else None
        if m and m.group(1) == key:
            return bytes.fromhex(m.group(2).decode()).decode("utf-16-be")
    return None


def _add_variant_glyphs(program: bytes, variants: FontVariants) -> bytes:
    """The font program with one composite glyph per variant, at the variant's id."""
    upem, advances = truetype.metrics(program)
    scale = upem / 1000
    glyphs = []
    by_id = sorted(variants.ids.items(), key=lambda item: item[1])
    first = by_id[0][1]
    for expected, (variant, glyph_id) in enumerate(by_id, start=first):
        assert glyph_id == expected  # ids are handed out one after another
        components = [truetype.Component(variant.glyph, round(variant.dx * scale),
                                         round(variant.dy * scale))]
        if variant.kashida and variants.tatweel is not None:
            # A component's scale is at most 2 (F2Dot14): a long kashida is
            # drawn as several tatweels, each stretched less than 1.5 times.
            stretch = variant.kashida / variants.tatweel_advance
            pieces = max(1, math.ceil(stretch / 1.5))
            start = variant.dx * scale + advances[variant.glyph]
            step = variant.kashida * scale / pieces
            components += [truetype.Component(variants.tatweel, round(start + k * step),
                                              round(variant.dy * scale), stretch / pieces)
                           for k in range(pieces)]
        glyphs.append(truetype.NewGlyph(tuple(components), round(variant.advance * scale)))
    return truetype.append_composites(program, glyphs, first)
