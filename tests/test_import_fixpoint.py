"""build → import → build is a fixpoint: an unedited DOCX comes back as the
source written by the Markdown writer (for an article written that way, the
source as written), and building that again gives the same model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.reader.frontmatter import typed_front_matter
from pipeline.commands.docx_import import import_docx
from pipeline.reader import read_article
from pipeline.writers.markdown import write

from conftest import BUNDLED, CORPUS, FIXTURES
from schema_order import assert_schema_order

NEWS = sorted((FIXTURES / "news").glob("*.md"))
METACHARACTERS = FIXTURES / "markdown" / "metacharacters.md"


def _round_trip(source: Path, folder: Path) -> tuple[str, str]:
    """(the source as the Markdown writer writes it, the unedited DOCX imported)."""
    folder.mkdir(parents=True, exist_ok=True)
    for picture in (FIXTURES / "news").glob("*.png"):
        shutil.copy(picture, folder / picture.name)
    text = source.read_text(encoding="utf-8")
    (folder / source.name).write_text(text, encoding="utf-8")
    [result] = build([folder / source.name], folder / "out",
                     BuildSettings(formats=("docx",), force=True))
    assert result.ok, result.error
    assert_schema_order(result.outputs["docx"])  # the round trip's DOCX too: Word's gate
    imported = import_docx(result.outputs["docx"])
    assert imported.warnings == []
    return write(read_article(text)[0], front=typed_front_matter(text)), imported.source


def _assert_fixpoint(source: Path, folder: Path) -> None:
    normalised, back = _round_trip(source, folder)
    assert back == normalised
    again = folder / "again"
    again.mkdir()
    (again / source.name).write_text(back, encoding="utf-8")
    assert _round_trip(again / source.name, again / "build")[1] == back


@pytest.mark.parametrize("source", [BUNDLED, *NEWS, METACHARACTERS], ids=lambda p: p.name)
def test_an_unedited_docx_imports_as_the_source(source, tmp_path):
    _assert_fixpoint(source, tmp_path)


@pytest.mark.parametrize("source", [BUNDLED, FIXTURES / "news" / "election-results.md",
                                    FIXTURES / "news" / "wire-story.md"], ids=lambda p: p.name)
def test_an_unedited_round_trip_gives_the_source_back_as_typed(source, tmp_path):
    """Front matter as typed (key order, quotes, comments), notes' labels
    (``[^prelim]``), header cells, numbered lists: the diff is empty."""
    assert _round_trip(source, tmp_path)[1] == source.read_text(encoding="utf-8")


def test_a_source_of_another_blank_line_style_differs_in_blank_lines_only(tmp_path):
    """The FAQ's fences are written with blank lines around them, as the
    bundled article writes them; one written tight comes back otherwise whole."""
    source = FIXTURES / "news" / "desk-report.md"
    back = _round_trip(source, tmp_path)[1]
    assert back != source.read_text(encoding="utf-8")
    assert [ln for ln in back.splitlines() if ln] == \
        [ln for ln in source.read_text(encoding="utf-8").splitlines() if ln]


def test_every_corpus_text_imports_as_the_source(tmp_path):
    texts = sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md") \
        if CORPUS.is_dir() else []
    if not texts:
        pytest.skip(f"the corpus is not at {CORPUS}")
    for source in texts:
        _assert_fixpoint(source, tmp_path / source.stem)


def test_the_import_reads_the_style_names_the_writer_sets_from_one_map():
    import re

    from pipeline.reader.frontmatter import FRONT_MATTER_KEYS
    from pipeline.writers.docx import names
    from pipeline.writers.docx.styles import PARAGRAPH_STYLES
    shared = [names.KICKER, names.TITLE, names.SUBTITLE, names.BYLINE, names.NORMAL,
              names.QUOTE, names.SOURCE_CODE, names.CAPTION, names.CREDIT, names.TABLE_TEXT,
              names.FOOTNOTE_TEXT, names.FAQ_QUESTION, names.FAQ_ANSWER, names.LIST_BULLET,
              names.LIST_NUMBER, names.LIST_CONTINUE, f"{names.HEADING} 1"]
    assert [n for n in shared if n not in PARAGRAPH_STYLES] == []
    # neither side spells a style name of the map again
    root = Path(__file__).resolve().parent.parent / "pipeline"
    for module in (root / "commands" / "docx_import.py", root / "writers" / "docx" / "__init__.py"):
        text = module.read_text(encoding="utf-8")
        # ("title" is also the front matter's key)
        spelled = [n for n in shared if re.search(f'"{re.escape(n)}"', text, re.I)
                   and n.lower() not in FRONT_MATTER_KEYS]
        assert spelled == [], (module.name, spelled)
