"""The files an article may bring besides its text: images from its own folder.

Every image is read and checked here, before any writer runs; writers get the
bytes through their options and never open a path themselves.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError
from .model import Article
from .transforms import images

MAX_IMAGE_BYTES = 10 * 1024 * 1024
"""An image file larger than this is refused (no news photo needs more)."""
MAX_IMAGE_PIXELS = 40_000_000
"""An image with more pixels than this is refused (decompression bombs)."""

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
    page's folder): ``images/image-01.png``…, never the author's file name."""
    return {src: f"images/image-{n:02d}.{image.extension}"
            for n, (src, image) in enumerate(images.items(), 1)}


def load_images(article: Article, source_dir: Path, text: str = "") -> dict[str, ImageResource]:
    """Read and check every image of ``article``; ``text`` (the source) lets
    errors name the line that refers to the image."""
    root = source_dir.resolve()
    found: dict[str, ImageResource] = {}
    for image in images(article):
        if image.src in found:
            continue
        where = locate(text, image.src)
        path = (source_dir / image.src)
        try:
            resolved = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise PipelineError(f"image not found: {image.src}", **where,
                                hint="check the name; images live in the article's "
                                     "folder") from None
        if not resolved.is_relative_to(root):
            raise PipelineError(f"image {image.src!r} leads outside the article's folder",
                                **where, hint="copy the image into the article's folder "
                                              "instead of linking to it")
        if not resolved.is_file():
            raise PipelineError(f"image {image.src!r} is not a file", **where)
        size = resolved.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise PipelineError(f"image {image.src!r} is {size:,} bytes, over the "
                                f"{MAX_IMAGE_BYTES:,}-byte limit", **where,
                                hint="export it smaller")
        data = resolved.read_bytes()
        found[image.src] = _checked(image.src, resolved, data, where)
    return found


def _checked(src: str, path: Path, data: bytes, where: dict) -> ImageResource:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) or path.suffix.lower() == ".svg":
        return _checked_svg(src, path, data, where)
    from PIL import Image as PILImage
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
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        raise PipelineError(f"image {src!r} cannot be read: {exc}", **where,
                            hint="use a PNG, JPEG, GIF, WebP or SVG file") from None
    if kind not in RASTER_TYPES:
        raise PipelineError(f"image {src!r} is {kind}, not a web image format", **where,
                            hint="use a PNG, JPEG, GIF, WebP or SVG file")
    return ImageResource(src, path, data, RASTER_TYPES[kind], width, height)


def _checked_svg(src: str, path: Path, data: bytes, where: dict) -> ImageResource:
    from lxml import etree
    if re.search(rb"<!(DOCTYPE|ENTITY)", data, re.I):
        raise PipelineError(f"SVG image {src!r} has a DOCTYPE or entities", **where,
                            hint="remove the DOCTYPE; entities can read files or expand "
                                 "without end")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PipelineError(f"SVG image {src!r} is not well-formed: {exc}", **where) from None
    if etree.QName(root).localname != "svg":
        raise PipelineError(f"image {src!r} is XML but not SVG", **where)
    return ImageResource(src, path, data, SVG, _svg_length(root.get("width")),
                         _svg_length(root.get("height")))


def _svg_length(value: str | None) -> int:
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(px)?\s*$", value or "")
    return int(float(m.group(1))) if m else 0


def locate(text: str, src: str) -> dict:
    """Line and column of the first reference to ``src`` in the source."""
    index = text.find(src)
    if index < 0:
        return {}
    line = text.count("\n", 0, index) + 1
    return {"line": line, "column": index - (text.rfind("\n", 0, index) + 1) + 1}
