"""Pages a newspaper would print, measured on the built PDFs of the bundled
article, the news fixtures and a two-column article (A4, A5 and Letter in one
column; A4 and Letter in two): no hole in a column, no heading without its
text, every page but the last run to the text block's foot, only the title
block across both columns, the last page's columns balanced."""

from __future__ import annotations

import pytest

from pipeline.building.builder import BuildSettings, build

from conftest import BUNDLED, FIXTURES
from makeup import (
    baseline_offsets, holes, lonely_headings, opens_with_picture, read_pages, shortfall,
)

TWO_COLUMNS = FIXTURES / "makeup" / "two-columns.md"
ARTICLES = [BUNDLED, *sorted((FIXTURES / "news").glob("*.md")), TWO_COLUMNS]
LAYOUTS = [("a4", 1), ("a5", 1), ("letter", 1), ("a4", 2), ("letter", 2)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """Every article's pages read back, by (article, paper, columns)."""
    out = {}
    for paper, columns in LAYOUTS:
        folder = tmp_path_factory.mktemp(f"{paper}-{columns}")
        settings = BuildSettings(formats=("pdf",), paper=paper, columns=columns, force=True)
        for r in build(ARTICLES, folder, settings):
            assert r.ok, r.error
            out[(r.source.stem, paper, columns)] = read_pages(r.outputs["pdf"], paper, columns)
    return out


CASES = [(a.stem, paper, columns) for a in ARTICLES for paper, columns in LAYOUTS]


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_no_column_holds_a_hole_of_over_three_lines(pages, case):
    found = [(page.number, hole) for page in pages[case] for hole in holes(page)]
    assert found == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_every_heading_has_two_lines_of_its_text_under_it_in_its_column(pages, case):
    found = [(page.number, text) for page in pages[case] for text in lonely_headings(page)]
    assert found == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_every_page_but_the_last_ends_within_two_lines_of_the_foot(pages, case):
    read = pages[case]
    short = []
    for page, following in zip(read, read[1:]):
        for k, lines in enumerate(shortfall(page)):
            # what opens the next column, or the next page: a picture or a
            # table that did not fit leaves its room behind
            after = (page, k + 1) if k + 1 < len(page.columns) else (following, 0)
            if lines > 2 and not opens_with_picture(*after):
                short.append((page.number, k, round(lines, 1)))
    assert short == []


@pytest.mark.parametrize("case", [c for c in CASES if c[2] == 2], ids=lambda c: "-".join(map(str, c)))
def test_only_the_title_block_spans_both_columns(pages, case):
    read = pages[case]
    first_column_line = min(i.top for i in read[0].columns[0])
    assert all(i.bottom <= first_column_line + 1 for i in read[0].spanning)
    assert [i.text for page in read[1:] for i in page.spanning] == []


@pytest.mark.parametrize("case", [c for c in CASES if c[2] == 2], ids=lambda c: "-".join(map(str, c)))
def test_the_last_pages_columns_are_balanced(pages, case):
    last = pages[case][-1]
    ends = [max((i.bottom for i in column), default=None) for column in last.columns]
    # within three lines: a heading's line of white and orphans and widows of
    # two leave no better break in a short last page (seven lines against four)
    balanced = None not in ends and abs(ends[0] - ends[1]) <= 3 * last.line + 1
    # five lines or fewer in all (a question and its three lines of answer):
    # no break can share them out
    few = max(len([i for i in c if i.text]) for c in last.columns) <= 5
    assert balanced or few, ends


@pytest.mark.parametrize("paper", ("a4", "letter"))
@pytest.mark.parametrize("article", (BUNDLED, TWO_COLUMNS), ids=lambda a: a.stem)
def test_the_lines_of_both_columns_stand_on_one_baseline_grid(pages, article, paper):
    offsets = [o for page in pages[(article.stem, paper, 2)] for o in baseline_offsets(page)]
    on_grid = [o for o in offsets if abs(o) <= 0.5]
    # a paragraph whose marks need more leading leaves the grid for its own
    # lines; the block after it comes back
    assert len(offsets) >= 20 and len(on_grid) >= 0.85 * len(offsets), offsets
