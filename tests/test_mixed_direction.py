"""Latin inside Arabic as the built files show it: positions on the PDF page,
runs and paragraphs in the DOCX, and LibreOffice's rendering of it."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from lxml import etree

from pipeline.building.builder import BuildSettings, build

from conftest import FIXTURES, require_tool
from judges import libreoffice_convert

MIXED = FIXTURES / "html" / "latin-in-arabic.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    [r] = build([MIXED], tmp_path_factory.mktemp("mixed"),
                BuildSettings(formats=("pdf", "docx")))
    assert r.ok, r.error
    return r.outputs


def _words(pdf):
    import pymupdf
    with pymupdf.open(str(pdf)) as document:
        return [(w[0], w[1], w[2], w[3], w[4]) for w in document[0].get_text("words")]


def test_a_latin_phrase_reads_left_to_right_on_the_page(mixed):
    words = _words(mixed["pdf"])
    x = {w[4]: w[0] for w in words}
    assert x["Node.js"] < x["Package"] < x["Manager"]
    assert x["GitHub"] < x["Explore"]


_MARKER = re.compile(r"^(•|-?[0-9\u0660-\u0669]+-?)$")


def test_a_latin_list_item_sits_beside_its_marker(mixed):
    """The item's text ends (its right edge) just left of its bullet or number
    on the right, not across the column (17 cm away, as a left-to-right block
    would)."""
    words = _words(mixed["pdf"])
    for item in ("Explore", "Timers", "English"):
        anchor = [w for w in words if w[4] == item][-1]  # the list item, after the paragraphs
        line = [w for w in words if abs(w[1] - anchor[1]) < 3]
        [marker] = [w for w in line if _MARKER.match(w[4])]
        text_right = max(w[2] for w in line if w is not marker)
        assert 0 <= marker[0] - text_right < 12, (item, marker, text_right)


def _paragraphs(docx):
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        runs = [("".join(t.text or "" for t in r.iter(f"{W}t")), r.find(f"{W}rPr/{W}rtl") is not None)
                for r in p.iter(f"{W}r")]
        bidi = p.find(f"{W}pPr/{W}bidi")
        out.append((runs, None if bidi is None else bidi.get(f"{W}val", "1")))
    return out


def test_docx_runs_keep_each_script_in_its_direction(mixed):
    paragraphs = _paragraphs(mixed["docx"])
    text = {"".join(t for t, _ in runs): (runs, bidi) for runs, bidi in paragraphs}
    phrase = next(runs for key, (runs, _) in text.items() if "Package" in key)
    latin = [(t, rtl) for t, rtl in phrase if t.strip(" \u2066\u2069") and
             any("a" <= c.lower() <= "z" for c in t)]
    assert latin and all(not rtl for _, rtl in latin)
    assert any(t == "\u2066" for t, _ in phrase) and any(t == "\u2069" for t, _ in phrase)
    mixed_token = next(runs for key, (runs, _) in text.items() if "%s" in key)
    assert ("%s", False) in mixed_token and any(t.startswith("ب") and rtl for t, rtl in mixed_token)
    # a Latin list item keeps the list's direction (no w:bidi="0" of its own)
    item = next(bidi for key, (runs, bidi) in text.items() if key.strip("\u2066\u2069") ==
                "GitHub Explore")
    assert item in (None, "1")


def test_libreoffice_shows_the_latin_runs_as_typed(mixed, tmp_path):
    require_tool("pdftotext", "apt-get install poppler-utils")
    shutil.copy(mixed["docx"], tmp_path / "mixed.docx")
    [pdf] = libreoffice_convert([tmp_path / "mixed.docx"], "pdf", tmp_path)
    words = _words(pdf)
    x = {w[4]: w[0] for w in words}
    assert x["Node.js"] < x["Package"] < x["Manager"]
    assert "96/9/EC" in x and "@benbalter" in x and "@-maintainer" in x
