"""Latin and Arabic at their boundaries, on a wire story of our own
(tests/fixtures/news/wire-story.md): the colon, comma and space around a Latin
run stay Arabic; the headline's Latin is isolated like the body's; an address
is one run, a link, and breaks only where a reader expects; the byline's
separator is no digit; a typed tatweel stays a tatweel — in the PDF, the DOCX,
the EPUB and the web page."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline.bidi import LRI, PDI

from conftest import FIXTURES, require, require_tool
from words import source_words, words

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
import readers  # noqa: E402

WIRE = FIXTURES / "news" / "wire-story.md"
URL = "https://example.com/tech/apple-iphone-16-pro-markets-analysis?ref=home&utm=wire#details"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What may stand at the edge of a left-to-right run only when it is its own:
# spaces, and punctuation that belongs to the sentence around it.
_NOT_ITS_OWN_EDGE = re.compile(r"^[\s.,:;!?،؛؟]|[\s.,:;!?،؛؟]$")


@pytest.fixture(scope="module")
def wire(article_build):
    result = article_build(WIRE)
    assert result.ok, result.error
    return result.outputs


def _ltr_spans(markup: str) -> list[str]:
    return [etree.fromstring(f"<x>{m.group()}</x>").xpath("string()")
            for m in re.finditer(r'<span dir="ltr"(?: class="token")?>.*?</span>', markup)]


def _epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as z:
        return {n: z.read(n).decode() for n in z.namelist()
                if n.endswith((".xhtml", ".opf", ".ncx"))}


def test_web_page_runs_hold_only_their_own_characters(wire):
    page = wire["html"].read_text(encoding="utf-8")
    spans = _ltr_spans(page)
    assert "Reuters" in spans and "iPhone 16 Pro" in spans and "999 USD" in spans
    assert [s for s in spans if _NOT_ITS_OWN_EDGE.search(s)] == []
    assert "<p>المصدر: <span dir=\"ltr\">Reuters</span></p>" in page
    assert re.search(r'<h1[^>]*>آبل تكشف عن <span dir="ltr">iPhone 16 Pro</span> في', page)
    for code in ("{{ 7*7 }}", "&lt;script&gt;alert(1)&lt;/script&gt;", "C++", "C#", "x*y"):
        assert f'<span dir="ltr">{code}</span>' in page, code
    assert f'<a href="{URL.replace("&", "&amp;")}">' in page  # a bare address is a link
    assert "فريق التحرير — ١٧ مايو ٢٠٢٦" in page  # an em dash, never a digit's look-alike


def test_epub_isolates_runs_in_text_navigation_and_metadata(wire):
    files = _epub_files(wire["epub"])
    text = "".join(v for k, v in files.items() if k.endswith(".xhtml"))
    spans = _ltr_spans(text)
    assert "Reuters" in spans and "iPhone 16 Pro" in spans
    assert [s for s in spans if _NOT_ITS_OWN_EDGE.search(s)] == []
    assert re.search(r'<h1[^>]*>آبل تكشف عن <span dir="ltr">iPhone 16 Pro</span>', text)
    opf = next(v for k, v in files.items() if k.endswith(".opf"))
    assert f"آبل تكشف عن {LRI}iPhone 16 Pro{PDI} في" in opf  # dc:title
    assert f"{LRI}999 USD{PDI}" in opf  # dc:description


def test_docx_isolates_hold_no_space_or_sentence_punctuation(wire):
    with zipfile.ZipFile(wire["docx"]) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        header = "".join(etree.fromstring(z.read(n)).xpath("string()")
                         for n in z.namelist() if n.startswith("word/header"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    isolated = [m for p in paragraphs for m in re.findall(f"{LRI}(.*?){PDI}", p)]
    assert "Reuters" in isolated and "iPhone 16 Pro" in isolated and URL in isolated
    assert [s for s in isolated if _NOT_ITS_OWN_EDGE.search(s)] == []
    assert f"المصدر: {LRI}Reuters{PDI}" in paragraphs
    title = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='Title']", namespaces={"w": W[1:-1]})
    assert f"{LRI}iPhone 16 Pro{PDI}" in title[0].xpath("string()")
    assert f"{LRI}iPhone 16 Pro{PDI}" in header
    targets = {r.get("Target") for r in etree.fromstring(zipfile.ZipFile(wire["docx"]).read(
        "word/_rels/document.xml.rels"))}
    assert URL in targets


def _wire_words() -> list[str]:
    """The story's words as a reader sees them: the figure line's alt text and
    braces are not shown; its caption and credit are."""
    text = WIRE.read_text(encoding="utf-8")
    text = re.sub(r'!\[[^\]]*\]\([^ )]+ "([^"]*)"\)\{credit="([^"]*)"\}', r"\1 \2", text)
    return source_words(text.replace("\\*", "*"))


@pytest.mark.parametrize("reader", ["poppler", "pdf.js"])
def test_pdf_readers_give_the_story_back_in_order(wire, reader):
    if reader == "poppler":
        require_tool("pdftotext", "apt-get install poppler-utils")
    else:
        require("pdf.js (node and pdfjs-dist)", readers.install_pdfjs(),
                "npm install in tests/helpers")
    text = readers.READERS[reader](wire["pdf"])
    share, missing = readers.share_in_order(_wire_words(), text)
    # The words of the credit line, the headline and the code-like line.
    for phrase in ("المصدر: Reuters", "آبل تكشف عن iPhone 16 Pro في مؤتمرها السنوي",
                   "الشركة تعرض هاتفها الجديد بسعر 999 USD", "C++ أو C#"):
        assert readers.share_in_order(words(phrase), text)[0] == 1.0, (reader, phrase)
    assert share >= 0.99, f"{share:.1%}; lost: {missing}"


def test_pdf_address_is_whole_a_link_and_never_broken_at_a_hyphen(wire):
    require_tool("pdftotext", "apt-get install poppler-utils")
    import pikepdf
    with pikepdf.open(wire["pdf"]) as pdf:
        uris = {str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert URL in uris
    require("pdf.js (node and pdfjs-dist)", readers.install_pdfjs(),
            "npm install in tests/helpers")
    text = re.sub("[\u2066-\u2069\u202a-\u202e]", "", readers.READERS["pdf.js"](wire["pdf"]))
    joined = text.replace("\n", "")
    at = joined.find(URL)
    assert at >= 0, "the address does not read back whole"
    breaks, seen = [], 0  # where lines end inside the address, in its characters
    for ch in text:
        if ch == "\n":
            if at < seen < at + len(URL):
                breaks.append(seen - at)
        else:
            seen += 1
    assert breaks, "the address fits one line: nothing to check"
    for k in breaks:
        assert URL[k - 1] == "/" or URL[k] in "?&#", (k, URL[:k])
    assert "\u2060" not in text and "\u200b" not in text


def test_a_typed_tatweel_stays_a_tatweel_in_the_text_layer(wire):
    text = readers.READERS["poppler"](wire["pdf"]) if require_tool(
        "pdftotext", "apt-get install poppler-utils") else ""
    assert 'لـ"رويترز"' in text
    assert "\u200d" not in text.split("رويترز")[0][-3:]


def test_a_short_latin_name_in_a_printed_headline_stays_on_one_line():
    """"iPhone 16 Pro" is a name: the PDF's headline does not break inside it
    (no-break spaces); a long Latin phrase may still break."""
    from pipeline.bidi import isolated_line
    from pipeline.transforms import plain_text
    from pipeline.writers.breaks import keep_names_whole
    kept = plain_text(keep_names_whole(isolated_line("آبل تكشف عن iPhone 16 Pro الجديد")))
    assert "iPhone\u00a016\u00a0Pro" in kept and "عن iPhone" in kept
    long = plain_text(keep_names_whole(isolated_line(
        "قال إن the quick brown fox jumps over the lazy dog أمس")))
    assert "\u00a0" not in long


def test_docx_headline_and_deck_are_set_against_the_start_not_justified(wire):
    """They inherited Normal's justification: LibreOffice stretched a
    two-line headline with kashidas. Every style that is not body text is
    set against the start (w:jc start, Word 2010 on and LibreOffice)."""
    with zipfile.ZipFile(wire["docx"]) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    jc = {s.find(f"{W}name").get(f"{W}val"): s.find(f"{W}pPr/{W}jc")
          for s in root.iter(f"{W}style")}
    for name in ("Title", "Subtitle", "Kicker", "Byline", "Credit", "heading 2"):
        assert jc[name] is not None and jc[name].get(f"{W}val") == "start", name
    assert jc["Normal"].get(f"{W}val") == "both"
