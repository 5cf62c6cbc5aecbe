"""A GFM pipe table from markdown-it's tree: header row, body rows, each
column's alignment, and which columns hold numbers only."""

from __future__ import annotations

import re
from typing import Callable

from markdown_it.tree import SyntaxTreeNode

from ..model import Inline, Table, TableCell, TableRow
from ..transforms import plain_text

NUMBER = re.compile(r"[+\-\u2212]?[\d\u0660-\u0669\u06f0-\u06f9]+"
                    r"([.,\u066b\u066c\u060c][\d\u0660-\u0669\u06f0-\u06f9]+)*\s*[%\u066a]?")
"""A number as a results table writes one: Western or Arabic-Indic digits,
grouping and decimal separators, a sign, a percent."""
_EMPTY = ("", "-", "\u2013", "\u2014")


def read_table(node: SyntaxTreeNode,
               inline: Callable[[SyntaxTreeNode | None], tuple[Inline, ...]]) -> Table:
    """The table at ``node``; ``inline`` reads a cell's inline node."""
    head, *body = [row for part in node.children for row in part.children]
    aligns = tuple(_alignment(cell) for cell in head.children)

    def row(tr: SyntaxTreeNode) -> TableRow:
        return TableRow(tuple(TableCell(inline(cell.children[0] if cell.children else None))
                              for cell in tr.children))

    rows = tuple(map(row, body))
    numeric = []
    for k in range(len(aligns)):
        values = [plain_text(r.cells[k].content).strip() for r in rows if k < len(r.cells)]
        values = [v for v in values if v not in _EMPTY]
        numeric.append(bool(values) and all(NUMBER.fullmatch(v) for v in values))
    return Table(head=row(head), rows=rows, aligns=aligns, numeric=tuple(numeric))


def _alignment(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style") or "")
    return style.split(":", 1)[1] if style.startswith("text-align:") else ""
