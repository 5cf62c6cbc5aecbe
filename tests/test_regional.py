"""Dates, digits and list numbers by the article's region, from CLDR
(pipeline/regional.py), and the same digits in every format."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.regional import digit_style, format_date, list_marker

from conftest import pdftotext, write_source

DAY = dt.date(2024, 1, 15)


@pytest.mark.parametrize("lang, date, digits", [
    ("ar", "15 يناير 2024", "western"),  # CLDR: plain Arabic is Western
    ("ar-EG", "١٥ يناير ٢٠٢٤", "arabic-indic"),
    ("ar-SA", "١٥ يناير ٢٠٢٤", "arabic-indic"),
    ("ar-SY", "١٥ كانون الثاني ٢٠٢٤", "arabic-indic"),
    ("ar-LB", "١٥ كانون الثاني ٢٠٢٤", "arabic-indic"),
    ("ar-MA", "15 يناير 2024", "western"),
    ("ar-DZ", "15 جانفي 2024", "western"),
    ("ar-TN", "15 جانفي 2024", "western"),
])
def test_locale_table(lang, date, digits):
    assert format_date(DAY, lang) == date
    assert digit_style(lang) == digits


def test_digits_override_the_locale_and_markers_cannot_be_misread():
    assert format_date(DAY, "ar-SY", "western") == "15 كانون الثاني 2024"
    assert format_date(DAY, "ar-MA", "arabic-indic") == "١٥ يناير ٢٠٢٤"
    assert list_marker(1, "ar-EG") == "١-" and list_marker(12, "ar") == "12-"
    assert format_date(DAY, "xx-unknown") == "January 15, 2024"


BODY = "نص فيه الرقم 18 كما كُتب.\n\n1. أول\n2. ثان\n"


@pytest.mark.parametrize("front, digits", [
    ('lang: ar-SY\ndigits: arabic-indic', "arabic-indic"),
    ('lang: ar-SY', "western"),  # the body's "18": its digits, not the language's
    ('lang: ar-MA', "western"),
    ('lang: ar-SY\ndigits: western', "western"),
])
def test_every_format_shows_the_same_digits(tmp_path, front, digits):
    src = write_source(tmp_path, BODY, front=f'title: "عنوان"\ndate: 2024-01-15\n{front}')
    [r] = build([src], tmp_path, BuildSettings(formats=("pdf", "docx", "epub", "html")))
    assert r.ok, r.error
    one, fifteen = ("١", "١٥") if digits == "arabic-indic" else ("1", "15")
    # PDF: the folio, the list markers and the date; the body's "18" untouched
    text = pdftotext(r.outputs["pdf"])
    lines = [ln.strip("\u202a\u202b\u202c ") for ln in text.splitlines()]
    assert one in lines  # the folio
    assert re.search(rf"{one}\s*-|-\s*{one}", text)  # the first list marker, with its hyphen
    assert fifteen in text and "18" in text
    # DOCX: numbering and page numbers in those digits, the byline's date
    with zipfile.ZipFile(r.outputs["docx"]) as z:
        numbering = z.read("word/numbering.xml").decode()
        document = z.read("word/document.xml").decode()
    fmt = "hindiNumbers" if digits == "arabic-indic" else "decimal"
    assert f'w:numFmt w:val="{fmt}"' in numbering and 'w:lvlText w:val="%1-"' in numbering
    assert f'w:pgNumType w:fmt="{fmt}"' in document and fifteen in document
    # EPUB and HTML: the list's class picks the stylesheet's counter style
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        pages = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    assert f'<ol class="digits-{digits}">' in pages and fifteen in pages
    assert "@counter-style arabic-indic-dash" in css
    html = r.outputs["html"].read_text(encoding="utf-8")
    assert f'<ol class="digits-{digits}">' in html and fifteen in html
