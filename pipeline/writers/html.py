"""The model → HTML translator shared by the PDF, EPUB and web writers.

It produces well-formed XHTML fragments (valid HTML too), escaped here so that
templates only lay them out. The PDF and EPUB writers wrap these fragments in
their own page templates; neither rewrites the tree.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlsplit


from markupsafe import Markup

from ..caches import memo
from ..assets import TEMPLATES_DIR
from ..bidi import isolated_line
from ..regional import number as in_digits
from ..schema import ARTICLE_DEFAULTS
from ..model import (
    Article, Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, Figure, Heading,
    Image, Inline, Isolate, LineBreak, Link, ListItem, Note, OrderedList, Paragraph, Strikeout,
    Strong, Table, Text, ThematicBreak,
)
from ..transforms import (
    block_direction, block_text, item_text, iter_nodes, plain_text,
)
from .html_tables import table_html
from .breaks import (
    address_html, is_address, keep_names_whole, tie_last_words, unwrap_last_token,
)
from .paragraphs import (
    Composition, compose_breaks, paragraph_leading, vowelled, vowelled_leading,
)


# How much narrower than a body paragraph a list item's, a quotation's and a
# FAQ answer's lines are, in ems (print.css.j2: ol/ul padding, blockquote and
# .faq-answer margins and padding).
LIST_INDENT_EM = 1.6
QUOTE_INDENT_EM = 3.0
ANSWER_INDENT_EM = 1.8

# Link targets a reader may follow; anything else (javascript:, file:, data:…)
# prints as plain text.
_SAFE_SCHEMES = ("http", "https", "mailto", "")


@memo(8)
def template_env(template_dirs: tuple[Path, ...] = ()):
    """Jinja2 with autoescape and StrictUndefined; user folders first, then ours.

    Sandboxed: a template from a template folder is content too, and may not
    reach Python's internals (``cycler.__init__.__globals__.os``). One
    environment per set of folders, so that each template is compiled once per
    process; Jinja reloads a template whose file changed."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment
    return SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([*map(str, template_dirs), str(TEMPLATES_DIR)]),
        # Markup templates escape every value; CSS templates get only values
        # the code chose (sizes, family names), never article text.
        autoescape=lambda name: bool(name) and name.endswith((".html.j2", ".xhtml.j2")),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def template_file(template_dirs: tuple[Path, ...], name: str) -> Path:
    """A static template file (a stylesheet), from the user's folders first."""
    for folder in (*template_dirs, TEMPLATES_DIR):
        if (folder / name).is_file():
            return folder / name
    from ..errors import PipelineError
    raise PipelineError(f"template not found: {name}")


@dataclass
class HtmlTranslator:
    """Renders blocks in reading order; one instance per article, so that the
    heading level a FAQ's questions take follows the heading before it."""

    epub: bool = False
    """Add EPUB structural semantics (``epub:type``)."""
    base_dir: str = "rtl"
    """The document's direction; a block that reads the other way says so."""
    image_href: Callable[[str], str] = str
    """Where an image the article names (by its source path) is found by the page."""
    digits: str = ARTICLE_DEFAULTS["digits"]
    """The digits of list numbers (``regional.digit_style``); the stylesheets
    draw them, with a suffix that cannot be misread ("١-")."""
    tie_runts: bool = False
    """Tie the last two words of each paragraph, item and heading (the PDF: on
    a page no last line may hold one word alone)."""
    notes: str = "end"
    """Where footnotes go: ``foot`` (in place, floated to the page foot by
    the print stylesheet), ``aside`` (EPUB pop-up notes, after each file's
    text: ``pending_notes``) or ``end`` (linked notes after the article)."""
    measure_em: float = 0
    """The page's measure in ems of the body (the PDF; one column of two): a
    table is set as ``pages.table_setting`` says against it and ``block_em``
    (smaller: ``table.wide``; across both columns: ``div.across``); 0 on
    screens, where a wide table scrolls."""
    block_em: float = 0
    """The whole text block in ems where there are two columns (else 0)."""
    width_em: Callable[[str, bool], float] | None = None
    """How wide a word is set, in ems (``fonts.word_width_em``), for that test."""
    table_fits: Mapping = field(default_factory=dict)
    """That test's results where the build made them (``facts.ArticleFacts.tables``)."""
    _pending: list[Note] = field(default_factory=list, init=False)
    _last_level: int = field(default=1, init=False)
    composition: Composition | None = None
    """Compose justified paragraphs (the PDF: ``paragraphs.compose_breaks``)."""
    vowelled_leading: float | None = None
    """The leading every vowelled paragraph of the article gets (the PDF)."""
    _after_paragraph: bool = field(default=False, init=False)
    _list_depth: int = field(default=0, init=False)
    _indent_em: float = field(default=0, init=False)
    _last_token: Inline | None = field(default=None, init=False)

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        out, before = [], None
        for b in blocks:
            self._after_paragraph = isinstance(before, Paragraph)
            out.append(self.block(b))
            before = b
        return "".join(out)

    def block(self, b: Block) -> str:
        if isinstance(b, Heading):
            self._last_level = b.level
            ident = f' id="{escape(b.ident)}"' if b.ident else ""
            content = keep_names_whole(b.content) if self.tie_runts else b.content
            return (f"<h{b.level}{ident}{self.dir_attr(b.content)}>"
                    f"{self.inlines(self.tied(content))}</h{b.level}>\n")
        if isinstance(b, Paragraph):
            # a paragraph after a paragraph opens indented (print.css.j2: p + p)
            indent = self.composition.run_on_indent_em if (
                self.composition and self._after_paragraph) else 0
            return (f"<p{self.dir_attr(b.content)}{self.leading(b.content)}>"
                    f"{self.inlines(self.composed(self.tied(b.content), indent))}</p>\n")
        if isinstance(b, BulletList):
            return f"<ul>\n{''.join(self.item(i) for i in b.items)}</ul>\n"
        if isinstance(b, OrderedList):
            start = f' start="{b.start}"' if b.start != 1 else ""
            return (f'<ol class="digits-{self.digits}"{start}>\n'
                    f"{''.join(self.item(i) for i in b.items)}</ol>\n")
        if isinstance(b, BlockQuote):
            with self.indented(QUOTE_INDENT_EM):
                return f"<blockquote>\n{self.blocks(b.blocks)}</blockquote>\n"
        if isinstance(b, CodeBlock):
            return f'<pre dir="ltr"><code>{escape(b.text, quote=False)}</code></pre>\n'
        if isinstance(b, ThematicBreak):
            return "<hr/>\n"
        if isinstance(b, Faq):
            return self.faq(b)
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Figure):
            return self.figure(b)
        raise TypeError(f"unknown block {type(b).__name__}")

    def composed(self, content: tuple[Inline, ...], first_line_em: float = 0
                 ) -> tuple[Inline, ...]:
        """A justified paragraph with its breaks chosen by the composer."""
        if self.composition is None:
            return content
        return compose_breaks(content, self._indent_em, self.composition, first_line_em)

    def leading(self, content: tuple[Inline, ...]) -> str:
        """Room between the lines of vowelled text (the PDF), as a style: what
        the article's vowelled paragraphs need for one, else what its marks
        need."""
        if self.composition is None:
            return ""
        needed = self.vowelled_leading if vowelled(content) else None
        needed = needed or paragraph_leading(content, self.composition)
        return f' style="line-height: {needed:g}"' if needed else ""

    @contextlib.contextmanager
    def indented(self, em: float):
        """Paragraphs inside are that much narrower (print.css.j2's margins)."""
        self._indent_em += em
        try:
            yield
        finally:
            self._indent_em -= em

    def tied(self, content: tuple[Inline, ...]) -> tuple[Inline, ...]:
        if not self.tie_runts:
            return content
        tied = tie_last_words(unwrap_last_token(content))
        last = next((n for n in reversed(tied) if not (isinstance(n, Text) and not any(
            ch.isalnum() for ch in n.text))), None)
        if isinstance(last, Isolate) and " " not in plain_text(last.children) \
                and len(plain_text(last.children)) <= 30:
            self._last_token = last
        return tied

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, n: Inline) -> str:
        if isinstance(n, Text):
            return escape(n.text, quote=False)
        if isinstance(n, Strong):
            return f"<strong>{self.inlines(n.children)}</strong>"
        if isinstance(n, Emphasis):
            return f"<em>{self.inlines(n.children)}</em>"
        if isinstance(n, Strikeout):
            return f"<del>{self.inlines(n.children)}</del>"
        if isinstance(n, Note):
            return self.note_call(n)
        if isinstance(n, Code):
            return f'<code dir="ltr">{escape(n.text, quote=False)}</code>'
        if isinstance(n, LineBreak):
            return "<br/>"
        if isinstance(n, Link):
            text = self.inlines(n.children)
            if self.tie_runts and is_address(plain_text(n.children)):
                text = address_html(n.children, self.inline)
            if urlsplit(n.target).scheme.lower() in _SAFE_SCHEMES:
                return f'<a href="{escape(n.target)}">{text}</a>'
            return text
        if isinstance(n, Image):
            title = f' title="{escape(n.title)}"' if n.title else ""
            return f'<img src="{escape(self.image_href(n.src))}" alt="{escape(n.alt)}"{title}/>'
        if isinstance(n, Isolate):
            # dir on a span isolates it (HTML's unicode-bidi: isolate), and
            # WeasyPrint lays its boxes out in its own direction. On a page, a
            # paragraph's last word that is a Latin token ("Virtual-Coffee")
            # is not broken at its hyphen: its second half would stand alone.
            kind = ' class="token"' if n is self._last_token else ""
            return f'<span dir="{n.direction}"{kind}>{self.inlines(n.children)}</span>'
        raise TypeError(f"unknown inline {type(n).__name__}")

    def dir_attr(self, content: tuple[Inline, ...]) -> str:
        if self._list_depth:
            return ""  # an item keeps its list's direction; its Latin runs are isolated
        direction = block_direction(content, self.base_dir)
        return f' dir="{direction}"' if direction else ""

    def item(self, item: ListItem) -> str:
        self._list_depth += 1
        try:
            with self.indented(LIST_INDENT_EM):
                body = item.blocks
                if item.lead is not None:
                    first = body[0]
                    text = first.content if isinstance(first, Paragraph) else ()
                    # the lead term is composed with the text it opens
                    lead, *rest = self.composed((Strong(item.lead), *self.tied(text)))
                    lead = (f'<p><strong class="lead">{self.inlines(lead.children)}</strong>'
                            f'{self.inlines(tuple(rest))}</p>\n')
                    return f"<li>{lead}{self.blocks(body[1:])}</li>\n"
                return f"<li>{self.blocks(body)}</li>\n"
        finally:
            self._list_depth -= 1

    def number(self, n: int) -> str:
        """A note's number in the article's digits."""
        return in_digits(n, "", self.digits)  # the digits are given: no language needed

    def note_call(self, note: Note) -> str:
        if self.notes == "foot":
            # WeasyPrint moves the span to the page foot and numbers the call
            # and the note (print.css); its paragraphs become lines.
            text = "<br/>".join(self.note_lines(note))
            return f'<span class="footnote" id="fn{note.number}">{text}</span>'
        self._pending.append(note)
        semantics = ' epub:type="noteref"' if self.epub else ""
        return (f'<sup class="note-call"><a href="#fn{note.number}" id="fnref{note.number}" '
                f'role="doc-noteref"{semantics}>{self.number(note.number)}</a></sup>')

    def note_lines(self, note: Note) -> list[str]:
        """A note's blocks as lines of inline markup (a note is set small, in
        one place: its lists and quotes become lines of text)."""
        lines = []
        for b in note.blocks:
            if isinstance(b, Paragraph):
                lines.append(self.inlines(b.content))
            elif isinstance(b, (BulletList, OrderedList)):
                lines += [escape(f"– {item_text(i)}", quote=False)
                          for i in b.items]
            else:
                lines.append(escape(block_text(b), quote=False))
        return lines

    def pending_notes(self) -> str:
        """The notes called since the last time, each after a back-link to its call."""
        if not self._pending:
            return ""
        notes, self._pending = self._pending, []
        if self.epub:
            return "".join(
                f'<aside class="footnote" id="fn{n.number}" epub:type="footnote" '
                f'role="doc-footnote">\n<p><a href="#fnref{n.number}" role="doc-backlink">'
                f'{self.number(n.number)}</a> {"<br/>".join(self.note_lines(n))}</p>\n'
                f'</aside>\n' for n in notes)
        items = "".join(
            f'<li id="fn{n.number}" value="{n.number}"><a href="#fnref{n.number}" '
            f'role="doc-backlink">{self.number(n.number)}</a> '
            f'{"<br/>".join(self.note_lines(n))}</li>\n' for n in notes)
        return (f'<section class="footnotes" role="doc-endnotes">\n<hr/>\n'
                f'<ol class="footnotes">\n{items}</ol>\n</section>\n')

    def table(self, table: Table) -> str:
        return table_html(self, table)

    def figure(self, figure: Figure) -> str:
        """The picture with its caption and, set apart, its credit."""
        parts = []
        if figure.caption:
            parts.append(f'<span class="caption">{self.inlines(figure.caption)}</span>')
        if figure.credit:
            parts.append(f'<span class="credit">{self.inlines(figure.credit)}</span>')
        caption = f"\n<figcaption>{' '.join(parts)}</figcaption>" if parts else ""
        return f"<figure>\n{self.inline(figure.image)}{caption}\n</figure>\n"

    def faq(self, faq: Faq) -> str:
        # Questions are headings one level under the section that holds the FAQ:
        # tagged PDF and screen readers then see a question/answer outline.
        level = min(self._last_level + 1, 6)
        semantics = ' epub:type="qna"' if self.epub else ""
        parts = [f'<section class="faq" role="doc-qna"{semantics}>\n']
        for e in faq.entries:
            ident = f' id="{escape(e.ident)}"' if e.ident else ""
            parts.append(f'<div class="faq-entry"{ident}>\n'
                         f'<h{level} class="faq-question"{self.dir_attr(e.question)}>'
                         f'{self.inlines(self.tied(e.question))}</h{level}>\n'
                         f'<div class="faq-answer">\n{self.answer(e.answer)}</div>\n</div>\n')
        parts.append("</section>\n")
        return "".join(parts)

    def answer(self, blocks: tuple[Block, ...]) -> str:
        # a FAQ stands in its column, as the text does (print.css.j2)
        with self.indented(ANSWER_INDENT_EM):
            return self.blocks(blocks)


def line_html(text: str, direction: str = "rtl", tie: bool = False) -> Markup:
    """A front-matter line (headline, deck, kicker, byline) as HTML, its
    Latin runs isolated as the body's; ``tie`` ties its last two words."""
    translator = HtmlTranslator(base_dir=direction, tie_runts=tie)
    line = isolated_line(text, direction)
    if tie:  # the PDF: a name stays on one line of a headline
        line = keep_names_whole(line)
    return Markup(translator.inlines(translator.tied(line)))


def body_html(article: Article, image_href: Callable[[str], str] = str,
              digits: str = ARTICLE_DEFAULTS["digits"], tie_runts: bool = False, notes: str = "end",
              measure_em: float = 0, width_em=None, block_em: float = 0,
              composition: Composition | None = None,
              table_fits: Mapping | None = None) -> str:
    """The whole body as one fragment, its footnotes as ``notes`` says."""
    translator = HtmlTranslator(base_dir=article.meta.dir, image_href=image_href,
                                digits=digits, tie_runts=tie_runts, notes=notes,
                                measure_em=measure_em, width_em=width_em, block_em=block_em,
                                table_fits=table_fits or {},
                                composition=composition,
                                vowelled_leading=composition and vowelled_leading(
                                    (n.content for n in iter_nodes(article)
                                     if isinstance(n, Paragraph)), composition))
    return translator.blocks(article.blocks) + translator.pending_notes()
