"""Left-to-right runs inside Arabic (pipeline/bidi.py): found, isolated across
formatting, and list items that keep their list's direction."""

from __future__ import annotations

import pytest

from pipeline.bidi import isolate_runs, ltr_runs
from pipeline.building.builder import load_article
from pipeline.model import BulletList, Isolate, Link, Paragraph, Strong, Text

from conftest import write_source


@pytest.mark.parametrize("text, runs", [
    ("مدير الحزم Node.js Package Manager في", ["Node.js Package Manager"]),
    ("وفق التوجيه 96/9/EC الأوروبي.", ["96/9/EC"]),
    ("تابع @benbalter.", ["@benbalter"]),
    ("وكذلك @-maintainer، و", ["@-maintainer"]),
    ("مثل MIT, Apache 2.0، ISC", ["MIT, Apache 2.0", "ISC"]),
    ("Node Package Manager (npm). ثم", ["Node Package Manager (npm)"]),
    ("(Node و npm)", ["Node", "npm"]),  # a bracket whose partner is outside stays Arabic
    ("فيها %sب", ["%s"]),  # a token mixing scripts is cut where the script changes
    ("سنة 2024 هنا", []),  # digits alone read left to right already
    ("نص عربي فقط", []),
    # the edges: punctuation and spaces around a run are the sentence's
    ("المصدر: Reuters", ["Reuters"]),
    ("للمشروع, like PyPA's contributors did، و", ["like PyPA's contributors did"]),
    ("استخدم GitHub، ثم", ["GitHub"]),
    ("آبل تكشف عن iPhone 16 Pro الجديد", ["iPhone 16 Pro"]),
    ("بسعر 999 USD وتعد", ["999 USD"]),
    ('وكالة "Reuters" قالت', ['"Reuters"']),
    ("راجع https://example.com/a-b?ref=home&utm=wire#top هنا",
     ["https://example.com/a-b?ref=home&utm=wire#top"]),
    ("قالب {{ 7*7 }} خطر", ["{{ 7*7 }}"]),
    ("وسم <script>alert(1)</script> خطر", ["<script>alert(1)</script>"]),
    ("لغة C++ و C# و x*y هنا", ["C++", "C#", "x*y"]),
    ("الساعة 10:30 صباحا", []),
    ("زيادة 50% في Q3.", ["Q3"]),
    ("زار المقهى cafe\u0301 أمس.", ["cafe\u0301"]),  # an accent stays on its letter
    ("المساحة 100 m² فقط.", ["100 m²"]),
    ("غاز CO₂ هنا", ["CO₂"]),
    ("المعادلة abc (1*2) هنا.", ["abc (1*2)"]),
    ("قال ((hello) نص) ثم.", ["(hello)"]),  # the outer pair holds Arabic: it stays out
    ("بسعر USD $5 فقط", ["USD $5"]),
    # a number's own sign stands before it, not after it as UAX #9 alone sets it
    ("-24.1%", ["-24.1%"]),
    ("انخفض بنسبة -3.5% و+2 نقطة (−7) هنا", ["-3.5%", "+2", "(−7)"]),
    ("من 5-10 أيام", []),  # a range, no sign
])
def test_runs(text, runs):
    assert [text[a:b] for a, b in ltr_runs(text)] == runs


def test_a_run_crosses_strong_and_links():
    content = (Text("مدير الحزم Node.js "), Strong((Text("Package"),)), Text(" Manager في عملهم"))
    out = isolate_runs(content)
    assert out[0] == Text("مدير الحزم ")
    assert out[1] == Isolate((Text("Node.js "), Strong((Text("Package"),)), Text(" Manager")))
    assert out[2] == Text(" في عملهم")
    link = (Link((Text("دليل GitHub Explore"),), "https://github.com/explore"),)
    [arabic, run] = isolate_runs(link)
    assert arabic == Link((Text("دليل "),), "https://github.com/explore")
    assert run == Isolate((Link((Text("GitHub Explore"),), "https://github.com/explore"),))


def test_an_english_list_item_stays_in_the_list(tmp_path):
    article = load_article(write_source(tmp_path, "- GitHub Explore\n- بند عربي\n"))
    [lst] = article.blocks
    assert isinstance(lst, BulletList)
    [first] = lst.items[0].blocks
    assert isinstance(first, Paragraph) and first.content == (Isolate((Text("GitHub Explore"),)),)


def test_an_english_paragraph_still_reads_left_to_right(tmp_path):
    article = load_article(write_source(tmp_path, "Why I love contributing to open source.\n"))
    [paragraph] = article.blocks
    assert paragraph.content == (Text("Why I love contributing to open source."),)


def test_a_pause_mark_joins_the_word_before_it(tmp_path):
    article = load_article(write_source(tmp_path, "عَيْنًا ۖ فَإِمَّا\n"))
    assert article.blocks[0].content == (Text("عَيْنًا\u2060ۖ فَإِمَّا"),)


def test_a_run_is_found_in_linear_time():
    """Brackets after a run were counted again for each one (800 KB: 143 s)."""
    import time
    started = time.perf_counter()
    ltr_runs("قال a" + "()" * 200_000)
    ltr_runs("(" * 200_000 + "a" + ")" * 200_000)
    assert time.perf_counter() - started < 20  # seconds; quadratic took minutes


def test_an_address_is_one_run_and_shows_as_typed(tmp_path):
    """A bare address is a link and one left-to-right run, Arabic in its path
    included; an internationalised host shows as typed; an invisible mark
    inside an address makes it no link (it would point elsewhere)."""
    article = load_article(write_source(tmp_path, (
        "انظر https://ar.wikipedia.org/wiki/مصر هنا. "
        "و https://xn--mgbh0fb.xn--kgbechtv/ و https://example.com\u200f/x ثم.\n")))
    [paragraph] = article.blocks
    isolates = [n for n in paragraph.content if isinstance(n, Isolate)]
    first = isolates[0].children[0]
    assert isinstance(first, Link) and first.children == (Text("https://ar.wikipedia.org/wiki/مصر"),)
    second = isolates[1].children[0]
    assert isinstance(second, Link) and second.children == (
        Text("https://xn--mgbh0fb.xn--kgbechtv/"),)
    assert not any(isinstance(c, Link) for n in isolates[2:] for c in n.children)
