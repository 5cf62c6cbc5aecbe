"""The EPUB's cover picture: the headline and the deck set in the shipped fonts,
so that a store or a library shows the article, not a blank tile."""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from pathlib import Path

from .caches import memo
from .fonts import TEXT_FAMILY, shipped_faces
from .model import Meta

WIDTH, HEIGHT = 1600, 2400  # the 1:1.5 portrait most stores ask for
MARGIN = 150
INK, PAPER, RULE, MUTED = (255, 255, 255), (23, 50, 77), (201, 162, 39), (214, 222, 232)


MAX_CACHEDCOVERS_DRAWN = 8
"""Covers a process keeps drawn (a batch or a service worker draws the same
cover for each build of an article): each is about a megabyte; the photo is
kept by its digest, never by its bytes."""
COVERS_DRAWN: OrderedDict = OrderedDict()
"""The covers drawn, by (meta, fonts, byline, photo digest), oldest first."""


def cover_jpeg(meta: Meta, fonts_dir: Path, byline: str = "", photo: bytes = b"") -> bytes:
    """``draw_cover``'s JPEG, drawn once for the same article, byline and photo."""
    key = (meta, fonts_dir, byline, hashlib.sha256(photo).hexdigest() if photo else "")
    if key in COVERS_DRAWN:
        COVERS_DRAWN.move_to_end(key)
        return COVERS_DRAWN[key]
    jpeg = draw_cover(meta, fonts_dir, byline, photo)
    COVERS_DRAWN[key] = jpeg
    while len(COVERS_DRAWN) > MAX_CACHEDCOVERS_DRAWN:
        COVERS_DRAWN.popitem(last=False)
    return jpeg


def draw_cover(meta: Meta, fonts_dir: Path, byline: str = "", photo: bytes = b"") -> bytes:
    """A JPEG of the title (bold, large) over the description, right to left,
    ``byline`` (``regional.byline``) at the foot; over ``photo`` (the front
    matter's ``cover``, cropped to fill the cover and darkened under the
    text) when there is one, its credit along the foot."""
    from PIL import Image, ImageDraw

    faces = {(f.bold, f.italic): f.path for f in shipped_faces(fonts_dir)
             if f.family == TEXT_FAMILY}
    direction = "rtl" if meta.dir == "rtl" else "ltr"
    language = meta.lang.split("-")[0]
    image = _photo_ground(photo) if photo else Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)

    def font(bold: bool, size: int):
        return _font(faces[(bold, False)], size)

    def lines(text: str, face, limit: int) -> list[str]:
        """Greedy word wrap to the cover's width, at most ``limit`` lines."""
        out: list[str] = []
        for word in text.split():
            trial = f"{out[-1]} {word}" if out else word
            if out and draw.textlength(trial, font=face, direction=direction,
                                       language=language) <= WIDTH - 2 * MARGIN:
                out[-1] = trial
            else:
                out.append(word)
        if len(out) > limit:
            out = out[:limit]
            out[-1] += " …"
        return out

    def set_text(text_lines: list[str], face, y: int, leading: int, fill) -> int:
        for line in text_lines:
            draw.text((WIDTH / 2, y), line, font=face, fill=fill, anchor="ma",
                      direction=direction, language=language)
            y += leading
        return y

    title_size = 128 if len(meta.title) < 60 else 104
    title_font, deck_font = font(True, title_size), font(False, 60)
    title_lines = lines(meta.title, title_font, 6)
    deck_lines = lines(meta.description, deck_font, 9) if meta.description else []
    title_leading, deck_leading, gap = int(title_size * 1.55), 100, 190
    block = len(title_lines) * title_leading + gap + len(deck_lines) * deck_leading
    y = max(MARGIN, (HEIGHT - block) // 2 - 120)  # a little above the middle
    if photo:  # the kicker, the headline and deck, the byline and credit
        for top, bottom in ((MARGIN - 40, MARGIN + 120), (y - 70, y + block + 40),
                            (HEIGHT - 300, HEIGHT)):
            image = _behind_text(image, top, bottom)
        draw = ImageDraw.Draw(image)
    y = set_text(title_lines, title_font, y, title_leading, INK) + 80
    draw.rectangle((WIDTH / 2 - 160, y, WIDTH / 2 + 160, y + 10), fill=RULE)
    set_text(deck_lines, deck_font, y + gap - 80, deck_leading, MUTED)
    if meta.section:
        set_text([meta.section], font(True, 60), MARGIN, 0, RULE)
    if byline:
        set_text([byline], font(False, 54), HEIGHT - 260, 0, MUTED)
    if photo and meta.cover_credit:
        set_text(lines(meta.cover_credit, font(False, 40), 1), font(False, 40),
                 HEIGHT - 120, 0, MUTED)
    out = io.BytesIO()
    # JPEG, as stores ask for: 8 ms where a PNG takes 55; full-resolution colour
    # (no chroma subsampling) keeps the headline's edges clean
    image.save(out, "JPEG", quality=92, subsampling=0)
    return out.getvalue()


def _photo_ground(photo: bytes):
    """The photo scaled and cropped to fill the cover, darkened so that white
    type reads over any part of it."""
    from PIL import Image, ImageOps
    with Image.open(io.BytesIO(photo)) as picture:
        picture = ImageOps.exif_transpose(picture).convert("RGB")
        filled = ImageOps.fit(picture, (WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    shade = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    return Image.blend(filled, shade, 0.62)


SCRIM_OPACITY = 0.72
"""How much of the cover's ground colour covers the photo behind the headline
and deck: a light sky under the deck, darkened only by the photo's shade,
read at 3:1; under the scrim too the deck is 4.5:1 and more."""


def _behind_text(image, top: int, bottom: int):
    """The photo with a band of the ground colour behind the headline and deck."""
    from PIL import Image
    band = image.crop((0, max(0, top), WIDTH, min(HEIGHT, bottom)))
    shade = Image.new("RGB", band.size, PAPER)
    image.paste(Image.blend(band, shade, SCRIM_OPACITY), (0, max(0, top)))
    return image


@memo(8)
def _font(path: Path, size: int):
    """A face at a size, loaded once per process (a batch draws many covers)."""
    from PIL import ImageFont
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
