"""What an edited DOCX's package holds beyond its text: parts python-docx
does not parse, paragraphs and tables in reading order, list levels and the
numbers lists start from."""

from __future__ import annotations

from docx.oxml.ns import qn

from ..errors import PipelineError


def related(part, reltype):
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def xml(part):
    """A part's XML tree: python-docx parses only the parts it knows (not
    footnotes, and comments only in recent versions)."""
    if part is None:
        return None
    element = getattr(part, "element", None)
    if element is not None:
        return element
    from lxml import etree
    try:
        return etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False,
                                                           no_network=True))
    except etree.XMLSyntaxError:
        raise PipelineError(f"the DOCX's {part.partname} is not well-formed XML",
                            hint="open and save it again in Word or LibreOffice") from None


def flatten(body):
    """Paragraphs and tables in reading order (content controls opened)."""
    for child in body:
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from flatten(content)


def faq_ends(body) -> set[str]:
    """The ids of the bookmarks that end somewhere in ``body``: a FAQ's
    bookmark (``FAQ_BOOKMARK``) says where the FAQ ends only if its end is
    still there (an editor may have deleted the paragraph that held it)."""
    return {end.get(qn("w:id")) for end in body.iter(qn("w:bookmarkEnd"))}


def list_level(paragraph) -> int | None:
    """A list paragraph's numbering level (``w:numPr/w:ilvl``), if it has one."""
    ilvl = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
    value = ilvl.get(qn("w:val")) if ilvl is not None else None
    return int(value) if value and value.isdigit() and int(value) < 9 else None


def list_id(paragraph) -> str | None:
    num = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return num.get(qn("w:val")) if num is not None else None


def numbering(document):
    """The numbering part's tree, or None: python-docx's ``numbering_part``
    would make an empty part in a document that has none."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    return xml(related(document.part, RT.NUMBERING))


def list_starts(numbering) -> dict[str, int]:
    """Each numbering instance's first number, where it says one."""
    if numbering is None:
        return {}
    starts = {}
    for num in numbering.findall(qn("w:num")):
        start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        value = start.get(qn("w:val")) if start is not None else ""
        if value and value.isdigit():
            starts[num.get(qn("w:numId"))] = int(value)
    return starts


def numbered_lists(numbering) -> set[tuple[str, int]]:
    """The (numbering instance, level) pairs that count rather than bullet:
    how a list set in Word's one "List Paragraph" style says which it is."""
    if numbering is None:
        return set()
    counting: dict[str, set[int]] = {}
    for abstract in numbering.findall(qn("w:abstractNum")):
        levels = set()
        for lvl in abstract.findall(qn("w:lvl")):
            fmt = lvl.find(qn("w:numFmt"))
            level = lvl.get(qn("w:ilvl"), "")
            if fmt is not None and level.isdigit() and fmt.get(qn("w:val")) not in (
                    "bullet", "none"):
                levels.add(int(level))
        counting[abstract.get(qn("w:abstractNumId"))] = levels
    found = set()
    for num in numbering.findall(qn("w:num")):
        abstract = num.find(qn("w:abstractNumId"))
        if abstract is not None:
            for level in counting.get(abstract.get(qn("w:val")), ()):
                found.add((num.get(qn("w:numId")), level))
    return found


def style_names(document) -> dict[str, str]:
    """Style id → the name Word shows, read from the styles part itself
    (python-docx's style objects refuse a style of an unknown type)."""
    from docx.styles import BabelFish
    names = {}
    for style in document.styles.element.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        ident = style.get(qn("w:styleId"))
        if ident and name is not None and name.get(qn("w:val")):
            names.setdefault(ident, BabelFish.internal2ui(name.get(qn("w:val"))))
    return names


STYLE_ALIASES = {
    # Word's and LibreOffice's own names for what the article has
    "intense quote": "quote", "block text": "quote", "quotations": "quote",
    "html preformatted": "source code", "preformatted text": "source code",
    "no spacing": "normal", "body text 2": "normal", "body text 3": "normal",
    "body text first indent": "normal", "normal (web)": "normal", "plain text": "normal",
    "first line indent": "normal", "text body indent": "normal", "hanging indent": "normal",
}
"""A paragraph style's name (lower case) → the style of this tool's it stands for."""



def style_parents(document) -> dict[str, str]:
    """Style id → the id of the style it is based on (``w:basedOn``)."""
    parents = {}
    for style in document.styles.element.findall(qn("w:style")):
        based = style.find(qn("w:basedOn"))
        if based is not None and style.get(qn("w:styleId")) and based.get(qn("w:val")):
            parents[style.get(qn("w:styleId"))] = based.get(qn("w:val"))
    return parents


def resolve_style(ident: str, names: dict[str, str], parents: dict[str, str],
                  structural) -> str:
    """The style a paragraph of style ``ident`` is read as (lower case): its
    own name or alias where that says what the paragraph is; else the first
    such style it is based on (a house "Sub Head" based on Heading 2 is a
    heading); else its own name (a paragraph, with a warning unless plain).
    ``structural(name)`` tells the names that say what a paragraph is."""
    def name_of(style_id: str) -> str:
        name = (names.get(style_id) or style_id).lower()
        return STYLE_ALIASES.get(name, name)

    current, seen = ident, set()
    while current and current not in seen and len(seen) < 20:  # a loop in damaged styles
        seen.add(current)
        if structural(name := name_of(current)):
            return name
        current = parents.get(current)
    return name_of(ident) if ident else "normal"


def is_picture(paragraph) -> bool:
    """A paragraph holding one picture and nothing else (a figure): no text, no
    note call, no second picture."""
    return paragraph.tag == qn("w:p") \
        and len(paragraph.findall(f".//{qn('w:drawing')}")) == 1 \
        and paragraph.find(f".//{qn('w:footnoteReference')}") is None \
        and not "".join(t.text or "" for t in paragraph.iter(qn("w:t"))).strip()
