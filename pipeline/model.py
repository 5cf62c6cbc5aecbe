"""The document model: what an article is, independent of any output format.

Every writer reads these frozen trees; none rewrites them. Passes that derive
something (heading ids, a table of contents) return new values instead.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Union

# --- inlines -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    """Plain characters, already unescaped."""


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple["Inline", ...]
    """The emphasised inlines."""


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple["Inline", ...]
    """The emphasised inlines."""


@dataclass(frozen=True, slots=True)
class Strikeout:
    children: tuple["Inline", ...]
    """The struck-out inlines (``~~…~~``): text shown as withdrawn."""


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    """Literal characters, shown as typed."""


@dataclass(frozen=True, slots=True)
class Link:
    children: tuple["Inline", ...]
    """The link's visible text."""
    target: str
    """Where the link points, as written in the source."""


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    """The image's path, relative to the article's folder, as written."""
    alt: str
    """The text that stands for the image when it cannot be seen."""
    title: str = ""
    """An optional caption-like title."""


@dataclass(frozen=True, slots=True)
class Isolate:
    """A run that reads in its own direction, kept whole: a Latin name, handle
    or reference ("Node.js Package Manager", "@benbalter", "96/9/EC") inside
    Arabic text. Made by ``transforms.isolate_runs``, not by the reader."""

    children: tuple["Inline", ...]
    """The run's inlines (its text, and any emphasis or link within it)."""
    direction: str = "ltr"
    """The run's direction."""


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote, standing where it is called (``[^id]``): the PDF sets it at
    the foot of that page, the DOCX as a real footnote, the EPUB as a pop-up."""

    blocks: tuple["Block", ...]
    """The note's text."""
    number: int
    """Its number: the calls are numbered 1, 2, 3… in reading order."""
    label: str = ""
    """What the source calls it (``[^prelim]``), so that an import writes it back."""


Inline = Union[Text, Strong, Emphasis, Strikeout, Code, Link, LineBreak, Image, Isolate, Note]

# --- blocks ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    """2 for a section, 3 for a subsection (1 is the article title)."""
    content: tuple[Inline, ...]
    """The heading's text."""
    ident: str = ""
    """A stable identifier for links and navigation; set by transforms.assign_ids."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: tuple[Inline, ...]
    """The paragraph's inlines."""


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple["Block", ...]
    """The item's content; a lead term, when there is one, is not repeated here."""
    lead: tuple[Inline, ...] | None = None
    """The bold term an item opens with (``- **term**: text``), or None."""


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    """The list's items, in order."""


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    """The list's items, in order."""
    start: int = 1
    """The number of the first item."""


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple["Block", ...]
    """The quoted blocks."""


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str
    """Literal lines, shown as typed."""


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    """A change of scene between paragraphs."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    question: tuple[Inline, ...]
    """The question as the reader asks it."""
    answer: tuple["Block", ...]
    """The blocks that answer it."""
    ident: str = ""
    """A stable identifier; set by transforms.assign_ids."""


@dataclass(frozen=True, slots=True)
class Faq:
    entries: tuple[FaqEntry, ...]
    """Question and answer pairs, in order."""


@dataclass(frozen=True, slots=True)
class TableCell:
    content: tuple[Inline, ...]
    """The cell's inlines."""


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[TableCell, ...]
    """The row's cells, in reading order (the first is the right-most in a
    right-to-left table)."""


@dataclass(frozen=True, slots=True)
class Table:
    head: TableRow
    """The header row (repeated on each page a table runs over)."""
    rows: tuple[TableRow, ...]
    """The body rows."""
    aligns: tuple[str, ...]
    """Each column's alignment as the source's colons give it: ``left``,
    ``right``, ``center`` or "" (the text's own direction)."""
    numeric: tuple[bool, ...] = ()
    """Whether each column's body cells are all numbers (set in figures of one
    width, their units under one another)."""


@dataclass(frozen=True, slots=True)
class Figure:
    """An image alone in its paragraph, shown with its caption and credit."""

    image: Image
    """The picture."""
    caption: tuple[Inline, ...] = ()
    """What the picture shows, in words (the image's title in the source)."""
    credit: tuple[Inline, ...] = ()
    """Who made it ("تصوير: …"), set apart from the caption."""


Block = Union[
    Heading, Paragraph, BulletList, OrderedList, BlockQuote, CodeBlock, ThematicBreak, Faq,
    Table, Figure,
]

# --- the article -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Meta:
    title: str
    """The headline."""
    description: str = ""
    """The summary: the deck under the title and the documents' description."""
    lang: str = "ar"
    """BCP 47 language tag of the text."""
    dir: str = "rtl"
    """Base direction of the text: ``rtl`` or ``ltr``."""
    author: str = ""
    """Who wrote it; empty when unsigned."""
    date: _dt.date | None = None
    """Publication date, when given."""
    keywords: tuple[str, ...] = ()
    """Subject keywords for the documents' metadata."""
    ident: str = ""
    """A stable identifier for the publication (the source's ``id``), or empty."""
    paper: str = ""
    """Preferred paper size for print (``a4``, ``a5``, ``letter``), or empty."""
    justify: str = ""
    """How the PDF justifies Arabic lines (``kashida`` or ``spaces``), or empty."""
    digits: str = ""
    """Digits of page and list numbers and dates (``arabic-indic`` or
    ``western``), or empty for the language's own (CLDR)."""
    short_title: str = ""
    """The title the running head shows, when the title is too long for one line."""
    columns: int = 0
    """Text columns on A4 and Letter paper (1 or 2), or 0 for the default (1)."""
    section: str = ""
    """The desk or section the article runs in, shown as a kicker over the
    headline ("اقتصاد"), or empty."""
    tags: tuple[str, ...] = ()
    """Subject tags (with the keywords in every format's metadata)."""
    cover: str = ""
    """The picture the EPUB's cover is made from (a path beside the source), or empty."""
    cover_credit: str = ""
    """Who made the cover picture, or empty."""

    @property
    def subjects(self) -> tuple[str, ...]:
        """Keywords, then tags, each once: the documents' subject metadata."""
        return tuple(dict.fromkeys((*self.keywords, *self.tags)))


@dataclass(frozen=True, slots=True)
class Article:
    meta: Meta
    """What the front matter says."""
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    """The body, in reading order."""
