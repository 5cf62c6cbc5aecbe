"""Random articles, their text drawn to include control characters and lone
surrogates: the pipeline gives valid outputs or its own one-line error, never
an uncaught library exception. A sample of the EPUBs goes to EPUBCheck."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.building.builder import BuildSettings, build_article

from judges import assert_clean, epubcheck

WORD_CHARS = st.characters(
    categories=["L", "M", "N", "P", "S", "Zs", "Cc", "Cf", "Co"],
    exclude_characters="\n\r")
SURROGATES = st.characters(categories=["Cs"])
ARABIC = st.characters(min_codepoint=0x0621, max_codepoint=0x064A)

text = st.text(st.one_of(ARABIC, ARABIC, ARABIC, WORD_CHARS, SURROGATES), min_size=1,
               max_size=40)
line = text.map(lambda t: t.replace("---", "—"))


@st.composite
def articles(draw) -> str:
    title = draw(line)
    parts = ["---", f"title: {json.dumps(title, ensure_ascii=draw(st.booleans()))}"]
    if draw(st.booleans()):
        parts.append(f"description: {json.dumps(draw(line))}")
    parts += ["---", ""]
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["p", "h2", "h3", "ul", "ol", "lead", "quote", "faq"]))
        body = draw(line)
        parts.append({
            "p": body, "h2": f"## {body}", "h3": f"### {body}", "ul": f"- {body}\n  - {body}",
            "ol": f"1. {body}\n2. *{body}*", "lead": f"- **{body}**: {body}",
            "quote": f"> {body}", "faq": f"::: faq\n### {body}\n\n{body}\n:::",
        }[kind])
        parts.append("")
    return "\n".join(parts)


EPUBS: list[Path] = []


# FUZZ_EXAMPLES=500 explores further; CI runs a fixed sample (see conftest.py)
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(source=articles(), formats=st.sampled_from([("docx", "epub"), ("pdf",)]))
def test_random_articles_build_or_fail_cleanly(source, formats):
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    path = folder / "article.md"
    path.write_bytes(source.encode("utf-8", "surrogatepass"))
    result = build_article(path, folder / "out", BuildSettings(formats=formats))
    if result.ok:
        assert set(result.outputs) == set(formats)
        if "epub" in result.outputs and len(EPUBS) < 4:
            EPUBS.append(result.outputs["epub"])
    else:
        assert not result.error.message.startswith("internal failure"), str(result.error)
        assert "\n" not in str(result.error)


def _sample_passes_epubcheck(sample: list[Path], make) -> None:
    """EPUBCheck on the EPUBs a fuzz test kept (made here when run alone)."""
    if not sample:
        make()
    assert sample
    for epub in sample:
        assert_clean(epubcheck(epub))


def test_a_sample_of_random_epubs_passes_epubcheck():
    _sample_passes_epubcheck(EPUBS, test_random_articles_build_or_fail_cleanly)


# --- YAML tags and SVG drawings ---------------------------------------------------

YAML_TAGS = st.sampled_from(["!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp",
                             "!!binary", "!!set", "!!omap", "!!pairs", "!!seq", "!!map",
                             "!!python/object:os.system", "!custom", "!<tag:x,2000:y>"])
YAML_VALUES = st.sampled_from(["0x", "2023-02-30", "1e999", "~", "[a, b]", "{a: 1}", "aGk=",
                               "? a", "''", "نص", "2107-12-31", "0999-01-01", "-1", "&a x"])
KEYS = st.sampled_from(["title", "date", "id", "lang", "columns", "keywords", "digits",
                        "[a]", "{b: c}", "? x"])


@st.composite
def tagged_front_matter(draw) -> str:
    lines = ["---", "title: عنوان"] if draw(st.booleans()) else ["---"]
    for _ in range(draw(st.integers(1, 4))):
        tag = draw(YAML_TAGS) if draw(st.booleans()) else ""
        lines.append(f"{draw(KEYS)}: {tag} {draw(YAML_VALUES)}".rstrip())
    return "\n".join(lines + ["---", "", "نص.", ""])


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None)
@given(source=tagged_front_matter())
def test_yaml_tags_and_odd_values_are_read_or_refused_with_a_line(source):
    from pipeline.errors import PipelineError
    from pipeline.reader import read_article
    try:
        article, _ = read_article(source)
    except PipelineError as exc:
        assert exc.diagnostic.line is not None and "\n" not in str(exc), str(exc)
    else:
        assert isinstance(article.meta.title, str) and article.meta.title


SVG_ELEMENTS = st.sampled_from([
    '<rect width="5" height="5"/>', '<circle r="3"/>', '<script>x()</script>',
    '<foreignObject/>', '<g id="g1"><rect width="1" height="1"/></g>', '<use href="#g1"/>',
    '<use xlink:href="#g2"/>', '<g id="g2"><use href="#g1"/><use href="#g1"/></g>',
    '<image href="http://example.com/x.png"/>', '<image href="data:image/png;base64,AA=="/>',
    '<style>rect { fill: red }</style>', '<style>@import "x.css";</style>',
    '<a href="https://example.org"><rect width="1" height="1"/></a>', '<text>نص</text>',
    '<rect onload="x()"/>', '<filter id="f"><feImage href="#g1"/></filter>',
    '<rect style="fill: url(#p)"/>', '<rect style="fill: url(http://e.com/p)"/>',
    # text drawn as one run, or placed letter by letter as the drawing says
    '<text x="10" y="15" text-anchor="middle">نسبة <tspan>مئوية</tspan> 5%</text>',
    '<text x="1 5 9" y="12">نصوص</text>', '<text letter-spacing="2">نص</text>',
    '<text textLength="15" direction="rtl">نص عربي</text>', '<text> </text>'])


@st.composite
def drawings(draw) -> bytes:
    inner = "".join(draw(st.lists(SVG_ELEMENTS, max_size=8)))
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
           f'xlink" width="20" height="20">{inner}</svg>')
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16"]))
    if encoding != "utf-8":
        svg = f'<?xml version="1.0" encoding="{encoding}"?>' + svg
    return svg.encode(encoding)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(svg=drawings())
def test_random_svgs_build_valid_epubs_or_are_refused_with_a_line(svg):
    """The EPUB keeps the drawing; the PDF sets it (its text as runs where
    nothing places letters); the DOCX holds it as a PNG."""
    folder = Path(tempfile.mkdtemp(prefix="fuzz-svg-"))
    (folder / "d.svg").write_bytes(svg)
    path = folder / "article.md"
    path.write_text("---\ntitle: رسم\n---\n\n![رسم](d.svg)\n", encoding="utf-8")
    result = build_article(path, folder / "out",
                           BuildSettings(formats=("epub", "docx", "pdf")))
    if result.ok:
        with zipfile.ZipFile(result.outputs["docx"]) as docx_file:
            assert any(n.startswith("word/media/") and n.endswith(".png")
                       for n in docx_file.namelist())
        assert result.outputs["pdf"].read_bytes().startswith(b"%PDF-")
        if len(SVG_EPUBS) < 3:
            SVG_EPUBS.append(result.outputs["epub"])
    else:
        assert result.error.line == 5 and "SVG image" in result.error.message, str(result.error)


SVG_EPUBS: list[Path] = []


def test_a_sample_of_epubs_with_random_svgs_passes_epubcheck():
    _sample_passes_epubcheck(SVG_EPUBS, test_random_svgs_build_valid_epubs_or_are_refused_with_a_line)


# --- DOCX from elsewhere: the importer and the reference ----------------------------

DOCX_PARTS = ("word/document.xml", "word/footnotes.xml", "word/numbering.xml",
              "word/styles.xml", "docProps/custom.xml", "word/_rels/document.xml.rels")


def _news_docx(tmp: Path) -> dict[str, bytes]:
    import zipfile

    from conftest import FIXTURES
    from pipeline.building.builder import build
    [r] = build([FIXTURES / "news" / "election-results.md"], tmp,
                BuildSettings(formats=("docx",)))
    with zipfile.ZipFile(r.outputs["docx"]) as z:
        return {n: z.read(n) for n in z.namelist()}


@st.composite
def damaged(draw, entries: dict[str, bytes]) -> dict[str, bytes]:
    """A DOCX whose XML parts lost elements, had attributes set to nonsense or
    elements moved: what a careless tool or a crafted file hands over."""
    from lxml import etree
    out = dict(entries)
    for part in DOCX_PARTS:
        if part not in out or not draw(st.booleans()):
            continue
        root = etree.fromstring(out[part])
        elements = [e for e in root.iter() if e is not root]
        for _ in range(draw(st.integers(1, 6))):
            element = elements[draw(st.integers(0, len(elements) - 1))]
            if element.getparent() is None:
                continue
            action = draw(st.sampled_from(["remove", "attributes", "move"]))
            if action == "remove":
                element.getparent().remove(element)
            elif action == "attributes":
                for key in list(element.attrib):
                    element.attrib[key] = draw(st.sampled_from(
                        ["", "x", "-1", "999999", "0", "../../a", "table"]))
            else:
                element.getparent().append(element)
        out[part] = etree.tostring(root)
    return out


_ENTRIES: dict[str, bytes] = {}


def _entries() -> dict[str, bytes]:
    if not _ENTRIES:
        _ENTRIES.update(_news_docx(Path(tempfile.mkdtemp())))
    return _ENTRIES


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_docx_is_imported_or_refused_in_one_line(data):
    import zipfile

    from pipeline.commands.docx_import import import_docx
    from pipeline.errors import PipelineError
    entries = data.draw(damaged(_entries()))
    path = Path(tempfile.mkdtemp()) / "edited.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    for changes in ("accept", "reject"):
        try:
            import_docx(path, changes=changes, keep_comments=True)
        except PipelineError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_damaged_reference_docx_lends_what_it_can_or_is_refused(data):
    import zipfile

    from conftest import FIXTURES
    entries = data.draw(damaged(_entries()))
    folder = Path(tempfile.mkdtemp())
    reference = folder / "house.docx"
    with zipfile.ZipFile(reference, "w") as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    result = build_article(FIXTURES / "news" / "election-results.md", folder / "out",
                           BuildSettings(formats=("docx",), reference_docx=reference,
                                         force=True))
    assert result.ok or "internal failure" not in str(result.error), result.error
