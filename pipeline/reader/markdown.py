"""The Markdown body → the model's blocks, walking markdown-it's syntax tree.

What the reader repairs rather than refuses (unbalanced bidi controls, links
no format can follow) is returned as warnings with the line they concern.
"""

from __future__ import annotations

import re
import unicodedata

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Diagnostic, PipelineError
from ..model import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, FaqEntry, Figure, Heading,
    Image, Inline, LineBreak, Link, ListItem, Note, OrderedList, Paragraph, Strikeout, Strong,
    Table, Text, ThematicBreak,
)
from ..transforms import block_text, plain_text
from .checks import FOOTNOTE_CALL, allowed, image_path, link_target, never_called
from .notes import note_blocks
from .figures import braces_alone, figure_attributes, read_figure
from .tables import read_table
from .text import describe

MAX_NOTES = 1_000
"""Footnote calls past this are refused: each is a note in every format."""
MAX_NOTE_CHARS = 2_000_000
"""Nor may the notes of all calls add up to more characters than a source may
hold: a note is set again at each call."""

_EDITORS_NOTE = re.compile(r"<!--(?:(?!-->).)*-->", re.S)


def markdown() -> MarkdownIt:
    # html=False: raw HTML in an article is text, never markup. GFM's tables
    # and strikethrough, footnotes as pandoc and PHP Markdown Extra write
    # them, and attributes in braces after an image (a figure's credit).
    # A bare address written with its scheme (https://…, http://…, mailto:…)
    # is a link, as GFM autolinks it; a name that merely looks like a domain
    # ("Node.js", "readme.md") is not.
    md = (MarkdownIt("commonmark", {"html": False, "linkify": True})
          .enable(["table", "strikethrough", "linkify"])
          .use(front_matter_plugin)
          .use(footnote_plugin)
          .use(attrs_plugin, after=("image",))
          .use(container_plugin, "faq"))
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    md.linkify.add("ftp:", None).add("//", None)
    # a bare address shows as the author typed it (markdown-it would show
    # "https://xn--mgbh0fb.xn--kgbechtv/" decoded to Arabic)
    md.normalizeLinkText = lambda link: link
    return md


MD = markdown()


class BodyReader:
    """Turns the syntax tree of one source's body into blocks, collecting warnings."""

    def __init__(self) -> None:
        self.warnings: list[Diagnostic] = []
        self._notes: dict[int, tuple[str, list[SyntaxTreeNode], int | None]] = {}
        self._called: set[int] = set()
        self._read_notes: dict[int, tuple[Block, ...]] = {}
        self._note_chars = 0
        self._numbered = 0
        self._in_note = False
        self._uncalled_warned: set[str] = set()

    def body(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        """The body's blocks; footnote texts (gathered at the end by the
        parser) are read where they are called."""
        for node in nodes:
            if node.type == "footnote_block":
                for note in node.children:
                    self._notes[int(note.meta["id"])] = (
                        str(note.meta.get("label", "")), note.children, _first_line(note))
        blocks = self.blocks([n for n in nodes if n.type != "footnote_block"])
        for ident, (label, _children, line) in sorted(self._notes.items()):
            if ident not in self._called:
                self.warnings.append(never_called(label, line))
        return blocks

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Block]:
        return [b for node in nodes if (b := self.block(node)) is not None]

    def block(self, node: SyntaxTreeNode) -> Block | None:
        t, line = node.type, _line(node)
        if t == "heading":
            content = self.inline(node.children[0])
            if not plain_text(content).strip():
                raise PipelineError("a heading has no text", line=line,
                                    hint="write the heading, or delete the line")
            level = int(node.tag[1])
            if level == 1:  # the title comes from the front matter
                self.warnings.append(Diagnostic(
                    "a '#' heading in the body is read as a section ('##')", line=line,
                    severity="warning",
                    hint="the title is the front matter's; write sections as '## …'"))
                level = 2
            return Heading(level=level, content=content)
        if t == "paragraph":
            if _EDITORS_NOTE.fullmatch(node.children[0].content.strip()):
                return None  # <!-- … -->: a note for editors (pipeline import --keep-comments)
            content = self.inline(node.children[0])
            if len(content) == 1 and isinstance(content[0], Image) or braces_alone(content):
                return self.figure(node.children[0], content[0])
            self._credit_unused(node.children[0])
            return Paragraph(content)
        if t == "table":
            return self.table(node)
        if t == "bullet_list":
            return BulletList(tuple(self.item(i) for i in node.children))
        if t == "ordered_list":
            return OrderedList(tuple(self.item(i) for i in node.children),
                               start=int(node.attrs.get("start") or 1))
        if t == "blockquote":
            return BlockQuote(tuple(self.blocks(node.children)))
        if t in ("fence", "code_block"):
            return CodeBlock(node.content.rstrip("\n"))
        if t == "hr":
            return ThematicBreak()
        if t == "container_faq":
            return self.faq(node)
        if t == "html_block":  # not produced with html=False; kept as text if it ever is
            return Paragraph((Text(node.content.strip()),))
        return None

    def figure(self, inline: SyntaxTreeNode, image: Image) -> Figure:
        """An image alone in its paragraph, or with braces only (``figures``)."""
        [img] = [n for n in inline.children if n.type == "image"]
        line = _line(inline)
        attrs, found = figure_attributes(inline.content, img.attrs, line)
        figure, more = read_figure(image, attrs, line, self.balance)
        self.warnings += found + more
        return figure

    def _credit_unused(self, inline: SyntaxTreeNode) -> None:
        for n in inline.walk():
            if n.type == "image" and "credit" in n.attrs:
                self.warnings.append(Diagnostic(
                    "an image inside a line of text has no caption or credit: "
                    "its credit is not shown", line=_line(inline), severity="warning",
                    hint="put the image alone in its paragraph to make it a figure"))
                return

    def table(self, node: SyntaxTreeNode) -> Table:
        return read_table(node, lambda cell: self.inline(cell) if cell is not None else ())

    def note(self, node: SyntaxTreeNode, line: int | None) -> list[Inline]:
        """A footnote call: the note's text, numbered in reading order."""
        ident = int(node.meta["id"])
        label = str(node.meta.get("label", ""))
        if self._in_note:
            self.warnings.append(Diagnostic(
                f"a footnote cannot call another ([^{label}]): kept as text", line=line,
                severity="warning", hint="move the call into the article's text"))
            return [Text(f"[^{label}]")]
        if ident not in self._notes:  # the parser made the call, so the note exists
            return [Text(f"[^{label}]")]
        if self._numbered == MAX_NOTES:
            raise PipelineError(f"more than {MAX_NOTES:,} footnote calls", line=line,
                                hint="a note called again and again is one note: call it "
                                     "once, or split the article")
        _label, children, _line_ = self._notes[ident]
        self._called.add(ident)
        if ident not in self._read_notes:  # a note called twice is read once
            self._in_note = True
            try:
                blocks, found = note_blocks(self.blocks(children), _line_ or line)
                self._read_notes[ident] = blocks
                self.warnings += found
            finally:
                self._in_note = False
        self._note_chars += sum(len(block_text(b)) for b in self._read_notes[ident])
        if self._note_chars > MAX_NOTE_CHARS:
            raise PipelineError(f"the footnotes' calls add up to over {MAX_NOTE_CHARS:,} "
                                "characters of notes", line=line,
                                hint="a long note called many times is set every time: "
                                     "call it once")
        self._numbered += 1
        return [Note(blocks=self._read_notes[ident], number=self._numbered, label=label)]

    def item(self, node: SyntaxTreeNode) -> ListItem:
        """A list item; ``**term**: text`` becomes its lead term and the rest."""
        blocks = tuple(self.blocks(node.children))
        if blocks and isinstance(blocks[0], Paragraph):
            content = blocks[0].content
            if (len(content) >= 2 and isinstance(content[0], Strong)
                    and isinstance(content[1], Text) and content[1].text.startswith(":")):
                return ListItem(blocks=(Paragraph(content[1:]), *blocks[1:]),
                                lead=content[0].children)
        return ListItem(blocks=blocks)

    def faq(self, node: SyntaxTreeNode) -> Faq:
        entries: list[FaqEntry] = []
        question: tuple[Inline, ...] | None = None
        answer: list[Block] = []
        opened = _line(node) or 1
        for block in self.blocks(node.children):
            if isinstance(block, Heading):
                if question is not None:
                    entries.append(FaqEntry(question, tuple(answer)))
                question, answer = block.content, []
            elif question is None:
                raise PipelineError("a FAQ must open with a question heading",
                                    line=opened + 1, column=1,
                                    hint="write each question as '### question?'")
            else:
                answer.append(block)
        if question is not None:
            entries.append(FaqEntry(question, tuple(answer)))
        if not entries:
            raise PipelineError("the FAQ holds no question", line=opened,
                                hint="add '### question?' lines with answers under them")
        if any(not entry.answer for entry in entries):
            raise PipelineError("a FAQ question has no answer", line=opened,
                                hint="write the answer under each question")
        return Faq(tuple(entries))

    def inline(self, node: SyntaxTreeNode) -> tuple[Inline, ...]:
        """An ``inline`` node's children → inlines, bidi controls balanced."""
        line = _line(node)
        return self.balance(self._inlines(node.children, line), line)

    def _inlines(self, nodes: list[SyntaxTreeNode], line: int | None) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for n in nodes:
            t = n.type
            if t in ("text", "html_inline"):
                out.append(Text(allowed(n.content, line)))
                self._uncalled(n.content, line)
            elif t == "softbreak":
                out.append(Text(" "))
            elif t == "hardbreak":
                out.append(LineBreak())
            elif t == "code_inline":
                out.append(Code(n.content))
            elif t == "strong":
                out.append(Strong(self._inlines(n.children, line)))
            elif t == "em":
                out.append(Emphasis(self._inlines(n.children, line)))
            elif t == "s":
                out.append(Strikeout(self._inlines(n.children, line)))
            elif t == "footnote_ref":
                out.extend(self.note(n, line))
            elif t == "link":
                out.extend(self._link(n, line))
            elif t == "image":
                out.append(_image(n, line))
        return _merge(out)

    def _uncalled(self, text: str, line: int | None) -> None:
        """A ``[^label]`` left in the text is a call whose note was never written."""
        for m in FOOTNOTE_CALL.finditer(text):
            if m.group(1) not in self._uncalled_warned:
                self._uncalled_warned.add(m.group(1))
                self.warnings.append(Diagnostic(
                    f"footnote [^{m.group(1)}] has no note: printed as written", line=line,
                    severity="warning",
                    hint=f"write its text on a line of its own: [^{m.group(1)}]: …"))

    def _link(self, node: SyntaxTreeNode, line: int | None) -> list[Inline]:
        children = self._inlines(node.children, line)
        href = str(node.attrs.get("href") or "")
        target = link_target(href)
        if node.markup == "linkify" and any(
                unicodedata.category(ch) == "Cf" for ch in plain_text(tuple(children))):
            # an invisible mark inside a bare address ("…com\u200f/x") would
            # send the link to another host than the one that shows
            target = None
        if target is None:
            self.warnings.append(Diagnostic(
                f"link target {href!r} is not a web or mail address: kept as text",
                line=line, severity="warning",
                hint="link to https://… or mailto:…; links inside the article and to "
                     "other files cannot be followed in every format"))
            return list(children)
        return [Link(children, target)]

    def balance(self, nodes: tuple[Inline, ...], line: int | None,
                end: str = "the paragraph") -> tuple[Inline, ...]:
        """Drop bidi closers that close nothing and close what is left open at the
        end of the block (of a code span, for one inside it), so that no
        override leaks into the text after it."""
        if not any(_BIDI_ANY.search(n.text) for n in _texts(nodes, code=True)):
            return nodes
        opened: list[str] = []  # the openers still waiting for their closer

        def warn(ch: str, what: str) -> None:
            self.warnings.append(Diagnostic(
                f"unbalanced bidi control {describe(ch)} {what}", line=line,
                hint="remove it, or pair it with its closing control", severity="warning"))

        def fix(text: str) -> str:
            out = []
            for ch in text:
                if ch in _BIDI_OPEN:
                    opened.append(ch)
                elif ch in _BIDI_CLOSE:
                    if opened and _BIDI_OPEN[opened[-1]] == ch:
                        opened.pop()
                    else:
                        warn(ch, "closes nothing: removed")
                        continue
                out.append(ch)
            return "".join(out)

        def walk(items: tuple[Inline, ...]) -> tuple[Inline, ...]:
            result: list[Inline] = []
            for n in items:
                if isinstance(n, Text):
                    n = Text(fix(n.text))
                elif isinstance(n, (Strong, Emphasis, Strikeout)):
                    n = type(n)(walk(n.children))
                elif isinstance(n, Link):
                    n = Link(walk(n.children), n.target)
                elif isinstance(n, Code) and _BIDI_ANY.search(n.text):
                    # "1234 USD\u202e … 5678" would show reversed: balanced in the span
                    n = Code("".join(t.text for t in _texts(
                        self.balance((Text(n.text),), line, "the code span"))))
                result.append(n)
            return tuple(result)

        fixed = walk(nodes)
        if opened:
            warn(opened[-1], f"left open: closed at the end of {end}")
            fixed = _merge([*fixed, Text("".join(_BIDI_OPEN[o] for o in reversed(opened)))])
        return fixed


def balance_bidi(text: str, line: int | None) -> tuple[str, list[Diagnostic]]:
    """One front-matter value with its bidi controls balanced, and the warnings."""
    reader = BodyReader()
    balanced = reader.balance((Text(text),), line)
    return (balanced[0].text if balanced else ""), reader.warnings


# Embeddings and overrides close with PDF; isolates with PDI.
_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c",
              "\u202e": "\u202c", "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_CLOSE = {"\u202c", "\u2069"}
_BIDI_ANY = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _line(node: SyntaxTreeNode) -> int | None:
    """The 1-based source line of a block (an inline node has its block's;
    a footnote's blocks may have none, up to the root)."""
    while node is not None and not node.is_root:
        if node.map:
            return node.map[0] + 1
        node = node.parent
    return None


def _first_line(node: SyntaxTreeNode) -> int | None:
    """The first source line inside ``node`` (a footnote has none of its own)."""
    for n in node.walk():
        if n.map:
            return n.map[0] + 1
    return None


def _texts(nodes: tuple[Inline, ...], code: bool = False):
    for n in nodes:
        if isinstance(n, Text) or code and isinstance(n, Code):
            yield n
        elif isinstance(n, (Strong, Emphasis, Strikeout, Link)):
            yield from _texts(n.children, code)


def _image(node: SyntaxTreeNode, line: int | None) -> Image:
    """An image reference; only a relative path inside the article's folder."""
    src = str(node.attrs.get("src") or "")
    alt = allowed("".join(c.content for c in node.children
                           if c.type in ("text", "code_inline")), line)
    return Image(src=image_path(src, line), alt=alt.strip(),
                 title=allowed(str(node.attrs.get("title") or ""), line))


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            merged.append(node)
    return tuple(merged)
