"""Real Word footnotes (``word/footnotes.xml``), which python-docx does not
write: the part, its separators, and a reference run for each call."""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from .ooxml import child

# Word expects the two separator notes (ids -1 and 0) before the article's own.
_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>")


class Footnotes:
    """The document's footnotes part, made on the first call."""

    def __init__(self, document, reference_style: str) -> None:
        self.document, self.reference_style = document, reference_style
        self.part = self.element = None
        self.count = 0

    def add(self, run_parent) -> object:
        """A footnote reference run appended to ``run_parent``; returns the new
        note's ``w:footnote`` element, for its paragraphs."""
        if self.element is None:
            part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                           parse_xml(_FOOTNOTES), self.document.part.package)
            self.document.part.relate_to(part, RT.FOOTNOTES)
            self.part, self.element = part, part.element
        self.count += 1
        run = OxmlElement("w:r")
        child(child(run, "w:rPr"), "w:rStyle", w_val=self.reference_style)
        child(run, "w:footnoteReference", w_id=self.count)
        run_parent.append(run)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.count))
        self.element.append(note)
        return note

    def mark(self, paragraph) -> None:
        """The note's own number at the start of its first paragraph."""
        run = OxmlElement("w:r")
        child(child(run, "w:rPr"), "w:rStyle", w_val=self.reference_style)
        child(run, "w:footnoteRef")
        space = OxmlElement("w:r")
        text = child(space, "w:t")
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = " "
        ppr = paragraph.find(qn("w:pPr"))
        at = 1 if ppr is not None else 0
        paragraph.insert(at, run)
        paragraph.insert(at + 1, space)


def number_format(sect_pr, arabic_indic: bool) -> None:
    """Footnote numbers in the article's digits."""
    pr = OxmlElement("w:footnotePr")
    child(pr, "w:numFmt", w_val="hindiNumbers" if arabic_indic else "decimal")
    # w:footnotePr comes right after the headers and footers in w:sectPr
    anchor = None
    for el in sect_pr:
        if el.tag in (qn("w:headerReference"), qn("w:footerReference")):
            anchor = el
    if anchor is not None:
        anchor.addnext(pr)
    else:
        sect_pr.insert(0, pr)
