"""``pipeline check`` as the gate before publishing, and XML read within
bounds: a Word draft or a document that runs or fetches something fails with
one line each; a web page likewise; a DOCX of millions of elements, comment
ranges that never close and a PDF whose font inflates to a gigabyte are refused
under a memory cap; a long chain of SVG ``<use>`` is a refusal, not a crash."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
import zlib

import pytest
from docx import Document

from pipeline.building.builder import BuildSettings, build
from pipeline.commands.check import check

from conftest import ROOT, write_source

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MEMORY_CAP = 1536 * 1024 * 1024
"""The address space the memory cases run in; each took 2 to 4 GB before."""


def capped(*args, timeout=300):
    """``pipeline ARGS`` in a process that may not map more than ``MEMORY_CAP``."""
    code = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, "
            f"({MEMORY_CAP}, {MEMORY_CAP})); sys.argv = ['pipeline', *sys.argv[1:]]; "
            "runpy.run_module('pipeline', run_name='__main__')")
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def one_line_refusal(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "MemoryError" not in result.stderr and "internal failure" not in result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def docx_with(path, body: str = "", parts=(), relationships=(), types=()):
    """A blank python-docx document whose body is ``body`` (WordprocessingML),
    with extra parts, relationships of the main document and content types."""
    blank = io.BytesIO()
    Document().save(blank)
    with zipfile.ZipFile(blank) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml" and body:
                start = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:start] + body.encode() + data[start:]
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", "".join(relationships).encode()
                                    + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", "".join(types).encode() + b"</Types>")
            dst.writestr(info, data)
        for name, data in parts:
            dst.writestr(name, data)
    return path


def relationship(ident, kind, target, external=False):
    return (f'<Relationship Id="{ident}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/{kind}" Target="{target}"'
            + (' TargetMode="External"' if external else "") + "/>")


def field(instruction: str) -> str:
    return ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + "".join(f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>'
                      for piece in (instruction[:9], instruction[9:]))
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
              '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


COMMENTS_TYPE = ('<Override PartName="/word/comments.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>')


def comments_part(count: int, done_ids=()) -> bytes:
    return (f'<w:comments {W_NS} xmlns:w14="http://schemas.microsoft.com/office/word/2010/'
            'wordml">' + "".join(
                f'<w:comment w:id="{i}" w:author="محرر"><w:p w14:paraId="{i + 1:08X}"><w:r>'
                f'<w:t>ملاحظة {i}</w:t></w:r></w:p></w:comment>' for i in range(count))
            + "</w:comments>").encode()


# --- a Word draft is not a deliverable -----------------------------------------

def test_pending_tracked_changes_fail_unless_allowed(tmp_path):
    draft = docx_with(tmp_path / "draft.docx",
                      '<w:p><w:ins w:id="1" w:author="a"><w:r><w:t>جديد</w:t></w:r></w:ins>'
                      '<w:del w:id="2" w:author="a"><w:r><w:delText>قديم</w:delText></w:r>'
                      "</w:del></w:p>")
    [line] = [p for p in check(draft).problems if "tracked changes" in p]
    assert line.startswith("has 2 tracked changes") and "--allow-changes" in line
    assert not any("tracked" in p for p in check(draft, allow_changes=True).problems)
    result = subprocess.run([sys.executable, "-m", "pipeline", "check", "--allow-changes", draft],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "tracked changes" not in result.stderr


def test_open_comments_fail_and_resolved_ones_do_not(tmp_path):
    extended = ('<w15:commentsEx xmlns:w15="http://schemas.microsoft.com/office/word/2012/'
                'wordml"><w15:commentEx w15:paraId="00000001" w15:done="1"/></w15:commentsEx>')
    draft = docx_with(tmp_path / "comments.docx", '<w:p><w:commentRangeStart w:id="0"/><w:r>'
                      '<w:t>نص</w:t></w:r><w:commentRangeEnd w:id="0"/></w:p>',
                      parts=[("word/comments.xml", comments_part(3)),
                             ("word/commentsExtended.xml", extended)],
                      relationships=[relationship("rIdC", "comments", "comments.xml")],
                      types=[COMMENTS_TYPE])
    [line] = [p for p in check(draft).problems if "comments" in p]
    assert line.startswith("has 2 open comments")  # the first is marked done
    assert not any("comments" in p for p in check(draft, allow_changes=True).problems)


# --- active content --------------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    (field(' INCLUDEPICTURE "http://tracker.example/p.png" \\d '),
     "has an INCLUDEPICTURE field fetching 'http://tracker.example/p.png'"),
    (field(' INCLUDETEXT "\\\\\\\\host\\\\share\\\\t.docx" '),
     "has an INCLUDETEXT field fetching"),
    (field(' LINK Excel.Sheet.8 "https://example.com/x.xls" "A1" '),
     "has a LINK field fetching 'https://example.com/x.xls'"),
    (field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" '),
     "has a DDEAUTO field, which starts another program"),
    ('<w:p><w:fldSimple w:instr=" DDE excel x "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>',
     "has a DDE field"),
])
def test_fields_that_fetch_or_run_fail(tmp_path, content, expected):
    problems = check(docx_with(tmp_path / "f.docx", content)).problems
    lines = [p for p in problems if "field" in p]
    assert len(lines) == 1 and "\n" not in lines[0], problems
    assert lines[0].startswith(expected), lines


def test_a_local_include_and_ordinary_fields_pass(tmp_path):
    ok = docx_with(tmp_path / "ok.docx", field(" PAGE ") + field(' INCLUDEPICTURE "p.png" ')
                   + field(' INCLUDEPICTURE "C:\\\\pics\\\\p.png" \\d '))
    assert not any("field" in p for p in check(ok).problems)


@pytest.mark.parametrize("kind, target, name, expected", [
    ("oleObject", "embeddings/oleObject1.bin", "word/embeddings/oleObject1.bin",
     "holds an OLE object"),
    ("package", "embeddings/x.docm", "word/embeddings/x.docm", "holds an embedded package"),
    ("control", "activeX/activeX1.xml", "word/activeX/activeX1.xml", "holds an ActiveX control"),
])
def test_ole_packages_and_activex_fail(tmp_path, kind, target, name, expected):
    docx = docx_with(tmp_path / "a.docx", parts=[(name, b"<x/>" if name.endswith("xml")
                                                  else b"\xd0\xcf\x11\xe0" + b"\0" * 60)],
                     relationships=[relationship("rIdX", kind, target)])
    assert any(p.startswith(expected) for p in check(docx).problems), check(docx).problems


# --- XML and streams within bounds, under a memory cap ----------------------------

def many_paragraphs(path, count: int):
    """A DOCX of ``count`` empty paragraphs, two spellings drawn at random so
    that its ZIP ratio (about 150) stays inside the ZIP limits."""
    rng = random.Random(1)
    return docx_with(path, "".join("<w:p/>" if rng.random() < 0.985 else "<w:p></w:p>"
                                   for _ in range(count)))


def test_millions_of_empty_paragraphs_are_counted_not_parsed(tmp_path):
    docx = many_paragraphs(tmp_path / "many.docx", 24_000_000)
    assert docx.stat().st_size < 1_200_000  # 146 MB of XML inside
    article = write_source(tmp_path, "نص.\n")
    for args in (("check", docx), ("import", docx),
                 ("build", article, "-f", "docx", "--reference-docx", docx, "-o",
                  tmp_path / "out")):
        message = one_line_refusal(capped(*args))
        assert "holds more than 1,000,000 XML elements" in message, message


def test_comment_ranges_that_never_close_cost_no_memory(tmp_path):
    n = 70_000  # an 800 KB DOCX; each range took every later word: 1.5 GB and a MemoryError
    body = ("<w:p>" + "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in range(n))
            + "</w:p>" + "<w:p><w:r><w:t>كلمة</w:t></w:r></w:p>" * n)
    docx = docx_with(tmp_path / "ranges.docx", body, parts=[("word/comments.xml",
                                                             comments_part(n))],
                     relationships=[relationship("rIdC", "comments", "comments.xml")],
                     types=[COMMENTS_TYPE])
    message = one_line_refusal(capped("import", docx, timeout=120))
    assert "no title" in message, message  # the import's own verdict, reached


def test_a_pdf_whose_font_inflates_to_a_gigabyte_is_refused_unread(tmp_path):
    import pikepdf
    [r] = build([write_source(tmp_path, "نص عربي.\n")], tmp_path / "out",
                BuildSettings(formats=("pdf",)))
    deflater = zlib.compressobj(9)
    bomb = b"".join(deflater.compress(bytes(1 << 20)) for _ in range(1024)) + deflater.flush()
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        font = next(o for o in pdf.objects
                    if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o)
        font.FontFile2.write(bomb, filter=pikepdf.Name.FlateDecode)
        pdf.save(tmp_path / "bomb.pdf")
    assert (tmp_path / "bomb.pdf").stat().st_size < 1_200_000
    message = one_line_refusal(capped("check", tmp_path / "bomb.pdf"))
    assert "inflates past 268,435,456 bytes" in message, message


# --- web pages -------------------------------------------------------------------

PAGE = '<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}</head><body><p>نص</p>{body}' \
       '</body></html>'


@pytest.mark.parametrize("head, body, expected", [
    ("", '<img src="p.png" onerror="steal()">', "has an event handler (onerror on <img>)"),
    ("", '<svg onload="x()"></svg>', "has an event handler (onload on <svg>)"),
    ("", '<a href="javascript:alert(1)">هنا</a>', "has a script link ('javascript:alert(1)'"),
    ("", '<iframe src="p.html"></iframe>', "embeds another document (<iframe>)"),
    ('<meta http-equiv="Refresh" content="0; url=https://e.example/">', "",
     "sends the reader elsewhere"),
    ("", '<img src="https://tracker.example/p.png" alt="">',
     "1 files it loads come from the network: https://tracker.example/p.png"),
    ('<link rel="stylesheet" href="//cdn.example/s.css">', "",
     "1 files it loads come from the network"),
    ('<style>@import url("https://cdn.example/f.css");</style>', "",
     "1 files it loads come from the network"),
    ("", '<img src="/etc/hostname" alt="">', "1 files it loads are outside its folder: /etc/h"),
    ("", '<img src="../../../../../../etc/hostname" alt="">', "1 files it loads are outside its folder: ../"),
])
def test_a_web_page_that_runs_or_fetches_fails(tmp_path, head, body, expected):
    page = tmp_path / "a.html"
    page.write_text(PAGE.format(head="", body=""), encoding="utf-8")
    assert check(page).ok, check(page).problems
    page.write_text(PAGE.format(head=head, body=body), encoding="utf-8")
    problems = check(page).problems
    assert any(p.startswith(expected) for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_a_web_page_keeps_its_hyperlinks_and_files_beside_it(tmp_path):
    (tmp_path / "p.png").write_bytes(b"\x89PNG")
    page = tmp_path / "a.html"
    page.write_text(PAGE.format(head='<link rel="canonical" href="https://e.example/a">',
                                body='<a href="https://e.example/">رابط</a><img src="p.png">'),
                    encoding="utf-8")
    assert check(page).ok, check(page).problems


# --- EPUB and SVG ------------------------------------------------------------------

def test_an_epub_without_a_rootfile_fails_in_one_line(tmp_path):
    book = tmp_path / "b.epub"
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                   'version="1.0"><rootfiles/></container>')
    problems = check(book).problems
    assert any(p.startswith("no package document") for p in problems), problems
    assert not any("AttributeError" in p or "unreadable" in p for p in problems)


def test_a_chain_of_2000_uses_is_refused_not_a_recursion_error(tmp_path):
    chain = '<rect id="u0" width="1" height="1"/>' + "".join(
        f'<use id="u{i}" xlink:href="#u{i - 1}"/>' for i in range(1, 2001))
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/'
           f'xlink" width="10" height="10"><defs>{chain}</defs><use xlink:href="#u2000"/></svg>')
    (tmp_path / "p.svg").write_text(svg, encoding="utf-8")
    [result] = build([write_source(tmp_path, "![رسم](p.svg)\n")], tmp_path / "out",
                     BuildSettings(formats=("epub",)))
    message = str(result.error)
    assert "nests <use> over 64 deep" in message and "internal failure" not in message
    assert "\n" not in message


def test_xml_under_another_name_is_counted_too(tmp_path, monkeypatch):
    from pipeline import ziplimits
    monkeypatch.setattr(ziplimits, "MAX_XML_ELEMENTS", 50_000)
    docx = docx_with(tmp_path / "hidden.docx",
                     parts=[("word/media/image1.png", "<a>" + "<b/>" * 60_000 + "</a>")])
    assert "holds more than 50,000 XML elements (counted to word/media/image1.png)" in \
        check(docx).problems[0]
    assert not any("XML elements" in p for p in check(docx_with(tmp_path / "plain.docx")).problems)
