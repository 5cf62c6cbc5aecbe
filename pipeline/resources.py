"""The files an article may bring besides its text: images from its own folder.

Every image is read and checked here, before any writer runs; writers get the
bytes through their options and never open a path themselves.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import PipelineError
from .files import open_regular, size_of
from .model import Article, Image
from .transforms import images

MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""An image file larger than this is refused (no news photo needs more)."""
MAX_IMAGE_PIXELS = 40_000_000
"""An image with more pixels than this is refused (decompression bombs)."""
MAX_TOTAL_PIXELS = 30_000_000
"""The images of one article together may have this many pixels (the PDF
holds them decoded: some 1.2 MB of memory a megapixel)."""
MAX_IMAGES = 100
"""An article may bring this many different image files."""
MAX_TOTAL_IMAGE_BYTES = 40 * 1024 * 1024
"""The images of one article together may weigh this much (every format holds them all)."""
MAX_SVG_ELEMENTS = 10_000
"""An SVG drawing more elements than this, counting what each ``<use>`` repeats,
is refused: a few hundred bytes of nested ``<use>`` can ask for millions."""
MAX_SVG_USE_DEPTH = 64
"""A ``<use>`` repeating a ``<use>`` that repeats another… is refused past this
many levels: renderers follow such chains by recursion (a chart's markers and
symbols nest two or three deep)."""

RASTER_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif",
                "WEBP": "image/webp"}
SVG = "image/svg+xml"


@dataclass(frozen=True, slots=True)
class ImageResource:
    src: str
    """The path as the article wrote it."""
    path: Path
    """The file, resolved (symlinks followed) inside the article's folder."""
    data: bytes
    """The file's bytes, checked."""
    media_type: str
    """``image/png``, ``image/jpeg``, ``image/gif``, ``image/webp`` or ``image/svg+xml``."""
    width: int
    """Width in pixels (0 when an SVG does not say)."""
    height: int
    """Height in pixels (0 when an SVG does not say)."""

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", SVG: "svg"}.get(self.media_type,
                                                     self.media_type.split("/")[1])


def packaged_names(images: dict[str, ImageResource]) -> dict[str, str]:
    """Source path → the name an image takes inside a package (an EPUB, a web
    page's folder): ``images/image-01.png``…, never the author's file name; one
    file named several ways (``p.png``, ``./p.png``) is packaged once."""
    by_file: dict[Path, str] = {}
    for image in images.values():
        by_file.setdefault(image.path,
                           f"images/image-{len(by_file) + 1:02d}.{image.extension}")
    return {src: by_file[image.path] for src, image in images.items()}


class ImageFolder:
    """An article's images on disk: files inside its folder (the command)."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.root = folder, folder.resolve()

    def find(self, src: str, where: dict) -> Path:
        """The file ``src`` names, symlinks followed, never outside the folder."""
        try:
            resolved = (self.folder / src).resolve(strict=True)
        except (OSError, RuntimeError):
            raise PipelineError(f"image not found: {src}", **where,
                                hint="check the name; images live in the article's "
                                     "folder") from None
        if not resolved.is_relative_to(self.root):
            raise PipelineError(f"image {src!r} leads outside the article's folder",
                                **where, hint="copy the image into the article's folder "
                                              "instead of linking to it")
        return resolved

    def read(self, path: Path, src: str, where: dict) -> bytes:
        """The file's bytes, measured before they are read: never more than
        the limit of one image, a device or a FIFO never."""
        try:
            fh = open_regular(path)
        except OSError:  # a folder, a FIFO, a device; or gone since it was resolved
            raise PipelineError(f"image {src!r} is not a file", **where) from None
        with fh:
            _within_limit(size_of(fh), src, where)
            data = fh.read(MAX_IMAGE_BYTES + 1)  # no more than was measured
        if len(data) > MAX_IMAGE_BYTES:
            raise PipelineError(f"image {src!r} grew past the "
                                f"{MAX_IMAGE_BYTES:,}-byte limit while it was read", **where)
        return data


class GivenImages:
    """An article's images handed over in memory (``render()``, the service),
    by the names the article uses: nothing is read from a disk."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self.files = {posixpath.normpath(name): bytes(data) for name, data in files.items()}

    def find(self, src: str, where: dict) -> Path:
        name = posixpath.normpath(src)  # ./photo.png is photo.png
        if name not in self.files:
            raise PipelineError(f"image not found: {src}", **where,
                                hint="give it with the article's images, under the name "
                                     "the article uses")
        return Path(name)

    def read(self, path: Path, src: str, where: dict) -> bytes:
        data = self.files[str(path)]
        _within_limit(len(data), src, where)
        return data


def _within_limit(size: int, src: str, where: dict) -> None:
    if size > MAX_IMAGE_BYTES:
        raise PipelineError(f"image {src!r} is {size:,} bytes, over the "
                            f"{MAX_IMAGE_BYTES:,}-byte limit", **where,
                            hint="export it smaller")


def load_images(article: Article, files: ImageFolder | GivenImages,
                text: str = "") -> dict[str, ImageResource]:
    """Read and check every image of ``article`` from ``files`` (its folder,
    or the images given with it); ``text`` (the source) lets errors name the
    line that refers to the image."""
    found: dict[str, ImageResource] = {}
    by_file: dict[Path, ImageResource] = {}
    total = pixels = 0
    cover = [Image(src=article.meta.cover, alt=article.meta.title)] if article.meta.cover else []
    for image in (*images(article), *cover):
        if image.src in found:
            continue
        where = locate(text, image.src)
        resolved = files.find(image.src, where)
        if resolved in by_file:  # the same file under another spelling: read once
            found[image.src] = replace(by_file[resolved], src=image.src)
            continue
        if len(by_file) == MAX_IMAGES:
            raise PipelineError(f"more than {MAX_IMAGES} image files", **where,
                                hint="split the article, or use fewer pictures")
        data = files.read(resolved, image.src, where)
        total += len(data)
        if total > MAX_TOTAL_IMAGE_BYTES:
            raise PipelineError(f"the images weigh over {MAX_TOTAL_IMAGE_BYTES:,} bytes "
                                f"together (at {image.src!r})", **where,
                                hint="export them smaller")
        found[image.src] = by_file[resolved] = _checked(image.src, resolved, data, where)
        pixels += found[image.src].width * found[image.src].height
        if pixels > MAX_TOTAL_PIXELS:
            raise PipelineError(f"the images have over {MAX_TOTAL_PIXELS:,} pixels together "
                                f"(at {image.src!r})", **where,
                                hint="scale them down: a page shows a few megapixels")
    if cover and found[cover[0].src].media_type == SVG:
        raise PipelineError(f"the cover {cover[0].src!r} is a drawing (SVG)",
                            **locate(text, cover[0].src),
                            hint="give a photo (JPEG, PNG, GIF or WebP): the cover is "
                                 "a picture stores show")
    return found


def _checked(src: str, path: Path, data: bytes, where: dict) -> ImageResource:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) or path.suffix.lower() == ".svg":
        return _checked_svg(src, path, data, where)
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError as PIL_UNIDENTIFIED  # its message shows a repr
    try:
        with PILImage.open(io.BytesIO(data)) as im:
            kind, (width, height) = im.format, im.size
            if width * height > MAX_IMAGE_PIXELS:
                raise PipelineError(f"image {src!r} has {width}×{height} pixels, over the "
                                    f"{MAX_IMAGE_PIXELS:,}-pixel limit", **where,
                                    hint="scale it down")
            im.verify()
    except PipelineError:
        raise
    except PIL_UNIDENTIFIED:
        raise PipelineError(f"image {src!r} is not a picture Pillow knows", **where,
                            hint="use a PNG, JPEG, GIF, WebP or SVG file") from None
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        raise PipelineError(f"image {src!r} cannot be read: {exc}", **where,
                            hint="use a PNG, JPEG, GIF, WebP or SVG file") from None
    if kind not in RASTER_TYPES:
        raise PipelineError(f"image {src!r} is {kind}, not a web image format", **where,
                            hint="use a PNG, JPEG, GIF, WebP or SVG file")
    return ImageResource(src, path, data, RASTER_TYPES[kind], width, height)


def _checked_svg(src: str, path: Path, data: bytes, where: dict) -> ImageResource:
    """An SVG that draws and does nothing else: UTF-8, no DOCTYPE, no scripts or
    event handlers, nothing fetched from outside itself, and a bounded number of
    elements once every ``<use>`` is counted. Refused with its reason otherwise
    (EPUB readers, WeasyPrint and browsers would each treat the rest differently)."""
    from lxml import etree

    def refuse(why: str, hint: str = "") -> PipelineError:
        return PipelineError(f"SVG image {src!r} {why}", **where, hint=hint)

    declared = re.match(rb'\s*<\?xml[^>]*encoding\s*=\s*["\']([\w.-]+)', data)
    try:
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii"):
            raise UnicodeError
        text = data.decode("utf-8")
    except UnicodeError:
        raise refuse("is not UTF-8", "save it as UTF-8") from None
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        raise refuse("has a DOCTYPE or entities",
                     "remove the DOCTYPE; entities can read files or expand without end")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise refuse(f"is not well-formed: {exc}") from None
    if etree.QName(root).localname != "svg":
        raise PipelineError(f"image {src!r} is XML but not SVG", **where)
    if any(node.tag is etree.PI for node in
           (*root.itersiblings(preceding=True), *root.itersiblings(), *root.iter(etree.PI))):
        raise refuse("has a processing instruction",
                     "remove <?xml-stylesheet …?>: a style sheet may come from outside")
    ids = {}
    references = []  # the "#id"s the drawing points at, checked once every id is known
    for element in root.iter(etree.Element):
        name = etree.QName(element).localname
        if name in _SVG_REFUSED:
            raise refuse(f"has a <{name}> element", _SVG_REFUSED[name])
        if (ident := element.get("id")) is not None:
            if ident in ids:
                raise refuse(f"has two elements with the id {ident!r}",
                             "give each element its own id")
            ids[ident] = element
        if name in _SVG_ANIMATIONS and "href" in element.get("attributeName", "").lower():
            raise refuse(f"has a <{name}> that changes a reference",
                         "an image inside an article draws only what it holds")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                raise refuse(f"has an event handler ({local})", "remove the scripts")
            if attribute == _XML_BASE:
                raise refuse("has an xml:base", "an image inside an article draws only what "
                                                "it holds")
            if local != "style" and _SVG_EXTERNAL.search(value):  # fill="url(http://…)"
                raise refuse(f"has an attribute that fetches from outside ({local})",
                             "an image inside an article draws only what it holds")
            if local == "href":
                if not value.strip().startswith("#"):
                    raise refuse(f"refers to {value[:60]!r}",
                                 "an image inside an article draws only what it holds")
                references.append(value.strip())
            if local == "style" and _fetches(value):
                raise refuse("has a style that fetches from outside",
                             "an image inside an article draws only what it holds")
        if name == "style" and _fetches("".join(element.itertext())):
            raise refuse("has a style sheet that fetches from outside",
                         "an image inside an article draws only what it holds")
    for reference in references:
        if reference[1:] not in ids:
            raise refuse(f"refers to {reference!r}, which it does not hold",
                         "point each <use> at an element of the drawing")
    if _svg_elements(root, ids) > MAX_SVG_ELEMENTS:
        raise refuse(f"draws over {MAX_SVG_ELEMENTS:,} elements once its <use> "
                     f"copies are counted, or nests <use> over {MAX_SVG_USE_DEPTH} deep",
                     "simplify the drawing")
    return ImageResource(src, path, data, SVG, _svg_length(root.get("width")),
                         _svg_length(root.get("height")))


_SVG_REFUSED = {"script": "remove the scripts",
                "foreignObject": "draw it in SVG; HTML inside an image is not kept",
                "feImage": "filters may not fetch other images",
                "iframe": "remove it", "object": "remove it", "embed": "remove it",
                "handler": "remove the scripts", "listener": "remove the scripts"}
_SVG_EXTERNAL = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.I)
_SVG_ANIMATIONS = {"set", "animate", "animateMotion", "animateTransform", "discard"}
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _fetches(css: str) -> bool:
    """Whether a style may fetch from outside: ``url(…)`` not to ``#id``,
    ``@import``, or a backslash, which can spell either out of sight
    (``u\\72l(``, ``@im\\port``)."""
    return "\\" in css or bool(_SVG_EXTERNAL.search(css))


def _svg_elements(root, ids: dict) -> int:
    """Elements drawn, each ``<use>`` counting what it repeats; stops counting
    (returns the limit + 1) as soon as the limit is passed, a ``<use>`` repeats
    one of its own ancestors or ``<use>`` nests deeper than ``MAX_SVG_USE_DEPTH``.
    A walk with its own stack: a long chain of ``<use>`` must not exhaust
    Python's."""
    from lxml import etree
    limit = MAX_SVG_ELEMENTS + 1

    def is_use(element) -> bool:
        return etree.QName(element).localname == "use"

    def drawn(element):
        """What an element draws besides itself: its target, then its children."""
        if is_use(element):
            href = next((v for a, v in element.attrib.items()
                         if etree.QName(a).localname == "href"), "")
            if (target := ids.get(href.strip()[1:])) is not None:
                yield target
        yield from element.iterchildren(etree.Element)

    # keyed on the elements themselves: holding them keeps lxml's proxies (and
    # so their identity) alive
    counted: dict = {}
    on_path = {root}
    uses = int(is_use(root))
    stack = [[root, drawn(root), 1]]  # element, what is left to count, count so far
    while True:
        frame = stack[-1]
        following = next(frame[1], None) if frame[2] < limit else None
        if following is not None:
            if following in counted:
                frame[2] += counted[following]
            elif following in on_path or uses + is_use(following) > MAX_SVG_USE_DEPTH:
                frame[2] = limit
            else:
                on_path.add(following)
                uses += is_use(following)
                stack.append([following, drawn(following), 1])
            continue
        element, _, total = stack.pop()
        on_path.discard(element)
        uses -= is_use(element)
        counted[element] = total = min(total, limit)
        if not stack:
            return total
        stack[-1][2] += total


def _svg_length(value: str | None) -> int:
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*$", value or "")
    return int(float(m.group(1))) if m else 0


def locate(text: str, src: str) -> dict:
    """Line and column of the first reference to ``src`` in the source: as an
    image's address (``](src``, ``](<src``, ``cover: src``) before anywhere
    else the name is written (prose may name the file first)."""
    found = [i + len(lead) for lead in ("](", "](<", ": ", ":")
             if (i := text.find(lead + src)) >= 0]
    index = min(found) if found else text.find(src)
    if index < 0:
        return {}
    line = text.count("\n", 0, index) + 1
    return {"line": line, "column": index - (text.rfind("\n", 0, index) + 1) + 1}


def as_png(data: bytes) -> bytes:
    """An image as a plain RGB(A) PNG, which every reader takes (a WebP or a
    CMYK JPEG is not read by Word, nor by python-docx)."""
    from PIL import Image as PILImage
    out = io.BytesIO()
    with PILImage.open(io.BytesIO(data)) as im:
        im.convert("RGBA" if "A" in im.getbands() else "RGB").save(out, "PNG")
    return out.getvalue()
