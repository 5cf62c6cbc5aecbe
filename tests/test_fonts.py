"""The shipped fonts (pipeline/fonts.py): which faces there are, what they
cover, how they are subset, and what a damaged font folder gets."""

from __future__ import annotations

import io

import pytest

from pipeline.errors import PipelineError
from pipeline.fonts import (
    FONTS_DIR, coverage, family_for, shipped_faces, subset_font, text_faces, woff2,
)


def test_the_text_family_has_four_faces_and_an_emoji_face_beside_it():
    faces = shipped_faces()
    text = text_faces()
    assert len(text) == 4 and {(f.bold, f.italic) for f in text} == {
        (False, False), (True, False), (False, True), (True, True)}
    assert len(faces) == 5 and all(f.path.is_file() for f in faces)


def test_coverage_knows_arabic_latin_and_emoji_and_not_cjk():
    covered = coverage()
    for ch in "بسم الله ABC ١٢٣ ، ؛ ؟ ﷺ":
        assert ord(ch) in covered or ch == " ", ch
    assert ord("漢") not in covered
    assert family_for("ب") == text_faces()[0].family
    assert family_for("漢") is None


def test_a_subset_holds_what_the_text_needs_and_is_smaller():
    from fontTools.ttLib import TTFont
    face = text_faces()[0]
    data = subset_font(face, "سلام")
    assert len(data) < face.path.stat().st_size / 5
    font = TTFont(io.BytesIO(data))
    assert {ord(c) for c in "سلام"} <= set(font.getBestCmap())
    assert woff2(data)[:4] == b"wOF2"


def test_a_folder_missing_a_face_is_refused_by_name(tmp_path):
    with pytest.raises(PipelineError, match="font file missing: .*Amiri"):
        shipped_faces(tmp_path)


def test_a_copy_of_the_shipped_folder_is_accepted(tmp_path):
    for face in shipped_faces(FONTS_DIR):
        (tmp_path / face.path.name).write_bytes(face.path.read_bytes())
    assert [f.path.name for f in shipped_faces(tmp_path)] == \
        [f.path.name for f in shipped_faces(FONTS_DIR)]
