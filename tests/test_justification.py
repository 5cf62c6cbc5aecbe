"""Justified Arabic as the PDF sets it, measured from the PDF alone
(tests/helpers/justification.py: each word's drawn width against HarfBuzz's,
the gaps between words), on the bundled article, every corpus article and
two articles of our own, in both justification modes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.assets import FONTS_DIR
from pipeline.building.builder import BuildSettings, build

from conftest import BUNDLED, CORPUS, FIXTURES

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from justification import measure  # noqa: E402

ARTICLES = [BUNDLED, FIXTURES / "news" / "desk-report.md", FIXTURES / "news" / "wire-story.md"] \
    + (sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCES.md") if CORPUS.is_dir()
       else [])


@pytest.fixture(scope="module")
def measured(tmp_path_factory, article_build):
    pytest.importorskip("pymupdf")
    out = tmp_path_factory.mktemp("justified")
    reports = {}
    for justify in ("kashida", "spaces"):
        # kashida is the default: the shared builds are those PDFs
        results = [article_build(source) for source in ARTICLES] if justify == "kashida" \
            else build(ARTICLES, out / justify,
                       BuildSettings(formats=("pdf",), force=True, justify=justify))
        for result in results:
            assert result.ok, result.error
            reports[justify, result.source.stem] = measure(result.outputs["pdf"], FONTS_DIR)
    return reports


@pytest.mark.parametrize("source", ARTICLES, ids=lambda p: p.stem)
def test_kashidas_are_few_short_and_apart(measured, source):
    report = measured["kashida", source.stem]
    summary = report.summary()
    assert summary["lines"] >= 3, summary
    assert summary["kashidas_mean"] <= 1.5, summary
    assert summary["kashidas_max"] <= 3, summary
    assert summary["longest_em"] <= 0.5 + 0.002, summary  # measured to a thousandth
    assert report.short_word_kashidas() == [], summary
    assert summary["neighbours"] == 0, summary
    assert summary["space_p95"] <= 0.5, summary


@pytest.mark.parametrize("source", ARTICLES, ids=lambda p: p.stem)
def test_spaces_alone_stay_even(measured, source):
    summary = measured["spaces", source.stem].summary()
    assert summary["kashidas_max"] <= 1, summary  # measurement noise, no elongation
    assert summary["space_p95"] <= 0.6, summary
    assert summary["space_max"] <= 1.0, summary


def test_the_bundled_article_was_measured_as_the_issue_measured_it(measured):
    """The measure itself: the bundled article's full lines are counted, and
    its word spaces sit between the font's own space and half an em."""
    report = measured["kashida", BUNDLED.stem]
    spaces = sorted(report.spaces())
    assert len(report.lines) >= 60 and len(spaces) >= 400
    assert 0.2 <= spaces[len(spaces) // 2] <= 0.45


@pytest.mark.parametrize("source", ARTICLES, ids=lambda p: p.stem)
def test_no_ink_of_one_line_touches_the_next(tmp_path, source):
    """Each page drawn twice, its odd lines' text alone and its even lines'
    alone: no pixel inked in both (touching counts). Vowelled text gets the
    leading its marks need, and pause marks sit on their words."""
    pytest.importorskip("pymupdf")
    from ink import touching_lines
    [result] = build([source], tmp_path, BuildSettings(formats=("pdf",), force=True))
    assert result.ok, result.error
    assert touching_lines(result.outputs["pdf"]) == []


def test_the_ink_check_sees_lines_that_touch(tmp_path):
    """The check itself: the sura set at the body's own leading, its pause
    marks where the font puts them, touches (rendered in this process, with
    both measures switched off)."""
    pytest.importorskip("pymupdf")
    import datetime as dt

    from ink import touching_lines

    from pipeline.building.builder import load_article
    from pipeline.options import WriterOptions
    from pipeline.writers import html, pdf
    from pipeline.writers.pdf import lines as pdf_lines
    sura = CORPUS / "quran_019_maryam.md"
    if not sura.is_file():
        pytest.skip(f"the corpus is not at {CORPUS}")
    options = WriterOptions(identifier="urn:test", timestamp=dt.datetime(2024, 6, 11))
    saved = html.paragraph_leading, html.vowelled_leading, pdf_lines.PAUSE_MARK_GAP_EM
    html.paragraph_leading = lambda content, composition: None
    html.vowelled_leading = lambda paragraphs, composition: None
    pdf_lines.PAUSE_MARK_GAP_EM = 10.0  # never lowered
    try:
        data, _ = pdf.render(load_article(sura), options)
    finally:
        html.paragraph_leading, html.vowelled_leading, pdf_lines.PAUSE_MARK_GAP_EM = saved
    (tmp_path / "sura.pdf").write_bytes(data)
    assert touching_lines(tmp_path / "sura.pdf") != []


def test_double_spaces_lose_no_word_and_stay_on_the_page(tmp_path):
    """Two spaces are one glue: the layout engine collapses them, so the
    composer's word joiner goes after the last (after the first, it joined
    the whole paragraph into one line off the page)."""
    pytest.importorskip("pymupdf")
    import pymupdf
    words = ["كلمة", "عربية", "طويلة"] * 12
    source = tmp_path / "double.md"
    source.write_text('---\ntitle: "ت"\n---\n' + "  ".join(words) + ".  ثم " +
                      "  ".join(words) + "\n", encoding="utf-8")
    [result] = build([source], tmp_path / "out", BuildSettings(formats=("pdf",), force=True))
    assert result.ok, result.error
    with pymupdf.open(str(result.outputs["pdf"])) as document:
        shown = [(w[4], w[0], w[2], page.rect.width) for page in document
                 for w in page.get_text("words")]
    assert sum(1 for w in shown if w[0].strip(".") in words) == 2 * len(words)
    assert [w for w in shown if w[1] < 0 or w[2] > w[3]] == []
