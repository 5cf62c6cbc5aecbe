"""Article → EPUB 3: the shared HTML layer, split per section, packaged by ebooklib.

ebooklib writes the package; this module keeps it honest: errors raise, the
package carries ``xml:lang`` and ``dir``, the nav is ours (with ``dir``), pages
are checked for text after packaging, and the ZIP is made reproducible.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from ebooklib import epub

from ..compat.ebooklib import Writer
from lxml import etree

from ..bidi import isolated_string
from ..cover import cover_jpeg
from ..facts import facts_for
from ..errors import PipelineError
from ..fonts import TEMPLATE_CHARACTERS, faces_used, subset_font
from ..model import Article, Heading
from ..options import WriterOptions
from ..resources import packaged_names
from ..transforms import images, plain_text, split_sections
from ..zipfix import normalize_zip
from .html import HtmlTranslator, line_html, template_env, template_file
from .page import font_faces_css

XHTML = "application/xhtml+xml"
STYLESHEET = "styles/article.css"
LABELS = {
    "ar": {"toc": "المحتويات", "landmarks": "معالم الكتاب", "cover": "الغلاف",
           "start": "بداية النص", "cover_label": "غلاف"},
    "en": {"toc": "Contents", "landmarks": "Landmarks", "cover": "Cover",
           "start": "Start of text", "cover_label": "Cover"},
}
ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
    ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
)


@dataclass
class NavEntry:
    title: str
    href: str
    children: list["NavEntry"] = field(default_factory=list)


def write(article: Article, options: WriterOptions) -> bytes:
    meta = article.meta
    labels = LABELS.get(meta.lang.split("-")[0].lower(), LABELS["en"])
    env = template_env(options.template_dirs)
    book = epub.EpubBook()
    book.set_identifier(options.identifier)
    book.set_title(isolated_string(meta.title, meta.dir))
    book.set_language(meta.lang)
    book.set_direction(meta.dir)
    if meta.author:
        book.add_author(meta.author)
    if meta.description:
        book.add_metadata("DC", "description", isolated_string(meta.description, meta.dir))
    for subject in dict.fromkeys((*meta.subjects, *filter(None, [meta.section]))):
        book.add_metadata("DC", "subject", subject)
    if meta.date:
        book.add_metadata("DC", "date", meta.date.isoformat())
    pictured = {image.src for image in images(article)}  # the cover photo is in cover.jpg
    pictures = bool(pictured)
    for prop, value in ACCESSIBILITY:
        book.add_metadata(None, "meta", value, {"property": prop})
    if pictures:  # figures are seen; their alt text and captions say what they show
        book.add_metadata(None, "meta", "visual", {"property": "schema:accessMode"})
        book.add_metadata(None, "meta", "alternativeText",
                          {"property": "schema:accessibilityFeature"})
    book.add_metadata(None, "meta", _summary(meta.lang, pictures),
                      {"property": "schema:accessibilitySummary"})

    # every character the book shows: the subset fonts must hold all of them
    facts = facts_for(article, options)
    shown = facts.text + "".join(labels.values()) + TEMPLATE_CHARACTERS
    faces = faces_used(article, shown, options.fonts_dir)
    css = font_faces_css(faces, lambda f: "../fonts/" + f.path.name, options)
    # list numbers and the news parts: the same rules on every screen
    for name in ("lists.css", "parts.css", "epub.css"):
        css += template_file(options.template_dirs, name).read_text(encoding="utf-8")
    book.add_item(epub.EpubItem(uid="style", file_name=STYLESHEET, media_type="text/css",
                                content=css.encode()))
    for face in faces:
        book.add_item(epub.EpubItem(uid=f"font-{face.path.stem}",
                                    file_name=f"fonts/{face.path.name}",
                                    media_type="font/ttf",
                                    content=subset_font(face, shown)))

    def page(uid: str, file_name: str, title: str, body: str) -> epub.EpubHtml:
        item = epub.EpubHtml(uid=uid, file_name=file_name, title=title, lang=meta.lang,
                             direction=meta.dir)
        item.content = f"<html><body>{body}</body></html>"
        item.add_link(href="../" + STYLESHEET if "/" in file_name else STYLESHEET,
                      rel="stylesheet", type="text/css")
        book.add_item(item)
        return item

    # The cover is the picture stores and libraries show, as the first page
    # too; the headline and deck are text once, on the title page after it.
    credit = facts.byline
    photo = options.images[meta.cover].data if meta.cover else b""
    book.set_cover("images/cover.jpg", cover_jpeg(meta, options.fonts_dir, credit, photo),
                   create_page=False)
    common = {"meta": meta, "byline": line_html(credit, meta.dir),
              "cover_label": labels["cover_label"], "digits": options.digits}
    cover_alt = isolated_string(" — ".join(filter(None, (meta.title, meta.description, credit))),
                                meta.dir)
    cover = page("cover", "text/cover.xhtml", labels["cover"],
                 env.get_template("epub/cover.xhtml.j2").render(
                     cover_src="../images/cover.jpg", cover_alt=cover_alt, **common))
    image_names = {src: name for src, name in packaged_names(options.images).items()
                   if src in pictured}
    packaged = {name: src for src, name in reversed(image_names.items())}
    for n, (name, src) in enumerate(sorted(packaged.items()), 1):
        image = options.images[src]
        book.add_item(epub.EpubItem(uid=f"image-{n:02d}", file_name=name,
                                    media_type=image.media_type, content=image.data))
    translator = HtmlTranslator(epub=True, base_dir=meta.dir, digits=options.digits,
                                image_href=lambda src: "../" + image_names[src],
                                notes="aside")
    sections = split_sections(article.blocks)
    headline = isolated_string(meta.title, meta.dir)

    def label(content) -> str:
        """A heading as navigation shows it: text, its Latin runs isolated."""
        return isolated_string(plain_text(content), meta.dir)

    title_block = env.get_template("epub/title.xhtml.j2").render(
        title=line_html(meta.title, meta.dir), deck=line_html(meta.description, meta.dir),
        kicker=line_html(meta.section, meta.dir), **common)
    spine = [cover]
    nav: list[NavEntry] = []
    if not sections or isinstance(sections[0][0], Heading) and sections[0][0].level == 2:
        sections.insert(0, ())
    for n, blocks in enumerate(sections):
        file_name = f"text/section-{n:02d}.xhtml"
        # a section's footnotes after its text: pop-ups where the reader has them
        body = (title_block if n == 0 else "") + translator.blocks(blocks) \
            + translator.pending_notes()
        heading = next((b for b in blocks if isinstance(b, Heading)), None)
        title = label(heading.content) if heading and n else headline
        spine.append(page(f"section-{n:02d}", file_name, title, body))
        for b in blocks:
            if isinstance(b, Heading):
                entry = NavEntry(label(b.content), f"{file_name}#{b.ident}")
                if b.level > 2 and nav:
                    nav[-1].children.append(entry)
                else:
                    nav.append(entry)
    title_href = spine[1].file_name

    def toc_entry(e: NavEntry):
        link = epub.Link(e.href, e.title, e.href.split("#")[-1])
        return (link, [toc_entry(c) for c in e.children]) if e.children else link

    # The headline is not a contents entry when there are sections to list:
    # it already stands on the title page, just before the contents.
    title_entry = [] if nav else [epub.Link(title_href, headline, "title")]
    book.toc = [*title_entry, *map(toc_entry, nav)]
    nav_item = epub.EpubNav(direction=meta.dir)
    nav_item.content = env.get_template("epub/nav.xhtml.j2").render(
        meta=meta, labels=labels, toc=nav or [NavEntry(headline, title_href)],
        title_href=title_href,
        cover_href=cover.file_name, stylesheet=STYLESHEET).encode()
    book.add_item(nav_item)
    book.add_item(epub.EpubNcx())
    book.spine = [spine[0], spine[1], nav_item, *spine[2:]]
    book.guide = []

    buffer = io.BytesIO()
    writer = Writer(buffer, book, {"mtime": options.timestamp.replace(tzinfo=None),
                                    "epub3_landmark": False, "epub2_guide": False,
                                    "package_direction": True})
    writer.process()
    writer.write()
    with zipfile.ZipFile(buffer, "a") as package:
        # Apple Books sets its own font unless the book asks for its embedded one.
        package.writestr("META-INF/com.apple.ibooks.display-options.xml", APPLE_DISPLAY_OPTIONS)
    data = normalize_zip(buffer.getvalue(), options.timestamp,
                         first=("mimetype", "META-INF/container.xml"), stored=("mimetype",))
    _check_pages(data, [item.file_name for item in spine])
    return data


APPLE_DISPLAY_OPTIONS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<display_options>'
    '<platform name="*"><option name="specified-fonts">true</option></platform>'
    "</display_options>\n")


def _summary(lang: str, pictures: bool = False) -> str:
    if lang.split("-")[0] == "ar":
        media = ("وصور لكل منها نص بديل" if pictures else "دون صور أو وسائط")
        return ("نص عربي كامل من اليمين إلى اليسار، بعناوين منظمة وجدول محتويات وترتيب قراءة "
                f"منطقي، {media}، ويمكن تكبير الخط وتغييره.")
    media = "pictures with text alternatives" if pictures else "no images or media"
    return ("Full text with structured headings, a table of contents and a logical "
            f"reading order; {media}; text can be resized and restyled.")


def _check_pages(data: bytes, names: list[str]) -> None:
    """ebooklib empties a page whose HTML it cannot parse; refuse such a book."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in names:
            root = etree.fromstring(z.read(f"EPUB/{name}"))
            body = root.find("{http://www.w3.org/1999/xhtml}body")
            shows = body is not None and ("".join(body.itertext()).strip() or body.find(
                ".//{http://www.w3.org/1999/xhtml}img") is not None)
            if not shows:
                raise PipelineError(f"EPUB: page {name} came out empty",
                                    hint="rerun with --debug and report it")
