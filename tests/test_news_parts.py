"""What news articles contain — tables, figures with caption and credit,
footnotes, strikethrough, a kicker, tags and a chosen cover — read from the
source and set in every format, judged by the readers people use."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from pipeline.building.builder import BuildSettings, build
from pipeline.errors import PipelineError
from pipeline.model import Figure, Note, Paragraph, Strikeout, Table, Text
from pipeline.reader import read_article
from pipeline.transforms import plain_text

from conftest import FIXTURES, pdftotext, require, require_tool, write_source
from judges import assert_clean, epubcheck, libreoffice_convert, pandoc_path, struct_elements
from readers import _IGNORED, normalise

NEWS = FIXTURES / "news" / "election-results.md"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
NOTES = ("تشمل جميع الصناديق", "الطعون إلى المحكمة الإدارية", "بلغت المشاركة ٤٩ في المئة")
"""Words of each footnote (not its first word: LibreOffice's PDF detaches the
marks of "تُقدَّم" from it)."""
CALLS = ("استمر", "مؤتمر", "ارتفعت")
"""A word of each paragraph that calls a note (in the order of NOTES)."""


@pytest.fixture(scope="module")
def news(article_build) -> dict[str, Path]:
    result = article_build(NEWS)
    assert result.ok, result.error
    return result.outputs


def _read(body: str, front: str = "title: t") -> tuple:
    return read_article(f"---\n{front}\n---\n\n{body}")


# --- the source --------------------------------------------------------------


def test_a_pipe_table_keeps_its_header_alignment_and_numbers():
    article, warnings = _read("| القائمة | المقاعد | ملاحظة |\n|---|---:|:-:|\n"
                              "| أ | 12 | نص |\n| **ب** | ٩ | — |\n")
    [table] = article.blocks
    assert isinstance(table, Table) and warnings == []
    assert [plain_text(c.content) for c in table.head.cells] == ["القائمة", "المقاعد", "ملاحظة"]
    assert table.aligns == ("", "right", "center")
    assert table.numeric == (False, True, False)
    assert len(table.rows) == 2 and plain_text(table.rows[1].cells[0].content) == "ب"


def test_an_image_alone_is_a_figure_with_caption_and_credit():
    article, warnings = _read('![وصف](p.png "التعليق"){credit="تصوير: س" id="x"}\n\n'
                              'نص ![صغيرة](q.png){credit="ج"} بعده.\n')
    figure, paragraph = article.blocks
    assert isinstance(figure, Figure) and isinstance(paragraph, Paragraph)
    assert (figure.image.src, figure.image.alt) == ("p.png", "وصف")
    assert plain_text(figure.caption) == "التعليق" and plain_text(figure.credit) == "تصوير: س"
    messages = [w.message for w in warnings]
    assert any("'id' is not used" in m for m in messages)
    assert any("its credit is not shown" in m for m in messages)
    assert all(w.line for w in warnings)


def test_footnotes_are_numbered_in_reading_order_where_they_are_called():
    article, warnings = _read("أول[^b] ثم ~~قديم~~ جديد[^a] و[^none].\n\n"
                              "[^a]: الثانية.\n[^b]: الأولى.\n[^unused]: لا تُستدعى.\n")
    [paragraph] = article.blocks
    notes = [n for n in paragraph.content if isinstance(n, Note)]
    assert [(n.number, plain_text(n.blocks[0].content)) for n in notes] == [
        (1, "الأولى."), (2, "الثانية.")]
    assert any(isinstance(n, Strikeout) and n.children == (Text("قديم"),)
               for n in paragraph.content)
    assert "أول ثم قديم جديد و[^none]." == plain_text(paragraph.content)  # notes set apart
    found = {(w.message.split(":")[0], w.line) for w in warnings}
    assert found == {("footnote [^none] has no note", 5), ("footnote [^unused] is never called", 9)}


def test_section_tags_cover_and_credit_in_the_front_matter():
    article, _ = _read("نص\n", 'title: t\nsection: اقتصاد\ntags: [أ, ب]\nkeywords: ب, ج\n'
                              'cover: photos/c.jpg\ncredit: "تصوير: س"')
    meta = article.meta
    assert (meta.section, meta.tags, meta.cover, meta.cover_credit) == (
        "اقتصاد", ("أ", "ب"), "photos/c.jpg", "تصوير: س")
    assert meta.subjects == ("ب", "ج", "أ")
    for front, message, line in (
            ("title: t\ncredit: س", "'credit' is the cover picture's", 3),
            ("title: t\ncover: ../c.jpg", "leaves the article's folder", 3),
            ("title: t\ncover: https://example.org/c.jpg", "not a relative path", 3),
            ("title: t\ntags: {a: b}", "'tags' must be a list", 3)):
        with pytest.raises(PipelineError, match=message) as refused:
            _read("نص\n", front)
        assert refused.value.diagnostic.line == line


def test_a_table_too_wide_for_the_page_is_named_and_still_fits(tmp_path):
    long_words = " | ".join(["كلمة_طويلة_جدا_لا_تنكسر_عند_المسافات"] * 5)
    src = write_source(tmp_path, f"| {long_words} |\n|{'---|' * 5}\n| {long_words} |\n")
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("pdf",)))
    assert r.ok, r.error
    [warning] = [w for w in r.warnings if "wider than the page" in w.message]
    assert "smaller type" in warning.message and warning.hint
    import pymupdf
    with pymupdf.open(r.outputs["pdf"]) as pdf:
        page = pdf[0]
        words = page.get_text("words")
        assert words and all(0 <= w[0] and w[2] <= page.rect.width for w in words)


def test_an_svg_cover_is_refused_with_its_line(tmp_path):
    (tmp_path / "c.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" '
                                    'height="10"/>', encoding="utf-8")
    src = write_source(tmp_path, "نص\n", front="title: t\ncover: c.svg")
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert not r.ok and "is a drawing (SVG)" in r.error.message and r.error.line == 3


# --- the PDF -----------------------------------------------------------------


def _flat(text: str) -> str:
    """Text as a reader gets it, without the spaces and controls extraction
    adds or drops inside Arabic words."""
    return _IGNORED.sub("", normalise(text))


def _pages(pdf: Path) -> list[str]:
    return [_flat(page) for page in pdftotext(pdf).split("\f")]


def _libreoffice_pages(pdf: Path) -> list[str]:
    """LibreOffice's PDF, its kashidas taken out: it justifies Arabic with
    them and writes each in its text layer as an "A" ("اس‪AA‬تمر")."""
    return [re.sub("(?<=[\u0600-\u06ff])A+(?=[\u0600-\u06ff])", "", page)
            for page in _pages(pdf)]


def _notes_at_the_foot_of_their_page(pages: list[str]) -> None:
    for call, note in zip(CALLS, NOTES):
        [page] = [p for p in pages if _flat(note) in p]
        assert call in page, (call, note)
        assert page.index(_flat(note)) > page.index(call)  # under the text that calls it


def test_pdf_footnotes_stand_at_the_foot_of_the_page_of_their_call(news):
    _notes_at_the_foot_of_their_page(_pages(news["pdf"]))


def test_pdf_table_runs_right_to_left_with_its_header_on_every_page(news):
    import pymupdf
    pages = _pages(news["pdf"])
    header = "المسجلون"
    districts = [p for p in pages if "الروضة" in p or "الرياحين" in p]
    assert len(districts) >= 2  # the long table runs over a page break
    assert all(header in p for p in districts)
    with pymupdf.open(news["pdf"]) as pdf:
        for page in pdf:
            xs = {w[4]: w[0] for w in page.get_text("words")}
            if "الدائرة" in xs and "الوفاق" in xs:
                assert xs["الدائرة"] > xs["الوفاق"]  # first column on the right
                break
        else:
            pytest.fail("no page shows the table's first and last headers")


def test_pdf_tags_tables_figures_and_captions(news):
    with pikepdf.open(news["pdf"]) as pdf:
        elements = list(struct_elements(pdf))
        tags = [str(e.S) for e in elements]
        alts = [str(e.get("/Alt", "")) for e in elements if e.S == "/Figure"]
        # a data cell names its header cells (PDF/UA: /Headers)
        headed = ["/Headers" in e.get("/A", {}) for e in elements if e.S == "/TD"]
        keywords = str(pdf.docinfo.get("/Keywords", ""))
    assert tags.count("/Table") >= 2
    assert tags.count("/TH") >= 4 + 5  # header cells (repeated where a table breaks)
    assert tags.count("/TR") >= (1 + 4) + (1 + 28)
    assert tags.count("/TD") == 4 * 4 + 28 * 5 and all(headed)
    assert alts == ["ناخبون يصطفون أمام مركز اقتراع ذي سقف أحمر"]
    assert "/Caption" in tags
    assert all(tag in keywords for tag in ("انتخابات", "المجلس البلدي", "نتائج", "بلديات"))


def test_pdf_shows_kicker_caption_credit_and_strikes_through(news):
    import pymupdf
    text = _flat(pdftotext(news["pdf"]))
    for shown in ("انتخابات بلدية", "طابور الناخبين أمام مركز الاقتراع", "رسم: قسم الغرافيك"):
        assert _flat(shown) in text
    assert text.index(_flat("انتخابات بلدية")) < text.index(_flat("قائمتان"))  # over the headline
    with pymupdf.open(news["pdf"]) as pdf:
        page = pdf[0]
        struck = [w for w in page.get_text("words") if w[4] == "ست"]
        assert struck
        x0, y0, x1, y1 = struck[0][:4]
        lines = [d["rect"] for d in page.get_drawings()
                 if d["rect"].height < 1.5 and y0 < d["rect"].y0 < y1
                 and d["rect"].x0 <= x0 + 2 and d["rect"].x1 >= x1 - 2]
        assert lines, "no line through the struck-out words"


# --- the DOCX ----------------------------------------------------------------


def _docx_part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def test_docx_is_in_schema_order(news):
    from schema_order import assert_schema_order
    assert_schema_order(news["docx"])


def test_docx_has_real_right_to_left_tables_with_a_repeated_header(news):
    document = _docx_part(news["docx"], "word/document.xml")
    tables = document.findall(".//w:tbl", NS)
    assert len(tables) == 2
    for table in tables:
        assert table.find("w:tblPr/w:bidiVisual", NS) is not None
        assert table.find("w:tblPr/w:tblStyle", NS).get(f"{{{W}}}val") == "NewsTable"
        rows = table.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert len(tables[1].findall("w:tr", NS)) == 29
    styles = _docx_part(news["docx"], "word/styles.xml")
    [style] = styles.xpath("//w:style[@w:styleId='NewsTable']", namespaces=NS)
    assert style.get(f"{{{W}}}type") == "table"


def test_docx_has_real_footnotes_strikethrough_caption_credit_and_kicker(news):
    document = _docx_part(news["docx"], "word/document.xml")
    footnotes = _docx_part(news["docx"], "word/footnotes.xml")
    references = document.findall(".//w:footnoteReference", NS)
    assert [r.get(f"{{{W}}}id") for r in references] == ["1", "2", "3"]
    for number, note in enumerate(NOTES, 1):
        [element] = footnotes.xpath(f"w:footnote[@w:id='{number}']", namespaces=NS)
        assert note in "".join(element.itertext())
        assert element.find(".//w:footnoteRef", NS) is not None
    struck = ["".join(r.itertext()) for r in document.iter(f"{{{W}}}r")
              if r.find("w:rPr/w:strike", NS) is not None]
    assert "".join(struck) == "ست عشرة"

    def styled(style_id: str) -> list[str]:
        return ["".join(p.itertext()) for p in document.iter(f"{{{W}}}p")
                if (s := p.find("w:pPr/w:pStyle", NS)) is not None
                and s.get(f"{{{W}}}val") == style_id]
    assert styled("Kicker") == ["انتخابات بلدية"]
    assert styled("Caption") == ["طابور الناخبين أمام مركز الاقتراع في حي الميناء قبيل "
                                 "إغلاق الصناديق"]
    assert styled("Credit") == ["رسم: قسم الغرافيك"]
    core = _docx_part(news["docx"], "docProps/core.xml")
    keywords = "".join(core.xpath("//*[local-name()='keywords']/text()"))
    assert "المجلس البلدي" in keywords and "بلديات" in keywords


def test_libreoffice_sets_the_table_right_to_left_and_the_notes_at_the_page_foot(news, tmp_path):
    import pymupdf
    [pdf] = libreoffice_convert([news["docx"]], "pdf", tmp_path, profile=tmp_path / "profile")
    pages = _libreoffice_pages(pdf)
    _notes_at_the_foot_of_their_page(pages)
    with pymupdf.open(pdf) as document:
        found = False
        for page in document:
            xs = {w[4]: w[0] for w in page.get_text("words")}
            if "الدائرة" in xs and "الوفاق" in xs:
                assert xs["الدائرة"] > xs["الوفاق"]
                found = True
        assert found
    assert sum("المسجلون" in p for p in pages) >= 2  # the header row repeats


def test_pandoc_reads_the_tables_notes_and_strikeout(news):
    pandoc = pandoc_path()
    doc = json.loads(subprocess.run([pandoc, "-f", "docx", "-t", "json", str(news["docx"])],
                                    capture_output=True, text=True, check=True).stdout)
    kinds: dict[str, int] = {}

    def walk(node):
        if isinstance(node, dict):
            kinds[node.get("t", "")] = kinds.get(node.get("t", ""), 0) + 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(doc["blocks"])
    assert kinds.get("Table") == 2 and kinds.get("Note") == 3 and kinds.get("Strikeout") == 1


# --- the EPUB and the web page -------------------------------------------------


def _epub_pages(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.endswith(".xhtml") and "/text/" in n}


def test_epub_passes_epubcheck_and_ace(news, tmp_path):
    assert_clean(epubcheck(news["epub"]))
    import os
    import shutil
    ace = require_tool("ace-cli", "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace-cli")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    require("Chromium for DAISY Ace", bool(chromium), "apt-get install chromium")
    out = tmp_path / "ace"
    subprocess.run([ace, "--silent", "--outdir", str(out), str(news["epub"])],
                   env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium},
                   capture_output=True, text=True, timeout=600)
    report = json.loads((out / "report.json").read_text())
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_epub_notes_pop_up_tables_and_figures_are_marked_up(news):
    pages = _epub_pages(news["epub"])
    body = [el for root in pages.values() for el in root.iter()]
    calls = [e for e in body if e.get(f"{{{XHTML['epub']}}}type") == "noteref"]
    asides = [e for e in body if e.get(f"{{{XHTML['epub']}}}type") == "footnote"]
    assert len(calls) == len(asides) == 3
    assert {c.get("href").lstrip("#") for c in calls} == {a.get("id") for a in asides}
    assert all(a.tag.endswith("aside") for a in asides)
    tables = [e for e in body if e.tag.endswith("}table")]
    assert len(tables) == 2 and all(t.get("dir") == "rtl" for t in tables)
    headers = [e for e in body if e.tag.endswith("}th")]
    assert headers and all(h.get("scope") == "col" for h in headers)
    [figure] = [e for e in body if e.tag.endswith("}figure")]
    caption = figure.find("x:figcaption", XHTML)
    assert caption.find("x:span[@class='credit']", XHTML).text == "رسم: قسم الغرافيك"
    assert any(e.tag.endswith("}del") and e.text == "ست عشرة" for e in body)


def test_epub_cover_is_made_from_the_chosen_photo_and_subjects_listed(news):
    from PIL import Image
    with zipfile.ZipFile(news["epub"]) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        cover = Image.open(io.BytesIO(z.read("EPUB/images/cover.jpg"))).convert("RGB")
        names = z.namelist()
    subjects = opf.xpath("//*[local-name()='subject']/text()")
    assert {"انتخابات", "المجلس البلدي", "نتائج", "بلديات", "انتخابات بلدية"} <= set(subjects)
    # the photo's lit windows show through the shade; a plain cover is one flat colour
    colours = cover.resize((80, 120)).getcolors(80 * 120)
    assert colours is not None and len(colours) > 50
    # the photo is in the cover picture, not packaged a second time
    assert sorted(n for n in names if n.startswith("EPUB/images/")) == [
        "EPUB/images/cover.jpg", "EPUB/images/image-01.png"]


def test_web_page_has_linked_notes_and_the_cover_as_its_preview(news):
    html = news["html"].read_text(encoding="utf-8")
    assert '<meta property="og:image" content="election-results_files/images/' in html
    assert html.count('role="doc-noteref"') == 3 and html.count('role="doc-backlink"') == 3
    assert '<p class="kicker">انتخابات بلدية</p>' in html
    assert '<div class="table-scroll">' in html


@pytest.mark.parametrize("paper, columns", [("a5", 1), ("a4", 2)])
def test_tables_that_fit_are_not_called_wide_on_any_page(tmp_path, paper, columns):
    """The width test shapes the words with HarfBuzz: the fixture's tables fit
    a column of two and an A5 page, and nothing is said of them."""
    import pymupdf
    [r] = build([NEWS], tmp_path, BuildSettings(formats=("pdf",), paper=paper, columns=columns))
    assert r.ok, r.error
    assert not [w for w in r.warnings if "wider than the page" in w.message]
    with pymupdf.open(r.outputs["pdf"]) as pdf:
        for page in pdf:
            assert all(0 <= w[0] and w[2] <= page.rect.width for w in page.get_text("words"))


def test_a_table_one_column_cannot_hold_is_set_across_both(tmp_path):
    # In two columns it was squeezed into one, in smaller type with its words
    # broken, though the page had room across both columns.
    import pymupdf
    word = "المحافظات_الشمالية"
    text = "نص يملأ العمودين قبل الجدول وبعده. " * 40
    src = write_source(tmp_path, f"{text}\n\n| {' | '.join([word] * 4)} |\n|{'---|' * 4}\n"
                                 "| C1 | C2 | C3 | C4 |\n\n" + text + "\n")
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("pdf",), columns=2))
    assert r.ok, r.error
    assert not [w for w in r.warnings if "wider than the page" in w.message]
    with pymupdf.open(r.outputs["pdf"]) as pdf:
        middle = pdf[0].rect.width / 2
        marks = [w for page in pdf for w in page.get_text("words") if w[4] in ("C1", "C4")]
        assert sorted(w[4] for w in marks) == ["C1", "C4"]
        [c1] = [w for w in marks if w[4] == "C1"]
        [c4] = [w for w in marks if w[4] == "C4"]
        assert c1[0] > middle > c4[2]  # the first column on the right, the last on the left


def test_notes_are_numbered_in_the_articles_digits(tmp_path):
    [r] = build([NEWS], tmp_path, BuildSettings(formats=("pdf", "docx", "epub"),
                                                digits="arabic-indic"))
    assert r.ok, r.error
    pages = [_flat(p) for p in pdftotext(r.outputs["pdf"]).split("\f")]
    foot = [p for p in pages if _flat(NOTES[0]) in p][0]
    assert re.search("١" + _flat("النتائج الأولية"), foot)  # the marker before the note
    document = _docx_part(r.outputs["docx"], "word/document.xml")
    assert document.find(".//w:sectPr/w:footnotePr/w:numFmt", NS).get(f"{{{W}}}val") \
        == "hindiNumbers"
    pages_xhtml = _epub_pages(r.outputs["epub"])
    calls = [e.text for root in pages_xhtml.values() for e in root.iter()
             if e.get(f"{{{XHTML['epub']}}}type") == "noteref"]
    assert calls == ["١", "٢", "٣"]
    kicker = [e for root in pages_xhtml.values() for e in root.iter()
              if e.get("class") == "kicker"]
    assert [k.text for k in kicker] == ["انتخابات بلدية"]


def test_a_footnote_holding_a_list_is_read_and_set(tmp_path):
    """A list inside a note has no source line of its own (it was an internal
    failure); it is set as lines of the note."""
    src = write_source(tmp_path, "نص[^1].\n\n[^1]: قائمة:\n\n    - **أ**: بند\n    - ب\n")
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("pdf", "docx", "epub")))
    assert r.ok, r.error
    text = _flat(pdftotext(r.outputs["pdf"]))
    assert _flat("– أ: بند") in text and _flat("– ب") in text
