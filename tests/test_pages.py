"""Pages a production editor signs off (#13), measured on the built files: the
running head, the measure, no runts, the printer's boxes and marks, PDF/X-4,
and the DOCX's page setup — for the bundled article and every corpus article
on A4, A5 and Letter, with and without bleed."""

from __future__ import annotations

import re
import statistics
import unicodedata
import zipfile

import pikepdf
import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.pages import PAPERS, layout

from conftest import BUNDLED, CORPUS

MM = 72 / 25.4
ARTICLES = [BUNDLED] + (sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md")
                        if CORPUS.is_dir() else [])
CASES = [(paper, bleed) for paper in ("a4", "a5", "letter") for bleed in (0, 3)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, article_build):
    # A4 without bleed is the default: the shared builds are those PDFs
    out = {(source.stem, "a4", 0): article_build(source).outputs["pdf"] for source in ARTICLES}
    for paper, bleed in CASES:
        if (paper, bleed) == ("a4", 0):
            continue
        folder = tmp_path_factory.mktemp(f"{paper}-{bleed}")
        settings = BuildSettings(formats=("pdf",), paper=paper, bleed_mm=bleed,
                                 marks=bool(bleed), force=True)
        for r in build(ARTICLES, folder, settings):
            assert r.ok, r.error
            out[(r.source.stem, paper, bleed)] = r.outputs["pdf"]
    return out


def _lines(page):
    """Text lines of a page: (bbox, text, size), lines of one baseline merged."""
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = " ".join(s["text"] for s in line["spans"]).strip()
            if text:
                lines.append((tuple(line["bbox"]), text,
                              round(max(s["size"] for s in line["spans"]), 1)))
    lines.sort(key=lambda ln: ln[0][1])
    merged = []
    for bbox, text, size in lines:
        if merged and abs(merged[-1][0][1] - bbox[1]) < 2 and merged[-1][2] == size:
            (x0, y0, x1, y1), before, _ = merged[-1]
            merged[-1] = ((min(x0, bbox[0]), y0, max(x1, bbox[2]), max(y1, bbox[3])),
                          before + " " + text, size)
        else:
            merged.append((bbox, text, size))
    return merged


def _open(path):
    import pymupdf
    return pymupdf.open(str(path))


@pytest.mark.parametrize("paper, bleed", CASES)
def test_running_head_is_one_line_clear_of_the_text(pdfs, paper, bleed):
    for (stem, p, b), path in pdfs.items():
        if (p, b) != (paper, bleed):
            continue
        with _open(path) as document:
            assert not [ln for ln in _lines(document[0]) if ln[2] == 9.0], "no head on page 1"
            for number, page in enumerate(document, start=1):
                if number == 1:
                    continue
                lines = _lines(page)
                heads = [ln for ln in lines if ln[2] == 9.0]
                assert len(heads) == 1, (stem, number, heads)  # one line, never two
                head = heads[0][0]
                rules = [d["rect"] for d in page.get_drawings()
                         if d["rect"].y1 - head[3] < 8 * MM and d["rect"].y1 > head[3]
                         and d["rect"].width > 50]
                assert rules, (stem, number)
                rule = max(r.y1 for r in rules)
                assert 0.5 * MM <= rule - head[3] <= 4 * MM  # about 2 mm under the title
                body = [ln for ln in lines if ln[0][1] > rule and ln[2] >= 10.5]
                assert body[0][0][1] - rule >= 12, (stem, number, body[0])


def _full_lines(path) -> list[int]:
    """Letters (marks aside) of each line that fills the text block."""
    counts = []
    with _open(path) as document:
        for page in document:
            body = [ln for ln in _lines(page) if ln[2] >= 10.5 and ln[2] < 15 and
                    len(ln[1]) > 20]
            if not body:
                continue
            width = max(ln[0][2] - ln[0][0] for ln in body)
            counts += [sum(unicodedata.category(c) not in ("Mn", "Cf") for c in text)
                       for bbox, text, _ in body if bbox[2] - bbox[0] > 0.97 * width]
    return counts


@pytest.mark.parametrize("paper", ["a4", "a5", "letter"])
def test_measure(pdfs, paper):
    """At most 80 characters a full line on A4 and Letter; about 70 on A5."""
    for (stem, p, bleed), path in pdfs.items():
        if p != paper or bleed:
            continue
        counts = _full_lines(path)
        assert counts, stem
        if paper == "a5":
            assert 60 <= statistics.median(counts) <= 78, (stem, statistics.median(counts))
        else:
            assert max(counts) <= 80, (stem, max(counts))


_WORD = re.compile(r"[A-Za-z0-9@._/+#%&'’-]+|[^\sA-Za-z0-9@._/+#%&'’-]+")


def _words(text: str) -> int:
    """Words of a line; a readers' text may lose the no-break space between an
    Arabic word and a Latin one ("مثلVirtual-Coffee" is two)."""
    return len(_WORD.findall(text.replace("\u200d", "")))


def runts(path) -> list[tuple[int, str]]:
    """Last lines of a paragraph, item, deck or heading that hold one word."""
    found = []
    with _open(path) as document:
        for number, page in enumerate(document, start=1):
            lines = _lines(page)
            for before, line in zip(lines, lines[1:]):
                same_block = before[2] == line[2] and 0 < line[0][1] - before[0][1] < \
                    line[2] * 2.2
                if same_block and _words(line[1]) == 1 and _words(before[1]) > 1 \
                        and not re.fullmatch(r"[\d\u0660-\u0669]+", line[1]):
                    found.append((number, line[1]))
    return found


@pytest.mark.parametrize("paper, bleed", CASES)
def test_no_one_word_last_lines(pdfs, paper, bleed):
    for (stem, p, b), path in pdfs.items():
        if (p, b) == (paper, bleed):
            assert runts(path) == [], stem


def test_the_runt_detector_finds_runts(tmp_path):
    """The check above can fail: a paragraph whose last line is one word."""
    import pymupdf
    document = pymupdf.open()
    page = document.new_page()
    page.insert_text((72, 100), "one two three four five six", fontsize=12)
    page.insert_text((72, 116), "seven", fontsize=12)
    path = tmp_path / "runt.pdf"
    document.save(str(path))
    assert runts(path) == [(1, "seven")]


def _box(page, name):
    return [float(v) for v in page.obj[name]]


@pytest.mark.parametrize("paper", ["a4", "a5", "letter"])
def test_bleed_marks_and_slug_outside_the_trim(pdfs, paper):
    path = pdfs[(BUNDLED.stem, paper, 3)]
    width, height = PAPERS[paper].width_mm * MM, PAPERS[paper].height_mm * MM
    bleed, slug = 3 * MM, 10 * MM
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            trim, bleed_box, media = (_box(page, n) for n in ("/TrimBox", "/BleedBox",
                                                               "/MediaBox"))
            assert trim == pytest.approx([0, 0, width, height], abs=0.1)
            assert bleed_box == pytest.approx([-bleed, -bleed, width + bleed, height + bleed],
                                              abs=0.1)
            assert media == pytest.approx([bleed_box[0] - slug, bleed_box[1] - slug,
                                           bleed_box[2] + slug, bleed_box[3] + slug], abs=0.1)
    with _open(path) as document:
        page = document[0]
        # PyMuPDF's coordinates: origin at the media box's top-left, y down
        x0, y0 = slug + bleed, slug + bleed  # the trim's corner
        x1, y1 = x0 + width, y0 + height
        strokes = [d for d in page.get_drawings() if d.get("color") is not None and
                   d["type"] == "s" and (d["rect"].width < 1 or d["rect"].height < 1)]
        marks = [d["rect"] for d in strokes if d["rect"].x1 <= x0 - bleed + 0.5 or
                 d["rect"].x0 >= x1 + bleed - 0.5 or d["rect"].y1 <= y0 - bleed + 0.5 or
                 d["rect"].y0 >= y1 + bleed - 0.5]
        assert len(marks) == 8  # two at each corner, all outside the bleed
        assert not [d for d in strokes if d["rect"] not in marks and (
            d["rect"].x0 < x0 - 0.5 or d["rect"].y0 < y0 - 0.5)]
        slug_line = [d for d in page.get_drawings() if d["type"] == "f" and
                     d["rect"].y0 > y1 + bleed]
        assert len(slug_line) > 20  # the file name, page and date, in outlines
    unmarked = pdfs[(BUNDLED.stem, paper, 0)]
    with pikepdf.open(unmarked) as pdf:
        page = pdf.pages[0]
        assert _box(page, "/MediaBox") == _box(page, "/TrimBox")


def test_pdf_x4_for_the_printer_keeps_the_tags(tmp_path):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("pdf",), pdf_variant="pdf/x-4"))
    assert r.ok, r.error
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert all("/TrimBox" in page.obj for page in pdf.pages)
        assert pdf.open_metadata().get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"


def test_pdf_variants_are_the_installed_weasyprints(tmp_path):
    """The schema checks a variant against those the installed WeasyPrint
    makes, for every way in (a DOCX-only build too), before any article."""
    from weasyprint.pdf import VARIANTS

    from pipeline.errors import PipelineError
    with pytest.raises(PipelineError) as bad:
        BuildSettings(formats=("docx",), pdf_variant="pdf/a-4b")
    message = bad.value.diagnostic.message
    assert message.startswith("setting 'pdf_variant' must be ") and "not 'pdf/a-4b'" in message
    offered = message.split("must be ", 1)[1].split(", not")[0].split(" or ")
    assert set(offered) == (set(VARIANTS) - {"debug"}) | {"none"}
    assert BuildSettings(pdf_variant="PDF/X-4").pdf_variant == "pdf/x-4"


def test_docx_pages_match_the_pdf(tmp_path):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("docx",)))
    with zipfile.ZipFile(r.outputs["docx"]) as z:
        names = set(z.namelist())
        document = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
        styles = z.read("word/styles.xml").decode()
        app = z.read("docProps/app.xml").decode()
        rels = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"',
                               z.read("word/_rels/document.xml.rels").decode()))
        first = re.search(r'headerReference w:type="first" r:id="(rId\d+)"', document).group(1)
        first_header = z.read("word/" + rels[first]).decode()
    assert "<w:titlePg/>" in document and "w:t>" not in first_header  # no head on page 1
    assert "<w:mirrorMargins/>" in settings
    body = layout("a4").body_pt * 2
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', styles, re.S).group(0)
    assert f'<w:sz w:val="{body:g}"/>' in normal and f'<w:szCs w:val="{body:g}"/>' in normal
    assert not names & {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"}
    assert not [n for n in names if n.startswith("customXml/")]
    assert "<Application>pipeline</Application>" in app


def test_a_long_title_is_cut_for_the_running_head(tmp_path):
    from pipeline.building.builder import load_article
    from pipeline.options import PdfOptions, WriterOptions
    from pipeline.writers.pdf import running_title
    import datetime as dt

    long = "لقاء " + " ".join(["نتنياهو وبلينكن في القدس لبحث القضايا الإقليمية"] * 3)
    source = tmp_path / "a.md"
    source.write_text(f'---\ntitle: "{long}"\n---\nنص.\n', encoding="utf-8")
    article = load_article(source)
    options = WriterOptions(identifier="x", timestamp=dt.datetime(2024, 1, 1),
                            pdf=PdfOptions(paper="a5"))
    head = running_title(article, options)
    assert head.endswith("…") and long.startswith(head[:-1].rstrip())
    source.write_text(f'---\ntitle: "{long}"\nshort_title: "لقاء القدس"\n---\nنص.\n',
                      encoding="utf-8")
    assert running_title(load_article(source), options) == "لقاء القدس"
