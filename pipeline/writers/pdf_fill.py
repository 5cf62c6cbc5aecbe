"""Full pages: vertical justification between blocks, after WeasyPrint has
laid the pages out and before they are drawn.

Widows, orphans, headings kept with their text and tables kept whole leave a
page short of the text block's foot (the bundled article's A4 pages ended
2.3 to 4.0 body lines short). A compositor spreads that slack over the
spaces between paragraphs, headings, lists and tables of the page, or of each
column; a page stays short only where the next column or page opens with a
picture or table that did not fit, and the last page is left as it falls
(its columns balanced by WeasyPrint). Nothing moves from page to page, so
what fits where is WeasyPrint's decision alone.
"""

from __future__ import annotations

from dataclasses import dataclass

PX_PER_PT = 4 / 3
NEEDS_NO_FILL_PX = 1.0
"""Slack under a point or so is no slack."""
OPENS_WITH_PICTURE = ("figure", "table", "img", "pre")
"""What a column or page may open with after a short one: too tall to pull back."""
MOST_PER_SPACE_LINES = 1.5
"""The most one space between blocks grows, in body lines: more reads as a hole."""
HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6")


@dataclass
class Flow:
    """One run of blocks down a page: the text block of a one-column page, or
    one column of a two-column set."""

    blocks: list
    """The laid-out block boxes, top to bottom."""
    foot: float | None
    """Where the run should end (px from the page's top); None where it ends
    where it falls (the last page)."""


def fill(page_boxes: list, line_px: float, move_down) -> None:
    """Spread each run's slack between its blocks, on every page but the last;
    on the last, the columns of a set are brought to one foot.
    ``move_down(box, dy)`` moves a laid-out block and what it paints."""
    flows = [flow for number, page in enumerate(page_boxes)
             for flow in _flows(page, last=number == len(page_boxes) - 1)]
    for k, flow in enumerate(flows):
        if flow.foot is not None:
            _spread(flow, flows[k + 1].blocks[0] if k + 1 < len(flows) else None, line_px,
                    move_down)


def _spread(flow: Flow, opening, line_px: float, move_down) -> None:
    blocks = [part for b in flow.blocks for part in _parts(b)]
    slack = flow.foot - _bottom(blocks[-1])
    if slack <= NEEDS_NO_FILL_PX or len(blocks) < 2:
        return
    if opening is not None and _tag(opening) in OPENS_WITH_PICTURE and slack > 3 * line_px:
        return  # a picture or table that did not fit: the gap is its own
    # space over a heading takes twice a paragraph's share, and none comes
    # between a heading and its text: space groups a heading with what it heads
    weights = [0 if _tag(above) in HEADING_TAGS else 2 if _tag(b) in HEADING_TAGS else 1
               for above, b in zip(blocks, blocks[1:])]
    if not any(weights):
        return
    # never a hole: no space grows by more than one body line and a half
    unit = min(slack / sum(weights), MOST_PER_SPACE_LINES * line_px / max(weights))
    moved = 0.0
    for block, weight in zip(blocks[1:], weights):
        moved += unit * weight
        if moved:
            move_down(block, moved)


def _flows(page_box, last: bool):
    """The runs of blocks of one page, in reading order, with their feet; on
    the last page only the columns of a set, to the foot of the longest."""
    html = next((c for c in page_box.children if _tag(c) == "html"), None)
    article = _find(html, "article") if html is not None else None
    if article is None:
        return
    page_foot = page_box.content_box_y() + page_box.height
    for child in page_box.children:
        if type(child).__name__ == "FootnoteAreaBox" and child.children:
            page_foot = min(page_foot, child.position_y)
    children = [c for c in article.children if hasattr(c, "translate")]
    if not any(_tag(c) == "article" for c in children):  # one column
        blocks = [c for c in children if _tag(c) != "header"]
        if blocks:
            yield Flow(blocks, None if last else page_foot)
        return
    # two columns: sets of columns side by side, between spanning blocks
    sets: list[list] = []
    for child in children:
        if _tag(child) != "article":
            sets.append([])
        elif sets and sets[-1] and abs(sets[-1][0].position_y - child.position_y) < 0.5:
            sets[-1].append(child)
        else:
            sets.append([child])
    for k, column_set in enumerate(sets):
        column_set = [c for c in column_set if any(hasattr(b, "translate") for b in c.children)]
        if not column_set:
            continue
        foot = page_foot
        if last or k + 1 < len(sets):  # a spanning block under the set, or the end
            foot = max(_bottom(c.children[-1]) for c in column_set)
        for column in column_set:
            yield Flow([b for b in column.children if hasattr(b, "translate")], foot)


OPEN_CONTAINERS = ("section", "ul", "ol", "div")
"""Blocks whose parts may take slack between them: a FAQ's entries, a
question and its answer, a list's items (a table's wrapper is a div too, but
its rows are no blocks of it)."""


def _parts(box) -> list:
    """A block, or the blocks inside it where slack may go between them."""
    if _tag(box) not in OPEN_CONTAINERS or "across" in _classes(box):
        return [box]
    children = [c for c in box.children if hasattr(c, "translate") and _tag(c)]
    if not children or any(type(c).__name__.startswith("Table") for c in children):
        return [box]
    return [part for c in children for part in _parts(c)]


def _classes(box) -> str:
    element = getattr(box, "element", None)
    return element.get("class", "") if element is not None else ""


def _find(box, tag):
    for child in getattr(box, "children", ()):
        if _tag(child) == tag:
            return child
        found = _find(child, tag) if _tag(child) in ("body", "main") else None
        if found is not None:
            return found
    return None


def _tag(box) -> str:
    return getattr(box, "element_tag", "") or ""


def _bottom(box) -> float:
    """Where a block's last line, picture or table row ends: a block broken
    at a page's or column's foot is stretched to it by WeasyPrint, its lines
    are not."""
    kind = type(box).__name__
    if kind == "LineBox" or "Replaced" in kind or kind == "TableRowBox" or not getattr(
            box, "children", None):
        return box.position_y + box.margin_height() - box.margin_bottom
    bottoms = [_bottom(c) for c in box.children if hasattr(c, "position_y")]
    own_end = box.padding_bottom + box.border_bottom_width
    return max(bottoms) + own_end if bottoms else box.position_y + box.margin_height()
