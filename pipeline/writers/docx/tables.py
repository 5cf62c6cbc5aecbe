"""A table as Word writes one: laid out from the right in a right-to-left
article (``w:bidiVisual``), its header row repeated on every page
(``w:tblHeader``), no row split across pages, the house table style."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...model import Table
from ...transforms import plain_text
from .ooxml import child

FULL_WIDTH = 5000
"""The table's width in fiftieths of a percent: the whole text width."""


def table_element(table: Table, style_id: str, rtl: bool, width_twips: int):
    """The ``w:tbl`` and, for each row, its cells' ``w:tc`` (to fill)."""
    columns = max(len(table.head.cells), *(len(r.cells) for r in table.rows)) \
        if table.rows else len(table.head.cells)
    tbl = OxmlElement("w:tbl")
    pr = child(tbl, "w:tblPr")
    child(pr, "w:tblStyle", w_val=style_id)
    if rtl:
        child(pr, "w:bidiVisual")
    child(pr, "w:tblW", w_w=FULL_WIDTH, w_type="pct")
    child(pr, "w:tblLook", w_val="04A0", w_firstRow=1, w_lastRow=0, w_firstColumn=0,
          w_lastColumn=0, w_noHBand=1, w_noVBand=1)
    grid = child(tbl, "w:tblGrid")
    widths = column_widths(table, columns, width_twips)
    for width in widths:
        grid.append(OxmlElement("w:gridCol", {qn("w:w"): str(width)}))
    rows = []
    for k, row in enumerate((table.head, *table.rows)):
        tr = OxmlElement("w:tr")
        tr_pr = child(tr, "w:trPr")
        child(tr_pr, "w:cantSplit")
        if k == 0:
            child(tr_pr, "w:tblHeader")
        cells = []
        for n in range(columns):
            tc = OxmlElement("w:tc")
            child(child(tc, "w:tcPr"), "w:tcW", w_w=widths[n], w_type="dxa")
            tr.append(tc)
            cells.append((tc, row.cells[n].content if n < len(row.cells) else ()))
        tbl.append(tr)
        rows.append(cells)
    return tbl, rows


def column_widths(table: Table, columns: int, width_twips: int) -> list[int]:
    """Each column's share of the text width, after its longest cell (a
    header of two words is not wrapped for a column of two-digit numbers);
    no column under a tenth of its fair share."""
    longest = [3] * columns
    for row in (table.head, *table.rows):
        for n, cell in enumerate(row.cells[:columns]):
            longest[n] = max(longest[n], len(plain_text(cell.content)))
    floor = sum(longest) / columns / 10
    weights = [max(w, floor) for w in longest]
    return [int(width_twips * w / sum(weights)) for w in weights]


def cell_alignment(table: Table, column: int, rtl: bool) -> str | None:
    """The ``w:jc`` of a column's paragraphs. In a right-to-left paragraph
    Word and LibreOffice read ``left`` as the start (right) side, so a
    physical side is swapped there; numbers sit against the right edge,
    units under units."""
    align = table.aligns[column] if column < len(table.aligns) else ""
    if not align and column < len(table.numeric) and table.numeric[column]:
        align = "right"
    if align == "center":
        return "center"
    if align in ("left", "right"):
        if rtl:
            return "right" if align == "left" else "left"
        return align
    return None
