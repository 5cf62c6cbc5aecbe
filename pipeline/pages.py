"""Paper and measure: one table for every format that has pages (PDF, DOCX).

A comfortable line holds 60–75 characters; one 170 mm column at 11.5 pt held
113–129. Each paper's layout below sets the text block and the body size so
that a full line of Arabic holds about 70 characters (at most 80) on A4 and
Letter, about 70 on A5, and about 55 in each of two columns; the outer margin
is about twice the inner one, as in a book. tests/test_pages.py measures the
built PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Paper:
    name: str
    """The setting's value: ``a4``, ``a5`` or ``letter``."""
    css: str
    """The CSS page size."""
    width_mm: float
    height_mm: float


PAPERS = {p.name: p for p in (Paper("a4", "A4", 210.0, 297.0), Paper("a5", "A5", 148.0, 210.0),
                              Paper("letter", "letter", 215.9, 279.4))}
"""Every paper the pipeline sets, by the name settings and front matter use."""

COLUMNS = (1, 2)
"""The text columns a page may set (A5 always sets one)."""

JUSTIFICATIONS = ("kashida", "spaces")
"""How justified lines take their slack: elongated joins, or word spaces only."""


@dataclass(frozen=True, slots=True)
class Layout:
    """The measure on one paper: body size and the margins either side of the
    text block (the inner one on the binding side)."""

    body_pt: float
    inner_mm: float
    outer_mm: float
    columns: int = 1
    top_mm: float = 26.0
    bottom_mm: float = 26.0

    def text_width_mm(self, paper: str) -> float:
        return PAPERS[paper].width_mm - self.inner_mm - self.outer_mm


LAYOUTS = {
    ("a4", 1): Layout(14.0, 30, 60), ("letter", 1): Layout(14.0, 32, 64),
    ("a5", 1): Layout(11.0, 17, 28),
    ("a4", 2): Layout(11.5, 18, 22, 2), ("letter", 2): Layout(11.5, 19, 23, 2),
}


def layout(paper: str, columns: int = 1) -> Layout:
    """The layout of ``paper`` in ``columns`` (A5 always sets one column)."""
    return LAYOUTS.get((paper, columns)) or LAYOUTS[(paper, 1)]


COLUMN_GAP_MM = 7.0
"""The gap between text columns (print.css.j2: ``column-gap``)."""
TABLE_TYPE = 0.92
"""A table's type size against the body's (print.css.j2: ``table { font-size }``)."""


LEADING = 1.8
"""The body's distance between baselines, in ems (print.css.j2); vowelled
paragraphs get more where their marks need it (``breaks.paragraph_leading``)."""


def measure_em(paper: str, columns: int = 1, across: bool = False) -> float:
    """The width a table has on ``paper``, in ems of the body type: the text
    block, or one of its columns (a table flows down the columns, its header
    row repeated at the top of each); ``across``: the whole text block of
    that layout, columns and gaps together."""
    measure = layout(paper, columns)
    width_mm = measure.text_width_mm(paper)
    if measure.columns > 1 and not across:
        width_mm = (width_mm - COLUMN_GAP_MM * (measure.columns - 1)) / measure.columns
    return width_mm * 72 / 25.4 / measure.body_pt


SMALL_TABLE_TYPE = 0.78
"""A too-wide table's type against a table's (print.css.j2: ``table.wide``)."""


def table_setting(needed_em: float, column_em: float, block_em: float,
                  narrowest_em: float = 0.0) -> str:
    """How a table whose words need ``needed_em`` (wrapped at every space, in
    ems of the body type) is set: ``column`` where the measure holds it (the
    text block, or one column of two); ``across`` both columns where only the
    whole text block does; ``small`` where nothing does (smaller type, long
    words broken, and across both columns in a two-column page); ``stacked``
    where even that is wider than the text block (``narrowest_em``: every
    word broken down to its widest letter, in the small type) — each row
    then stands as "header: value" lines, never past the page. The PDF
    writer sets it so and the build warns of ``small`` and ``stacked`` by
    this one rule."""
    if needed_em <= column_em:
        return "column"
    if needed_em <= block_em:
        return "across"
    return "stacked" if narrowest_em > block_em else "small"
