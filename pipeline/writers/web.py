"""Article → a standalone web page: the shared HTML layer with a screen
stylesheet, the fonts as WOFF2 files (subset to the page) and the images beside it."""

from __future__ import annotations

from ..facts import facts_for
from ..fonts import TEMPLATE_CHARACTERS, faces_used, subset_font, woff2
from ..model import Article
from ..options import WriterOptions
from ..resources import packaged_names
from . import Bundle
from .html import template_file
from .page import font_faces_css, render_page

ASSETS = "{stem}_files"


def write(article: Article, options: WriterOptions) -> Bundle:
    folder = ASSETS.format(stem=options.stem)
    shown = facts_for(article, options).text + TEMPLATE_CHARACTERS
    files: dict[str, bytes] = {}
    faces = faces_used(article, shown, options.fonts_dir)
    for face in faces:
        files[f"{face.path.stem}.woff2"] = woff2(subset_font(face, shown))
    names = packaged_names(options.images)
    for src, name in names.items():
        files[name] = options.images[src].data
    css = font_faces_css(faces, lambda f: f"{f.path.stem}.woff2", options)
    # list numbers and the news parts: the same rules on every screen
    for name in ("lists.css", "parts.css", "web.css"):
        css += template_file(options.template_dirs, name).read_text(encoding="utf-8")
    files["article.css"] = css.encode()
    cover = f"{folder}/{names[article.meta.cover]}" if article.meta.cover else ""
    page = render_page(article, options, stylesheets=[f"{folder}/article.css"],
                       image_href=lambda src: f"{folder}/{names[src]}", cover_href=cover)
    return Bundle(page.encode(), files)
