"""The Markdown body → the model's blocks, walking markdown-it's syntax tree.

What the reader repairs rather than refuses (unbalanced bidi controls, links
no format can follow) is returned as warnings with the line they concern.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Diagnostic, PipelineError
from ..model import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, FaqEntry, Heading, Image,
    Inline, LineBreak, Link, ListItem, OrderedList, Paragraph, Strong, Text, ThematicBreak,
)
from ..transforms import plain_text
from .text import FORBIDDEN, describe

MAX_INLINE_NESTING = 20
"""Emphasis, strong and links nested deeper than this are refused (markdown-it
already stops block nesting at 20 levels)."""

LINK_SCHEMES = ("http", "https", "mailto")
"""The only links kept in any format; anything else becomes its text."""


def markdown() -> MarkdownIt:
    # html=False: raw HTML in an article is text, never markup.
    return (MarkdownIt("commonmark", {"html": False})
            .use(front_matter_plugin)
            .use(container_plugin, "faq"))


MD = markdown()


def link_target(target: str) -> str | None:
    """The target if every format can link to it (a web or mail address that
    parses), else None."""
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or re.search(r"[\s<>\"\\^`{|}]", target):
        return None
    if scheme == "mailto":
        return target if "@" in parts.path else None
    host = parts.hostname or ""
    if not re.fullmatch(r"[\w.-]+", host) or host.startswith(".") or "." not in host \
            and host != "localhost":
        return None
    return target


class BodyReader:
    """Turns the syntax tree of one source's body into blocks, collecting warnings."""

    def __init__(self) -> None:
        self.warnings: list[Diagnostic] = []

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
            return Paragraph(self.inline(node.children[0]))
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
                out.append(Text(_allowed(n.content, line)))
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
            elif t == "link":
                out.extend(self._link(n, line))
            elif t == "image":
                out.append(_image(n, line))
        return _merge(out)

    def _link(self, node: SyntaxTreeNode, line: int | None) -> list[Inline]:
        children = self._inlines(node.children, line)
        href = str(node.attrs.get("href") or "")
        target = link_target(href)
        if target is None:
            self.warnings.append(Diagnostic(
                f"link target {href!r} is not a web or mail address: kept as text",
                line=line, severity="warning",
                hint="link to https://… or mailto:…; links inside the article and to "
                     "other files cannot be followed in every format"))
            return list(children)
        return [Link(children, target)]

    def balance(self, nodes: tuple[Inline, ...], line: int | None) -> tuple[Inline, ...]:
        """Drop bidi closers that close nothing and close what is left open at the
        end of the block, so that no override leaks into the text after it."""
        if not any(_BIDI_ANY.search(n.text) for n in _texts(nodes)):
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
                elif isinstance(n, (Strong, Emphasis)):
                    n = type(n)(walk(n.children))
                elif isinstance(n, Link):
                    n = Link(walk(n.children), n.target)
                result.append(n)
            return tuple(result)

        fixed = walk(nodes)
        if opened:
            warn(opened[-1], "left open: closed at the end of the paragraph")
            fixed = _merge([*fixed, Text("".join(_BIDI_OPEN[o] for o in reversed(opened)))])
        return fixed


def balance_bidi(text: str, line: int | None) -> tuple[str, list[Diagnostic]]:
    """One front-matter value with its bidi controls balanced, and the warnings."""
    reader = BodyReader()
    balanced = reader.balance((Text(text),), line)
    return (balanced[0].text if balanced else ""), reader.warnings


def check_nesting(tokens: list[Token]) -> None:
    """Refuse emphasis nested past ``MAX_INLINE_NESTING`` before the tree is
    built (building and walking it recurse once a level)."""
    for tok in tokens:
        for child in tok.children or ():
            if child.level > MAX_INLINE_NESTING:
                raise PipelineError(f"emphasis, bold or links nested over "
                                    f"{MAX_INLINE_NESTING} levels deep",
                                    line=tok.map[0] + 1 if tok.map else None,
                                    hint="remove the extra * or _ marks")


_UNSUPPORTED = (
    # (what, pattern over one line of a paragraph, how it prints)
    ("a table", re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$"),
     "its cells print as text with their | bars"),
    ("a footnote", re.compile(r"\[\^[^\]\s]+\]"), "[^…] prints as written"),
    ("strikethrough", re.compile(r"~~[^~\s][^~]*~~"), "the ~~ marks print as written"),
    ("raw HTML", re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?/?>"), "it prints as text, never as markup"),
    ("a definition list", re.compile(r"^:\s+\S"), "the : line prints as written"),
)


def unsupported_syntax(tokens: list[Token]) -> list[Diagnostic]:
    """A warning, with its line, for the first use of each Markdown extension
    the source format does not have (GFM tables, footnotes, strikethrough, raw
    HTML, definition lists): it would otherwise print as literal characters
    with nothing said."""
    found: dict[str, Diagnostic] = {}
    for tok in tokens:
        if tok.type != "inline" or not tok.map:
            continue
        for offset, line in enumerate(tok.content.split("\n")):
            for what, pattern, shown in _UNSUPPORTED:
                if what not in found and pattern.search(line):
                    found[what] = Diagnostic(
                        f"{what} is not part of the source format: {shown}",
                        line=tok.map[0] + 1 + offset, severity="warning",
                        hint="see the README's source format for what is supported")
    return sorted(found.values(), key=lambda d: d.line or 0)


# Embeddings and overrides close with PDF; isolates with PDI.
_BIDI_OPEN = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c",
              "\u202e": "\u202c", "\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"}
_BIDI_CLOSE = {"\u202c", "\u2069"}
_BIDI_ANY = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _line(node: SyntaxTreeNode) -> int | None:
    """The 1-based source line of a block (an inline node has its block's)."""
    while node is not None:
        if node.map:
            return node.map[0] + 1
        node = node.parent
    return None


def _texts(nodes: tuple[Inline, ...]):
    for n in nodes:
        if isinstance(n, Text):
            yield n
        elif isinstance(n, (Strong, Emphasis, Link)):
            yield from _texts(n.children)


def _image(node: SyntaxTreeNode, line: int | None) -> Image:
    """An image reference; only a relative path inside the article's folder."""
    src = str(node.attrs.get("src") or "")
    alt = _allowed("".join(c.content for c in node.children
                           if c.type in ("text", "code_inline")), line)
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")) or not src:
        raise PipelineError(f"image {src!r} is not a relative path", line=line,
                            hint="put the image in the article's folder and name it "
                                 "relative to the article; nothing is fetched from elsewhere")
    path = unquote(parts.path)
    if FORBIDDEN.search(path):
        raise PipelineError(f"image {src!r} has a control character in its name", line=line,
                            hint="rename the file")
    if ".." in Path(path).parts:
        raise PipelineError(f"image {src!r} leaves the article's folder", line=line,
                            hint="keep images inside the article's folder")
    return Image(src=path, alt=alt.strip(), title=str(node.attrs.get("title") or ""))


def _allowed(text: str, line: int | None) -> str:
    """Text as markdown-it decoded it: a character reference (``&#12;``) may
    have produced what the source itself could not hold."""
    if m := FORBIDDEN.search(text):
        raise PipelineError(f"a character reference makes the forbidden character "
                            f"{describe(m.group())}", line=line,
                            hint="delete it; it cannot be printed or stored")
    return text


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            merged.append(node)
    return tuple(merged)
