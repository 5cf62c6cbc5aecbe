"""Printer's marks and page boxes, added to the PDF after WeasyPrint wrote it.

WeasyPrint's CSS ``marks`` draws crop marks inside the bleed, the band the
printer trims into. A printer expects the page laid out like this, from the
inside out: the trim box (the paper), the bleed box (trim + bleed), and a slug
around it (about 10 mm) that holds the crop marks, each offset from the trim
by the bleed, and a slug line naming the file, the page and the build date.
The marks and the slug line are page artifacts (not text a reader reads out),
drawn in registration colour (every separation), the slug's letters as
outlines so that no font beyond the embedded ones is needed.
"""

from __future__ import annotations

from pathlib import Path
from ...caches import memo

MM = 72 / 25.4
SLUG_MM = 10.0
MARK_WIDTH = 0.25  # points
SLUG_SIZE = 6.0  # points
_REGISTRATION = "pipeline-registration"


def _box(value) -> list[float]:
    return [float(v) for v in value]


def _ref(value) -> int:
    return int(str(value.decode() if isinstance(value, bytes) else value).split()[0])


def pages(pdf):
    """The pydyf page dictionaries, in order (pydyf keeps ``Kids`` as a flat
    list of numbers, zeros and ``R``)."""
    kids = list(pdf.pages["Kids"])
    return [pdf.objects[number] for number in kids[0::3]]


def ensure_trim_boxes(pdf) -> None:
    """Every page states its trim box (PDF/X asks for it): the media box when
    there is no bleed."""
    import pydyf
    for page in pages(pdf):
        if "TrimBox" not in page:
            page["TrimBox"] = pydyf.Array(_box(page["MediaBox"]))


def add_printer_marks(pdf, label: str, date: str, font_path: Path) -> None:
    """Crop marks outside the bleed and a slug line on every page; the media box
    grows by the slug. ``label`` names the file; ``date`` is the build date."""
    import pydyf

    registration = pydyf.Array(["/Separation", "/All", "/DeviceCMYK", pydyf.Dictionary({
        "FunctionType": 2, "Domain": pydyf.Array([0, 1]), "N": 1,
        "C0": pydyf.Array([0, 0, 0, 0]), "C1": pydyf.Array([1, 1, 1, 1])})])
    slug = SLUG_MM * MM
    done_resources = set()
    for number, page in enumerate(pages(pdf), start=1):
        trim = _box(page.get("TrimBox") or page["MediaBox"])
        bleed = _box(page.get("BleedBox") or page["MediaBox"])
        page["TrimBox"] = pydyf.Array(trim)
        page["BleedBox"] = pydyf.Array(bleed)
        page["MediaBox"] = pydyf.Array([bleed[0] - slug, bleed[1] - slug,
                                        bleed[2] + slug, bleed[3] + slug])
        resources = pdf.objects[_ref(page["Resources"])] if isinstance(
            page["Resources"], (str, bytes)) else page["Resources"]
        if id(resources) not in done_resources:
            spaces = resources.get("ColorSpace")
            spaces = pdf.objects[_ref(spaces)] if isinstance(spaces, (str, bytes)) else spaces
            if spaces is None:
                spaces = resources["ColorSpace"] = pydyf.Dictionary()
            spaces[_REGISTRATION] = registration
            done_resources.add(id(resources))
        operators = _marks(trim, bleed, slug) + _slug_line(
            f"{label}  ·  {number}  ·  {date}", trim[0] + 10 * MM, bleed[1] - slug + 3 * MM,
            font_path)
        save, restore = pydyf.Stream([b"q"]), pydyf.Stream([b"Q"])
        marks = pydyf.Stream([b"/Artifact BMC q", f"/{_REGISTRATION} CS 1 SCN".encode(),
                              f"/{_REGISTRATION} cs 1 scn {MARK_WIDTH} w".encode(),
                              *operators, b"Q EMC"], compress=True)
        for stream in (save, restore, marks):
            pdf.add_object(stream)
        contents = page["Contents"]
        existing = list(contents) if isinstance(contents, pydyf.Array) else [contents]
        page["Contents"] = pydyf.Array([save.reference, *existing, restore.reference,
                                        marks.reference])


def _marks(trim, bleed, slug) -> list[bytes]:
    """Two strokes at each trim corner, in the slug: each starts where the
    bleed ends (the bleed's width away from the trim) and runs out to 2 mm
    from the media edge."""
    x0, y0, x1, y1 = trim
    out = []
    for x, sx, reach_x in ((x0, -1, x0 - bleed[0]), (x1, 1, bleed[2] - x1)):
        for y, sy, reach_y in ((y0, -1, y0 - bleed[1]), (y1, 1, bleed[3] - y1)):
            near_x, near_y = reach_x or 3 * MM, reach_y or 3 * MM
            far_x, far_y = reach_x + slug - 2 * MM, reach_y + slug - 2 * MM
            out.append(f"{x + sx * near_x:.3f} {y:.3f} m {x + sx * far_x:.3f} {y:.3f} l S"
                       .encode())
            out.append(f"{x:.3f} {y + sy * near_y:.3f} m {x:.3f} {y + sy * far_y:.3f} l S"
                       .encode())
    return out


def _slug_line(text: str, x: float, y: float, font_path: Path) -> list[bytes]:
    """``text`` as filled outlines of the shipped font, baseline at (x, y)."""
    from fontTools.pens.basePen import BasePen

    font = _font(font_path)
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    scale = SLUG_SIZE / font["head"].unitsPerEm
    out: list[bytes] = []
    pen_x = x

    def point(p) -> str:
        return f"{pen_x + p[0] * scale:.3f} {y + p[1] * scale:.3f}"

    class PathPen(BasePen):
        """PDF path operators (BasePen raises quadratic curves to cubic)."""
        def _moveTo(self, p):
            out.append(f"{point(p)} m".encode())

        def _lineTo(self, p):
            out.append(f"{point(p)} l".encode())

        def _curveToOne(self, p1, p2, p3):
            out.append(f"{point(p1)} {point(p2)} {point(p3)} c".encode())

        def _closePath(self):
            out.append(b"h")

    for ch in text:
        name = cmap.get(ord(ch))
        if name is None:
            continue
        drawn = len(out)
        glyph_set[name].draw(PathPen(glyph_set))
        if len(out) > drawn:
            out.append(b"f")
        pen_x += glyph_set[name].width * scale
    return out


@memo(4)
def _font(path: Path):
    from fontTools.ttLib import TTFont
    return TTFont(path, lazy=True)
