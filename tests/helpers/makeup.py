"""A page's makeup read back from a PDF (pymupdf): its text lines and
pictures by column, and what a production editor checks on them — holes in a
column, headings left without their text, how far each column ends from the
text block's foot, baselines across the gutter."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.pages import COLUMN_GAP_MM, LEADING, PAPERS, layout

MM = 72 / 25.4
NOTE_TYPE = 0.82
"""A footnote's type size against the body's (print.css.j2)."""


@dataclass
class Item:
    top: float
    bottom: float
    x0: float
    x1: float
    text: str = ""
    size: float = 0.0
    baseline: float = 0.0
    picture: bool = False


@dataclass
class Page:
    number: int
    columns: list[list[Item]]
    """Each column's lines and pictures, top to bottom (the start column first)."""
    spanning: list[Item]
    notes: list[Item]
    foot: float
    """The text block's foot: the page's bottom margin, or the top of its notes."""
    line: float
    """The body's distance between baselines, in points."""
    headings: list[list[Item]] = field(default_factory=list)
    """Each column's heading lines."""


def read_pages(pdf_path, paper: str, columns: int, rtl: bool = True) -> list[Page]:
    import pymupdf
    measure = layout(paper, columns)
    body = measure.body_pt
    line = body * LEADING
    top_margin, bottom_margin = measure.top_mm * MM, measure.bottom_mm * MM
    pages = []
    with pymupdf.open(str(pdf_path)) as pdf:
        for number, page in enumerate(pdf, start=1):
            width, height = page.rect.width, page.rect.height
            bleed = (width - PAPERS[paper].width_mm * MM) / 2  # a bleed widens the page
            # RTL: the first page is a left page (inner margin on its right)
            left_page = (number % 2 == 1) == rtl
            left = bleed + (measure.outer_mm if left_page else measure.inner_mm) * MM
            right = width - bleed - (measure.inner_mm if left_page else measure.outer_mm) * MM
            block_top, block_foot = bleed + top_margin, height - bleed - bottom_margin
            column_width = ((right - left) - COLUMN_GAP_MM * MM * (measure.columns - 1)) \
                / measure.columns
            items = []
            for block in page.get_text("dict")["blocks"]:
                if block["type"] == 1:
                    x0, y0, x1, y1 = block["bbox"]
                    items.append(Item(y0, y1, x0, x1, picture=True))
                    continue
                for ln in block.get("lines", []):
                    spans = [s for s in ln["spans"] if s["text"].strip()]
                    # lines of both columns on one baseline may come as one
                    sides = {}
                    for s in spans:
                        middle = (s["bbox"][0] + s["bbox"][2]) / 2
                        side = measure.columns > 1 and middle > (left + right) / 2
                        sides.setdefault(side, []).append(s)
                    gutter = (min((s["bbox"][0] for s in sides.get(True, ())), default=0)
                              - max((s["bbox"][2] for s in sides.get(False, ())), default=0))
                    if len(sides) == 2 and gutter > COLUMN_GAP_MM * MM * 0.8:
                        groups = list(sides.values())
                    else:
                        groups = [spans] if spans else []
                    for group in groups:
                        x0 = min(s["bbox"][0] for s in group)
                        x1 = max(s["bbox"][2] for s in group)
                        y0 = min(s["bbox"][1] for s in group)
                        y1 = max(s["bbox"][3] for s in group)
                        size = max(s["size"] for s in group)
                        items.append(Item(y0, y1, x0, x1, "".join(s["text"] for s in group),
                                          size, max(s["origin"][1] for s in group
                                                    if s["size"] == size)))
            for image in page.get_image_info():
                x0, y0, x1, y1 = image["bbox"]
                if not any(i.picture and abs(i.top - y0) < 1 for i in items):
                    items.append(Item(y0, y1, x0, x1, picture=True))
            items = [i for i in items if block_top - 2 <= i.top and i.bottom <= block_foot + 2]
            items.sort(key=lambda i: i.top)
            # the notes: small lines under all body text, at the foot
            smalls = [i for i in items if i.text and i.size < body * (NOTE_TYPE + 0.05)]
            body_bottom = max((i.bottom for i in items if i.text and i not in smalls),
                              default=0)
            notes = [i for i in smalls if i.top >= body_bottom - 1]
            foot = min((n.top for n in notes), default=block_foot)
            if notes:
                foot -= 4 * MM + 1.5 * MM  # the note area's margin and padding
                # the notes' rule is drawn as a picture over the whole note area
                items = [i for i in items if not (i.picture and i.top >= foot - 1)]
            flow = [i for i in items if i not in notes]
            spanning, cols = [], [[] for _ in range(measure.columns)]
            middle_x = (left + right) / 2
            # the title block: short lines (kicker, byline) over the first lines
            # that stand side by side
            paired = [i for i in flow if i.x1 < middle_x and any(
                j.x0 > middle_x and j.top < i.bottom and i.top < j.bottom for j in flow)]
            columns_top = paired[0].top if paired and measure.columns > 1 else 0
            for item in flow:
                if measure.columns == 1:
                    cols[0].append(item)
                elif item.x1 - item.x0 > column_width + 6 or (
                        number == 1 and item.bottom < columns_top):
                    spanning.append(item)
                else:
                    on_right = (item.x0 + item.x1) / 2 > middle_x
                    cols[0 if on_right == rtl else 1].append(item)
            headings = [[i for i in c if i.text and i.size > body * 1.15] for c in cols]
            pages.append(Page(number, cols, spanning, notes, foot, line, headings))
    return pages


def holes(page: Page) -> list[tuple[int, float, float]]:
    """Vertical gaps inside a column with no text or picture, over three body
    lines: (column, from, to), from the column's first line to its last."""
    found = []
    for k, column in enumerate(page.columns):
        for above, below in zip(column, column[1:]):
            bottom = max(i.bottom for i in column if i.top <= above.top)
            if below.top - bottom > 3 * page.line:
                found.append((k, bottom, below.top))
    return found


def lonely_headings(page: Page) -> list[str]:
    """Headings with fewer than two lines of their text under them in their column."""
    found = []
    for column, headings in zip(page.columns, page.headings):
        for heading in headings:
            under = [i for i in column if i.top > heading.top + 1]
            if under and under[0] in headings:
                continue  # the heading's own second line, or a subheading: judged by it
            text_lines = [i for i in under if not i.picture and i not in headings]
            if len(text_lines) < 2:
                found.append(heading.text)
    return found


def shortfall(page: Page) -> list[float]:
    """How far above the text block's foot each column ends, in body lines."""
    return [(page.foot - max(i.bottom for i in column)) / page.line if column else 99.0
            for column in page.columns]


def opens_with_picture(page: Page, column: int = 0) -> bool:
    """Whether the column opens with a picture or a table (a line of small type
    under a rule: a table's header row)."""
    items = page.columns[column] if page.columns[column] else page.spanning
    if not items:
        return False
    first = items[0]
    return first.picture or (first.size and first.size < page.line / LEADING * 0.95)


def baseline_offsets(page: Page) -> list[float]:
    """For each body line of the start column with a body line beside it in
    the other (within half a line), how far apart their baselines are (pt)."""
    body = page.line / LEADING
    lines = [[i for i in column if i.text and abs(i.size - body) < 0.3]
             for column in page.columns]
    if len(lines) < 2:
        return []
    offsets = []
    for line in lines[0]:
        beside = min(lines[1], key=lambda other: abs(other.baseline - line.baseline),
                     default=None)
        if beside is not None and abs(beside.baseline - line.baseline) < page.line / 2:
            offsets.append(beside.baseline - line.baseline)
    return offsets
