"""The reader: the bundled article's structure and the front matter's checks."""

from __future__ import annotations

import pytest

from pipeline.building.builder import load_article
from pipeline.errors import PipelineError
from pipeline.model import BulletList, Faq, Heading, OrderedList, Paragraph, Strong, Text
from pipeline.reader import decode_source, parse_article

from conftest import BUNDLED, write_source


def _all_items(blocks):
    for b in blocks:
        if isinstance(b, (BulletList, OrderedList)):
            for item in b.items:
                yield item
                yield from _all_items(item.blocks)


def test_bundled_article_structure():
    article = load_article(BUNDLED)
    headings = [b for b in article.blocks if isinstance(b, Heading)]
    assert len(headings) == 14
    assert {h.level for h in headings} == {2, 3}
    leads = [i for i in _all_items(article.blocks) if i.lead]
    assert len(leads) == 16
    [faq] = [b for b in article.blocks if isinstance(b, Faq)]
    assert len(faq.entries) == 4
    assert all(e.answer for e in faq.entries)
    assert article.meta.title == "لقاء نتنياهو وبلينكن: القدس محور المحادثات"
    assert article.meta.lang == "ar" and article.meta.dir == "rtl"
    assert len({h.ident for h in headings}) == 14


def test_lead_term_is_split_from_item_text():
    article = parse_article("---\ntitle: t\n---\n- **الوضع**: ناقش الطرفان\n- عادي\n")
    [lst] = article.blocks
    first, second = lst.items
    assert first.lead == (Text("الوضع"),)
    assert first.blocks == (Paragraph((Text(": ناقش الطرفان"),)),)
    assert second.lead is None


def test_nested_and_numbered_lists():
    article = parse_article("---\ntitle: t\n---\n3. أ\n   - ب\n     - ج\n4. د\n")
    [ol] = article.blocks
    assert isinstance(ol, OrderedList) and ol.start == 3 and len(ol.items) == 2
    inner = ol.items[0].blocks[1]
    assert isinstance(inner, BulletList)
    assert isinstance(inner.items[0].blocks[1], BulletList)


def test_inline_markup():
    article = parse_article("---\ntitle: t\n---\n**غامق** و*مائل* و[رابط](https://example.org)\n")
    [p] = article.blocks
    kinds = [type(n).__name__ for n in p.content]
    assert kinds == ["Strong", "Text", "Emphasis", "Text", "Link"]
    assert p.content[4].target == "https://example.org"


def test_faq_container():
    src = "---\ntitle: t\n---\n::: faq\n### سؤال؟\n\nجواب.\n\n### ثان؟\n\nجواب ثان.\n:::\n"
    [faq] = parse_article(src).blocks
    assert [e.question for e in faq.entries] == [(Text("سؤال؟"),), (Text("ثان؟"),)]


def test_faq_without_question_is_refused():
    with pytest.raises(PipelineError) as exc:
        parse_article("---\ntitle: t\n---\n::: faq\nجواب بلا سؤال.\n:::\n")
    assert "question" in str(exc.value) and exc.value.diagnostic.line == 5


def test_raw_html_is_text():
    [p] = parse_article("---\ntitle: t\n---\nنص <script>alert(1)</script>\n").blocks
    assert p.content == (Text("نص <script>alert(1)</script>"),)


@pytest.mark.parametrize("value", ["no", "yes", "1.10", "null_", "on"])
def test_scalar_titles_stay_text(value):
    article = parse_article(f"---\ntitle: {value}\n---\nنص\n")
    assert article.meta.title == value


def test_broken_front_matter_names_file_and_line(tmp_path):
    path = write_source(tmp_path, "نص\n", front='title: "t"\ndescription: [غير مغلق')
    with pytest.raises(PipelineError) as exc:
        load_article(path)
    d = exc.value.diagnostic
    assert d.path == str(path) and d.line in (3, 4)
    assert str(exc.value).startswith(f"{path}:{d.line}:")


def test_unknown_key_suggests_the_right_one():
    with pytest.raises(PipelineError) as exc:
        parse_article("---\ntitle: t\ndescripton: x\n---\nنص\n")
    assert "did you mean 'description'" in str(exc.value)
    assert exc.value.diagnostic.line == 3


@pytest.mark.parametrize("front, words", [
    ("title: t\ntitle: u", "duplicate key"),
    ("title: !!python/object/apply:os.system ['true']", "tag not allowed"),
    ("a: &x [1]\ntitle: *x", "aliases are not allowed"),
    ("description: x", "no 'title'"),
    ('title: ""', "'title' is empty"),
    ("title: [a, b]", "must be text"),
    ("title: t\ndate: 2024-13-40", "ISO 8601"),
    ("title: t\ndir: up", "'dir' must be"),
    ("title: t\npaper: b5", "'paper' must be a4 or a5 or letter, not 'b5'"),
    ('title: "\\ud800"', "SURROGATE"),
])
def test_front_matter_refusals(front, words):
    with pytest.raises(PipelineError) as exc:
        parse_article(f"---\n{front}\n---\nنص\n")
    assert words in str(exc.value)
    assert exc.value.diagnostic.line is not None


def test_front_matter_types():
    article = parse_article("---\ntitle: t\ndate: 2024-06-11\nkeywords: أ، ب, ج\n---\nنص\n")
    assert article.meta.date.isoformat() == "2024-06-11"
    assert article.meta.keywords == ("أ", "ب", "ج")


def test_missing_and_unclosed_front_matter():
    with pytest.raises(PipelineError, match="no front matter"):
        parse_article("# عنوان\n")
    with pytest.raises(PipelineError, match="empty"):
        parse_article("  \n")


def test_source_decoding():
    assert decode_source("\ufeff---\r\ntitle: t\r\n---\r\n".encode()) == "---\ntitle: t\n---\n"
    with pytest.raises(PipelineError, match="offset 13") as exc:
        decode_source(b"---\ntitle: t\n\xff---\n")
    assert exc.value.diagnostic.line == 3
    with pytest.raises(PipelineError, match="U\\+001B") as exc:
        decode_source("---\ntitle: t\n---\nنص\x1b\n".encode())
    assert (exc.value.diagnostic.line, exc.value.diagnostic.column) == (4, 3)


def test_strong_in_heading_is_kept():
    [h] = parse_article("---\ntitle: t\n---\n## عنوان **مهم**\n").blocks
    assert isinstance(h.content[1], Strong)


def test_markdown_the_format_does_not_have_is_named_with_its_line():
    from pipeline.reader import read_article
    source = ("---\ntitle: t\n---\n\n| أ | ب |\n|---|---|---|\n| 1 | 2 |\n\n"
              "نص مع حاشية[^1] و~~مشطوب~~ و<b>وسم</b>.\n\nمصطلح\n: تعريفه\n\n"
              "```\n| a | b |\n|---|---|\n~~code~~ <b> [^2]\n```\n")
    _, warnings = read_article(source)
    found = {(d.message.split(":")[0], d.line) for d in warnings}
    assert found == {("this table does not parse", 6), ("footnote [^1] has no note", 9),
                     ("raw HTML is not part of the source format", 9),
                     ("a definition list is not part of the source format", 12)}
    assert all(d.severity == "warning" and d.hint for d in warnings)
    _, none = read_article("---\ntitle: t\n---\n\nنص عادي فيه 3 < 5 و a|b.\n")
    assert none == []


def test_cells_past_the_header_are_named_with_their_line():
    """A pipe table leaves out a row's cells past its header's count (GFM):
    each such row is a warning with its line, not a silent loss."""
    from pipeline.reader import read_article
    source = ("---\ntitle: t\n---\n\n| أ | ب |\n|---|---|\n| ١ | ٢ | ٣ | ٤ |\n| ٥ | ٦ |\n"
              "| ٧ | a \\| b |\n\n> | س |\n> |---|\n> | ١ | ٢ |\n")
    article, warnings = read_article(source)
    assert [(d.line, d.message) for d in warnings] == [
        (7, "this table row has 4 cells and its header 2: the 2 past the header are left out"),
        (13, "this table row has 2 cells and its header 1: the 1 past the header are left out")]
    assert all(d.severity == "warning" and d.hint for d in warnings)


@pytest.mark.parametrize("braces, credit, warned", [
    ('{credit="تصوير: فلان\nالفلاني"}', "تصوير: فلان الفلاني", None),  # wrapped onto a second line
    ("{credit='تصوير: فلان'}", "تصوير: فلان", None),  # single quotes
    ('{credit="وكالة {أ}"}', "وكالة {أ}", None),  # braces inside the value
    ('{credit="أ" credit="ب"}', "ب", "image attribute 'credit' is given twice: the last is used"),
    ('{credit="أ" width=3}', "أ", "image attribute 'width' is not used"),
    ('{credit="أ" ?}', "أ", "the image's braces hold '?'"),
])
def test_a_figures_braces_are_read_as_written(braces, credit, warned):
    from pipeline.model import Figure, Text
    from pipeline.reader import read_article
    article, warnings = read_article(f'---\ntitle: t\n---\n\n![صورة](p.png "تعليق"){braces}\n')
    [figure] = article.blocks
    assert isinstance(figure, Figure) and figure.credit == (Text(credit),)
    assert [d.message[:len(warned)] for d in warnings] == ([warned] if warned else [])


def test_a_note_call_in_a_caption_is_named():
    from pipeline.reader import read_article
    _, warnings = read_article('---\ntitle: t\n---\n\n![صورة](p.png "تعليق[^1]")\n\n[^1]: حاشية\n')
    assert any(d.message == "a footnote call in a caption is not read: [^1] prints as written"
               and d.line == 5 for d in warnings), warnings


def test_an_override_inside_a_code_span_is_closed_there():
    """An RLO typed in a code span reversed the rest of the line in
    LibreOffice ("5678" read "8765"): it is closed at the span's end, warned."""
    from pipeline.model import Code
    from pipeline.reader import read_article
    article, warnings = read_article(
        "---\ntitle: t\n---\n\nالمبلغ `1234 USD\u202e` ثم 5678 هنا.\n")
    [code] = [n for n in article.blocks[0].content if isinstance(n, Code)]
    assert code.text == "1234 USD\u202e\u202c"
    assert [(d.line, d.message) for d in warnings] == [
        (5, "unbalanced bidi control U+202E RIGHT-TO-LEFT OVERRIDE left open: "
            "closed at the end of the code span")]
