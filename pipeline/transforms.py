"""Pure passes over the model: each takes a tree and returns a new one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from typing import Iterator

from .pages import SMALL_TABLE_TYPE, TABLE_TYPE, table_setting
from .model import (
    Article, Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, Figure, Heading,
    Image, Inline, Isolate, LineBreak, Link, ListItem, Note, OrderedList, Paragraph, Strikeout,
    Strong, Table, TableCell, TableRow, Text,
)

WRAPPERS = (Strong, Emphasis, Strikeout, Link, Isolate)
"""The inlines that hold other inlines (``children``)."""


def assign_ids(article: Article) -> Article:
    """Give every heading and FAQ entry a stable id (``s1``, ``s2``…, ``q1``…)."""
    counters = {"s": 0, "q": 0}

    def next_id(prefix: str) -> str:
        counters[prefix] += 1
        return f"{prefix}{counters[prefix]}"

    def block(b: Block) -> Block:
        if isinstance(b, Heading):
            return replace(b, ident=next_id("s"))
        if isinstance(b, Faq):
            return Faq(tuple(replace(e, ident=next_id("q"), answer=tuple(map(block, e.answer)))
                             for e in b.entries))
        if isinstance(b, (BulletList, OrderedList)):
            return replace(b, items=tuple(replace(i, blocks=tuple(map(block, i.blocks)))
                                          for i in b.items))
        if isinstance(b, BlockQuote):
            return BlockQuote(tuple(map(block, b.blocks)))
        return b

    return replace(article, blocks=tuple(map(block, article.blocks)))


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The characters a reader sees, without markup."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        elif isinstance(node, Image):
            parts.append(node.alt)
        elif isinstance(node, WRAPPERS):
            parts.append(plain_text(node.children))
        # a Note is not part of its paragraph's text: it is set elsewhere
    return "".join(parts)


def block_text(block: Block) -> str:
    """The characters a block shows, its paragraphs and items joined by
    spaces (a footnote's list or quote set as one line)."""
    if isinstance(block, (Heading, Paragraph)):
        return plain_text(block.content)
    if isinstance(block, CodeBlock):
        return block.text
    if isinstance(block, BlockQuote):
        return " ".join(map(block_text, block.blocks))
    if isinstance(block, (BulletList, OrderedList)):
        return " ".join(map(item_text, block.items))
    return ""


def item_text(item: ListItem) -> str:
    """A list item's characters: its lead term, then its blocks."""
    return plain_text(item.lead or ()) + " ".join(map(block_text, item.blocks))


def table_min_width_em(table: Table, width_em=None) -> float:
    """About how wide ``table`` must be, in ems of its type, with each cell
    wrapped at every space: its longest word in each column (``width_em(word,
    bold)``, half an em a character when not given) and the cells' padding.
    Past the page's measure it cannot fit without smaller type or broken words."""
    width_em = width_em or (lambda word, bold: 0.5 * len(word))
    columns: dict[int, float] = {}
    for row in (table.head, *table.rows):
        for n, cell in enumerate(row.cells):
            words = plain_text(cell.content).split() or [""]
            longest = max(width_em(w, row is table.head) for w in words)
            columns[n] = max(columns.get(n, 0.0), longest)
    return sum(longest + 1.0 for longest in columns.values())


def table_narrowest_em(table: Table, width_em=None) -> float:
    """About how narrow ``table`` can be set at all, in ems of its type: each
    word broken down to its widest letter (the print stylesheet breaks a
    too-wide table's words anywhere), and the cells' padding, in the smaller
    type such a table gets (``pages.SMALL_TABLE_TYPE``)."""
    width_em = width_em or (lambda word, bold: 0.5 * len(word))
    columns: dict[int, float] = {}
    for row in (table.head, *table.rows):
        for n, cell in enumerate(row.cells):
            letters = set(plain_text(cell.content).replace(" ", ""))
            widest = max((width_em(ch, row is table.head) for ch in letters), default=0.0)
            columns[n] = max(columns.get(n, 0.0), widest)
    return sum(widest + 0.6 for widest in columns.values()) * SMALL_TABLE_TYPE


def fit_table(table: Table, column_em: float, block_em: float,
              width_em=None) -> tuple[str, float]:
    """How the PDF sets ``table`` on a page whose column and text block are
    ``column_em`` and ``block_em`` wide (body ems) — ``pages.table_setting``
    on the table's measured words — and the width its words need (body ems):
    measured once a build (``facts.ArticleFacts.tables``), for the build's
    warning and the writer alike."""
    needed = table_min_width_em(table, width_em) * TABLE_TYPE
    return table_setting(needed, column_em, block_em,
                         table_narrowest_em(table, width_em) * TABLE_TYPE), needed


def split_sections(blocks: tuple[Block, ...]) -> list[tuple[Block, ...]]:
    """Blocks cut before every level-2 heading; the first part may have none."""
    parts: list[list[Block]] = [[]]
    for b in blocks:
        if isinstance(b, Heading) and b.level <= 2 and parts[-1]:
            parts.append([])
        parts[-1].append(b)
    return [tuple(p) for p in parts if p]



def block_direction(inlines: tuple[Inline, ...], base: str) -> str | None:
    """The direction a block needs when it differs from the document's ``base``:
    a quotation in English inside an Arabic article reads left to right.

    A block turns only when its first letter and most of its letters agree:
    an Arabic paragraph that opens with a Latin name ("GitHub هو …") or quotes
    code stays right to left, where HTML's first-letter ``dir="auto"`` would
    turn it."""
    first = None
    counts = {"ltr": 0, "rtl": 0}
    for ch in plain_text(inlines):
        kind = unicodedata.bidirectional(ch)
        direction = "ltr" if kind == "L" else "rtl" if kind in ("R", "AL") else None
        if direction:
            first = first or direction
            counts[direction] += 1
    if first is None or first == base:
        return None
    return first if counts[first] > counts[base] else None


def iter_nodes(article: Article) -> Iterator[object]:
    """Every block, list item, FAQ entry and inline of the body, in reading order."""
    def visit(node) -> Iterator[object]:
        yield node
        # a list item's lead term comes before its text, whatever the field order
        names = ("lead", "blocks") if isinstance(node, ListItem) else getattr(
            node, "__slots__", ())
        for name in names:
            value = getattr(node, name)
            if isinstance(value, tuple):
                for child in value:
                    yield from visit(child)
            elif hasattr(value, "__slots__") and not isinstance(value, str):
                yield from visit(value)  # a table's head row, a figure's image
    for b in article.blocks:
        yield from visit(b)


def images(article: Article) -> list[Image]:
    """Every image the article shows, in reading order (repeats included)."""
    return [n for n in iter_nodes(article) if isinstance(n, Image)]


def article_text(article: Article) -> str:
    """Every character the article itself shows: front matter, text, alt text."""
    meta = article.meta
    parts = [meta.title, meta.description, meta.author, " ".join(meta.subjects),
             meta.section, meta.cover_credit]
    for node in iter_nodes(article):
        if isinstance(node, (Text, Code, CodeBlock)):
            parts.append(node.text)
        elif isinstance(node, Image):
            parts.append(node.alt + node.title)
    return "\n".join(parts)


# Quranic pause marks (small high ligatures and letters, U+06D6–U+06DC) written
# after a space in plain-text Quran editions; printed, they sit on the end of
# the word before them.
_SPACED_PAUSE_MARK = re.compile("[ \u00a0]+(?=[\u06d6-\u06dc])")
WORD_JOINER = "\u2060"


def attach_pause_marks(article: Article) -> Article:
    """Each Quranic pause mark joined to the word before it: the space before it
    becomes U+2060 WORD JOINER, so that no line starts with the mark and no
    renderer sets it alone over a space."""
    def inline(node: Inline) -> Inline:
        if isinstance(node, Text) and _SPACED_PAUSE_MARK.search(node.text):
            return Text(_SPACED_PAUSE_MARK.sub(WORD_JOINER, node.text))
        if isinstance(node, WRAPPERS):
            return replace(node, children=tuple(map(inline, node.children)))
        return node

    return map_inlines(article, lambda content, _in_list: tuple(map(inline, content)))


def map_inlines(article: Article, change) -> Article:
    """``article`` with every inline sequence (headings, paragraphs, list lead
    terms, FAQ questions, table cells, captions, footnotes) replaced by
    ``change(sequence, in_list)``, where ``in_list`` is true for a list item's
    own lead and paragraphs and for table cells: text that keeps its
    container's direction, whatever its letters."""
    def inlines(content: tuple[Inline, ...], in_list: bool) -> tuple[Inline, ...]:
        return tuple(map(notes, change(content, in_list)))

    def notes(node: Inline) -> Inline:
        """A footnote's own blocks changed too, wherever it is called."""
        if isinstance(node, Note):
            return replace(node, blocks=tuple(map(block, node.blocks)))
        if isinstance(node, WRAPPERS):
            children = tuple(map(notes, node.children))
            if any(a is not b for a, b in zip(children, node.children)):
                return replace(node, children=children)
        return node

    def row(r: TableRow) -> TableRow:
        # a cell, like a list item, keeps its table's direction
        return TableRow(tuple(TableCell(inlines(c.content, True)) for c in r.cells))

    def block(b: Block, in_list: bool = False) -> Block:
        if isinstance(b, Heading):
            return replace(b, content=inlines(b.content, False))
        if isinstance(b, Paragraph):
            return replace(b, content=inlines(b.content, in_list))
        if isinstance(b, (BulletList, OrderedList)):
            return replace(b, items=tuple(
                replace(i, lead=inlines(i.lead, True) if i.lead is not None else None,
                        blocks=tuple(block(x, True) for x in i.blocks)) for i in b.items))
        if isinstance(b, BlockQuote):
            return BlockQuote(tuple(map(block, b.blocks)))
        if isinstance(b, Faq):
            return Faq(tuple(replace(e, question=inlines(e.question, False),
                                     answer=tuple(map(block, e.answer))) for e in b.entries))
        if isinstance(b, Table):
            return replace(b, head=row(b.head), rows=tuple(map(row, b.rows)))
        if isinstance(b, Figure):
            return replace(b, caption=inlines(b.caption, False),
                           credit=inlines(b.credit, False))
        return b

    return replace(article, blocks=tuple(map(block, article.blocks)))
