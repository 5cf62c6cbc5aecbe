"""The Word styles of an article, defined in one place.

Editors restyle a document by changing these named styles; the body carries
only inline bold, italic and links. With a reference DOCX the newsroom's own
definitions win and only missing styles are added.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from ...caches import memo
from ...compat.docx import replace_part_element
from ...compat.docx import styles_part as compat_styles_part
from .ooxml import child, set_paragraph_rtl, set_run_fonts
from .schema import in_schema_order, tree_in_schema_order


@dataclass(frozen=True)
class StyleSpec:
    base: str | None = "Normal"
    size: float | None = None
    bold: bool = False
    italic: bool = False
    color: str | None = None
    before: float = 0
    """Space before, in points."""
    after: float = 6
    """Space after, in points."""
    keep_next: bool = False
    justify: bool = False
    center: bool = False
    outline: int | None = None
    """Outline level (0 = Heading 1) for navigation panes and tables of contents."""
    indent_cm: float = 0
    shade: str | None = None
    border_start: bool = False


PARAGRAPH_STYLES: dict[str, StyleSpec] = {
    "Normal": StyleSpec(base=None, size=13, justify=True, after=6),
    "Title": StyleSpec(size=26, bold=True, after=6, keep_next=True),
    "Subtitle": StyleSpec(size=15, color="404040", after=6, keep_next=True),
    "Byline": StyleSpec(size=11, color="404040", after=18),
    "Heading 1": StyleSpec(size=18, bold=True, before=18, after=6, keep_next=True, outline=0),
    "Heading 2": StyleSpec(size=15, bold=True, before=12, after=4, keep_next=True, outline=1),
    "Heading 3": StyleSpec(size=13.5, bold=True, before=10, after=3, keep_next=True, outline=2),
    "List Bullet": StyleSpec(justify=True, after=3),
    "List Bullet 2": StyleSpec(justify=True, after=3),
    "List Bullet 3": StyleSpec(justify=True, after=3),
    "List Number": StyleSpec(justify=True, after=3),
    "List Number 2": StyleSpec(justify=True, after=3),
    "List Number 3": StyleSpec(justify=True, after=3),
    "List Continue": StyleSpec(justify=True, after=3, indent_cm=1),
    "List Continue 2": StyleSpec(justify=True, after=3, indent_cm=2),
    "List Continue 3": StyleSpec(justify=True, after=3, indent_cm=3),
    "Quote": StyleSpec(color="333333", justify=True, indent_cm=1, after=6),
    "FAQ Question": StyleSpec(size=13.5, bold=True, before=10, after=2, keep_next=True,
                              shade="EFEFEF", border_start=True),
    "FAQ Answer": StyleSpec(justify=True, after=6, indent_cm=0.4),
    "Source Code": StyleSpec(size=11, after=6),
    "Kicker": StyleSpec(size=11, bold=True, color="8A1C1C", after=2, keep_next=True),
    "Caption": StyleSpec(size=11, color="333333", before=2, after=0),
    "Credit": StyleSpec(size=9.5, color="666666", after=10),
    "Table Text": StyleSpec(size=12, after=0),
    "Footnote Text": StyleSpec(size=10.5, after=0),
    "Header": StyleSpec(size=9, color="555555", center=True, after=0),
    "Footer": StyleSpec(size=10, center=True, after=0),
}
CHARACTER_STYLES = {"Hyperlink": {"color": "1F4E79", "underline": True},
                    "Footnote Reference": {"superscript": True}}
TABLE_STYLE = "News Table"
"""The house table style: a rule under the header row and between rows, the
header bold; editors restyle every table by changing it."""


BODY_PT = 13.0
"""The body size the sizes above are written for; a document scales them all
to its own body size (the PDF's, ``pages.layout``)."""


def apply_styles(document, family: str, lang_bidi: str, rtl: bool, own_styles: bool,
                 body_pt: float = BODY_PT) -> None:
    """Document defaults (font, language, direction) and every named style,
    sized for ``body_pt``.

    ``own_styles`` False means a reference document supplied the styles: its
    definitions stay, only missing ones are added."""
    if not own_styles:
        _apply_styles(document, family, lang_bidi, rtl, False, body_pt / BODY_PT)
        return
    replace_part_element(compat_styles_part(document),
                         parse_xml(defined_styles(family, lang_bidi, rtl, body_pt)))


@memo(16)
def defined_styles(family: str, lang_bidi: str, rtl: bool, body_pt: float) -> bytes:
    """The styles part python-docx's own template gets, for one (font, language,
    direction, body size): a function of its arguments, worked out once and
    then copied into every document (a batch saves 20 ms a DOCX)."""
    from docx import Document
    document = Document()
    _apply_styles(document, family, lang_bidi, rtl, True, body_pt / BODY_PT)
    tree_in_schema_order(compat_styles_part(document).element)
    return etree.tostring(compat_styles_part(document).element)


def _apply_styles(document, family: str, lang_bidi: str, rtl: bool, own_styles: bool,
                  scale: float = 1.0) -> None:
    styles = document.styles
    defaults = child(styles.element, "w:docDefaults", first=True)
    rpr = child(child(defaults, "w:rPrDefault"), "w:rPr")
    set_run_fonts(rpr, family, None, lang_bidi)
    ppr = child(child(defaults, "w:pPrDefault"), "w:pPr")
    set_paragraph_rtl(ppr, rtl)

    existing = {s.name for s in styles}
    for name, spec in PARAGRAPH_STYLES.items():
        if name in existing and not own_styles:
            style = styles[name]
            # A reference document's style still gets the direction and the
            # complex-script font, or Arabic would fall back to a Latin face.
            set_paragraph_rtl(style.element.get_or_add_pPr(), rtl)
            continue
        style = styles[name] if name in existing else styles.add_style(
            name, WD_STYLE_TYPE.PARAGRAPH)
        _define(style, styles, spec, family, lang_bidi, rtl, scale)
    for name, spec in CHARACTER_STYLES.items():
        if name in existing:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        rpr = style.element.get_or_add_rPr()
        if "color" in spec:
            child(rpr, "w:color", w_val=spec["color"])
        if spec.get("underline"):
            child(rpr, "w:u", w_val="single")
        if spec.get("superscript"):
            child(rpr, "w:vertAlign", w_val="superscript")
        in_schema_order(rpr)
    if TABLE_STYLE not in existing:
        _define_table_style(styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE), rtl)


def _define(style, styles, spec: StyleSpec, family: str, lang_bidi: str, rtl: bool,
            scale: float = 1.0) -> None:
    style.base_style = styles[spec.base] if spec.base else None
    style.quick_style = True
    el = style.element
    ppr = el.get_or_add_pPr()
    for tag in ("w:numPr", "w:pBdr", "w:shd", "w:ind", "w:jc", "w:spacing", "w:outlineLvl",
                "w:keepNext", "w:contextualSpacing"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if spec.keep_next:
        child(ppr, "w:keepNext")
    if spec.border_start:
        side = "w:right" if rtl else "w:left"
        child(child(ppr, "w:pBdr"), side, w_val="single", w_sz=18, w_space=6, w_color="333333")
    if spec.shade:
        child(ppr, "w:shd", w_val="clear", w_color="auto", w_fill=spec.shade)
    child(ppr, "w:spacing", w_before=int(spec.before * 20), w_after=int(spec.after * 20))
    if spec.indent_cm:
        # In a bidi paragraph Word and LibreOffice apply w:left to the start (right) side.
        child(ppr, "w:ind", w_left=int(spec.indent_cm * 567))
    child(ppr, "w:bidi", w_val="1" if rtl else "0")
    if spec.justify:
        child(ppr, "w:jc", w_val="both")
    elif spec.center:
        child(ppr, "w:jc", w_val="center")
    elif spec.base is not None:
        # set against the start (the right, in Arabic) rather than inheriting
        # Normal's justification: LibreOffice stretched a two-line headline
        # with kashidas and left "Pro" alone on its last line
        child(ppr, "w:jc", w_val="start")
    if spec.outline is not None:
        child(ppr, "w:outlineLvl", w_val=spec.outline)
    in_schema_order(ppr)

    rpr = el.get_or_add_rPr()
    for tag in ("w:b", "w:bCs", "w:i", "w:iCs", "w:color", "w:caps", "w:spacing", "w:kern"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    if spec.bold:
        child(rpr, "w:b")
        child(rpr, "w:bCs")
    if spec.italic:
        child(rpr, "w:i")
        child(rpr, "w:iCs")
    child(rpr, "w:color", w_val=spec.color or "000000")
    # w:sz and w:szCs both: Arabic text is sized by w:szCs
    set_run_fonts(rpr, family, spec.size * scale if spec.size else None, lang_bidi)


def _define_table_style(style, rtl: bool) -> None:
    """Rules between rows, a heavier one under the header, the header bold;
    cells padded; the table laid out from the right in a right-to-left article."""
    style.quick_style = True
    el = style.element
    tbl_pr = child(el, "w:tblPr")
    if rtl:
        child(tbl_pr, "w:bidiVisual")
    borders = child(tbl_pr, "w:tblBorders")
    for side in ("w:top", "w:bottom", "w:insideH"):
        child(borders, side, w_val="single", w_sz=4, w_space=0, w_color="BBBBBB")
    margins = child(tbl_pr, "w:tblCellMar")
    for side in ("w:left", "w:right"):
        child(margins, side, w_w=100, w_type="dxa")
    header = child(el, "w:tblStylePr", w_type="firstRow")
    child(child(header, "w:rPr"), "w:b")
    header.find(qn("w:rPr")).append(etree.Element(qn("w:bCs")))
    cell_borders = child(child(header, "w:tcPr"), "w:tcBorders")
    child(cell_borders, "w:bottom", w_val="single", w_sz=12, w_space=0, w_color="222222")
