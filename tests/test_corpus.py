"""Real Arabic articles written by others (../shared/corpus): nested and numbered
lists, full diacritics, emoji, Latin words inside Arabic. Skipped when the
corpus is not beside the project."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from judges import SHIPPED_FAMILIES, assert_clean, docx_text, epub_text, epubcheck, family, pdffonts
from words import missing_in_order, source_words, words

ARTICLES = sorted(p.name for p in CORPUS.glob("*.md") if p.name != "SOURCES.md") \
    if CORPUS.is_dir() else []


@pytest.fixture(scope="module")
def corpus_builds(article_build):
    if not ARTICLES:
        pytest.skip(f"the corpus is not at {CORPUS}")
    return {name: article_build(CORPUS / name) for name in ARTICLES}


@pytest.mark.parametrize("name", ARTICLES)
def test_builds_without_warnings(corpus_builds, name):
    result = corpus_builds[name]
    assert result.ok, result.error
    assert result.warnings == []  # every character has a shipped font


@pytest.mark.parametrize("name", ARTICLES)
def test_docx_is_in_schema_order(corpus_builds, name):
    from schema_order import assert_schema_order
    assert_schema_order(corpus_builds[name].outputs["docx"])


@pytest.mark.parametrize("name", ARTICLES)
def test_docx_and_epub_keep_every_word_in_order(corpus_builds, name):
    result = corpus_builds[name]
    expected = source_words((CORPUS / name).read_text(encoding="utf-8"))
    assert missing_in_order(expected, words(docx_text(result.outputs["docx"]))) == []
    assert missing_in_order(expected, words(epub_text(result.outputs["epub"]))) == []


@pytest.mark.parametrize("name", ARTICLES)
def test_epubcheck_clean(corpus_builds, name):
    assert_clean(epubcheck(corpus_builds[name].outputs["epub"]))


@pytest.mark.parametrize("name", ARTICLES)
def test_pdf_uses_only_shipped_fonts(corpus_builds, name):
    rows = pdffonts(corpus_builds[name].outputs["pdf"])
    assert rows and all(row["emb"] == "yes" and row["sub"] == "yes" for row in rows)
    assert {family(row["name"]) for row in rows} <= SHIPPED_FAMILIES
