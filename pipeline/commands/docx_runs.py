"""A DOCX paragraph's runs as the model's inlines: text with its bold, italic
and strike, links, line breaks, note calls (the note's paragraphs read from
footnotes.xml) and pictures (their bytes kept, named by ``docx_pictures``)."""

from __future__ import annotations

import itertools
import re

from docx.oxml.ns import qn

from ..errors import Diagnostic
from ..model import Emphasis, Image, Inline, LineBreak, Link, Note, Paragraph, Strikeout, \
    Strong, Text
from .docx_pictures import image_extension, picture_name
from .docx_text import clip, on

_BIDI_CONTROLS = re.compile("[\u2066-\u2069]")  # the writer's isolates around Latin runs
# the word joiner the writer puts for the space before a Quranic pause mark
_JOINED_PAUSE_MARK = re.compile("\u2060(?=[\u06d6-\u06dc])")
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PLAIN = (False, False, False)
# containers whose runs are the paragraph's (w:dir, w:bdo: runs of a set direction)
_OPENED = ("w:smartTag", "w:customXml", "w:fldSimple", "w:sdt", "w:sdtContent", "w:dir",
           "w:bdo")


class RunReader:
    """Reads runs into inlines; collects the pictures, the notes called and
    the warnings on the way."""

    def __init__(self, document, notes, stem: str) -> None:
        self.document, self.stem = document, stem
        self.note_links = {}  # footnotes.xml's relationships: where its links point
        # the notes by id, the first of a (damaged) repeated id winning
        self.note_elements = {} if notes is None else {
            n.get(qn("w:id")): n for n in reversed(notes.findall(qn("w:footnote")))}
        self.note_ids: list[str] = []
        self.note_blocks: dict[str, tuple] = {}
        self.images: dict[str, bytes] = {}
        self.picture_names: dict[str, str] = {}
        self.warnings: list[Diagnostic] = []

    def once(self, message: str, hint: str) -> None:
        if all(w.message != message for w in self.warnings):
            self.warnings.append(Diagnostic(message, severity="warning", hint=hint))

    def inlines(self, paragraph, links=None) -> tuple[Inline, ...]:
        """A paragraph's runs as inlines, its edges' spaces trimmed; ``links``:
        the relationships its hyperlinks name (the body's when None)."""
        links = self.document.part.rels if links is None else links
        pieces: list[tuple[str | Inline, tuple[bool, bool, bool], str | None]] = []

        def walk(element, link: str | None) -> None:
            for child in element:
                tag = child.tag
                if tag == qn("w:r"):
                    self.run(child, link, pieces)
                elif tag == qn("w:hyperlink"):
                    target = None
                    rid = child.get(qn("r:id"))
                    if rid and rid in links:
                        rel = links[rid]
                        target = rel.target_ref if rel.is_external else None
                    walk(child, target)
                elif tag in map(qn, _OPENED):
                    walk(child, link)
                elif tag in (f"{{{_MATH}}}oMath", f"{{{_MATH}}}oMathPara"):
                    self.once("an equation is kept as its text (the article has no "
                              "equations)", "set it as text, or as a picture")
                    pieces.append(("".join(t.text or "" for t in child.iter(f"{{{_MATH}}}t")),
                                   _PLAIN, link))
        walk(paragraph, None)
        return _trimmed(_inlines(pieces))

    def run(self, run, link, pieces) -> None:
        if run.find(qn("w:footnoteRef")) is not None:
            return  # a note's own number, made again
        props = run.find(qn("w:rPr"))
        form = (on(props, "w:b"), on(props, "w:i"), on(props, "w:strike"))
        for child in run:
            if child.tag == qn("w:t") and child.text:
                text = _JOINED_PAUSE_MARK.sub(" ", _BIDI_CONTROLS.sub("", child.text))
                if text:  # a run of the isolate's controls alone would split the bold
                    pieces.append((text, form, link))
            elif child.tag == qn("w:tab"):
                pieces.append((" ", form, link))
            elif child.tag in (qn("w:br"), qn("w:cr")):
                pieces.append((LineBreak(), _PLAIN, link))
            elif child.tag == qn("w:noBreakHyphen"):
                pieces.append(("-", form, link))
            elif child.tag == qn("w:ruby"):  # the base text; its reading is warned of
                base = child.find(qn("w:rubyBase"))
                for node in base.iter(qn("w:t")) if base is not None else ():
                    pieces.append((node.text or "", form, link))
            elif child.tag == qn("w:footnoteReference"):
                pieces.append((self.note(child.get(qn("w:id"))), _PLAIN, None))
            elif child.tag == qn("w:drawing"):
                name, alt = self.picture(child)
                if name:
                    pieces.append((Image(src=name, alt=alt), _PLAIN, None))

    def note(self, ident: str) -> Note:
        """The call's note, its paragraphs read from footnotes.xml once."""
        self.note_ids.append(ident)
        if ident not in self.note_blocks:
            element = self.note_elements.get(ident)
            if element is None:
                self.once(f"a note call names note {ident!r}, which the document does not "
                          "hold: its text is '…'",
                          "delete the call, or write the note again in Word")
            paragraphs = [self.inlines(p, self.note_links)
                          for p in element.findall(qn("w:p"))] if element is not None else []
            self.note_blocks[ident] = tuple(Paragraph(p) for p in paragraphs if p) or \
                (Paragraph((Text("…"),)),)
        return Note(blocks=self.note_blocks[ident], number=len(self.note_ids))

    def picture(self, drawing) -> tuple[str, str]:
        """The picture's file name beside the source (its bytes kept in
        ``images``) and its alt text; no name when the drawing holds no image."""
        blip = next(drawing.iter(f"{{{_A}}}blip"), None)
        doc_pr = next(drawing.iter(f"{{{_WP}}}docPr"), None)
        alt = (doc_pr.get("descr") or "") if doc_pr is not None else ""
        wanted = (doc_pr.get("name") or "") if doc_pr is not None else ""
        part = self.document.part.related_parts.get(blip.get(qn("r:embed"))) \
            if blip is not None else None
        if part is None:
            return "", alt
        if part.partname in self.picture_names:  # the same picture met again
            return self.picture_names[part.partname], alt
        extension = image_extension(part.blob)
        if extension is None:
            self.warnings.append(Diagnostic(
                f"a picture ({clip(wanted or str(part.partname), 40)!r}) is not a PNG, JPEG, "
                "GIF or WebP image: left out", severity="warning",
                hint="insert the picture again as an image file"))
            self.picture_names[part.partname] = ""
            return "", alt
        name = picture_name(wanted, extension, self.stem, len(self.images) + 1)
        number = len(self.images) + 1
        while self.images.get(name, part.blob) != part.blob:  # a name taken by another picture
            number += 1
            name = picture_name("", extension, self.stem, number)
        self.images[name] = part.blob
        self.picture_names[part.partname] = name
        return name, alt


def plain(content) -> str:
    """Inlines as their characters (a title, a caption, a line of code)."""
    out = []
    for node in content:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain(getattr(node, "children", ())))
    return "".join(out)


def unbolded(content) -> tuple[Inline, ...]:
    """Inlines with bold taken off (a header cell, which the writer sets bold)."""
    out: list[Inline] = []
    for node in content:
        out.extend(unbolded(node.children) if isinstance(node, Strong) else (node,))
    return _merged(out)


def _inlines(pieces) -> list[Inline]:
    """Pieces → inlines: a link around each stretch of one target, inside it
    one mark for each stretch of equal formatting, the spaces at its edges
    outside the marks (``** x**`` is not bold)."""
    out: list[Inline] = []
    for link, stretch in itertools.groupby(pieces, key=lambda p: p[2]):
        inner: list[Inline] = []
        for is_text, run in itertools.groupby(stretch, key=lambda p: isinstance(p[0], str)):
            if not is_text:  # a note call, a break, a picture: each as it is
                inner.extend(p[0] for p in run)
                continue
            for form, same in itertools.groupby(run, key=lambda p: p[1]):
                inner.extend(_marked("".join(p[0] for p in same), form))
        out.extend([Link(tuple(_merged(inner)), link)] if link else inner)
    return _merged(out)


def _marked(text: str, form) -> list[Inline]:
    core = text.strip()
    if not core or form == _PLAIN:
        return [Text(text)]
    lead, tail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    node: Inline = Text(core)
    bold, italic, strike = form
    if strike:
        node = Strikeout((node,))
    if italic:
        node = Emphasis((node,))
    if bold:
        node = Strong((node,))
    return [n for n in (Text(lead) if lead else None, node, Text(tail) if tail else None) if n]


def _merged(inlines) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            out.append(node)
    return tuple(out)


def _trimmed(inlines) -> tuple[Inline, ...]:
    """The paragraph's edges without spaces, as Markdown reads a paragraph."""
    out = list(_merged(inlines))
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
    if out and isinstance(out[0], Text):
        out[0] = Text(out[0].text.lstrip())
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text.rstrip())
    return _merged(out)
