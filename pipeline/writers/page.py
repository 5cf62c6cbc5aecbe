"""The standalone HTML page of an article, shared by the PDF and web writers."""

from __future__ import annotations

from markupsafe import Markup

from ..facts import facts_for
from ..fonts import FALLBACK_FAMILIES, TEXT_FAMILY, FontFace
from ..model import Article
from ..options import WriterOptions
from ..bidi import isolated_string
from .html import body_html, line_html, template_env

FONT_STACK = ", ".join(f'"{f}"' for f in (TEXT_FAMILY, *FALLBACK_FAMILIES))


def font_faces_css(faces: tuple[FontFace, ...], url_of, options: WriterOptions) -> str:
    """``@font-face`` rules for ``faces``; ``url_of(face)`` says where each file is.

    A family shipped without a bold or italic face (Noto Emoji) lends its
    closest face to those styles, so that no renderer synthesises a "Bold"
    variant the project does not ship."""
    rules = []
    for family in dict.fromkeys(f.family for f in faces):
        own = {(f.bold, f.italic): f for f in faces if f.family == family}
        for bold, italic in ((False, False), (True, False), (False, True), (True, True)):
            face = (own.get((bold, italic)) or own.get((bold, False))
                    or own.get((False, italic)) or own.get((False, False))
                    or next(iter(own.values())))
            rules.append({"family": family, "url": url_of(face),
                          "weight": "bold" if bold else "normal",
                          "style": "italic" if italic else "normal"})
    return template_env(options.template_dirs).get_template("fonts.css.j2").render(faces=rules)


def render_page(article: Article, options: WriterOptions, stylesheets=(),
                image_href=str, running_title: str = "", tie_runts: bool = False,
                notes: str = "end", cover_href: str = "", measure_em: float = 0,
                width_em=None, block_em: float = 0, composition=None) -> str:
    """The article as one HTML page; the PDF asks for a running title, for
    the last two words of every paragraph tied (no one-word last lines) and
    for its footnotes at the foot of their pages (``notes="foot"``)."""
    env = template_env(options.template_dirs)
    meta = article.meta
    return env.get_template("article.html.j2").render(
        meta=meta,
        keywords=", ".join(meta.subjects),
        cover_href=cover_href,
        page_title=isolated_string(meta.title, meta.dir),
        kicker=line_html(meta.section, meta.dir),
        byline=line_html(facts_for(article, options).byline, meta.dir),
        running_title=isolated_string(running_title, meta.dir),
        title=line_html(meta.title, meta.dir, tie_runts),
        deck=line_html(meta.description, meta.dir, tie_runts),
        digits=options.digits,
        created=options.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        stylesheets=list(stylesheets),
        body=Markup(body_html(article, image_href, options.digits, tie_runts, notes,
                              measure_em, width_em, block_em, composition,
                              facts_for(article, options).tables)),
    )
