"""The PDF's text layer as the readers people use get it back (#11), its
kerning as HarfBuzz shapes it, and kashida justification.

Readers: poppler (Evince, Okular, pdftotext), PDFium (Chrome, Edge) and pdf.js
(Firefox). Each must give back the source's words in order, marks included.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from pipeline.building.prepare import model_passes
from pipeline.options import PdfOptions, WriterOptions
from pipeline.reader import read_article
from pipeline.writers import pdf as pdf_writer

from conftest import BUNDLED, CORPUS, require, require_tool
from words import source_words

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
import readers  # noqa: E402

ARTICLES = [BUNDLED] + (sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")
                        if CORPUS.is_dir() else [])
READERS = ("poppler", "pdfium", "pdf.js")
# What the issues ask: the bundled article ≥ 99.5%, every corpus article ≥ 99%,
# the two Open Source Guides texts (Latin inside Arabic) ≥ 99.5% with poppler.
WANTED = {BUNDLED.stem: 0.995}
WANTED_OF = {("poppler", "osg_how_to_contribute_ar"): 0.995,
             ("poppler", "osg_legal_ar"): 0.995}
# Known gaps, held as floors and reported as expected failures (pytest's
# XFAIL line gives the figure) until they are solved:
# - PDFium's own bidi (fx_bidi) leaves spaces and punctuation between Latin
#   words neutral instead of joining them to the Latin run, and reads
#   /Direction R2L as the direction of every line: "Node.js Package Manager"
#   inside an Arabic line comes back "Manager Package js.Node" whatever the
#   PDF says. The two Open Source Guides articles are full of Latin phrases.
# (pdf.js gave a line's last vowel mark to the line above, 97.7% of the sura;
# the glyph layer draws such marks again in a marked-content sequence of their
# own, writers.pdf.lines.leading_marks, and pdf.js reads every word of it.)
KNOWN_GAPS = {("pdfium", "osg_how_to_contribute_ar"): 0.94,
              ("pdfium", "osg_legal_ar"): 0.965}


def _reader_available(name: str) -> None:
    if name == "poppler":
        require_tool("pdftotext", "apt-get install poppler-utils")
    elif name == "pdfium":
        pytest.importorskip("pypdfium2")
    else:
        require("pdf.js (node and pdfjs-dist)", readers.install_pdfjs(),
                "npm install in tests/helpers")


@pytest.fixture(scope="module")
def article_pdfs(article_build):
    results = [article_build(source) for source in ARTICLES]
    for result in results:
        assert result.ok, result.error
    return {r.source.stem: r.outputs["pdf"] for r in results}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("source", ARTICLES, ids=lambda p: p.stem)
def test_readers_get_every_word_back_in_order(article_pdfs, source, reader):
    _reader_available(reader)
    expected = source_words(source.read_text(encoding="utf-8"))
    share, missing = readers.share_in_order(expected, readers.READERS[reader](
        article_pdfs[source.stem]))
    wanted = WANTED_OF.get((reader, source.stem), WANTED.get(source.stem, 0.99))
    floor = KNOWN_GAPS.get((reader, source.stem))
    if floor is not None and share < wanted:
        assert share >= floor, f"{share:.1%} < floor {floor:.1%}; lost: {missing[:20]}"
        pytest.xfail(f"known {reader} gap: {share:.1%} of words in order")
    assert share >= wanted, f"{share:.1%} < {wanted:.1%}; lost: {missing[:20]}"


def test_share_in_order_counts_lost_and_swapped_words():
    words = ["لقاء", "نتنياهو", "وبلينكن", "في", "القدس"]
    assert readers.share_in_order(words, "لقاء نتنياهو وبلينكن في القدس")[0] == 1.0
    assert readers.share_in_order(words, "لقاءنتنياهو وبلي نكن في القدس")[0] == 1.0
    share, missing = readers.share_in_order(words, "لقاء وبلينكن في القدس")
    assert missing == ["نتنياهو"] and share == pytest.approx(0.8)
    share, _ = readers.share_in_order(words, "القدس في وبلينكن نتنياهو لقاء")
    assert share <= 0.4
    # A mark lost or added is a different word.
    assert readers.share_in_order(["مَرْيَمَ"], "مريم")[0] == 0.0


def _render(text: str, justify: str = "kashida", paper: str = "a5"):
    """One article's PDF, in memory, and the glyph layer that drew it."""
    options = WriterOptions(identifier="urn:test", timestamp=dt.datetime(2024, 6, 11),
                            pdf=PdfOptions(paper=paper, justify=justify))
    return pdf_writer.render(model_passes(read_article(text)[0]), options)


def _article(body: str) -> str:
    return f'---\ntitle: "اختبار"\n---\n{body}\n'


def test_kashida_stretches_justified_lines(tmp_path):
    """The composer leaves most lines needing little; the bundled article's
    lines that still need more than the spaces give take kashidas."""
    article = BUNDLED.read_text(encoding="utf-8")
    data, layer = _render(article)
    assert layer.stretched_lines >= 1 and layer.kashidas >= layer.stretched_lines
    _, spaces = _render(article, justify="spaces")
    assert spaces.kashidas == 0
    # Kashida is layout, not text: no tatweel reaches the text layer.
    path = tmp_path / "k.pdf"
    path.write_bytes(data)
    require_tool("pdftotext", "apt-get install poppler-utils")
    text = readers.poppler_text(path)
    assert "\u0640" not in text
    share, missing = readers.share_in_order(source_words(article), text)
    assert share == 1.0, missing


def test_headings_and_last_lines_are_not_stretched():
    body = "## عنوان قصير للقسم\n\nسطر واحد قصير."
    _, layer = _render(_article(body))
    assert layer.kashidas == 0


def test_latin_is_never_elongated():
    body = ("Why I love contributing to open source software, and why the maintainers "
            "of large projects ask new contributors to start with small changes first.")
    _, layer = _render(_article(body))
    assert layer.kashidas == 0


@pytest.mark.parametrize("word", ["ويؤكد", "التأكيد", "مقدمة", "الزيارة"])
def test_word_width_matches_harfbuzz(tmp_path, word):
    """A word set alone is as wide in the PDF as HarfBuzz shapes it, kerning on."""
    import uharfbuzz as hb

    data, _ = _render(_article(word), justify="spaces")
    path = tmp_path / "w.pdf"
    path.write_bytes(data)
    drawn, size = _drawn_advance(path)
    font_path = Path(__file__).resolve().parent.parent / "fonts" / "Amiri-Regular.ttf"
    blob = hb.Blob.from_file_path(str(font_path))
    face = hb.Face(blob)
    font = hb.Font(face)
    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"kern": True})
    shaped = sum(p.x_advance for p in buf.glyph_positions) / face.upem * size
    assert drawn == pytest.approx(shaped, rel=0.02), (drawn, shaped)


def _drawn_advance(path: Path) -> tuple[float, float]:
    """The pen advance of the body's one word and its font size (both in the
    page's units): the widths (W) of the glyph ids the content stream shows at
    the body size (A5's, in CSS px), with its TJ numbers."""
    from pipeline.pages import layout
    body_px = layout("a5").body_pt * 4 / 3
    import pikepdf
    pdf = pikepdf.open(str(path))
    page = pdf.pages[0]
    fonts = {}
    for name, font in page.Resources.Font.items():
        widths = {}
        w = list(font.DescendantFonts[0].W)
        i = 0
        while i < len(w):
            start = int(w[i])
            if isinstance(w[i + 1], pikepdf.Array):
                for k, value in enumerate(w[i + 1]):
                    widths[start + k] = float(value)
                i += 2
            else:
                for g in range(start, int(w[i + 1]) + 1):
                    widths[g] = float(w[i + 2])
                i += 3
        fonts[str(name)] = widths
    advances, current, size = [], None, 0.0
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "Tf":
            current, size = str(operands[0]), float(operands[1])
        elif str(op) == "TJ" and abs(size - body_px) < 0.01:
            total = 0.0
            for item in operands[0]:
                if isinstance(item, pikepdf.String):
                    raw = bytes(item)
                    for k in range(0, len(raw), 2):
                        total += fonts[current].get(int.from_bytes(raw[k:k + 2], "big"), 0)
                else:
                    total -= float(item)
            advances.append((total * size / 1000, size))
    assert len(advances) == 1, advances
    return advances[0]
