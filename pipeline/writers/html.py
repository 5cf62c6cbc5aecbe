"""The model → HTML translator shared by the PDF, EPUB and web writers.

It produces well-formed XHTML fragments (valid HTML too), escaped here so that
templates only lay them out. The PDF and EPUB writers wrap these fragments in
their own page templates; neither rewrites the tree.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit


from ..assets import TEMPLATES_DIR
from ..model import (
    Article, Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, Heading, Image,
    Inline, Isolate, LineBreak, Link, ListItem, OrderedList, Paragraph, Strong, Text,
    ThematicBreak,
)
from ..transforms import block_direction


# Link targets a reader may follow; anything else (javascript:, file:, data:…)
# prints as plain text.
_SAFE_SCHEMES = ("http", "https", "mailto", "")


@functools.lru_cache(maxsize=8)
def template_env(template_dirs: tuple[Path, ...] = ()):
    """Jinja2 with autoescape and StrictUndefined; user folders first, then ours.

    One environment per set of folders, so that each template is compiled
    once per process; Jinja reloads a template whose file changed."""
    import jinja2
    return jinja2.Environment(
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
    digits: str = "western"
    """The digits of list numbers (``regional.digit_style``); the stylesheets
    draw them, with a suffix that cannot be misread ("١-")."""
    _last_level: int = field(default=1, init=False)
    _list_depth: int = field(default=0, init=False)

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b: Block) -> str:
        if isinstance(b, Heading):
            self._last_level = b.level
            ident = f' id="{escape(b.ident)}"' if b.ident else ""
            return (f"<h{b.level}{ident}{self.dir_attr(b.content)}>"
                    f"{self.inlines(b.content)}</h{b.level}>\n")
        if isinstance(b, Paragraph):
            return f"<p{self.dir_attr(b.content)}>{self.inlines(b.content)}</p>\n"
        if isinstance(b, BulletList):
            return f"<ul>\n{''.join(self.item(i) for i in b.items)}</ul>\n"
        if isinstance(b, OrderedList):
            start = f' start="{b.start}"' if b.start != 1 else ""
            return (f'<ol class="digits-{self.digits}"{start}>\n'
                    f"{''.join(self.item(i) for i in b.items)}</ol>\n")
        if isinstance(b, BlockQuote):
            return f"<blockquote>\n{self.blocks(b.blocks)}</blockquote>\n"
        if isinstance(b, CodeBlock):
            return f'<pre dir="ltr"><code>{escape(b.text, quote=False)}</code></pre>\n'
        if isinstance(b, ThematicBreak):
            return "<hr/>\n"
        if isinstance(b, Faq):
            return self.faq(b)
        raise TypeError(f"unknown block {type(b).__name__}")

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, n: Inline) -> str:
        if isinstance(n, Text):
            return escape(n.text, quote=False)
        if isinstance(n, Strong):
            return f"<strong>{self.inlines(n.children)}</strong>"
        if isinstance(n, Emphasis):
            return f"<em>{self.inlines(n.children)}</em>"
        if isinstance(n, Code):
            return f'<code dir="ltr">{escape(n.text, quote=False)}</code>'
        if isinstance(n, LineBreak):
            return "<br/>"
        if isinstance(n, Link):
            if urlsplit(n.target).scheme.lower() in _SAFE_SCHEMES:
                return f'<a href="{escape(n.target)}">{self.inlines(n.children)}</a>'
            return self.inlines(n.children)
        if isinstance(n, Image):
            title = f' title="{escape(n.title)}"' if n.title else ""
            return f'<img src="{escape(self.image_href(n.src))}" alt="{escape(n.alt)}"{title}/>'
        if isinstance(n, Isolate):
            # dir on a span isolates it (HTML's unicode-bidi: isolate), and
            # WeasyPrint lays its boxes out in its own direction.
            return f'<span dir="{n.direction}">{self.inlines(n.children)}</span>'
        raise TypeError(f"unknown inline {type(n).__name__}")

    def dir_attr(self, content: tuple[Inline, ...]) -> str:
        if self._list_depth:
            return ""  # an item keeps its list's direction; its Latin runs are isolated
        direction = block_direction(content, self.base_dir)
        return f' dir="{direction}"' if direction else ""

    def item(self, item: ListItem) -> str:
        self._list_depth += 1
        try:
            body = item.blocks
            if item.lead is not None:
                first = body[0]
                text = first.content if isinstance(first, Paragraph) else ()
                lead = (f'<p><strong class="lead">{self.inlines(item.lead)}</strong>'
                        f'{self.inlines(text)}</p>\n')
                return f"<li>{lead}{self.blocks(body[1:])}</li>\n"
            return f"<li>{self.blocks(body)}</li>\n"
        finally:
            self._list_depth -= 1

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
                         f'{self.inlines(e.question)}</h{level}>\n'
                         f'<div class="faq-answer">\n{self.blocks(e.answer)}</div>\n</div>\n')
        parts.append("</section>\n")
        return "".join(parts)




def body_html(article: Article, image_href: Callable[[str], str] = str,
              digits: str = "western") -> str:
    """The whole body as one fragment."""
    return HtmlTranslator(base_dir=article.meta.dir, image_href=image_href,
                          digits=digits).blocks(article.blocks)
