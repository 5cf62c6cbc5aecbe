"""What a newsroom's reference DOCX may lend an output: its styles and, when
asked, its page setup — nothing else.

A reference may come from Word, from LibreOffice or from this tool (an
output an editor restyled). They differ in ways that matter to an Arabic
article, mended here once, each mend reported in one line:

- LibreOffice names built-in styles as Word shows them ("Heading 1"), Word
  as it stores them ("heading 1"); both are read as the same style.
- Word's font dialog sets a size or a font for one script: ``w:sz`` without
  ``w:szCs`` leaves Arabic at its old size, ``w:ascii`` without ``w:cs``
  leaves it in the old face. What is given for one script is carried to the
  other unless the reference sets both; two sizes that differ become the
  Latin one (a style of this tool's reference, resized the usual way, has
  both, the complex-script one still old).
- Theme fonts (``w:asciiTheme``, ``w:cstheme``…) name the theme's Latin
  faces, which have no Arabic; they become the house font.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.ns import qn
from docx.styles import BabelFish
from lxml import etree

from ...caches import memo
from ...ziplimits import open_docx
from .schema import tree_in_schema_order
from .styles import CHARACTER_STYLES, PARAGRAPH_STYLES, TABLE_STYLE

USED_STYLES = frozenset((*PARAGRAPH_STYLES, *CHARACTER_STYLES, TABLE_STYLE))
"""The styles the DOCX writer sets text in: what a reference's mends are reported for."""

PAGE_SETUP = ("orientation", "page_width", "page_height", "left_margin", "right_margin",
              "top_margin", "bottom_margin", "header_distance", "footer_distance", "gutter")
_THEME = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_BUILT_IN = {ui.lower(): internal for ui, internal in BabelFish.style_aliases}


@dataclass(frozen=True)
class Reference:
    """A reference DOCX, read and mended once a run."""

    styles: bytes
    """Its styles part (``w:styles``), names and scripts mended."""
    page: tuple[tuple[str, int | None], ...]
    """Its page setup (python-docx section properties), used only when asked."""
    paper: str
    """Its paper in words ("Letter, portrait"), for the warning when it is not used."""
    mends: tuple[str, ...]
    """What was changed from what the editor set, one line each."""


def read_reference(path: Path, family: str) -> Reference:
    """The reference at ``path`` with its styles mended for an Arabic
    document set in ``family``; checked against the ZIP limits before
    python-docx inflates any of it."""
    stat = Path(path).stat()
    return _read(Path(path), stat.st_size, stat.st_mtime_ns, family)


@memo(4)
def _read(path: Path, _size: int, _mtime: int, family: str) -> Reference:
    source = open_docx(path, "reference DOCX")
    styles = copy.deepcopy(source.styles.element)
    _drop_unreadable(styles)
    mends: list[str] = []
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and (internal := _BUILT_IN.get(name.get(qn("w:val"), "").lower())):
            name.set(qn("w:val"), internal)  # the spelling python-docx and Word look up
    for rpr, owner, used in _run_properties(styles):
        found = _carry_scripts(rpr, owner, family)
        if used and found:  # every style is mended; those the writer sets are
            # reported, one line a style: "style 'Title': size …; theme fonts …"
            mends.append("; ".join([found[0], *(f.split(": ", 1)[1] for f in found[1:])]))
    for fonts in styles.iter(qn("w:rFonts")):  # table styles' parts, and the rest
        if any(fonts.get(qn(a)) is not None for a in _THEME):
            _carry_scripts(fonts.getparent(), "", family)
    page: tuple[tuple[str, int | None], ...] = ()
    paper = ""
    if len(source.sections):
        section = source.sections[0]
        page = tuple((name, _value(section, name)) for name in PAGE_SETUP)
        paper = _paper_words(section) if all(v is not None for _, v in page[1:3]) else ""
    tree_in_schema_order(styles)  # Word's order, whatever saved the reference
    return Reference(etree.tostring(styles), page, paper, tuple(mends))


def take_styles(document, reference: Reference, page_setup: bool = False) -> None:
    """The reference's styles in place of ``document``'s, and its page setup
    when ``page_setup``: its text, headers, footers, macros
    (``vbaProject.bin``), attached template, custom XML and embedded fonts
    stay behind."""
    styles = document.styles.element
    for style in list(styles):
        styles.remove(style)
    for style in etree.fromstring(reference.styles):
        styles.append(style)
    if page_setup:
        ours = document.sections[0]
        for name, value in reference.page:
            if value is not None:
                setattr(ours, name, value)


def _drop_unreadable(styles) -> None:
    """Styles python-docx cannot read (an unknown type, a malformed value) left
    out: the writer's own definitions stand in for them."""
    from docx.styles.style import StyleFactory
    for style in list(styles.findall(qn("w:style"))):
        try:
            made = StyleFactory(style)
            made.name, made.style_id, made.type  # noqa: B018 (each parses)
            getattr(made, "base_style", None)  # numbering styles have none
        except (ValueError, KeyError, TypeError):
            styles.remove(style)


def _value(section, name: str):
    """A page-setup value, or None where the reference's is malformed."""
    try:
        return getattr(section, name)
    except (ValueError, TypeError):
        return None


def _run_properties(styles):
    """Each ``w:rPr`` that sets a style's or the defaults' type, with its owner's name."""
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        yield defaults, "the document defaults", True
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        name = style.find(qn("w:name"))
        if rpr is not None:
            label = BabelFish.internal2ui(
                (name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId")))
                or "")
            yield rpr, f"style '{label}'", label in USED_STYLES


def _carry_scripts(rpr, owner: str, family: str) -> list[str]:
    mends = []
    sz, sz_cs = rpr.find(qn("w:sz")), rpr.find(qn("w:szCs"))
    if sz is not None and sz_cs is None:
        rpr.insert(list(rpr).index(sz) + 1, _element("w:szCs", sz.get(qn("w:val"))))
        mends.append(f"{owner}: size {_points(sz)} pt was set for Latin text only: "
                     "Arabic text takes it too")
    elif sz is not None and sz_cs is not None and sz.get(qn("w:val")) != sz_cs.get(qn("w:val")):
        # Both set, apart: python-docx and Word's Latin font dialog changed
        # w:sz on a style that had both, so Latin words would drop to the new
        # size inside Arabic lines that keep the old one.
        mends.append(f"{owner}: size {_points(sz)} pt was set for Latin text, "
                     f"{_points(sz_cs)} pt for Arabic: Arabic text takes {_points(sz)} pt")
        sz_cs.set(qn("w:val"), sz.get(qn("w:val"), ""))
    elif sz_cs is not None and sz is None:
        sz_cs.addprevious(_element("w:sz", sz_cs.get(qn("w:val"))))
        mends.append(f"{owner}: size {_points(sz_cs)} pt was set for Arabic text only: "
                     "Latin text takes it too")
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        return mends
    themed = [a for a in _THEME if fonts.get(qn(a)) is not None]
    if themed:
        for attribute in themed:
            del fonts.attrib[qn(attribute)]
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            if fonts.get(qn(attribute)) is None:
                fonts.set(qn(attribute), family)
        mends.append(f"{owner}: theme fonts have no Arabic: set in {family}")
    latin = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
    arabic = fonts.get(qn("w:cs"))
    if latin and not arabic:
        fonts.set(qn("w:cs"), latin)
        mends.append(f"{owner}: font {latin} was set for Latin text only: Arabic text "
                     "takes it too")
    elif arabic and not latin:
        fonts.set(qn("w:ascii"), arabic)
        fonts.set(qn("w:hAnsi"), arabic)
        mends.append(f"{owner}: font {arabic} was set for Arabic text only: Latin text "
                     "takes it too")
    return mends


def _element(tag: str, value: str | None):
    element = etree.Element(qn(tag))
    if value is not None:
        element.set(qn("w:val"), value)
    return element


def _points(size) -> str:
    value = size.get(qn("w:val"), "0")  # half-points; a damaged reference may say anything
    return f"{int(value) / 2:g}" if value.isdigit() else repr(value)


def _paper_words(section) -> str:
    """The section's paper by name where it has one ("Letter"), else in mm."""
    if section.page_width is None or section.page_height is None:
        return ""
    from ...pages import PAPERS
    width, height = section.page_width.mm, section.page_height.mm
    for paper in PAPERS.values():
        if {round(width), round(height)} == {round(paper.width_mm), round(paper.height_mm)}:
            name = paper.css if paper.css != "letter" else "Letter"
            return f"{name}{', landscape' if width > height else ''}"
    return f"{width:.0f} × {height:.0f} mm"
