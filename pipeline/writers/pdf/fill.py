"""Full pages and the two columns' baseline grid: blocks moved down after
WeasyPrint has laid the pages out and before they are drawn.

Widows, orphans, headings kept with their text and tables kept whole leave a
page short of the text block's foot (the bundled article's A4 pages ended
2.3 to 4.0 body lines short). A compositor spreads that slack over the
spaces between paragraphs, headings, lists and tables of the page; a page
stays short only where the next page opens with a picture or table that did
not fit, and the last page is left as it falls. In two columns each block's
first line goes on the grid of body lines both columns share, and the slack
goes in whole lines, over headings first. Nothing moves from page to page,
so what fits where is WeasyPrint's decision alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PX_PER_PT = 4 / 3
NEEDS_NO_FILL_PX = 1.0
"""Slack under a point or so is no slack."""
OPENS_WITH_PICTURE = ("figure", "table", "img", "pre")
"""What a column or page may open with after a short one: too tall to pull back."""
MOST_PER_SPACE_LINES = 1.5
"""The most one space between blocks grows, in body lines: more reads as a hole."""
LEAST_WHITE = 0.3
"""The least white, in body lines, a block pulled up to the grid keeps over it
(a heading twice as much)."""
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
    grid_top: float | None = None
    """Two columns: the top of the set, where the baseline grid both columns
    share starts."""
    room: float = 0
    """How low the run may reach when its lines are put on the grid."""
    group: tuple = ()
    """Runs side by side (the columns of one set) share it."""


def fill(page_boxes: list, line_px: float, move_down) -> None:
    """Put the lines of two columns on one grid and spread each run's slack
    between its blocks, on every page but the last; on the last, the columns
    of a set are brought to one foot.
    ``move_down(box, dy)`` moves a laid-out block and what it paints."""
    flows = [flow for number, page in enumerate(page_boxes)
             for flow in _flows(page, last=number == len(page_boxes) - 1)]
    plans = {k: plan for k, flow in enumerate(flows) if flow.grid_top is not None
             and (plan := _grid_plan(flow, line_px)) is not None}
    for k, flow in enumerate(flows):
        if k in plans:
            foot = flow.foot
            if foot is None:  # the last page: every column to the longest one's foot
                foot = max(plans[j].bottom if j in plans else _bottom(flows[j].blocks[-1])
                           for j, other in enumerate(flows) if other.group == flow.group)
            _put_on_grid(plans[k], foot, line_px, move_down, flow.foot is not None)
        elif flow.foot is not None:
            _spread(flow, flows[k + 1].blocks[0] if k + 1 < len(flows) else None, line_px,
                    move_down)


@dataclass
class GridPlan:
    """Where a column's blocks go to stand on the grid."""

    parts: list
    """The column's blocks, those of a FAQ and a list one by one."""
    shifts: list[float]
    """How far down each block goes to stand on the grid."""
    bottom: float
    """Where the run's last line ends then."""


def _grid_plan(flow: Flow, line_px: float) -> GridPlan | None:
    """Each block of a column moved down to put its first baseline on the grid
    of body lines the set's columns share (a paragraph's further lines follow
    at the body's leading); None where that would run past the run's room."""
    parts = [part for b in flow.blocks for part in _parts(b)]
    body = next((line for part in parts if _tag(part) == "p"
                 for line in _lines(part) if abs(line.height - line_px) < 0.5), None)
    if body is None:
        return None
    origin = flow.grid_top + body.baseline
    # a column too full for all its blocks on the grid puts as many as it can,
    # from the top
    for snapped in range(len(parts), 0, -1):
        plan = _snapped(parts, snapped, origin, flow.grid_top, line_px, body.baseline)
        if plan.bottom <= flow.room + 0.5:
            return plan
    return None


def _snapped(parts: list, snapped: int, origin: float, top: float, line_px: float,
             body_baseline: float) -> GridPlan:
    """The first ``snapped`` blocks on the grid, the rest moved with them."""
    shift, shifts, above = 0.0, [], None
    for number, part in enumerate(parts):
        # a table's or a picture's lines keep their own rhythm, the block
        # after it comes back to the grid; a heading (whole lines high:
        # print.css.j2) goes where the first line of its text stands on it
        first = None if _tag(part) in OPENS_WITH_PICTURE or number >= snapped else next(
            _lines(part), None)
        if first is not None:
            baseline = first.position_y + first.baseline + shift
            if _tag(part) in HEADING_TAGS:
                baseline = part.position_y + part.margin_height() + body_baseline + shift
            steps = math.ceil((baseline - origin) / line_px - 0.02)
            # up to the grid line above where the white over the block allows
            # (a heading's or a table's margin), else down to the one below
            white = part.position_y + part.margin_top + shift - (
                top if above is None else above)
            least = LEAST_WHITE * (2 if _tag(part) in HEADING_TAGS else 1) * line_px
            if white - (baseline - origin - (steps - 1) * line_px) >= least:
                steps -= 1
            shift += origin + steps * line_px - baseline
        shifts.append(shift)
        above = _bottom(part) + shift
    return GridPlan(parts, shifts, _bottom(parts[-1]) + shift)


def _put_on_grid(plan: GridPlan, foot: float, line_px: float, move_down,
                 between_paragraphs: bool) -> None:
    """The plan carried out, and whole lines of the slack left to ``foot``
    given one over each heading in turn, then (``between_paragraphs``: not
    on the last page, where a column may end short) over each paragraph: the
    grid holds and the foot is reached."""
    parts = plan.parts
    spare = int((foot - plan.bottom) / line_px + 0.02)
    between = [k for k, part in enumerate(parts) if between_paragraphs and k
               and _tag(part) not in HEADING_TAGS and _tag(parts[k - 1]) not in HEADING_TAGS]
    # over headings first (two lines each at most), then between paragraphs,
    # between a list's items last
    headings = [k for k, part in enumerate(parts) if k and _tag(part) in HEADING_TAGS]
    gaps = headings * 2 + sorted(
        between, key=lambda k: _tag(parts[k]) == "li" and _tag(parts[k - 1]) == "li")
    added = [0.0] * len(parts)
    for k in gaps[:max(spare, 0)]:
        added[k] += line_px
    extra = 0.0
    for part, own, more in zip(parts, plan.shifts, added):
        extra += more
        if own + extra:
            move_down(part, own + extra)


def _lines(box):
    """The line boxes of a block, top to bottom."""
    if type(box).__name__ == "LineBox":
        yield box
        return
    for child in getattr(box, "children", ()):
        if hasattr(child, "position_y") and not type(child).__name__.startswith("Inline"):
            yield from _lines(child)


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
        foot = room = page_foot
        if last or k + 1 < len(sets):  # a spanning block under the set, or the end
            foot = max(_bottom(c.children[-1]) for c in column_set)
            room = foot if k + 1 < len(sets) else page_foot
        for column in column_set:
            yield Flow([b for b in column.children if hasattr(b, "translate")],
                       None if last else foot, column.position_y, room, (id(page_box), k))


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
