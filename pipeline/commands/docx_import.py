"""An edited DOCX → the Markdown source again: the other half of the editors'
loop (``pipeline import EDITED.docx``).

Read with python-docx (the package, styles, relationships) and its lxml
trees. The document's structure comes from its paragraph styles — the ones
the DOCX writer sets, under either spelling of their names — so what an
editor restyled in Word or LibreOffice still reads as a heading or a list
item; a style it does not know is read as a paragraph, with a warning naming
the style. The front matter comes from the title block, the core properties
and the custom property the writer left (``writers.docx.package``). What is
read is the article model; the one Markdown writer (``writers.markdown``)
writes the source, so that an unedited document comes back as the source
that writer writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..errors import Diagnostic, PipelineError
from ..model import (
    Article, BlockQuote, BulletList, CodeBlock, Faq, FaqEntry, Figure, Heading, Image,
    OrderedList, Paragraph, Table, TableCell, TableRow, Text, ThematicBreak,
)
from ..writers.docx import names
from ..writers.docx.names import STRUCTURAL
from ..writers.docx.ooxml import FAQ_BOOKMARK
from ..writers.markdown import write
from .docx_package import (
    faq_ends, flatten, is_picture, list_id, list_level, list_starts, numbered_lists,
    numbering, related, resolve_style, style_names, style_parents, xml,
)
from .docx_runs import RunReader, plain, unbolded
from ..reader.frontmatter import typed_front_matter
from .docx_text import as_typed, clip, column_rule, document_front_matter, rtl
from .docx_words import dropped_parts, shown_text, unread_words
from .revisions import comment_lines
from .revisions import comments as read_comments
from .revisions import count_changes, resolve_changes

# each role's style name as the import compares it (lower case, as resolve_style gives it)
(_KICKER, _TITLE, _SUBTITLE, _BYLINE, _QUOTE, _CODE, _CAPTION, _CREDIT, _QUESTION, _ANSWER,
 _WORD_LIST) = (n.lower() for n in (
    names.KICKER, names.TITLE, names.SUBTITLE, names.BYLINE, names.QUOTE, names.SOURCE_CODE,
    names.CAPTION, names.CREDIT, names.FAQ_QUESTION, names.FAQ_ANSWER,
    names.WORD_LIST_PARAGRAPH))
_HEADING = names.HEADING.lower() + " "  # then the level: Heading 1 …
_PLAIN_STYLES = (names.NORMAL.lower(), names.TABLE_TEXT.lower(), "body text", "text body",
                 "default paragraph style")
_LIST_KINDS = {names.LIST_BULLET.lower(): "bullet", names.LIST_NUMBER.lower(): "number",
               names.LIST_CONTINUE.lower(): "continue"}
_LIST = re.compile(f"({'|'.join(map(re.escape, _LIST_KINDS))})(?: (\\d))?$")


@dataclass
class Imported:
    """What ``import_docx`` made."""

    source: str
    """The Markdown source, front matter first."""
    images: dict[str, bytes] = field(default_factory=dict)
    """Pictures to write beside the source, by the path the source names."""
    warnings: list[Diagnostic] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    """One line for each comment: ``comment by AUTHOR on "…": TEXT``."""
    changes: int = 0
    """Tracked changes resolved."""


def import_docx(path, changes: str | None = None, keep_comments: bool = False,
                article: str | None = None) -> Imported:
    """The DOCX at ``path`` as a Markdown source. ``changes`` is ``accept`` or
    ``reject``; a document with tracked changes and no ``changes`` is refused.
    ``article``: the source's name without ``.md``, which names the pictures
    the document does not name itself (the DOCX's name when None)."""
    from ..ziplimits import open_docx
    document = open_docx(path, "edited DOCX")
    body = document.element.body
    if body is None:
        raise PipelineError("the document has no body (word/document.xml holds no w:body)",
                            hint="open and save it again in Word or LibreOffice")
    notes_part = related(document.part, RT.FOOTNOTES)
    notes = xml(notes_part)
    comments_root = xml(related(document.part, RT.COMMENTS))
    found = count_changes(body) + (count_changes(notes) if notes is not None else 0)
    if found and changes is None:
        raise PipelineError(f"the document has {found} tracked changes not yet accepted or "
                            "rejected", hint="add --changes accept (keep the edits) or "
                                             "--changes reject (keep the text before them)")
    for root in (body, notes):
        if root is not None and found:
            resolve_changes(root, accept=changes == "accept")
    said = read_comments(comments_root, body)
    runs = RunReader(document, notes, article or PurePath(str(path)).stem)
    if notes_part is not None:
        runs.note_links = notes_part.rels
    reader = _Reader(document, runs, said if keep_comments else [])
    markdown = reader.read(body)
    shown = shown_text(body, lambda p: reader.style_of(p) == _BYLINE)
    for ident in dict.fromkeys(runs.note_ids):
        if (note := runs.note_elements.get(ident)) is not None:
            shown += shown_text(note)
    runs.warnings += dropped_parts(body)
    if (unread := unread_words(shown, markdown)) is not None:
        runs.warnings.append(unread)
    return Imported(source=markdown, images=runs.images, warnings=runs.warnings,
                    comments=[f'comment by {c.author} on "{clip(c.anchor)}": {c.text}'
                              for c in said], changes=found)


class _List:
    """A list being read: its items' blocks, open for more."""

    def __init__(self, kind: str, start: int, num_id: str | None) -> None:
        self.kind, self.start, self.num_id = kind, start, num_id
        self.items: list[list] = []


class _Quote(list):
    """A quote's paragraphs, being read."""


class _Code(list):
    """A code block's lines, being read."""


class _Faq(list):
    """A FAQ's entries, being read: [question, answer blocks]."""


class _Reader:
    """The body's paragraphs and tables, by their styles, into the model's blocks."""

    def __init__(self, document, runs: RunReader, kept_comments) -> None:
        self.document, self.runs = document, runs
        self.names, self.parents = style_names(document), style_parents(document)
        self.meta: dict[str, object] = {}
        self.comment_after = {c.ident: c for c in kept_comments}
        self.after: dict[int, list[str]] = {}  # comments kept, by the block they follow
        self.unknown: set[str] = set()
        lists = numbering(document)
        self.starts = list_starts(lists)
        self.numbered = numbered_lists(lists)

    # --- the document ----------------------------------------------------------

    def read(self, body) -> str:
        self.out: list = []
        self.lists: list[_List] = []  # the open lists, outermost first
        self.faq: _Faq | None = None
        self.faq_end: str | None = None  # the bookmark that ends the open FAQ
        self.faq_ends = faq_ends(body)
        elements = list(flatten(body))
        k = 0
        while k < len(elements):
            start = k
            k = self.element(elements, k)
            if self.faq_end is not None and any(
                    end.get(qn("w:id")) == self.faq_end
                    for e in elements[start:k] for end in e.iter(qn("w:bookmarkEnd"))):
                self.faq_end = None
                self.close()  # the FAQ ends here, whatever follows
        self.faq_end = None
        self.close()
        from ..reader import read_article
        meta = read_article(document_front_matter(self.document, self.meta))[0].meta
        blocks = tuple(b for b in map(self.finished, self.out)
                       if not (isinstance(b, Faq) and not b.entries))
        # as the source typed them, while Word's edits left them as they were
        front, labels = as_typed(self.document.part.package)
        try:
            # only a front matter block, nothing after it, saying what the document says
            front = front if front and typed_front_matter(front) == front and \
                read_article(front)[0].meta == meta else None
        except PipelineError:
            front = None
        labels = labels if len(labels) == len(self.runs.note_ids) else []
        return write(Article(meta, blocks), self.after, front=front, labels=labels)

    def target(self) -> list:
        """Where the next block goes: the open FAQ's last answer, or the body."""
        return self.faq[-1][1] if self.faq else self.out

    def add(self, block, element) -> None:
        self.target().append(block)
        self.comment(block, element)

    def comment(self, block, element) -> None:
        if said := comment_lines(element, self.comment_after):
            self.after.setdefault(id(block), []).extend(said)

    def element(self, elements: list, k: int) -> int:
        """Element ``k`` (a paragraph or table) into the blocks; the index of
        the next one (a figure takes its caption and credit lines)."""
        element = elements[k]
        k += 1
        for mark in element.iter(qn("w:bookmarkStart")):
            if mark.get(qn("w:id")) in self.faq_ends and \
                    (mark.get(qn("w:name")) or "").startswith(FAQ_BOOKMARK):
                self.faq_end = mark.get(qn("w:id"))  # a FAQ whose end is marked
        if element.tag == qn("w:tbl"):
            self.close()
            if (table := self.table(element)) is not None:
                self.add(table, element)
            return k
        if is_picture(element):
            caption = credit = ""
            while k < len(elements) and self.style_of(elements[k]) in (_CAPTION, _CREDIT):
                which = self.style_of(elements[k])
                value = plain(self.runs.inlines(elements[k])).strip()
                caption, credit = (value, credit) if which == _CAPTION else (caption, value)
                k += 1
            self.close()
            [drawing] = element.iter(qn("w:drawing"))  # is_picture: exactly one
            name, alt = self.runs.picture(drawing)
            if name:
                self.add(Figure(Image(src=name, alt=alt),
                                caption=(Text(caption),) if caption else (),
                                credit=(Text(credit),) if credit else ()), element)
            elif alt:  # the picture left out (a warning says so): its description
                self.add(Paragraph((Text(alt),)), element)
            return k
        style, content = self.style_of(element), self.runs.inlines(element)
        if content:
            self.block(style, content, element)
        return k

    def block(self, style: str, content, element) -> None:
        if style == _KICKER:
            self.meta.setdefault("section", plain(content).strip())
        elif style == _TITLE:
            self.meta.setdefault("title", plain(content).strip())
        elif style == _SUBTITLE:
            self.meta.setdefault("description", plain(content).strip())
        elif style == _BYLINE:
            pass  # made again from the author and the date
        elif style.startswith(_HEADING):
            self.faq_end = None  # a heading ends a FAQ, marked or not
            self.close()
            number = style[len(_HEADING):].strip()
            level = min(int(number) + 1, 6) if number.isdigit() else 2
            self.add(Heading(level, content), element)
        elif (m := _LIST.match(style)) or style == _WORD_LIST:
            self.item(m, Paragraph(content), list_level(element), list_id(element), element)
        elif style in (_QUESTION, _ANSWER):
            self.lists = []
            if self.faq is None:
                self.faq = _Faq()
                self.out.append(self.faq)
            if style == _QUESTION:  # (a comment on it is written after the FAQ)
                self.faq.append([content, []])
                self.comment(self.faq, element)
            else:
                self.add(Paragraph(content), element)
        elif style == _QUOTE:
            quoting = self.quoting
            self.close()
            target = self.target()
            if not (target and isinstance(target[-1], _Quote) and quoting is target[-1]):
                target.append(_Quote())
            self.quoting = target[-1]
            paragraph = Paragraph(content)
            target[-1].append(paragraph)
            self.comment(paragraph, element)
            return
        elif style == _CODE:
            self.close()
            target = self.target()
            if not (target and isinstance(target[-1], _Code)):
                target.append(_Code())
            target[-1].append(plain(content))
            self.comment(target[-1], element)
        else:
            self.close()
            if style not in _PLAIN_STYLES and style not in self.unknown:
                self.unknown.add(style)
                self.runs.warnings.append(Diagnostic(
                    f"paragraph style '{self.names.get(self.style_id(element), style)}' "
                    f"is not one the article uses: read as a paragraph (at "
                    f"\"{clip(plain(content), 30)}\")", severity="warning",
                    hint="restyle it as Normal, a heading or a list in the document"))
            self.add(ThematicBreak() if plain(content) == "* * *" else Paragraph(content),
                     element)
        self.quoting = None

    def item(self, match, paragraph, level: int | None, num_id: str | None, element) -> None:
        # Word's own lists: one style, the numbering says bullet or number
        kind = _LIST_KINDS[match.group(1)] if match else \
            "number" if (num_id, level or 0) in self.numbered else "bullet"
        # the numbering level where there is one (styles stop at "List Bullet 3")
        depth = level if level is not None and kind != "continue" else \
            int(match.group(2)) - 1 if match and match.group(2) else 0
        depth = min(depth, len(self.lists))
        # (in a FAQ without its end bookmark, a list after an answer stays in
        # the answer: the writer sets the answers' lists in the list styles)
        if kind == "continue":
            if not self.lists:
                self.add(paragraph, element)
                return
            self.lists[min(depth, len(self.lists) - 1)].items[-1].append(paragraph)
            self.comment(paragraph, element)
            return
        del self.lists[depth + 1:]
        # (a list's numbering may change within it, as LibreOffice saves it; a
        # numbering that says where it counts from opens a list of its own)
        if len(self.lists) <= depth or self.lists[depth].kind != kind or (
                kind == "number" and num_id != self.lists[depth].num_id
                and num_id in self.starts):
            # a numbered list's first item says where it counts from (w:startOverride)
            opened = _List(kind, self.starts.get(num_id, 1) if kind == "number" else 1, num_id)
            del self.lists[depth:]
            (self.lists[-1].items[-1] if self.lists else self.target()).append(opened)
            self.lists.append(opened)
        self.lists[depth].items.append([paragraph])
        self.comment(paragraph, element)

    def close(self) -> None:
        """The open lists end, and the open FAQ unless its end is marked further on."""
        self.lists = []
        self.quoting = None
        if self.faq is not None and self.faq_end is None:
            self.faq = None

    def finished(self, block):
        """A block being read as the model's block."""
        if isinstance(block, _List):
            from ..model import ListItem
            items = tuple(ListItem(tuple(self.finished(b) for b in item))
                          for item in block.items)
            done = OrderedList(items, start=block.start) if block.kind == "number" \
                else BulletList(items)
        elif isinstance(block, _Quote):
            done = BlockQuote(tuple(block))
        elif isinstance(block, _Code):
            done = CodeBlock("\n".join(block))
        elif isinstance(block, _Faq):
            done = Faq(tuple(FaqEntry(q, tuple(self.finished(b) for b in a)) for q, a in block))
        else:
            return block
        if id(block) in self.after:
            self.after[id(done)] = self.after.pop(id(block))
        return done

    def table(self, table) -> Table | None:
        """A table; a table inside a cell read as the cell's text, with a warning."""
        rows, aligns = [], []
        for n, tr in enumerate(table.findall(qn("w:tr"))):
            cells = []
            for tc in tr.findall(qn("w:tc")):
                if tc.find(f".//{qn('w:tbl')}") is not None:
                    self.runs.once("a table inside a table cell is read as the cell's text",
                                   "set the inner table beside the outer one")
                content: list = []
                for p in tc.iter(qn("w:p")):
                    inlines = self.runs.inlines(p)
                    if inlines:
                        content += ([Text(" ")] if content else []) + list(inlines)
                cells.append(TableCell(_one_line(content)))
                if n == 1:
                    aligns.append(column_rule(tc.findall(qn("w:p")), rtl(table)))
            rows.append(TableRow(tuple(cells)))
        if not rows:
            return None
        head = TableRow(tuple(TableCell(unbolded(c.content)) for c in rows[0].cells))
        rule = {":--": "left", "--:": "right", ":-:": "center"}
        width = len(head.cells)
        return Table(head, tuple(rows[1:]),
                     tuple(rule.get(a, "") for a in (aligns + ["---"] * width)[:width]))

    # --- paragraphs --------------------------------------------------------------

    def style_id(self, paragraph) -> str:
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style.get(qn("w:val")) if style is not None else ""

    def style_of(self, paragraph) -> str:
        if paragraph.tag != qn("w:p"):
            return ""
        return resolve_style(self.style_id(paragraph), self.names, self.parents,
                             lambda name: name in STRUCTURAL or name.startswith(_HEADING)
                             or bool(_LIST.match(name)))


def _one_line(content) -> tuple:
    """A cell's inlines on one line (a table row is one line of Markdown)."""
    from ..model import LineBreak
    return tuple(Text(" ") if isinstance(n, LineBreak) else n for n in content)
