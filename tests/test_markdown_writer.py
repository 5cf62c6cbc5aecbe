"""The Markdown writer: any article the reader accepts, written back as
source, reads as the same model, and writing that again gives the same text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import Article, BulletList, ListItem, Meta, OrderedList, Paragraph, Text
from pipeline.reader import read_article
from pipeline.writers.markdown import write

from conftest import BUNDLED, CORPUS, FIXTURES

METACHARACTERS = FIXTURES / "markdown" / "metacharacters.md"
SOURCES = [BUNDLED, METACHARACTERS, *sorted((FIXTURES / "news").glob("*.md"))]


def _corpus() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md") \
        if CORPUS.is_dir() else []


def assert_fixpoint(source: str) -> str:
    article, first = read_article(source)
    written = write(article)
    again, warnings = read_article(written)
    assert again == article
    # nothing new to warn of ("<script>" typed as text warns both times)
    assert [d.message for d in warnings] == [d.message for d in first]
    assert write(again) == written
    return written


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_an_article_written_back_reads_as_the_same_model(path):
    assert_fixpoint(path.read_text(encoding="utf-8"))


def test_every_corpus_text_written_back_reads_as_the_same_model():
    texts = _corpus()
    if not texts:
        pytest.skip(f"the corpus is not at {CORPUS}")
    for path in texts:
        assert_fixpoint(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "C++ [تقنية] _خاص_", "&copy; حرفيًا", "1. ليست قائمة", "# ليس عنوانًا", "::: faq",
    "> ليس اقتباسًا", "- ليست قائمة", "* * *", "---", "===", "| أ | ب |", "{credit=\"x\"}",
    "<b>ليس وسمًا</b>", "https://example.org ليس رابطًا", "\\ شرطة مائلة", "`ليست شيفرة`",
    "~~ليس مشطوبًا~~", "[^1] ليست حاشية", "![ليست صورة](x.png)",
])
def test_text_that_markdown_would_read_as_markup_stays_text(text):
    article = Article(Meta(title=text), (Paragraph((Text(text),)),
                                         BulletList((ListItem((Paragraph((Text(text),)),)),))))
    back, _ = read_article(write(article))
    assert back.meta.title == text
    assert back.blocks[1] == article.blocks[1]
    assert back.blocks[0] == article.blocks[0]


def test_two_lists_in_a_row_stay_two():
    item = ListItem((Paragraph((Text("بند"),)),))
    article = Article(Meta(title="قوائم"), (BulletList((item,)), BulletList((item,)),
                                            OrderedList((item,), start=4),
                                            OrderedList((item,), start=1)))
    assert read_article(write(article))[0] == article


def test_an_address_shown_as_itself_is_written_bare_and_columns_as_typed():
    source = ("---\ntitle: عنوان\n---\n\nراجع https://example.com/a?b=1&c=2#d قبل النشر.\n\n"
              "| أ | ب |\n|:---|---:|\n| 1 | 2 |\n")
    assert assert_fixpoint(source) == source


@pytest.mark.parametrize("value", ["no", "1.10", "null", "2026-05-17", "a: b", "#x", "x #y",
                                   "- x", "[x]", "{x}", "'x'", '"x"', "x:", "!x", "&x", "*x",
                                   "|x", ">x", "%x", "@x", "`x`", "? x", "x, y", "C++ [تقنية]",
                                   "أ\u2028ب", "أ\u2029ب", "\ufeffأ"])
def test_a_front_matter_value_comes_back_as_written(value):
    article = Article(Meta(title=value, keywords=(value, "ب")))
    back = read_article(write(article))[0]
    assert back.meta.title == value and back.meta.keywords == (value, "ب")
