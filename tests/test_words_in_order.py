"""Every word of the seed article (its Meta: line aside) appears, in order, in
each output: the PDF's text layer as pdftotext reads it, the DOCX's
word/document.xml and the EPUB's XHTML."""

from __future__ import annotations

import re
import zipfile

from lxml import etree

from conftest import pdftotext
from words import missing_in_order, seed_words, words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return "\n".join(paragraphs)


def epub_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        spine = _spine(z)
        # inline elements (a Latin run's span) join their text; blocks end in newlines
        return "\n".join("".join(etree.fromstring(z.read(name)).itertext()) for name in spine)


def _spine(z: zipfile.ZipFile) -> list[str]:
    opf_name = re.search(rb'full-path="([^"]+)"', z.read("META-INF/container.xml")).group(1)
    opf = etree.fromstring(z.read(opf_name.decode()))
    ns = {"o": "http://www.idpf.org/2007/opf"}
    base = opf_name.decode().rsplit("/", 1)[0] + "/"
    hrefs = {i.get("id"): i.get("href") for i in opf.findall("o:manifest/o:item", ns)}
    return [base + hrefs[r.get("idref")] for r in opf.findall("o:spine/o:itemref", ns)]


def test_pdf_text_layer_has_every_word_in_order(built, seed_text):
    expected = seed_words(seed_text)
    assert len(expected) > 1000
    assert missing_in_order(expected, words(pdftotext(built["pdf"]))) == []


def test_docx_has_every_word_in_order(built, seed_text):
    assert missing_in_order(seed_words(seed_text), words(docx_text(built["docx"]))) == []


def test_epub_has_every_word_in_order(built, seed_text):
    assert missing_in_order(seed_words(seed_text), words(epub_text(built["epub"]))) == []


def test_the_check_catches_a_missing_or_swapped_word(seed_text):
    expected = seed_words(seed_text)
    assert missing_in_order(expected, expected[:500] + expected[501:]) != []
    swapped = expected[:10] + [expected[11], expected[10]] + expected[12:]
    assert missing_in_order(expected, swapped) != []
