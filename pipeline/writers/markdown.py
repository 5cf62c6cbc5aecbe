"""Model → the Markdown source the reader reads: the one way back to source for
every importer (an edited DOCX, a plain-text article).

Text is escaped wherever Markdown would read it as markup — inline marks,
entities, bare addresses, a line that would open a heading, list, quote, FAQ
or rule — so that reading the result gives the same model again. Where the
format has no way to say something (a line break inside a heading of level
3 or more or inside a table cell), it is written as a space.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from ..model import (
    Article, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, Figure, Heading, Image,
    Inline, Isolate, LineBreak, Link, Meta, Note, OrderedList, Paragraph, Strikeout, Strong,
    Table, Text, ThematicBreak,
)

# the keys in the order the front matter lists them; Meta's field for each
FRONT_MATTER_FIELDS = (("title", "title"), ("short_title", "short_title"),
                       ("description", "description"), ("section", "section"),
                       ("author", "author"), ("date", "date"), ("lang", "lang"),
                       ("dir", "dir"), ("keywords", "keywords"), ("tags", "tags"),
                       ("id", "ident"), ("paper", "paper"), ("justify", "justify"),
                       ("digits", "digits"), ("columns", "columns"), ("cover", "cover"),
                       ("credit", "cover_credit"))
_DEFAULTS = {"lang": "ar", "dir": "rtl"}
# a YAML plain scalar: no indicator first, no space at either end, one line
_PLAIN_SCALAR = re.compile("[^\\s\\-?:,\\[\\]{}#&*!|>'\"%@`\ufeff]"
                           "(?:[^\\n\\r\\t\u2028\u2029\ufeff]*\\S)?")

# "<" only where it would open an autolink (<https://…>, <name@host>): raw HTML
# is text to the reader, so "<script>" is written as typed
_INLINE_MARKS = re.compile(r"([\\`*\[\]~|]|(?<!\w)_|_(?!\w)|&(?=#?\w+;)|"
                           r"<(?=[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@))")
_ADDRESS = re.compile(r"(?i)\b(https?|ftp|mailto)(:)|(/)(?=/)")
_LINE_OPENERS = re.compile(r"^( {0,3})(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d{1,9}(?=[.)](\s|$))|"
                           r":::|=+\s*$|-+\s*$|(?:[-_*]\s*){3,}$)")
_ALIGN_RULES = {"left": ":---", "right": "---:", "center": ":---:"}
_AUTOLINKED = re.compile(r"(?i)(https?://|ftp://|mailto:)\S+")


def write(article: Article, comments: Mapping[int, Sequence[str]] | None = None,
          front: str | None = None, labels: Sequence[str] = ()) -> str:
    """The article as a Markdown source: front matter, blocks, then the notes.
    ``comments``: lines for editors (``<!-- … -->``, which builds ignore) to
    write after a block, by the block's ``id()``; ``front``: the front matter
    as typed, written as it is; ``labels``: the notes' labels by number."""
    writer = _Writer(comments or {})
    writer.labels = tuple(labels)
    body = writer.blocks(article.blocks)
    notes: list[str] = []
    for label, text in writer.note_texts:
        definition = f"[^{label}]: {_indent(text, '    ').lstrip()}"
        # one-line notes one under another, as typed; a note of paragraphs set apart
        if notes:
            notes.append("\n" if "\n" not in definition + notes[-1] else "\n\n")
        notes.append(definition)
    return (front or front_matter(article.meta)) + "\n" + body + "\n" + \
        ("\n" + "".join(notes) + "\n" if notes else "")


def front_matter(meta: Meta) -> str:
    """The front matter block: a value plain where YAML reads it back whole
    (the reader keeps every value as text, ``no`` and ``1.10`` included),
    else a JSON string, which YAML reads as written."""
    lines = ["---"]
    for key, name in FRONT_MATTER_FIELDS:
        value = getattr(meta, name)
        if value in ("", (), None, 0) or _DEFAULTS.get(key) == value:
            continue
        if isinstance(value, tuple):
            lines.append(f"{key}: [{', '.join(_scalar(v, in_list=True) for v in value)}]")
        else:
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            lines.append(f"{key}: {_scalar(text)}")
    return "\n".join(lines + ["---"]) + "\n"


def _scalar(text: str, in_list: bool = False) -> str:
    """A YAML value: plain when it cannot be read as anything but itself."""
    plain = _PLAIN_SCALAR.fullmatch(text) and ": " not in text and " #" not in text \
        and not text.endswith(":") and not (in_list and re.search(r"[,\[\]{}]", text))
    return text if plain else json.dumps(text, ensure_ascii=False)


def escape(text: str) -> str:
    """Text that Markdown reads as itself, wherever it stands in a line."""
    return _ADDRESS.sub(lambda m: f"{m.group(1)}\\:" if m.group(1) else "\\/",
                        _INLINE_MARKS.sub(r"\\\1", text.replace("\n", " ")))


def escape_line_start(line: str) -> str:
    """A line that would open a block (``# …``, ``- …``, ``1. …``, ``:::``, a
    rule or a heading's underline) with its opener escaped."""
    m = _LINE_OPENERS.match(line)
    if not m:
        return line
    at = len(m.group(1))
    if line[at].isdigit():  # "1. text": only the punctuation can be escaped
        at = len(m.group(1)) + len(m.group(2))
    return line[:at] + "\\" + line[at:]


class _Writer:
    def __init__(self, comments: Mapping[int, Sequence[str]]) -> None:
        self.comments = comments
        self.note_texts: list[tuple[str, str]] = []
        self.note_labels: dict[tuple, str] = {}
        self.labels: tuple[str, ...] = ()
        """The notes' labels by number, as the source wrote them (an import)."""

    # --- blocks ---------------------------------------------------------------------

    def blocks(self, blocks) -> str:
        out: list[str] = []
        previous = None
        for block in blocks:
            text = self.block(block, previous)
            if text:
                out.append(text)
                previous = block
            out.extend(self.comments.get(id(block), ()))
        return "\n\n".join(out)

    def block(self, block, previous=None) -> str:
        if isinstance(block, Heading):
            return self.heading(block.level, block.content)
        if isinstance(block, Paragraph):
            return self.lines(block.content)
        if isinstance(block, (BulletList, OrderedList)):
            return self.list(block, previous)
        if isinstance(block, BlockQuote):
            inner = self.blocks(block.blocks)
            return "\n".join(f"> {ln}" if ln else ">" for ln in inner.split("\n"))
        if isinstance(block, CodeBlock):
            fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", block.text)),
                                         default=0))
            return f"{fence}\n{block.text}\n{fence}"
        if isinstance(block, ThematicBreak):
            return "* * *"
        if isinstance(block, Faq):
            parts = ["::: faq"]
            for entry in block.entries:
                parts.append(self.heading(3, entry.question))
                parts.extend(self.block(b) for b in entry.answer)
            return "\n\n".join([*parts, ":::"])
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            return self.figure(block)
        raise TypeError(f"no Markdown for {type(block).__name__}")

    def heading(self, level: int, content) -> str:
        text = self.inlines(content)
        if level == 2 and "\\\n" in text:  # an underlined heading may hold line breaks
            lines = [escape_line_start(ln) for ln in text.split("\n")]
            return "\n".join(lines) + "\n---"
        text = text.replace("\\\n", " ")
        if text.endswith("#"):  # a closing run of # would be dropped
            text = text[:-1] + "\\#"
        return f"{'#' * level} {text}"

    def lines(self, content) -> str:
        """Inlines as the lines of a paragraph, none opening another block."""
        return "\n".join(escape_line_start(ln) for ln in self.inlines(content).split("\n"))

    def list(self, block, previous) -> str:
        ordered = isinstance(block, OrderedList)
        # two lists in a row stay two when the second's marker differs
        follows = type(previous) is type(block)
        items = []
        for n, item in enumerate(block.items):
            marker = (f"{block.start + n}{')' if follows else '.'}" if ordered
                      else ("*" if follows else "-"))
            blocks = list(item.blocks)
            first = ""
            if blocks and isinstance(blocks[0], Paragraph):
                opening = blocks.pop(0)
                first = f"**{self.inlines(item.lead)}**{self.inlines(opening.content)}" \
                    if item.lead is not None else self.lines(opening.content)
                first = "\n\n".join([first, *self.comments.get(id(opening), ())])
            elif item.lead is not None:
                first = f"**{self.inlines(item.lead)}**"
            body = "\n\n".join(t for t in [first, self.blocks(blocks)] if t)
            if not first and body:
                body = "\n" + body  # an item opening with a list or a quote
            pad = " " * (len(marker) + 1)
            items.append(f"{marker} " + _indent(body, pad).lstrip(" ") if body else marker)
        tight = all(len(i.blocks) <= 1 for i in block.items)
        return ("\n" if tight else "\n\n").join(items)

    def table(self, table: Table) -> str:
        def row(cells) -> str:
            texts = [self.inlines(c.content).replace("\\\n", " ") for c in cells]
            return "| " + " | ".join(texts) + " |"
        rules = [_ALIGN_RULES.get(a, "---") for a in table.aligns] or \
            ["---"] * len(table.head.cells)
        return "\n".join([row(table.head.cells), "|" + "|".join(rules) + "|",
                          *(row(r.cells) for r in table.rows)])

    def figure(self, figure: Figure) -> str:
        caption = "".join(_plain(i) for i in figure.caption)
        title = ' "' + caption.replace("\\", "\\\\").replace('"', '\\"') + '"' \
            if caption else ""
        credit = "".join(_plain(i) for i in figure.credit).replace('"', "\u201d")
        attrs = f'{{credit="{credit}"}}' if credit else ""
        return f"![{escape(figure.image.alt)}]({_target(figure.image.src, path=True)}{title}){attrs}"

    # --- inlines --------------------------------------------------------------------

    def inlines(self, content) -> str:
        out: list[str] = []
        previous: Inline | None = None
        for n, node in enumerate(content):
            following = content[n + 1] if n + 1 < len(content) else None
            text = self.bare_address(node, following) or self.inline(node)
            if isinstance(node, Text) and isinstance(previous, Image) and text.startswith("{"):
                text = "\\" + text  # braces after an image would be its attributes
            out.append(text)
            previous = node
        return "".join(out)

    def bare_address(self, node, following) -> str:
        """A link that shows its own address, written bare, as GFM links it
        (when a space or the line's end follows it, where its end is plain)."""
        if not (isinstance(node, Link) and node.children == (Text(node.target),)
                and _AUTOLINKED.fullmatch(node.target)):
            return ""
        if following is None or isinstance(following, LineBreak) or (
                isinstance(following, Text) and following.text[:1].isspace()):
            # (nothing in it that Markdown would read before the address is found)
            return "" if re.search(r"[\\`*\[\]<~]|&#?\w+;", node.target) else node.target
        return ""

    def inline(self, node) -> str:
        if isinstance(node, Text):
            return escape(node.text)
        if isinstance(node, LineBreak):
            return "\\\n"
        if isinstance(node, Code):
            longest = max((len(r) for r in re.findall("`+", node.text)), default=0)
            fence = "`" * (longest + 1)
            pad = " " if node.text.startswith(("`", " ")) or node.text.endswith(("`", " ")) \
                else ""
            return f"{fence}{pad}{node.text}{pad}{fence}"
        if isinstance(node, (Strong, Emphasis, Strikeout)):
            mark = {Strong: "**", Emphasis: "*", Strikeout: "~~"}[type(node)]
            text = self.inlines(node.children)
            core = text.strip()
            if not core:
                return text
            # spaces inside the marks would stop them being marks
            return text[:len(text) - len(text.lstrip())] + mark + core + mark + \
                text[len(text.rstrip()):]
        if isinstance(node, Link):
            return f"[{self.inlines(node.children)}]({_target(node.target)})"
        if isinstance(node, Image):
            title = ' "' + node.title.replace("\\", "\\\\").replace('"', '\\"') + '"' \
                if node.title else ""
            return f"![{escape(node.alt)}]({_target(node.src, path=True)}{title})"
        if isinstance(node, Isolate):
            return self.inlines(node.children)
        if isinstance(node, Note):
            return f"[^{self.note_label(node)}]"
        raise TypeError(f"no Markdown for {type(node).__name__}")

    def note_label(self, note: Note) -> str:
        """One label for each note's text: a note called twice is written once."""
        key = note.blocks
        if key not in self.note_labels:
            label = note.label or (self.labels[note.number - 1]
                                   if 0 < note.number <= len(self.labels) else "")
            taken, n = set(self.note_labels.values()), len(self.note_labels)
            while not label or label in taken:
                n += 1
                label = str(n)
            self.note_labels[key] = label
            self.note_texts.append((label, self.blocks(note.blocks)))
        return self.note_labels[key]


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + ln if ln else ln for ln in text.split("\n"))


def _target(target: str, path: bool = False) -> str:
    """A link target, or an image's ``path`` (kept decoded in the model), as
    Markdown reads it back whole."""
    target = target.replace("%", "%25") if path else target
    return f"<{target.replace('<', '%3C').replace('>', '%3E')}>" \
        if re.search(r"[\s()<>]", target) else target


def _plain(node) -> str:
    if isinstance(node, (Text, Code)):
        return node.text
    if isinstance(node, LineBreak):
        return " "
    return "".join(_plain(c) for c in getattr(node, "children", ()))
