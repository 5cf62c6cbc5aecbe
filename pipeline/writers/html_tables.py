"""Tables as HTML: a grid where the page or screen holds it (smaller and
across both columns where it must), each row as "header: value" lines where
no page holds it even so (``transforms.fit_table``), a sideways scroll on
screens. ``r`` is the document's ``HtmlRenderer``: its inlines, direction and
page measure."""

from __future__ import annotations

from ..model import Table, TableRow
from ..transforms import fit_table

WHOLE_TABLE_ROWS = 10
"""A table of this many rows or fewer is never split over pages or columns."""


def table_html(r, table: Table) -> str:
    """A table in the document's direction (its first column on the
    start side), header cells scoped to their columns, numbers set in
    figures of one width."""
    def cells(row: TableRow, tag: str) -> str:
        out = []
        for k, cell in enumerate(row.cells):
            align = table.aligns[k] if k < len(table.aligns) else ""
            numeric = k < len(table.numeric) and table.numeric[k]
            classes = " ".join(filter(None, ("num" if numeric and tag == "td" else "",
                                             f"align-{align}" if align else "")))
            attrs = (' scope="col"' if tag == "th" else "") + \
                (f' class="{classes}"' if classes else "")
            out.append(f"<{tag}{attrs}>{r.inlines(cell.content)}</{tag}>")
        return "<tr>" + "".join(out) + "</tr>\n"

    block_em = r.block_em or r.measure_em
    # measured by the build (facts.ArticleFacts.tables), else by a writer
    # called on its own; a table is hashed whole, so looked up once
    fit = r.table_fits.get(table) if r.measure_em else ("column", 0.0)
    setting = (fit or fit_table(table, r.measure_em, block_em, r.width_em))[0]
    if setting == "stacked":
        return stacked_table(r, table)
    body = "".join(cells(r, "td") for r in table.rows)
    classes = " ".join(filter(None, ("wide" if setting == "small" else "",
                                     "whole" if len(table.rows) <= WHOLE_TABLE_ROWS else "")))
    classes = f' class="{classes}"' if classes else ""
    table_html = (f'<table dir="{r.base_dir}"{classes}>\n<thead>\n{cells(table.head, "th")}'
                  f"</thead>\n<tbody>\n{body}</tbody>\n</table>\n")
    if r.measure_em:  # a page: the print stylesheet fits it to the measure
        if setting != "column" and block_em > r.measure_em:
            # across both columns (column-span holds for a block, not a table)
            return f'<div class="across">\n{table_html}</div>\n'
        return table_html
    # a screen: a wide table scrolls on its own, the page does not
    return f'<div class="table-scroll">\n{table_html}</div>\n'

def stacked_table(r, table: Table) -> str:
    """A table no page holds even in small type, as a page sets it: each
    row a block of "header: value" lines, across both columns."""
    records = []
    for row in table.rows:
        lines = []
        for k, cell in enumerate(row.cells):
            head = table.head.cells[k].content if k < len(table.head.cells) else ()
            label = f'<span class="label">{r.inlines(head)}</span>: ' if head else ""
            lines.append(f"<p>{label}{r.inlines(cell.content)}</p>")
        records.append('<div class="record">' + "".join(lines) + "</div>\n")
    return f'<div class="stacked across" dir="{r.base_dir}">\n{"".join(records)}</div>\n'
