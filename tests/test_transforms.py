"""The model passes (pipeline/transforms.py): pure functions from a tree to a
tree, tested on small articles read from source."""

from __future__ import annotations

from pipeline.model import BulletList, Heading, Paragraph, Text
from pipeline.reader import parse_article
from pipeline.transforms import (
    WORD_JOINER, article_text, assign_ids, attach_pause_marks, block_direction, images,
    map_inlines, plain_text, split_sections,
)


def _article(body: str, front: str = "title: عنوان"):
    return parse_article(f"---\n{front}\n---\n{body}")


def test_headings_and_questions_get_stable_ids_in_order():
    article = assign_ids(_article("## أ\n\nنص\n\n### ب\n\n::: faq\n### س؟\n\nج\n:::\n"))
    heads = [b.ident for b in article.blocks if isinstance(b, Heading)]
    assert heads == ["s1", "s2"]
    assert article.blocks[-1].entries[0].ident == "q1"
    assert assign_ids(article) == article  # the same ids again


def test_sections_are_cut_before_each_section_heading():
    article = _article("مقدمة\n\n## أ\n\nنص\n\n### فرعي\n\nنص\n\n## ب\n\nنص\n")
    assert [len(part) for part in split_sections(article.blocks)] == [1, 4, 2]


def test_plain_text_and_article_text_hold_what_a_reader_sees():
    article = _article("**غامق** و*مائل* و[رابط](https://example.org) ![صورة](p.png) `code`\n",
                       front="title: عنوان\ndescription: مقدمة\nkeywords: [أ, ب]")
    [paragraph] = article.blocks
    assert plain_text(paragraph.content) == "غامق ومائل ورابط صورة code"
    text = article_text(article)
    assert all(word in text for word in ("عنوان", "مقدمة", "أ ب", "غامق", "صورة", "code"))
    assert [i.src for i in images(article)] == ["p.png"]


def test_a_block_turns_only_when_its_first_and_most_letters_agree():
    assert block_direction((Text("This is an English quotation."),), "rtl") == "ltr"
    assert block_direction((Text("GitHub هو موقع لاستضافة الشيفرة"),), "rtl") is None
    assert block_direction((Text("نص عربي"),), "rtl") is None
    assert block_direction((Text("123 456"),), "rtl") is None


def test_pause_marks_are_joined_to_the_word_before():
    article = attach_pause_marks(_article("قَالَ ۚ إِنِّي ۖ عَبْدُ\n"))
    [paragraph] = article.blocks
    text = paragraph.content[0].text
    assert f"قَالَ{WORD_JOINER}ۚ" in text and " ۚ" not in text and " ۖ" not in text


def test_map_inlines_reaches_every_inline_sequence_and_tells_lists_apart():
    article = _article("## عنوان\n\nفقرة\n\n- **بند**: نص\n\n> اقتباس\n\n::: faq\n### س؟\n\nج\n:::\n")
    seen = []

    def change(content, in_list):
        seen.append((plain_text(content), in_list))
        return content
    assert map_inlines(article, change) == article
    assert ("عنوان", False) in seen and ("فقرة", False) in seen and ("بند", True) in seen
    assert (": نص", True) in seen and ("اقتباس", False) in seen and ("س؟", False) in seen
    assert isinstance(article.blocks[2], BulletList) and isinstance(article.blocks[1], Paragraph)
