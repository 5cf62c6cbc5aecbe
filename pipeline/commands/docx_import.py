"""An edited DOCX → the Markdown source again: the other half of the editors'
loop (``pipeline import EDITED.docx``).

Read with python-docx (the package, styles, relationships) and its lxml
trees. The document's structure comes from its paragraph styles — the ones
the DOCX writer sets, under either spelling of their names — so what an
editor restyled in Word or LibreOffice still reads as a heading or a list
item; a style it does not know is read as a paragraph, with a warning naming
the style. The front matter comes from the title block, the core properties
and the custom property the writer left (``writers.docx.package``).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..errors import Diagnostic, PipelineError
from ..writers.docx.ooxml import FAQ_BOOKMARK
from .docx_package import (
    STRUCTURAL, faq_ends, flatten, is_picture, list_id, list_level, list_starts, numbered_lists,
    numbering, related, resolve_style, style_names, style_parents, xml,
)
from .docx_pictures import image_extension, picture_name
from .docx_words import dropped_parts, shown_text, unread_words
from .docx_text import (
    clip, document_front_matter, escape, escape_start, join, link_path, on, plain,
    table_source,
)
from .revisions import comment_lines
from .revisions import comments as read_comments
from .revisions import count_changes, resolve_changes

_BIDI_CONTROLS = re.compile("[\u2066-\u2069]")  # the writer's isolates around Latin runs
_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_ITEM = re.compile(r"\s*(-|\d+\.) ")
_LIST = re.compile(r"list (bullet|number|continue)(?: (\d))?$")


@dataclass
class Imported:
    """What ``import_docx`` made."""

    source: str
    """The Markdown source, front matter first."""
    images: dict[str, bytes] = field(default_factory=dict)
    """Pictures to write beside the source, by the path the source names."""
    warnings: list[Diagnostic] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    """One line for each comment: ``comment by AUTHOR on "…": TEXT``."""
    changes: int = 0
    """Tracked changes resolved."""


def import_docx(path, changes: str | None = None, keep_comments: bool = False,
                article: str | None = None) -> Imported:
    """The DOCX at ``path`` as a Markdown source. ``changes`` is ``accept`` or
    ``reject``; a document with tracked changes and no ``changes`` is refused.
    ``article``: the source's name without ``.md``, which names the pictures
    the document does not name itself (the DOCX's name when None)."""
    from ..ziplimits import open_docx
    document = open_docx(path, "edited DOCX")
    body = document.element.body
    if body is None:
        raise PipelineError("the document has no body (word/document.xml holds no w:body)",
                            hint="open and save it again in Word or LibreOffice")
    notes_part = related(document.part, RT.FOOTNOTES)
    notes = xml(notes_part)
    comments_root = xml(related(document.part, RT.COMMENTS))
    found = count_changes(body) + (count_changes(notes) if notes is not None else 0)
    if found and changes is None:
        raise PipelineError(f"the document has {found} tracked changes not yet accepted or "
                            "rejected", hint="add --changes accept (keep the edits) or "
                                             "--changes reject (keep the text before them)")
    for root in (body, notes):
        if root is not None and found:
            resolve_changes(root, accept=changes == "accept")
    said = read_comments(comments_root, body)
    reader = _Reader(document, notes, said if keep_comments else [])
    reader.stem = article or PurePath(str(path)).stem
    if notes_part is not None:
        reader.note_links = notes_part.rels
    markdown = reader.read(body)
    shown = shown_text(body, lambda p: reader.style_of(p) == "byline")
    for ident in dict.fromkeys(reader.note_ids):
        if (note := reader.note_elements.get(ident)) is not None:
            shown += shown_text(note)
    reader.warnings += dropped_parts(body)
    if (unread := unread_words(shown, markdown)) is not None:
        reader.warnings.append(unread)
    return Imported(source=markdown, images=reader.images, warnings=reader.warnings,
                    comments=[f'comment by {c.author} on "{clip(c.anchor)}": {c.text}'
                              for c in said], changes=found)


class _Reader:
    def __init__(self, document, notes, kept_comments) -> None:
        self.document, self.notes = document, notes
        self.note_links = {}  # footnotes.xml's relationships: where its links point
        self.names, self.parents = style_names(document), style_parents(document)
        self.images: dict[str, bytes] = {}
        self.picture_names: dict[str, str] = {}
        self.warnings: list[Diagnostic] = []
        self.meta: dict[str, object] = {}
        self.note_ids: list[str] = []
        self.comment_after = {c.ident: c for c in kept_comments}
        self.unknown: set[str] = set()
        self.list_ids: dict[int, str | None] = {}
        lists = numbering(document)
        self.starts = list_starts(lists)
        self.numbered = numbered_lists(lists)

    # --- the document ----------------------------------------------------------

    def read(self, body) -> str:
        blocks: list[str] = []
        self.lists: list[str] = []  # the open list kinds, outermost first
        self.faq = False
        self.faq_end: str | None = None  # the bookmark that ends the open FAQ
        self.faq_ends = faq_ends(body)
        self.quoting = False  # the last block is a quote
        elements = [e for e in flatten(body)]
        k = 0
        while k < len(elements):
            start = k
            k = self.element(elements, k, blocks)
            if self.faq_end is not None and any(
                    end.get(qn("w:id")) == self.faq_end
                    for e in elements[start:k] for end in e.iter(qn("w:bookmarkEnd"))):
                self.faq_end = None
                self.close(blocks)  # the FAQ ends here, whatever follows
        self.faq_end = None
        self.close(blocks)
        # the notes by id, the first of a (damaged) repeated id winning
        self.note_elements = {} if self.notes is None else {
            n.get(qn("w:id")): n for n in reversed(self.notes.findall(qn("w:footnote")))}
        notes = [self.note(label, ident) for label, ident in enumerate(self.note_ids, 1)]
        return document_front_matter(self.document, self.meta) + "\n" + "\n\n".join(b for b in blocks if b) + "\n" + \
            ("\n" + "\n".join(notes) + "\n" if notes else "")

    def element(self, elements: list, k: int, blocks: list[str]) -> int:
        """Element ``k`` (a paragraph or table) into ``blocks``; the index of
        the next one (a figure takes its caption and credit lines)."""
        element = elements[k]
        k += 1
        for mark in element.iter(qn("w:bookmarkStart")):
            if mark.get(qn("w:id")) in self.faq_ends and \
                    (mark.get(qn("w:name")) or "").startswith(FAQ_BOOKMARK):
                self.faq_end = mark.get(qn("w:id"))  # a FAQ whose end is marked
        if element.tag == qn("w:tbl"):
            self.close(blocks)
            blocks.append(self.table(element))
            return k
        if is_picture(element):
            caption = credit = ""
            while k < len(elements) and self.style_of(elements[k]) in ("caption", "credit"):
                which = self.style_of(elements[k])
                value = self.inlines(elements[k]).strip()
                caption, credit = (value, credit) if which == "caption" else (caption, value)
                k += 1
            self.close(blocks)
            blocks.append(self.figure(element, caption, credit))
            blocks.extend(comment_lines(element, self.comment_after))
            return k
        style, text = self.style_of(element), self.inlines(element)
        if not text.strip() and not element.findall(f".//{qn('w:footnoteReference')}"):
            return k
        self.block(style, text, blocks, element)
        said = comment_lines(element, self.comment_after)
        items = [m for line in blocks[-1].split("\n") if (m := _ITEM.match(line))] \
            if said and self.lists else []
        if items:  # inside the item, so that the list goes on after it
            blocks[-1] += "".join(f"\n\n{' ' * items[-1].end()}{c}" for c in said)
        else:
            blocks.extend(said)
        return k

    def block(self, style: str, text: str, blocks: list[str], element) -> None:
        self.quoting = self.quoting and style == "quote"
        if style == "kicker":
            self.meta.setdefault("section", text.strip())
        elif style == "title":
            self.meta.setdefault("title", plain(text))
        elif style == "subtitle":
            self.meta.setdefault("description", plain(text))
        elif style == "byline":
            pass  # made again from the author and the date
        elif style.startswith("heading "):
            self.faq_end = None  # a heading ends a FAQ, marked or not
            self.close(blocks)
            level = min(int(style.split()[1]) + 1, 6) if style.split()[1].isdigit() else 2
            blocks.append(f"{'#' * level} {text.strip()}")
        elif (m := _LIST.match(style)) or style == "list paragraph":
            self.item(m, text, blocks, list_level(element), list_id(element))
        elif style in ("faq question", "faq answer"):
            self.lists = []
            if not self.faq:
                blocks.append("::: faq")
                self.faq = True
            blocks.append(f"### {text.strip()}" if style == "faq question" else text.strip())
        else:
            self.close(blocks)
            if style == "quote":
                if self.quoting:  # the quote's next paragraph: the same quote
                    blocks[-1] += "\n>\n> " + text.strip()
                else:
                    blocks.append("> " + text.strip())
                self.quoting = True
                return
            elif style == "source code":
                if blocks and blocks[-1].startswith("```\n"):
                    blocks[-1] = blocks[-1][:-4] + "\n" + plain(text) + "\n```"
                else:
                    blocks.append(f"```\n{plain(text)}\n```")
            else:
                if style not in ("normal", "body text", "text body", "default paragraph style",
                                 "table text") and style not in self.unknown:
                    self.unknown.add(style)
                    self.warnings.append(Diagnostic(
                        f"paragraph style '{self.names.get(self.style_id(element), style)}' "
                        f"is not one the article uses: read as a paragraph (at "
                        f"\"{clip(plain(text), 30)}\")", severity="warning",
                        hint="restyle it as Normal, a heading or a list in the document"))
                blocks.append(escape_start(text.strip()))

    def item(self, match, text: str, blocks: list[str], level: int | None,
             num_id: str | None = None) -> None:
        # Word's own lists: one style, the numbering says bullet or number
        kind = match.group(1) if match else \
            "number" if (num_id, level or 0) in self.numbered else "bullet"
        # the numbering level where there is one (styles stop at "List Bullet 3")
        depth = level if level is not None and kind != "continue" else \
            int(match.group(2)) - 1 if match and match.group(2) else 0
        # (in a FAQ without its end bookmark, a list after an answer stays in
        # the answer: the writer sets the answers' lists in the list styles)
        if kind == "continue":
            indent = "".join("   " if k == "number" else "  " for k in self.lists[:depth + 1])
            blocks.append(indent + text.strip())
            return
        while len(self.lists) > depth + 1:
            self.lists.pop()
        opens = len(self.lists) <= depth or self.lists[depth] != kind \
            or self.list_ids.get(depth) != num_id
        self.lists = self.lists[:depth] + [kind]
        self.list_ids[depth] = num_id
        indent = "".join("   " if k == "number" else "  " for k in self.lists[:depth])
        # a numbered list's first item says where it counts from (w:startOverride)
        start = self.starts.get(num_id, 1) if opens and kind == "number" else 1
        marker = f"{start}." if kind == "number" else "-"
        line = f"{indent}{marker} {text.strip()}"
        if blocks and _ITEM.match(blocks[-1].split("\n")[-1]) and len(self.lists):
            blocks[-1] += "\n" + line  # a tight list: items on consecutive lines
        else:
            blocks.append(line)

    def close(self, blocks: list[str]) -> None:
        """The open lists end, and the open FAQ unless its end is marked further on."""
        self.lists = []
        if self.faq and self.faq_end is None:
            blocks.append(":::")
            self.faq = False

    def table(self, table) -> str:
        return table_source(table, self.inlines, self.once)

    def figure(self, paragraph, caption: str, credit: str) -> str:
        [drawing] = paragraph.iter(qn("w:drawing"))  # is_picture: exactly one
        name, alt = self.picture(drawing)
        if not name:
            return escape_start(escape(alt))  # the picture left out (a warning says so)
        quoted = plain(caption).replace("\\", "\\\\").replace('"', '\\"')
        title = f' "{quoted}"' if caption else ""
        attrs = f'{{credit="{plain(credit).replace(chr(34), chr(8221))}"}}' if credit else ""
        return f"![{escape(alt)}]({link_path(name)}{title}){attrs}"

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
        if self.images.get(name, part.blob) != part.blob:
            name = picture_name("", extension, self.stem, len(self.images) + 1)
        self.images[name] = part.blob
        self.picture_names[part.partname] = name
        return name, alt

    def note(self, label: int, ident: str) -> str:
        """The definition of the ``label``-th call, from footnotes.xml."""
        element = self.note_elements.get(ident)
        paragraphs = [self.inlines(p, self.note_links).strip()
                      for p in element.findall(qn("w:p"))] \
            if element is not None else []
        if element is None:
            self.once(f"a note call names note {ident!r}, which the document does not hold: "
                      "its text is '…'", "delete the call, or write the note again in Word")
        paragraphs = [p for p in paragraphs if p] or ["…"]
        return f"[^{label}]: " + "\n\n    ".join(paragraphs)

    def once(self, message: str, hint: str) -> None:
        if all(w.message != message for w in self.warnings):
            self.warnings.append(Diagnostic(message, severity="warning", hint=hint))

    # --- paragraphs and runs -----------------------------------------------------

    def style_id(self, paragraph) -> str:
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        return style.get(qn("w:val")) if style is not None else ""

    def style_of(self, paragraph) -> str:
        if paragraph.tag != qn("w:p"):
            return ""
        return resolve_style(self.style_id(paragraph), self.names, self.parents,
                             lambda name: name in STRUCTURAL or name.startswith("heading ")
                             or bool(_LIST.match(name)))

    def inlines(self, paragraph, links=None) -> str:
        """A paragraph's runs as Markdown inlines; ``links``: the relationships
        its hyperlinks name (the body's when None)."""
        links = self.document.part.rels if links is None else links
        pieces: list[tuple[str, tuple[bool, bool, bool], str | None]] = []

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
                elif tag in (qn("w:smartTag"), qn("w:customXml"), qn("w:fldSimple"),
                             qn("w:sdt"), qn("w:sdtContent"), qn("w:dir"), qn("w:bdo")):
                    walk(child, link)  # (w:dir, w:bdo: a run of set direction)
                elif tag in (f"{{{_MATH}}}oMath", f"{{{_MATH}}}oMathPara"):
                    self.once("an equation is kept as its text (the article has no "
                              "equations)", "set it as text, or as a picture")
                    pieces.append(("".join(t.text or "" for t in child.iter(f"{{{_MATH}}}t")),
                                   (False, False, False), link))
        walk(paragraph, None)
        return join(pieces)

    def run(self, run, link, pieces) -> None:
        if run.find(qn("w:footnoteRef")) is not None:
            return  # a note's own number, made again
        props = run.find(qn("w:rPr"))
        form = (on(props, "w:b"), on(props, "w:i"), on(props, "w:strike"))
        for child in run:
            if child.tag == qn("w:t") and child.text:
                text = _BIDI_CONTROLS.sub("", child.text)
                if text:  # a run of the isolate's controls alone would split the bold
                    pieces.append((text, form, link))
            elif child.tag == qn("w:tab"):
                pieces.append((" ", form, link))
            elif child.tag in (qn("w:br"), qn("w:cr")):
                pieces.append(("\n", (False, False, False), None))
            elif child.tag == qn("w:ruby"):  # the base text; its reading is warned of
                base = child.find(qn("w:rubyBase"))
                for node in base.iter(qn("w:t")) if base is not None else ():
                    pieces.append((node.text or "", form, link))
            elif child.tag == qn("w:noBreakHyphen"):
                pieces.append(("-", form, link))
            elif child.tag == qn("w:footnoteReference"):
                self.note_ids.append(child.get(qn("w:id")))
                pieces.append((f"\0[^{len(self.note_ids)}]", (False, False, False), None))
            elif child.tag == qn("w:drawing"):
                name, alt = self.picture(child)
                if name:
                    pieces.append((f"\0![{escape(alt)}]({link_path(name)})",
                                   (False, False, False), None))
