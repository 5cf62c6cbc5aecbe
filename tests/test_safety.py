"""Bad input gets a clear error, hostile input is harmless, outputs are atomic
and reproducible: the catalogue, one test (or a few) per case, each named after
the behaviour it guards."""

from __future__ import annotations

import hashlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.building.builder import BuildSettings, build, write_atomically
from pipeline.errors import PipelineError
from pipeline.reader import MAX_SOURCE_BYTES, decode_source, parse_article

from conftest import BUNDLED, ROOT, pdftotext, require_tool, write_source
from judges import docx_text, epub_text


def build_one(tmp_path, body="نص.\n", front='title: "t"', formats=("pdf", "docx", "epub"),
              name="article.md"):
    src = write_source(tmp_path, body, front=front, name=name)
    [result] = build([src], tmp_path / "out", BuildSettings(formats=formats))
    return result


def all_text(result) -> dict[str, str]:
    texts = {}
    if "pdf" in result.outputs:
        texts["pdf"] = pdftotext(result.outputs["pdf"])
    if "docx" in result.outputs:
        texts["docx"] = docx_text(result.outputs["docx"])
    if "epub" in result.outputs:
        texts["epub"] = epub_text(result.outputs["epub"])
    return texts


# 1 ---------------------------------------------------------------------------
def test_01_python_yaml_tags_are_refused(tmp_path):
    r = build_one(tmp_path, front="title: !!python/object/apply:os.system ['touch /tmp/x']")
    assert not r.ok and "tag not allowed" in r.error.message and r.error.line == 2
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# 2 ---------------------------------------------------------------------------
def test_02_malformed_yaml_names_line_and_column(tmp_path):
    r = build_one(tmp_path, front='title: "t"\nauthor: [a\nlang: ar')
    assert not r.ok and (r.error.line, r.error.column) == (4, 5)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# 3 ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["no", "1.10", "2024-01-01", "null"])
def test_03_scalars_stay_strings(value):
    assert parse_article(f"---\ntitle: {value}\n---\nنص\n").meta.title == value


def test_03_dates_are_checked_and_duplicates_refused():
    assert parse_article("---\ntitle: t\ndate: 2024-02-29\n---\nنص\n").meta.date.day == 29
    with pytest.raises(PipelineError, match="ISO 8601"):
        parse_article("---\ntitle: t\ndate: 2023-02-29\n---\nنص\n")
    with pytest.raises(PipelineError, match="duplicate key 'title'"):
        parse_article("---\ntitle: t\ntitle: u\n---\nنص\n")


# 4 ---------------------------------------------------------------------------
def test_04_yaml_alias_bomb_is_refused_fast():
    bomb = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1)
        bomb.append(f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} "
                    f"[*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    source = "---\ntitle: t\n" + "\n".join(bomb) + "\n---\nنص\n"
    started = time.perf_counter()
    with pytest.raises(PipelineError, match="aliases are not allowed"):
        parse_article(source)
    assert time.perf_counter() - started < 1.0


# 5 ---------------------------------------------------------------------------
@pytest.mark.parametrize("source, words", [
    ("---\ndescription: d\n---\nنص\n", "no 'title'"),
    ('---\ntitle: "  "\n---\nنص\n', "'title' is empty"),
    ("", "the source is empty"),
    ("---\n---\nنص\n", "no 'title'"),
])
def test_05_missing_or_empty_title_and_empty_file(source, words):
    with pytest.raises(PipelineError, match=words):
        parse_article(source)


# 6 ---------------------------------------------------------------------------
def test_06_non_utf8_is_refused_with_its_byte_offset():
    with pytest.raises(PipelineError, match=r"byte 0xC3 at offset 17"):
        decode_source(b"---\ntitle: t\n---\n\xc3(\n")


def test_06_bom_and_crlf_are_accepted(tmp_path):
    src = tmp_path / "a.md"
    src.write_bytes("\ufeff---\r\ntitle: t\r\n---\r\nنص\r\n".encode())
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert r.ok


# 7 ---------------------------------------------------------------------------
@pytest.mark.parametrize("char", ["\x00", "\x0b", "\x0c", "\x1b", "\ufffe", "\uffff"])
def test_07_control_characters_are_refused_with_line_and_column(tmp_path, char):
    src = tmp_path / "a.md"
    src.write_bytes(f"---\ntitle: t\n---\nسطر\nنص{char}نص\n".encode("utf-8", "surrogatepass"))
    [r] = build([src], tmp_path / "out")
    assert not r.ok and (r.error.line, r.error.column) == (5, 3)
    assert f"U+{ord(char):04X}" in r.error.message
    assert not (tmp_path / "out").exists()  # refused before any writer, python-docx included


# 8 ---------------------------------------------------------------------------
def test_08_lone_surrogate_is_refused(tmp_path):
    with pytest.raises(PipelineError, match="SURROGATE"):
        parse_article('---\ntitle: "\\ud800"\n---\nنص\n')
    src = tmp_path / "a.md"
    src.write_bytes("---\ntitle: t\n---\nنص\ud800\n".encode("utf-8", "surrogatepass"))
    [r] = build([src], tmp_path / "out")
    assert not r.ok and "not UTF-8" in r.error.message


# 9 ---------------------------------------------------------------------------
def test_09_unbalanced_bidi_controls_are_warned_and_balanced(tmp_path):
    r = build_one(tmp_path, body="نص \u202eمقلوب\n\nبعده \u2069 نص\n", formats=("epub",))
    assert r.ok
    assert [w.line for w in r.warnings] == [4, 6]
    text = epub_text(r.outputs["epub"])
    # the override closed where its paragraph ends; the stray isolate end gone
    assert "\u202eمقلوب\u202c" in text and "بعده  نص" in text and "بعده \u2069" not in text


def test_09_bidi_controls_never_reach_an_output_file_name(tmp_path):
    r = build_one(tmp_path, name="\u202eabc\u202c.md", formats=("epub",))
    assert r.ok and r.outputs["epub"].name == "abc.epub"


# 10 --------------------------------------------------------------------------
def test_10_a_huge_source_is_refused_before_parsing(tmp_path):
    src = tmp_path / "big.md"
    src.write_bytes(b"---\ntitle: t\n---\n" + b"x" * MAX_SOURCE_BYTES)
    started = time.perf_counter()
    [r] = build([src], tmp_path / "out")
    assert not r.ok and "limit" in r.error.message
    assert time.perf_counter() - started < 1.0


# 11 --------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "".join("  " * i + "- x\n" for i in range(2000)),
    "[" * 20000 + "\n",
    "> " * 5000 + "x\n",
])
def test_11_pathological_nesting_finishes_within_seconds(tmp_path, body):
    started = time.perf_counter()
    r = build_one(tmp_path, body=body, formats=("docx", "epub"))
    assert time.perf_counter() - started < 20
    assert r.ok or not r.error.message.startswith("internal failure"), r.error


# 12 --------------------------------------------------------------------------
@pytest.mark.parametrize("ref", ["../../etc/passwd", "/etc/passwd", "sub/../../x.png"])
def test_12_images_outside_the_article_folder_are_refused(tmp_path, ref):
    r = build_one(tmp_path, body=f"![صورة]({ref})\n")
    assert not r.ok and r.error.line == 4


def test_12_file_urls_are_not_even_images(tmp_path):
    """markdown-it refuses file: (and javascript:, data:) targets: the text stays."""
    r = build_one(tmp_path, body="![صورة](file:///etc/hostname)\n", formats=("epub",))
    assert r.ok and "file:///etc/hostname" in epub_text(r.outputs["epub"])
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        assert not any(n.startswith("EPUB/images/image-") for n in z.namelist())


def test_12_a_symlink_leaving_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    _png(outside)
    folder = tmp_path / "article"
    folder.mkdir()
    (folder / "pic.png").symlink_to(outside)
    r = build_one(folder, body="![صورة](pic.png)\n")
    assert not r.ok and "outside the article's folder" in r.error.message


def test_12_image_caps_and_svg_doctype(tmp_path):
    from PIL import Image
    Image.new("1", (8000, 6000)).save(tmp_path / "huge.png")  # 48 megapixels, small file
    r = build_one(tmp_path, body="![كبيرة](huge.png)\n")
    assert not r.ok and "pixel limit" in r.error.message
    (tmp_path / "evil.svg").write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x '
                                       'SYSTEM "file:///etc/passwd">]><svg xmlns='
                                       '"http://www.w3.org/2000/svg">&x;</svg>')
    r = build_one(tmp_path, body="![خبيثة](evil.svg)\n")
    assert not r.ok and "DOCTYPE" in r.error.message


def test_12_an_image_inside_the_folder_is_used_everywhere(tmp_path):
    _png(tmp_path / "pic.png")
    r = build_one(tmp_path, body="![وصف](pic.png)\n")
    assert r.ok, r.error
    with zipfile.ZipFile(r.outputs["docx"]) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        assert "EPUB/images/image-01.png" in z.namelist()  # beside the cover picture
    pdfimages = require_tool("pdfimages", "apt-get install poppler-utils")
    listing = subprocess.run([pdfimages, "-list", str(r.outputs["pdf"])], capture_output=True,
                             text=True).stdout.splitlines()[2:]
    assert len(listing) == 1 and listing[0].split()[3:5] == ["40", "20"]  # the 40×20 picture


# 13 --------------------------------------------------------------------------
def test_13_nothing_is_requested_from_the_network(tmp_path):
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the stdlib's name)
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        r = build_one(tmp_path, body=f"![بعيدة](http://127.0.0.1:{port}/x.png)\n")
        assert not r.ok and "not a relative path" in r.error.message
        r = build_one(tmp_path, body=f'<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
                                     f'\n\n<img src="http://127.0.0.1:{port}/y.png">\n')
        assert r.ok
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_13_the_pdf_fetcher_refuses_what_templates_might_ask_for(tmp_path):
    """A house template that reaches outside (network, /etc) fails the build."""
    theme = tmp_path / "theme"
    theme.mkdir()
    css = (ROOT / "templates" / "print.css.j2").read_text()
    (theme / "print.css.j2").write_text(css + '\nbody { background: url("file:///etc/hostname"); }')
    src = write_source(tmp_path, "نص.\n")
    [r] = build([src], tmp_path / "out",
                BuildSettings(formats=("pdf",), template_dirs=(theme,)))
    assert not r.ok and "outside the allowed folders" in r.error.message


# 14 --------------------------------------------------------------------------
def test_14_raw_html_appears_as_text(tmp_path):
    body = ('<script>alert(1)</script>\n\n<link rel=attachment href="/etc/passwd">\n\n'
            '<iframe src="x"></iframe>\n\n<style>body{display:none}</style>\n')
    r = build_one(tmp_path, body=body)
    assert r.ok, r.error
    for fmt, text in all_text(r).items():
        assert "<script>alert(1)</script>" in text.replace("\n", ""), fmt
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        pages = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
    assert "<script" not in pages and "<iframe" not in pages and "&lt;script&gt;" in pages
    import pikepdf
    with pikepdf.open(r.outputs["pdf"]) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})


# 15 --------------------------------------------------------------------------
def test_15_template_syntax_in_text_prints_literally(tmp_path):
    r = build_one(tmp_path, front='title: "{{ 7*7 }}"',
                  body="Jinja: {{ 7*7 }} {% raw %} {# c #}\n\nنص {{ 8*8 }} و{% raw %}\n")
    assert r.ok, r.error
    for fmt, text in all_text(r).items():
        flat = " ".join(text.split())
        # the left-to-right paragraph reads back exactly; in the Arabic one the
        # braces are neutral characters whose visual order pdftotext may shuffle
        assert "Jinja: {{ 7*7 }} {% raw %} {# c #}" in flat, fmt
        assert "49" not in flat and "64" not in flat and "8*8" in flat, fmt


# 16 --------------------------------------------------------------------------
def test_16_a_failed_write_keeps_the_old_output_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def disk_full(fd):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(PipelineError, match="No space left"):
        write_atomically(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_16_sigterm_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(BUNDLED),
                             "-o", str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    assert not out.exists() or not [p for p in out.iterdir() if p.name.endswith(".part")]


# 17 --------------------------------------------------------------------------
def test_17_same_source_and_epoch_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    digests = []
    for run in ("one", "two"):
        [r] = build([BUNDLED], tmp_path / run)
        digests.append({f: hashlib.sha256(p.read_bytes()).hexdigest()
                        for f, p in r.outputs.items()})
    assert digests[0] == digests[1] and len(digests[0]) == 3


def test_17_zip_containers_are_ordered_and_dated(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [r] = build([BUNDLED], tmp_path)
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    with zipfile.ZipFile(r.outputs["docx"]) as z:
        assert z.infolist()[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_17_timestamp_falls_back_to_front_matter_date(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    r = build_one(tmp_path, front='title: "t"\ndate: 2024-06-11', formats=("epub",))
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        assert z.infolist()[0].date_time[:3] == (2024, 6, 11)


# helpers ---------------------------------------------------------------------
def _png(path: Path) -> None:
    from PIL import Image
    Image.new("RGB", (40, 20), (10, 80, 160)).save(path)






def test_16_stale_partial_files_are_swept_live_and_foreign_ones_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    finished = subprocess.Popen(["true"])
    finished.wait()  # a pid no process has now: a killed build's
    beside = subprocess.Popen(["sleep", "30"])  # a build still writing beside ours
    try:
        stale = out / f".article.epub.{finished.pid}.k2x9q_.part"
        live = out / f".article.epub.{beside.pid}.p0q1r2.part"
        other = out / f".notes.txt.{finished.pid}.abc123.part"  # not an output of this build
        for path in (stale, live, other):
            path.write_bytes(b"torn")
        r = build_one(tmp_path, formats=("epub",))
        assert r.ok and not stale.exists() and live.exists() and other.exists()
    finally:
        beside.kill()
        beside.wait()
