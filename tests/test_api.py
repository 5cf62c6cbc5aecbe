"""``render()``: an article held in memory, rendered in memory — the source and
its images never written to a disk or read from one (``prepare.ArticleSource``)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from pipeline import BuildSettings, PipelineError, render

from conftest import FIXTURES

# Runs in a process of its own: an audit hook cannot be taken back.
WATCHED = r"""
import json, os, sys
from pathlib import Path
from pipeline import render

article = Path(sys.argv[1])
text = article.read_text(encoding="utf-8")
images = {p.name: p.read_bytes() for p in article.parent.glob("*.png")}
formats = ("pdf", "docx", "epub", "html")
render(text, formats, images=images)  # the first call sets up fonts and caches
seen = []

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        seen.append(["open", os.fsdecode(path) if isinstance(path, (str, bytes)) else
                     str(path), mode or "", flags])
    elif event.startswith(("os.", "shutil.", "tempfile.")) and event not in (
            "os.listdir", "os.scandir", "os.walk", "os.getxattr", "os.listxattr"):
        seen.append([event] + [str(a) for a in args[:1]])

sys.addaudithook(hook)
out = render(text, formats, images=images)
print(json.dumps({"seen": seen, "sizes": {f: len(b) for f, b in out.items()},
                  "heads": {f: b[:4].hex() for f, b in out.items()}}))
"""

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def test_render_writes_nothing_and_reads_no_article_file(tmp_path):
    """The election fixture (a cover photo and figures) rendered to every
    format, after a first call has warmed the fonts: Python opens nothing for
    writing, makes no folder or temporary file, and reads nothing from the
    article's folder — the text and pictures came as bytes."""
    article = FIXTURES / "news" / "election-results.md"
    done = subprocess.run([sys.executable, "-c", WATCHED, str(article)], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["heads"] == {"pdf": b"%PDF".hex(), "docx": b"PK\x03\x04".hex(),
                               "epub": b"PK\x03\x04".hex(), "html": b"<!DO".hex()}
    opened = [entry for entry in report["seen"] if entry[0] == "open"]
    assert opened, "the hook saw no file opened at all: it did not watch"
    written = [entry for entry in opened
               if any(m in entry[2] for m in "wax+") or entry[3] & WRITING]
    assert written == []
    folder = str(article.parent)
    assert [entry for entry in opened if entry[1].startswith(folder)] == []
    assert [entry for entry in report["seen"] if entry[0] != "open"] == []


def test_a_process_that_rendered_a_pdf_ends_cleanly():
    """What the memos hold of WeasyPrint and Pango is let go before the
    interpreter's teardown: a CMS that calls render() for a PDF exits 0
    (it ended in a segmentation fault, exit 139, at exit)."""
    script = ("import pipeline\n"
              "for _ in range(2):\n"
              "    pipeline.render('---\\ntitle: \"ت\"\\n---\\nنص.\\n', ('pdf',))\n")
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr[-1000:]


def test_render_takes_image_names_in_any_script_and_refuses_folders():
    from PIL import Image
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    source = '---\ntitle: "ت"\n---\n![ص](صورة.png)\n\n![x](<my photo.png>)\n'
    files = render(source, "docx", images={"صورة.png": png.getvalue(),
                                           "my photo.png": png.getvalue()})
    assert files["docx"][:2] == b"PK"
    for name in ("../x.png", ".hidden.png", "a/b.png", "-x.png"):
        with pytest.raises(PipelineError, match="not an image file name"):
            render(source, "docx", images={name: png.getvalue()})


def test_an_images_error_names_the_line_of_its_reference_not_prose_before_it():
    source = '---\ntitle: "ت"\n---\n\nنص قصير، انظر y.png هنا.\n\n![صورة](y.png)\n'
    with pytest.raises(PipelineError, match=r"^article\.md:7:9: error: image not found: y\.png"):
        render(source, "docx")


def test_build_settings_per_run_are_true_or_false():
    for name in ("force", "debug"):
        with pytest.raises(PipelineError, match=f"setting '{name}' must be True or False"):
            BuildSettings(**{name: "no"})
