"""Every word of the seed article (its Meta: line aside) appears, in order, in
each output: the PDF's text layer as pdftotext reads it, the DOCX's
word/document.xml and the EPUB's XHTML."""

from __future__ import annotations

from conftest import pdftotext
from judges import docx_text, epub_text
from words import missing_in_order, seed_words, words


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
