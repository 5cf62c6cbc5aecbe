"""What a footnote may hold. A note is set small and in one place — at the
page foot, as a Word footnote, as a pop-up — as lines of text: a table, a
FAQ or a figure written inside one becomes its lines here, with a warning,
so that every format shows the same words and none is lost."""

from __future__ import annotations

from ..errors import Diagnostic
from ..model import (
    Block, BlockQuote, BulletList, Faq, Figure, Inline, ListItem, OrderedList, Paragraph, Strong,
    Table, Text,
)

_AS_LINES = {
    Table: "a table inside a footnote is set as lines of text, a row a line",
    Faq: "a FAQ inside a footnote is set as lines of text, each question in bold",
    Figure: "a figure inside a footnote is set as one line: its picture is left out, "
            "its caption and credit kept",
}


def _joined(parts: list[tuple[Inline, ...]], separator: str) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for part in (p for p in parts if p):
        if out:
            out.append(Text(separator))
        out.extend(part)
    return tuple(out)


def note_blocks(blocks: list[Block], line: int | None
                ) -> tuple[tuple[Block, ...], list[Diagnostic]]:
    """``blocks`` as a note holds them, and a warning for each kind of block
    that was set as lines."""
    warned: dict[type, Diagnostic] = {}

    def lines(block: Block) -> list[Block]:
        kind = type(block)
        if kind in _AS_LINES and kind not in warned:
            warned[kind] = Diagnostic(_AS_LINES[kind], line=line, severity="warning",
                                      hint="move it into the article's text and refer to it "
                                           "from the note")
        if isinstance(block, Table):
            return [Paragraph(_joined([c.content for c in row.cells], " — "))
                    for row in (block.head, *block.rows)]
        if isinstance(block, Faq):
            return [b for e in block.entries
                    for b in (Paragraph((Strong(e.question),)), *flat(e.answer))]
        if isinstance(block, Figure):
            return [Paragraph(_joined([block.caption, block.credit], " — ")
                              or (Text(block.image.alt),))]
        if isinstance(block, BlockQuote):
            return [BlockQuote(flat(block.blocks))]
        if isinstance(block, (BulletList, OrderedList)):
            items = tuple(ListItem(blocks=flat(i.blocks), lead=i.lead) for i in block.items)
            return [type(block)(items, **({"start": block.start}
                                          if isinstance(block, OrderedList) else {}))]
        return [block]

    def flat(inner) -> tuple[Block, ...]:
        return tuple(b for block in inner for b in lines(block))

    return flat(blocks), list(warned.values())
