"""Whether the ink of neighbouring lines touches: each page is drawn twice,
once with only its odd lines' text and once with only its even lines', and
the two pictures are compared for a pixel inked in both (after growing one
by a pixel: touching ink counts too). Drawings (rules, pictures) are drawn in
neither: a page is drawn a third time with no text, and that ink is ignored.

A line is the text objects (BT … ET) drawn at one baseline; the glyph layer
writes each of a line's boxes as its own text object with a Tm."""

from __future__ import annotations

import re
from pathlib import Path

_TM = re.compile(rb"([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+Tm")


def _text_objects(content: bytes) -> list[tuple[int, int, float | None]]:
    """(start, end, baseline y) of each BT … ET in a content stream."""
    found, at = [], 0
    while True:
        start = content.find(b"BT", at)
        while start != -1 and not _operator_at(content, start, 2):
            start = content.find(b"BT", start + 2)
        if start == -1:
            return found
        end = content.find(b"ET", start + 2)
        while end != -1 and not _operator_at(content, end, 2):
            end = content.find(b"ET", end + 2)
        if end == -1:
            return found
        matrix = _TM.search(content, start, end)
        found.append((start, end + 2, float(matrix.group(6)) if matrix else None))
        at = end + 2


def _operator_at(content: bytes, at: int, length: int) -> bool:
    before = content[at - 1:at] if at else b" "
    after = content[at + length:at + length + 1] or b" "
    return before in b" \n\r\t" and after in b" \n\r\t"


def touching_lines(pdf: Path, dpi: int = 150,
                   pages: range | None = None) -> list[tuple[int, int, tuple[float, float]]]:
    """(page number, pixels, where the first is in points from the top left)
    for each page whose neighbouring lines' ink touches; empty when none does."""
    import numpy as np
    import pikepdf
    import pymupdf

    def ink(document_bytes: bytes, number: int):
        with pymupdf.open(stream=document_bytes, filetype="pdf") as document:
            pix = document[number].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
            return np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width) < 160

    found = []
    with pikepdf.open(pdf) as original:
        numbers = pages if pages is not None else range(len(original.pages))
    for number in numbers:
        variants = []
        for keep in ("odd", "even", "none"):
            with pikepdf.open(pdf) as document:
                page = document.pages[number]
                content = page.Contents.read_bytes() if not isinstance(
                    page.Contents, pikepdf.Array) else b"\n".join(
                    c.read_bytes() for c in page.Contents)
                objects = _text_objects(content)
                baselines = sorted({round(y, 1) for _, _, y in objects if y is not None})
                parity = {y: k % 2 for k, y in enumerate(baselines)}
                out, last = [], 0
                for start, end, y in objects:
                    line = parity.get(round(y, 1)) if y is not None else None
                    drop = keep == "none" or (keep == "odd" and line == 1) or (
                        keep == "even" and line == 0)
                    out.append(content[last:start])
                    if not drop:
                        out.append(content[start:end])
                    last = end
                out.append(content[last:])
                page.Contents = document.make_stream(b"".join(out))
                import io
                buffer = io.BytesIO()
                document.save(buffer)
                variants.append(ink(buffer.getvalue(), number))
        odd, even, drawn = variants
        odd &= ~drawn
        even &= ~drawn
        grown = odd.copy()
        grown[1:, :] |= odd[:-1, :]
        grown[:-1, :] |= odd[1:, :]
        grown[:, 1:] |= odd[:, :-1]
        grown[:, :-1] |= odd[:, 1:]
        touch = grown & even
        both = int(touch.sum())
        if both:
            row, column = (int(v[0]) for v in np.nonzero(touch))
            found.append((number, both, (round(column * 72 / dpi, 1), round(row * 72 / dpi, 1))))
    return found
