"""The print PDF, judged by poppler (pdffonts, pdftotext, pdfinfo) and pikepdf."""

from __future__ import annotations

import re

import pikepdf
import pytest

from pipeline.building.builder import BuildSettings, build, load_article
from pipeline.model import Faq, Heading

from conftest import BUNDLED, build_with_drawing, pdftotext, write_source
from judges import SHIPPED_FAMILIES, family, pdffonts, struct_elements
from words import missing_in_order, seed_words, words



def test_fonts_embedded_subset_and_only_shipped(built):
    rows = pdffonts(built["pdf"])
    assert rows, "no fonts listed"
    for row in rows:
        assert row["emb"] == "yes" and row["sub"] == "yes", row
        assert family(row["name"]) in SHIPPED_FAMILIES, row


def test_structure_and_metadata(built):
    article = load_article(BUNDLED)
    headings = sum(isinstance(b, Heading) for b in article.blocks)
    with pikepdf.open(built["pdf"]) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "ar"
        assert str(pdf.docinfo.Title) == article.meta.title
        assert str(pdf.docinfo.Subject) == article.meta.description
        assert "/StructTreeRoot" in root and bool(root.MarkInfo.Marked)
        assert root.ViewerPreferences.Direction == pikepdf.Name.R2L
        with pdf.open_outline() as outline:
            def count(items):
                return sum(1 + count(i.children) for i in items)
            assert count(outline.root) >= headings
        meta = pdf.open_metadata()
        assert "pdfuaid:part" in str(meta) or "pdfuaid" in str(pdf.Root.Metadata.read_bytes())


def test_folios_in_arabic_indic_digits(built):
    text = pdftotext(built["pdf"])
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        indic = str(n).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        lines = [ln.strip("\u202a\u202b\u202c\u200e\u200f ") for ln in page.splitlines()]
        assert indic in lines, f"page {n} has no folio {indic}"
    assert not re.search(r"^\s*[0-9]+\s*$", text, re.M), "a folio in Western digits"


def test_running_header_on_every_page_but_the_first(built):
    title = load_article(BUNDLED).meta.title
    pages = [p for p in pdftotext(built["pdf"]).split("\f") if p.strip()]
    def norm(s):
        return " ".join(words(s))
    assert norm(pages[0]).count(norm(title)) == 1  # the headline only
    for page in pages[1:]:
        assert norm(page).startswith(norm(title)), page[:80]


@pytest.mark.parametrize("paper, size", [("a5", (419.53, 595.28)), ("a4", (595.28, 841.89)),
                                         ("letter", (612.0, 792.0))])
def test_paper_sizes(tmp_path, seed_text, paper, size):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("pdf",), paper=paper))
    assert r.ok, r.error
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        box = [float(v) for v in pdf.pages[0].MediaBox]
        assert box[2] - box[0] == pytest.approx(size[0], abs=0.1)
        assert box[3] - box[1] == pytest.approx(size[1], abs=0.1)
    assert missing_in_order(seed_words(seed_text), words(pdftotext(r.outputs["pdf"]))) == []
    assert all(row["emb"] == "yes" for row in pdffonts(r.outputs["pdf"]))


def test_paper_from_front_matter(tmp_path):
    src = write_source(tmp_path, "نص.\n", front="title: t\npaper: a5")
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(419.53, abs=0.1)


def test_uncovered_character_is_a_warning_with_its_line(tmp_path):
    src = write_source(tmp_path, "سطر أول\n\nرمز غريب \u0f00 هنا\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    assert r.ok
    [w] = r.warnings
    assert w.severity == "warning" and "U+0F00" in str(w) and w.line == 6


def test_corpus_emoji_and_latin_use_shipped_fonts(tmp_path):
    src = write_source(tmp_path, "نص فيه Freenode و GitHub (2024) ورمز 🎉 وآخر 😇.\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    assert r.ok and not r.warnings
    names = {family(row["name"]) for row in pdffonts(r.outputs["pdf"])}
    assert names <= SHIPPED_FAMILIES and any("Emoji" in n for n in names)
    text = pdftotext(r.outputs["pdf"])
    assert "Freenode" in text and "GitHub" in text and "2024" in text


@pytest.mark.parametrize("variant", ["pdf/a-3a", "none"])
def test_other_variants(tmp_path, variant):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("pdf",), pdf_variant=variant))
    assert r.ok, r.error
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "ar"


def test_shared_glyphs_do_not_repeat_letters_in_the_text_layer(tmp_path):
    """Amiri draws a medial lam before kaf as a lam and a kashida, and the same
    glyphs stand alone elsewhere: extraction once read "الكبرى" as "اللكبرى"."""
    sentence = "الكبرى بالكرامة ولكن لكل الكرامة تطويل الـمصنف"
    src = write_source(tmp_path, sentence + "\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    extracted = words(pdftotext(r.outputs["pdf"]))
    assert missing_in_order(words(sentence), extracted) == []
    assert not any("لل" in w for w in extracted)


def test_udhr_text_layer_is_exact(tmp_path):
    """A real article with Latin digits, parentheses and a little vocalisation:
    every word comes back in order."""
    from conftest import CORPUS
    from words import source_words
    src = CORPUS / "udhr_arb.md"
    if not src.is_file():
        pytest.skip(f"the corpus is not at {CORPUS}")
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    assert r.ok, r.error
    expected = source_words(src.read_text(encoding="utf-8"))
    assert len(expected) > 1300
    assert missing_in_order(expected, words(pdftotext(r.outputs["pdf"]))) == []


def _struct_tags(pdf) -> list[str]:
    return [str(node.S) for node in struct_elements(pdf)]


def test_faq_is_tagged_as_questions_and_answers_not_a_list(built):
    with pikepdf.open(built["pdf"]) as pdf:
        tags = _struct_tags(pdf)
    article = load_article(BUNDLED)
    levels = [b.level for b in article.blocks if isinstance(b, Heading)]
    questions = sum(len(b.entries) for b in article.blocks if isinstance(b, Faq))
    assert questions == 4
    assert tags.count("/H2") == levels.count(2)
    assert tags.count("/H3") == levels.count(3) + questions  # the questions are headings
    assert tags.count("/LI") == 16  # the article's list items, nothing from the FAQ
    assert tags.count("/H1") == 1


def test_title_block_shows_author_and_date_in_arabic(tmp_path):
    src = write_source(tmp_path, "نص.\n",
                       front='title: "عنوان"\nauthor: "سارة"\ndate: 2024-06-11\nlang: ar-EG')
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf",)))
    text = " ".join(words(pdftotext(r.outputs["pdf"])))
    assert "سارة" in text and "١١ يونيو ٢٠٢٤" in text  # CLDR: Egypt writes ١٢٣
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        assert str(pdf.docinfo.Author) == "سارة"


DRAWING = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120">'
           '<text x="150" y="40" font-family="Amiri" font-size="20" text-anchor="middle">'
           'نسبة المشاركة</text>'
           '<text x="20 40 60 80" y="100" font-family="Amiri" font-size="16">أبجد</text></svg>')


def test_arabic_in_an_svg_drawing_is_joined_and_in_order(tmp_path):
    # WeasyPrint sets SVG text one code point at a time: the label came out
    # as unjoined letters read backwards ("ةكراشملا ةبسن"). A run nothing
    # places letter by letter is now laid out whole.
    text = pdftotext(build_with_drawing(tmp_path, DRAWING, ("pdf",)).outputs["pdf"])
    assert "نسبة المشاركة" in text and "ةكراشملا" not in text
    # letters the drawing places one by one (x="20 40 60 80") stay where it puts them
    assert all(letter in text for letter in "أبجد")
