"""Composite glyphs appended to a font program (pipeline/writers/pdf/truetype.py),
read back by fontTools and drawn by HarfBuzz."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pipeline.writers.pdf import truetype

AMIRI = Path(__file__).resolve().parent.parent / "fonts" / "Amiri-Regular.ttf"


@pytest.fixture(scope="module")
def program() -> bytes:
    return AMIRI.read_bytes()


def test_appended_glyphs_read_back(program):
    from fontTools.ttLib import TTFont

    upem, advances = truetype.metrics(program)
    first = len(advances) + 3  # a gap of empty glyphs before the new ones
    fatha, alef, tatweel = 93, 55, 80
    new = [truetype.NewGlyph((truetype.Component(fatha, -112, 40),), 0),
           truetype.NewGlyph((truetype.Component(alef, 0, 0),
                              truetype.Component(tatweel, advances[alef], 0, 1.5)), 500)]
    font = TTFont(io.BytesIO(truetype.append_composites(program, new, first)))
    order = font.getGlyphOrder()
    assert len(order) == first + 2 == font["maxp"].numGlyphs
    glyf, hmtx = font["glyf"], font["hmtx"]
    moved = glyf[order[first]]
    assert moved.isComposite()
    [component] = moved.components
    assert (component.glyphName, component.x, component.y) == (order[fatha], -112, 40)
    original = glyf[order[fatha]]
    assert (moved.xMin, moved.yMax) == (original.xMin - 112, original.yMax + 40)
    assert hmtx[order[first]] == (0, moved.xMin)  # the side bearing is the outline's left
    elongated = glyf[order[first + 1]]
    assert [c.glyphName for c in elongated.components] == [order[alef], order[tatweel]]
    assert elongated.components[1].transform[0][0] == pytest.approx(1.5, abs=1e-3)
    assert hmtx[order[first + 1]][0] == 500
    assert glyf[order[first - 1]].numberOfContours == 0  # the gap is empty glyphs
    assert font["head"].unitsPerEm == upem


def test_harfbuzz_draws_the_moved_outline(program):
    import uharfbuzz as hb

    _, advances = truetype.metrics(program)
    first = len(advances)
    data = truetype.append_composites(
        program, [truetype.NewGlyph((truetype.Component(93, 200, -300),), 0)], first)
    font = hb.Font(hb.Face(hb.Blob(data)))
    plain, moved = font.get_glyph_extents(93), font.get_glyph_extents(first)
    assert moved.x_bearing == plain.x_bearing + 200
    assert moved.y_bearing == plain.y_bearing - 300


def test_refuses_what_it_cannot_extend(program):
    with pytest.raises(truetype.FontError):
        truetype.append_composites(b"OTTO" + program[4:], [], 10_000)
    _, advances = truetype.metrics(program)
    with pytest.raises(truetype.FontError):
        truetype.append_composites(program, [], len(advances) - 1)
