"""The pictures an edited DOCX holds, as files beside the imported source.

A picture's part name, extension and ``docPr`` name are the document's to
choose, so none of them is trusted: only bytes that read as a PNG, JPEG, GIF
or WebP image are written, under the extension of what they are, never under
a hidden name, and a name Word made up ("Picture 1", the same in every
document) is replaced by one of the article's own (``<article>-<n>.png``).
"""

from __future__ import annotations

import io
import re
from pathlib import PurePosixPath

# what the bytes are → the extension the file gets
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
_SAME_TYPE = {"jpg": ("jpg", "jpeg"), "png": ("png",), "gif": ("gif",), "webp": ("webp",)}
_IMAGE_SUFFIXES = ("png", "jpg", "jpeg", "gif", "webp", "svg")
_SAFE_PART = re.compile(r"[\w\-][\w\-. ]*")
# names Word and LibreOffice give every inserted picture, in every document
_GENERIC = re.compile(r"(picture|image|graphic|grafik|bild|صورة)[\s_-]*\d*", re.I)


def image_extension(data: bytes) -> str | None:
    """``png``, ``jpg``, ``gif`` or ``webp`` when ``data`` is such an image
    (its header read and checked by Pillow); None for anything else."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return _EXTENSIONS.get(image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        return None


def picture_name(wanted: str, extension: str, stem: str, number: int) -> str:
    """The file name a picture is written under: the document's name for it
    when that is a plain relative path of visible names and an image's
    extension (a drawing's ``chart.svg``, drawn as a PNG, comes back as
    ``chart.png``), else ``<stem>-<number>.<extension>``."""
    path = PurePosixPath(wanted)
    parts = path.parts
    if not parts or len(parts) > 4 or not all(_SAFE_PART.fullmatch(p) for p in parts) \
            or _GENERIC.fullmatch(path.stem.strip()) \
            or path.suffix.lower()[1:] not in _IMAGE_SUFFIXES:
        return f"{stem}-{number}.{extension}"
    if path.suffix.lower()[1:] in _SAME_TYPE[extension]:
        return wanted
    return str(path.with_suffix(f".{extension}"))
