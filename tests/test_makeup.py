"""Page makeup as a newspaper prints it, measured on the built PDFs: the notes
under one short rule on the start side with raised numbers, one digit system
a page, short tables whole, headings with their text, two columns that flow
and pages that run to the foot of the text block."""

from __future__ import annotations

import subprocess

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.pages import PAPERS, layout
from pipeline.regional import number as in_digits

from conftest import BUNDLED, FIXTURES, require_tool

MM = 72 / 25.4
NEWS = FIXTURES / "news" / "election-results.md"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"


def _open(path):
    import pymupdf
    return pymupdf.open(str(path))


def _build(source, folder, **settings):
    [r] = build([source], folder, BuildSettings(formats=("pdf",), force=True, **settings))
    assert r.ok, r.error
    return r


def _spans(page):
    """Every text span of a page: (bbox, origin, text, size)."""
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for s in line["spans"]:
                if s["text"].strip():
                    out.append((tuple(s["bbox"]), tuple(s["origin"]), s["text"].strip(),
                                s["size"]))
    return out


def _rules(page, top: float, bottom: float):
    """Horizontal grey or black runs drawn between ``top`` and ``bottom`` (points):
    (y, x0, x1) of each row of pixels that holds one over 5 pt long."""
    import pymupdf
    zoom = 4
    clip = pymupdf.Rect(0, top, page.rect.width, bottom)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, colorspace="gray")
    rows = []
    for y in range(pix.height):
        row = pix.samples[y * pix.stride:y * pix.stride + pix.width]
        dark = [x for x, v in enumerate(row) if v < 200]
        if not dark:
            continue
        # the longest run of touching dark pixels
        best, start = (0, 0, 0), dark[0]
        for a, b in zip(dark, dark[1:] + [None]):
            if b != a + 1:
                if a - start > best[0]:
                    best = (a - start, start, a)
                start = b
        if best[0] / zoom > 5 * 8:  # longer than eight em dashes of text: a rule
            rows.append((top + y / zoom, best[1] / zoom, best[2] / zoom))
    rules, last = [], None
    for y, x0, x1 in rows:  # rows a pixel apart are one rule
        if last is not None and y - last < 1.5:
            last = y
            continue
        rules.append((y, x0, x1))
        last = y
    return rules


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    out = {}
    for columns in (1, 2):
        folder = tmp_path_factory.mktemp(f"news-{columns}")
        out[columns] = _build(NEWS, folder, columns=columns).outputs["pdf"]
    return out


@pytest.mark.parametrize("columns", (1, 2))
def test_the_notes_stand_under_one_short_rule_on_the_start_side(news, columns):
    measure = layout("a4", columns)
    with _open(news[columns]) as pdf:
        page = pdf[0]
        spans = _spans(page)
        notes = [s for s in spans if "الأولية تشمل" in s[2]]
        assert notes, "the first note is on page 1"
        note_top = notes[0][0][1]
        # the rule tops the note area, 1.5 mm over the first note; all under it
        rules = _rules(page, note_top - 3 * MM, note_top)
        assert len(rules) == 1, rules  # one rule, none stray under the notes
        [(y, x0, x1)] = rules
        block_right = page.rect.width - measure.inner_mm * MM  # page 1: a left page, bound right
        block = (PAPERS["a4"].width_mm - measure.inner_mm - measure.outer_mm) * MM
        assert abs(x1 - block_right) < 2  # on the start (right) side of the text block
        assert 0.28 * block < x1 - x0 < 0.4 * block  # about a third of the measure
        below = _rules(page, note_top, page.rect.height)
        assert below == [], below


def test_note_numbers_are_raised_at_the_call_and_before_the_note(news):
    with _open(news[1]) as pdf:
        spans = _spans(pdf[0])
    note = next(s for s in spans if "الأولية تشمل" in s[2])
    marker = [s for s in spans if s[2] == "1" and abs(s[0][1] - note[0][1]) < note[3]]
    assert marker, "the note's number stands on its first line"
    assert marker[0][3] < note[3] * 0.9  # smaller
    assert marker[0][1][1] < note[1][1] - 1  # its baseline over the note's


DIGITS_SOURCE = """---
title: نسبة المشاركة ٥٨ في المئة
description: النتائج في ٣ دوائر
author: مكتب المدينة
date: 2026-05-17
{front}---

فاز المرشحون بـ ١٢ مقعدًا من ٢٤، بعد فرز دام ١٨ ساعة[^a] في Wi-Fi 7 وiOS 18.

## ثم

""" + "\n\n".join(["نص يملأ الصفحة " * 60] * 8) + """

[^a]: أعيد العد في ٣ صناديق.
"""


def _digits_of(pdf_path):
    """The folios, note numbers and byline of a PDF: what the pipeline wrote."""
    with _open(pdf_path) as pdf:
        folios = [page.get_text("words")[-1][4] for page in pdf]
        spans = _spans(pdf[0])
    byline = next(s[2] for s in spans if "مكتب المدينة" in s[2] or "مايو" in s[2])
    note = next(s[2] for s in spans if s[3] < 9 and s[2].strip("0123456789٠١٢٣٤٥٦٧٨٩") == "")
    return folios, note, byline


@pytest.mark.parametrize("front, system", [("", ARABIC_INDIC), ("lang: ar-EG\n", ARABIC_INDIC),
                                           ("digits: western\n", "0123456789")])
def test_the_pipelines_digits_follow_the_bodys_when_no_setting_names_them(tmp_path, front,
                                                                         system):
    source = tmp_path / "article.md"
    source.write_text(DIGITS_SOURCE.format(front=front), encoding="utf-8")
    folios, note, byline = _digits_of(_build(source, tmp_path / "out").outputs["pdf"])
    written = "".join(folios) + note + "".join(ch for ch in byline if ch.isdigit())
    assert len(folios) >= 2 and written and all(ch in system for ch in written), \
        (folios, note, byline)


def test_a_body_in_western_digits_sets_western_folios_in_a_language_of_arabic_indic(tmp_path):
    text = DIGITS_SOURCE.translate(str.maketrans(ARABIC_INDIC, "0123456789"))
    source = tmp_path / "article.md"
    source.write_text(text.format(front="lang: ar-EG\n"), encoding="utf-8")
    folios, note, byline = _digits_of(_build(source, tmp_path / "out").outputs["pdf"])
    written = "".join(folios) + note + "".join(ch for ch in byline if ch.isdigit())
    assert all(ch in "0123456789" for ch in written), (folios, note, byline)


def _table_source(paragraphs: int, rows: int) -> str:
    filler = "\n\n".join(f"فقرة رقم {'ا' * (k % 5 + 1)} تملأ الصفحة بكلام عادي " * 6
                         for k in range(paragraphs))
    table = "| الدائرة المعنية | المقاعد |\n|---|---:|\n" + "".join(
        f"| دائرة{'ب' * (r + 1)} | {r} |\n" for r in range(rows))
    return f"---\ntitle: جدول قصير\n---\n\n{filler}\n\n{table}\nنص بعد الجدول.\n"


def _table_places(pdf_path, rows: int):
    """(page, column side) of the table's header and of each of its rows."""
    places = []
    with _open(pdf_path) as pdf:
        for number, page in enumerate(pdf):
            middle = page.rect.width / 2
            for x0, y0, x1, y1, word, *_ in page.get_text("words"):
                if word == "المعنية" or (word.startswith("دائرة") and word.endswith("ب")):
                    places.append((number, (x0 + x1) / 2 > middle))
    assert len(places) >= rows + 1, places  # more: the header repeated over a break
    return places


@pytest.mark.parametrize("paper, columns", [("a5", 1), ("a4", 2)])
def test_a_table_of_ten_rows_or_fewer_stands_on_one_page_and_in_one_column(
        tmp_path, paper, columns):
    split = []
    for rows in (5, 10):
        for paragraphs in range(2, 13):
            source = tmp_path / f"t{rows}-{paragraphs}.md"
            source.write_text(_table_source(paragraphs, rows), encoding="utf-8")
            pdf = _build(source, tmp_path / "out", paper=paper, columns=columns).outputs["pdf"]
            places = _table_places(pdf, rows)
            if len(set(places if columns == 2 else [p for p, _ in places])) > 1:
                split.append((rows, paragraphs, places))
    assert split == []


def test_a_table_of_eleven_rows_may_split_between_rows_with_its_header_repeated(tmp_path):
    # many tries: one of them puts a page break inside the table
    headers = 0
    for paragraphs in range(2, 13):
        source = tmp_path / f"t{paragraphs}.md"
        source.write_text(_table_source(paragraphs, 40), encoding="utf-8")
        pdf = _build(source, tmp_path / "out", paper="a5").outputs["pdf"]
        with _open(pdf) as document:
            pages = [p.get_text() for p in document]
        headers = max(headers, sum("المعنية" in p for p in pages))
    assert headers >= 2


def _luminance(rgb) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_epub_covers_deck_reads_at_four_and_a_half_to_one_over_a_light_photo(tmp_path):
    import subprocess
    import zipfile

    from PIL import Image

    from conftest import require_tool

    # the worst photo for light type: a white sky
    Image.new("RGB", (1200, 900), (250, 250, 250)).save(tmp_path / "sky.png")
    source = tmp_path / "article.md"
    source.write_text("---\ntitle: قائمتان تتقاسمان المجلس البلدي\ndescription: نسبة المشاركة "
                      "ترتفع إلى ٥٨ في المئة، والمستقلون يخسرون نصف مقاعدهم\ncover: sky.png\n"
                      "---\n\nنص.\n", encoding="utf-8")
    [r] = build([source], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert r.ok, r.error
    book = tmp_path / "book"
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        z.extractall(book)
    [page] = book.rglob("cover.xhtml")
    chromium = require_tool("chromium", "apt-get install chromium")
    shot = tmp_path / "cover.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                    "--hide-scrollbars", "--force-device-scale-factor=1",
                    "--window-size=800,1200", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    with Image.open(shot) as rendered:
        rendered = rendered.convert("RGB")
        width, height = rendered.size
        pixels = rendered.load()
        # the gold rule under the headline; the deck's first line under it
        rule = next(y for y in range(height) for x in range(width // 5, width * 4 // 5, 4)
                    if (lambda p: p[0] > 170 and 130 < p[1] < 190 and p[2] < 90)(pixels[x, y]))
        band = [pixels[x, y] for y in range(rule + 20, min(height, rule + 110))
                for x in range(width // 5, width * 4 // 5, 2)]  # the page's margins aside
    lights = sorted(_luminance(p) for p in band)
    ground = lights[len(lights) // 2]  # most of the band is the ground under the type
    ink = lights[int(len(lights) * 0.995)]  # the deck's strokes, the lightest
    assert ink > ground * 2, "the deck is drawn in the band"
    assert (ink + 0.05) / (ground + 0.05) >= 4.5, (ink, ground)


def test_note_numbers_are_raised_on_the_web_page_and_in_the_epub(tmp_path):
    """Chromium prints the web page and the EPUB's text page; the number before
    each note stands smaller and higher than the note's words, as in the PDF."""
    import subprocess
    import zipfile

    from conftest import require_tool

    chromium = require_tool("chromium", "apt-get install chromium")
    [r] = build([NEWS], tmp_path / "out", BuildSettings(formats=("html", "epub")))
    assert r.ok, r.error
    book = tmp_path / "book"
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        z.extractall(book)
    [chapter] = [p for p in book.rglob("*.xhtml") if "الأولية تشمل" in p.read_text("utf-8")]
    for number, page in enumerate((r.outputs["html"], chapter)):
        printed = tmp_path / f"printed-{number}.pdf"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                        f"--print-to-pdf={printed}", page.as_uri()],
                       capture_output=True, timeout=120)
        with _open(printed) as pdf:
            spans = [s for p in pdf for s in _spans(p)]
        note = next(s for s in spans if "الأولية تشمل" in s[2])
        marker = [s for s in spans if s[2] == "1" and abs(s[0][1] - note[0][1]) < note[3]]
        assert marker, (page.name, "the note's number stands on its first line")
        assert marker[0][3] < note[3] * 0.9, page.name  # smaller
        assert marker[0][1][1] < note[1][1] - 1, page.name  # its baseline over the note's


def test_config_says_the_digits_come_from_the_articles_numbers(tmp_path):
    import subprocess
    import sys

    source = tmp_path / "article.md"
    source.write_text(DIGITS_SOURCE.format(front=""), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline", "config", str(source)],
                         capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    [digits] = [line.split(None, 2) for line in out.splitlines() if line.startswith("digits")]
    assert digits[1:] == ["arabic-indic",
                          "default (the digits the article's numbers are written in)"]


def test_a_signed_number_in_a_table_keeps_its_sign_before_it(tmp_path):
    """"-24.1%" in a right-to-left cell: the minus stands left of the digits
    as written, not after the number where UAX #9 alone would set it."""
    source = tmp_path / "signed.md"
    source.write_text("---\ntitle: أرقام\nlang: ar\n---\n\n| الباب | التغير |\n|---|---:|\n"
                      "| المباني | -24.1% |\n| الطرق | +3.5% |\n", encoding="utf-8")
    _build(source, tmp_path / "out")
    with _open(tmp_path / "out" / "signed.pdf") as doc:
        chars = [(c["c"], c["bbox"][0]) for b in doc[0].get_text("rawdict")["blocks"]
                 for line in b.get("lines", []) for s in line["spans"] for c in s["chars"]]
    for sign, digit in (("-", "2"), ("+", "3")):
        sign_x = next(x for c, x in chars if c == sign)
        digit_x = next(x for c, x in chars if c == digit)
        assert sign_x < digit_x, (sign, sign_x, digit_x)


@pytest.mark.parametrize("paper, columns", [("a4", 1), ("a4", 2), ("a5", 1)])
def test_a_sixty_column_table_stands_inside_the_text_block_with_every_cell(tmp_path, paper,
                                                                          columns):
    """No type helps 60 columns onto a page: each row is set as "header:
    value" lines, every one inside the text block, and the build says so."""
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    heads = [f"بند{letters[k // 28]}{letters[k % 28]}" for k in range(60)]
    rows = [[in_digits(f"{r}{k}", "ar", "arabic-indic") for k in range(60)] for r in range(1, 4)]
    source = tmp_path / "wide.md"
    source.write_text(
        "---\ntitle: جدول عريض\nlang: ar\n---\n\nفقرة قبل الجدول.\n\n"
        + "| " + " | ".join(heads) + " |\n" + "|---" * 60 + "|\n"
        + "".join("| " + " | ".join(row) + " |\n" for row in rows)
        + "\nفقرة بعد الجدول.\n", encoding="utf-8")
    result = _build(source, tmp_path / "out", paper=paper, columns=columns)
    assert any("60 columns" in str(d) and "'header: value'" in str(d)
               for d in result.warnings), result.warnings
    measure = layout(paper, columns)
    with _open(tmp_path / "out" / "wide.pdf") as doc:
        for number, page in enumerate(doc, start=1):
            left_page = number % 2 == 1
            left = (measure.outer_mm if left_page else measure.inner_mm) * MM
            right = page.rect.width - (measure.inner_mm if left_page else measure.outer_mm) * MM
            for x0, y0, x1, y1, text, *_ in page.get_text("words"):
                if y0 > measure.top_mm * MM:  # the folio and running head aside
                    assert left - 0.5 <= x0 and x1 <= right + 0.5, (number, text, x0, x1)
    pdftotext = require_tool("pdftotext", "apt-get install poppler-utils")
    text = subprocess.run([pdftotext, str(tmp_path / "out" / "wide.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    fields = {(head, cell) for row in rows for head, cell in zip(heads, row)}
    read = set()
    for line in text.splitlines():  # each field a line: its label and value on it
        tokens = "".join(ch if ch.isalnum() else " " for ch in line).split()
        if len(tokens) == 2:
            read.add(tuple(sorted(tokens, key=lambda t: not t.startswith("بند"))))
    assert fields <= read, sorted(fields - read)[:5]
