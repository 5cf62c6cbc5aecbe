"""``pipeline check`` is a gate: what the README promises of each format is
verified, every problem is listed, a damaged file fails alone and the files
after it are still checked, and a ZIP bomb is refused before it is inflated."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import zipfile

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.commands.check import check

from conftest import BUNDLED, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def outputs(built):
    return built


def test_check_passes_good_outputs(outputs):
    result = run("check", *outputs.values())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 ok, 0 failed" in result.stdout


def test_check_fails_a_broken_epub(outputs, tmp_path):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(outputs["epub"]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith("nav.xhtml"):
                dst.writestr(info, src.read(info.filename))
    result = run("check", broken)
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if "FAILED" in ln]
    assert "EPUBCheck error" in line


def test_check_fails_a_broken_docx(outputs, tmp_path):
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(outputs["docx"]) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:bidi/>", b"").replace(b'<w:bidi w:val="1"/>', b"")
            dst.writestr(info, data)
    result = run("check", broken)
    assert result.returncode == 1 and "not right-to-left" in result.stderr


def test_check_fails_a_broken_pdf(tmp_path):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("pdf",), pdf_variant="none"))
    result = run("check", r.outputs["pdf"])
    assert result.returncode == 1 and "untagged" in result.stderr
    truncated = tmp_path / "cut.pdf"
    truncated.write_bytes(r.outputs["pdf"].read_bytes()[:200])
    result = run("check", truncated)
    assert result.returncode == 1 and "FAILED" in result.stderr


def _copy_zip(source, target, change=lambda name, data: data, extra=()):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info, data)
        for name, data in extra:
            dst.writestr(name, data)
    return target


def test_a_pdf_with_flipped_bytes_fails(outputs, tmp_path):
    data = bytearray(outputs["pdf"].read_bytes())
    rng = random.Random(7)
    for _ in range(20):
        data[rng.randrange(1000, len(data) // 2)] ^= 0x5A
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    report = check(flipped)
    assert not report.ok and "damaged" in report.problems[0]


def test_an_epub_without_right_to_left_pages_or_fonts_fails(outputs, tmp_path):
    def strip(name, data):
        if name.endswith(".opf"):
            return data.replace(b' page-progression-direction="rtl"', b"")
        if name.endswith((".woff2", ".ttf", ".otf")):
            return None
        return data
    pandoc_like = _copy_zip(outputs["epub"], tmp_path / "plain.epub", strip)
    problems = check(pandoc_like).problems
    assert any("pages turn left to right" in p for p in problems)


def test_a_docx_with_macros_or_a_remote_template_fails(outputs, tmp_path):
    macros = _copy_zip(outputs["docx"], tmp_path / "macros.docx",
                       extra=[("word/vbaProject.bin", b"\0" * 64)])
    assert any("holds macros" in p for p in check(macros).problems)
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
            'Target="http://example.com/t.dotm" TargetMode="External"/></Relationships>')
    remote = _copy_zip(outputs["docx"], tmp_path / "remote.docx",
                       lambda n, d: None if n == "word/_rels/settings.xml.rels" else d,
                       extra=[("word/_rels/settings.xml.rels", rels)])
    assert any("http://example.com/t.dotm" in p for p in check(remote).problems)


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    bomb = tmp_path / "bomb.epub"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", b"\0" * (256 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    report = check(bomb)
    assert "inflates to 268,435,456 bytes" in report.problems[0]


def test_every_file_is_checked_and_every_problem_listed(outputs, tmp_path):
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"not a zip")
    untagged = tmp_path / "u.pdf"
    [r] = build([BUNDLED], tmp_path / "plain", BuildSettings(formats=("pdf",), pdf_variant="none"))
    untagged.write_bytes(r.outputs["pdf"].read_bytes())
    result = run("check", "-v", junk, untagged, outputs["epub"])
    assert result.returncode == 1 and "1 ok, 2 failed" in result.stdout
    assert "not a readable ZIP package" in result.stderr
    as_json = json.loads(run("check", "--json", junk, untagged, outputs["epub"]).stdout)
    assert [r["ok"] for r in as_json] == [False, False, True]
    assert as_json[2]["passed"] and not as_json[2]["problems"]


def test_a_web_page_is_checked(tmp_path):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("html",)))
    assert check(r.outputs["html"]).ok
    page = r.outputs["html"]
    page.write_text(page.read_text(encoding="utf-8").replace(' dir="rtl"', "", 1)
                    .replace("</body>", "<script>x()</script></body>"), encoding="utf-8")
    problems = check(page).problems
    assert any("not dir" in p for p in problems) and any("script" in p for p in problems)


def test_a_web_page_too_large_to_be_an_article_is_refused_unread(tmp_path):
    from pipeline.commands.check import MAX_HTML_BYTES, check
    page = tmp_path / "huge.html"
    with page.open("wb") as fh:  # sparse: no disk spent
        fh.truncate(MAX_HTML_BYTES + 1)
    report = check(page)
    assert not report.ok and "not read" in report.problems[0]
