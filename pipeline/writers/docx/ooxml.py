"""The WordprocessingML python-docx has no API for: right-to-left paragraphs and
sections, complex-script fonts and sizes, numbering instances, fields, and
embedded (obfuscated) fonts — ECMA-376 Part 1 §17.8.1."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ...caches import memo
from ...compat.docx import paragraph_element, set_part_blob
from ...regional import LIST_SUFFIX
from .schema import in_schema_order

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"


def child(parent, tag: str, first: bool = False, **attrs):
    """The ``tag`` child of ``parent`` (made if missing), with ``attrs`` set
    (``w_val="x"`` sets ``w:val``)."""
    el = parent.find(qn(tag))
    if el is None:
        el = etree.SubElement(parent, qn(tag)) if not first else _insert_first(parent, tag)
    for key, value in attrs.items():
        el.set(qn(key.replace("_", ":", 1)), str(value))
    return el


def _insert_first(parent, tag: str):
    el = etree.Element(qn(tag))
    parent.insert(0, el)
    return el


def set_run_fonts(rpr, family: str, size_pt: float | None = None, lang: str = "ar-SA") -> None:
    """Latin and complex-script faces both ``family`` (no theme font overriding
    them), sizes for both, and the complex-script language."""
    fonts = child(rpr, "w:rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), family)
    if size_pt:
        child(rpr, "w:sz", w_val=round(size_pt * 2))
        child(rpr, "w:szCs", w_val=round(size_pt * 2))
    child(rpr, "w:lang", w_bidi=lang)
    in_schema_order(rpr)


def set_paragraph_rtl(ppr, rtl: bool = True) -> None:
    child(ppr, "w:bidi", w_val="1" if rtl else "0")
    in_schema_order(ppr)


def set_section_rtl(sect_pr, rtl: bool = True) -> None:
    """``w:bidi`` in the section: page order, columns and header/footer direction."""
    child(sect_pr, "w:bidi", w_val="1" if rtl else "0")
    in_schema_order(sect_pr)


def page_field(paragraph) -> None:
    """A PAGE field: the page number, in the section's number format (w:pgNumType)."""
    run = f'<w:r {nsdecls("w")}><w:rPr><w:rtl/></w:rPr>{{}}</w:r>'
    for inner in ('<w:fldChar w:fldCharType="begin"/>',
                  '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                  '<w:fldChar w:fldCharType="separate"/>', "<w:t>1</w:t>",
                  '<w:fldChar w:fldCharType="end"/>'):
        paragraph_element(paragraph).append(parse_xml(run.format(inner)))


# --- numbering ---------------------------------------------------------------


def add_abstract_list(numbering, abstract_id: int, ordered_list: bool,
                      arabic_indic: bool) -> None:
    """A nine-level list definition, indented from the start (right, in RTL) side;
    numbers in Arabic-Indic (``hindiNumbers``) or Western digits, then a hyphen
    ("١-", as regional.list_marker writes it)."""
    fmt = ("hindiNumbers" if arabic_indic else "decimal") if ordered_list else "bullet"
    levels = []
    for lvl in range(9):
        # bullets the embedded font has: • and – (not ◦ or ▪)
        text = f"%{lvl + 1}{LIST_SUFFIX}" if ordered_list else ("•", "–")[lvl % 2]
        indent = 567 * (lvl + 1)  # 1 cm per level, in twentieths of a point
        levels.append(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:bidi/><w:ind w:left="{indent}" w:hanging="360"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="Amiri" w:hAnsi="Amiri" w:cs="Amiri"/><w:rtl/></w:rPr>'
            f'</w:lvl>')
    xml = (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
           f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>')
    element = parse_xml(xml)
    # abstractNum elements precede every w:num
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(element)
    else:
        numbering.append(element)


def add_list_instance(numbering, abstract_id: int, start: int = 1, level: int = 0) -> int:
    """A new numbering instance (a list that counts from ``start``); its numId."""
    # a reference's numbering may hold a damaged or empty numId: past every number it holds
    taken = [n.get(qn("w:numId")) or "" for n in numbering.findall(qn("w:num"))]
    num_id = max([int(t) for t in taken if t.isdigit()] + [0]) + 1
    override = f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        f'{override}</w:num>'))
    return num_id


def set_numbering(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph_element(paragraph).get_or_add_pPr()
    num_pr = child(ppr, "w:numPr")
    child(num_pr, "w:ilvl", w_val=level)
    child(num_pr, "w:numId", w_val=num_id)
    in_schema_order(num_pr)
    in_schema_order(ppr)


# --- embedded fonts ----------------------------------------------------------

EMBED_TAGS = {(False, False): "w:embedRegular", (True, False): "w:embedBold",
              (False, True): "w:embedItalic", (True, True): "w:embedBoldItalic"}


@memo(16)
def obfuscated_font(path: Path) -> tuple[str, bytes]:
    """The font file's key and obfuscated bytes. The key is derived from the
    font's digest (not random: builds are reproducible), so every document
    carries the same bytes for the same font and they are compressed once."""
    data = path.read_bytes()
    key = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "font:sha256:"
                               + hashlib.sha256(data).hexdigest())).upper() + "}"
    return key, obfuscate(data, key)


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: XOR the first 32 bytes with the GUID's 16 bytes,
    taken in reverse order."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_fonts(document, family: str, faces) -> None:
    """Put ``faces`` (FontFace) of ``family`` inside the document as obfuscated
    ``.odttf`` parts, listed in ``word/fontTable.xml``, and ask consumers to use them."""
    package = document.part.package
    font_table = next(p for p in package.iter_parts()
                      if p.partname == "/word/fontTable.xml")
    root = etree.fromstring(font_table.blob)
    font = next((f for f in root.findall(qn("w:font")) if f.get(qn("w:name")) == family), None)
    if font is None:
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), family)
    for el in list(font):
        if el.tag.startswith(qn("w:embed")):
            font.remove(el)
    for tag, value in (("w:charset", "B2"), ("w:family", "roman"), ("w:pitch", "variable")):
        child(font, tag, w_val=value)
    existing = sum(1 for p in package.iter_parts() if p.partname.endswith(".odttf"))
    for n, face in enumerate(faces, existing + 1):
        key, data = obfuscated_font(face.path)
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT, data, package)
        r_id = font_table.relate_to(part, RT.FONT)
        embed = etree.SubElement(font, qn(EMBED_TAGS[(face.bold, face.italic)]))
        embed.set(qn("r:id"), r_id)
        embed.set(qn("w:fontKey"), key)
    in_schema_order(font)
    set_part_blob(font_table, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                             standalone=True))
    settings = document.settings.element
    embed_setting = settings.find(qn("w:embedTrueTypeFonts"))
    if embed_setting is None:
        _add_setting(settings, "w:embedTrueTypeFonts")


def _add_setting(settings, tag: str) -> None:
    etree.SubElement(settings, qn(tag))
    in_schema_order(settings)


# --- the package ---------------------------------------------------------------

def mirror_margins(document) -> None:
    """Left and right margins become inside and outside, as in the PDF."""
    settings = document.settings.element
    if settings.find(qn("w:mirrorMargins")) is None:
        _add_setting(settings, "w:mirrorMargins")


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<Application>pipeline</Application><DocSecurity>0</DocSecurity></Properties>')
_LEFTOVER_TYPES = (
    RT.THUMBNAIL, RT.CUSTOM_XML,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)


def drop_template_leftovers(document) -> None:
    """What python-docx's template carries and no document of ours needs: the
    blank thumbnail, the custom XML item, Word 2010's stylesWithEffects, and an
    app.xml that names another program (replaced by ours)."""
    from docx.opc.constants import CONTENT_TYPE as CT

    package = document.part.package
    for rels in (package.rels, document.part.rels):
        for r_id, rel in list(rels.items()):
            if rel.reltype in _LEFTOVER_TYPES or rel.reltype == RT.EXTENDED_PROPERTIES:
                rels.pop(r_id)
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES,
               APP_XML.encode(), package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)


FAQ_BOOKMARK = "_pipeline_faq"
"""The hidden bookmark (a leading underscore hides it in Word) spanning each
FAQ, ``_pipeline_faq1`` …: the styles say where a FAQ begins, the bookmark's
end where it ends, so a list or quote right after it is not taken into its
last answer by ``pipeline import``."""


def span_bookmark(first, last, name: str, ident: int) -> None:
    """A bookmark from the start of paragraph ``first`` to the end of
    ``last`` (a paragraph, or a table: its last paragraph). Inside paragraphs
    on both ends: LibreOffice keeps those, and drops one between blocks."""
    if last.tag == qn("w:tbl"):
        last = last.findall(".//" + qn("w:p"))[-1]
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    first.insert(1 if first.find(qn("w:pPr")) is not None else 0, start)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    last.append(end)
