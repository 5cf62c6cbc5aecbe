"""Article → DOCX that editors restyle: named styles, right-to-left, real lists,
links, header and footer, the Arabic font embedded whole."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ...bidi import isolated_line
from ...compat.docx import body_paragraph, paragraph_element, section_properties
from ...facts import facts_for
from ...fonts import TEXT_FAMILY, shipped_faces
from ...model import (
    Article, Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Faq, Figure, Heading,
    Image, Inline, Isolate, LineBreak, Link, Note, OrderedList, Paragraph, Strikeout, Strong,
    Table, Text, ThematicBreak,
)
from ...options import WriterOptions
from ...pages import PAPERS, layout
from ...transforms import block_direction, block_text
from .notes import Footnotes, number_format
from .package import (as_typed, core_properties, front_matter_property, kept_front_matter,
                      package_bytes, parts_in_schema_order)
from .pictures import picture_run, word_picture
from .reference import read_reference, take_styles
from .runs import by_font, by_script
from .tables import cell_alignment, table_element
from .ooxml import (
    FAQ_BOOKMARK, add_abstract_list, add_list_instance, child, drop_template_leftovers, embed_fonts,
    mirror_margins, page_field, set_numbering, set_paragraph_rtl, set_section_rtl, span_bookmark)
from .schema import in_schema_order
from .names import (
    BYLINE, CAPTION, CREDIT, FAQ_ANSWER, FAQ_QUESTION, FOOTNOTE_TEXT, HEADING, KICKER, LIST_BULLET,
    LIST_CONTINUE, LIST_NUMBER, NORMAL, QUOTE, SOURCE_CODE, SUBTITLE, TABLE_TEXT, TITLE)
from .styles import TABLE_STYLE, apply_styles

HEADING_STYLE = {2: f"{HEADING} 1", 3: f"{HEADING} 2"}
BULLET_LIST, NUMBERED_LIST = 9001, 9002  # abstractNum ids, clear of a template's own

def write(article: Article, options: WriterOptions) -> bytes:
    document = Document()
    reference = options.docx.reference
    if isinstance(reference, Path):  # a writer called on its own, with a file
        reference = read_reference(reference, TEXT_FAMILY)
        options = replace(options, docx=replace(options.docx, reference=reference))
    if reference is not None:
        take_styles(document, reference, options.docx.reference_page)
    return _DocxBuilder(document, article, options).build()


class _DocxBuilder:
    def __init__(self, document, article: Article, options: WriterOptions) -> None:
        self.doc, self.article, self.options = document, article, options
        meta = article.meta
        self.rtl = meta.dir == "rtl"
        self._list_depth = 0
        self.base_rtl = self.rtl
        """The direction of the paragraph being written (neutral characters take it)."""
        self.arabic = meta.lang.split("-")[0].lower() == "ar"
        self.lang_bidi = "ar-SA" if self.arabic else meta.lang
        self.emoji_used = False
        self.footnotes = Footnotes(document, "")  # its style's id is the document's
        self._in_note = False
        self._strike = 0
        self.faqs = 0

    def build(self) -> bytes:
        doc, meta = self.doc, self.article.meta
        body = doc.element.body
        for el in list(body):  # a reference document lends styles, not text
            if el.tag != qn("w:sectPr"):
                body.remove(el)
        self.layout = layout(self.options.pdf.paper, 1)  # the PDF's body size and margins
        apply_styles(doc, TEXT_FAMILY, self.lang_bidi, self.rtl,
                     own_styles=self.options.docx.reference is None,
                     body_pt=self.layout.body_pt)
        self.style_ids = {s.name: s.style_id for s in doc.styles}
        # by id, which a reference may spell its own way (LibreOffice: InternetLink)
        self.footnotes.reference_style = self.style_ids["Footnote Reference"]
        self.link_style = self.style_ids["Hyperlink"]
        numbering = doc.part.numbering_part.element
        for abstract_id, is_ordered in ((BULLET_LIST, False), (NUMBERED_LIST, True)):
            if not any(a.get(qn("w:abstractNumId")) == str(abstract_id)
                       for a in numbering.findall(qn("w:abstractNum"))):
                add_abstract_list(numbering, abstract_id, is_ordered,
                                  self.options.digits == "arabic-indic")
        self.numbering = numbering
        self.page_setup()  # first: pictures are scaled to the text width
        self.body_end = body.find(qn("w:sectPr"))

        # the front matter's lines, their Latin runs isolated as the body's
        if meta.section:
            self.paragraph(KICKER, isolated_line(meta.section, meta.dir))
        self.paragraph(TITLE, isolated_line(meta.title, meta.dir))
        if meta.description:
            self.paragraph(SUBTITLE, isolated_line(meta.description, meta.dir))
        if line := facts_for(self.article, self.options).byline:
            self.paragraph(BYLINE, isolated_line(line, meta.dir))
        self.blocks(self.article.blocks, depth=0)
        if self.footnotes.count:
            number_format(section_properties(doc.sections[0]),
                          self.options.digits == "arabic-indic")
        core_properties(doc, self.article.meta, self.options, self.article.meta.lang)
        front_matter_property(doc, kept_front_matter(self.article.meta),
                              as_typed(self.article, self.options.docx.front_matter))
        faces = [f for f in shipped_faces(self.options.fonts_dir) if f.family == TEXT_FAMILY]
        embed_fonts(doc, TEXT_FAMILY, faces)
        if self.emoji_used:
            emoji = [f for f in shipped_faces(self.options.fonts_dir) if f.family != TEXT_FAMILY]
            embed_fonts(doc, emoji[0].family, emoji[:1])
        drop_template_leftovers(doc)
        parts_in_schema_order(doc)
        return package_bytes(doc, self.options.timestamp)

    # --- blocks --------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...], depth: int, style: str | None = None) -> None:
        for b in blocks:
            self.block(b, depth, style)

    def block(self, b: Block, depth: int, style: str | None) -> None:
        if isinstance(b, Heading):
            self.paragraph(HEADING_STYLE.get(b.level, f"{HEADING} 3"), b.content)
        elif isinstance(b, Paragraph):
            self.paragraph(style or NORMAL, b.content)
        elif isinstance(b, (BulletList, OrderedList)):
            self.list(b, depth)
        elif isinstance(b, BlockQuote):
            self.blocks(b.blocks, depth, QUOTE)
        elif isinstance(b, CodeBlock):
            for line in b.text.split("\n"):
                self.paragraph(SOURCE_CODE, (Text(line),))
        elif isinstance(b, ThematicBreak):
            self.paragraph(style or NORMAL, (Text("* * *"),)).alignment = 1
        elif isinstance(b, Faq) and b.entries:
            questions = []
            for entry in b.entries:
                questions.append(self.paragraph(FAQ_QUESTION, entry.question))
                self.blocks(entry.answer, depth, FAQ_ANSWER)
            self.faqs += 1
            span_bookmark(paragraph_element(questions[0]), self.body_end.getprevious(),
                          f"{FAQ_BOOKMARK}{self.faqs}", self.faqs)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Figure):
            self.figure(b)

    def figure(self, figure: Figure) -> None:
        """The picture centred and kept with its caption, the credit under it."""
        ppr = paragraph_element(self.paragraph(NORMAL, (figure.image,))).get_or_add_pPr()
        child(ppr, "w:keepNext")
        child(ppr, "w:jc", w_val="center")
        in_schema_order(ppr)
        if figure.caption:
            self.paragraph(CAPTION, figure.caption)
        if figure.credit:
            self.paragraph(CREDIT, figure.credit)

    def table(self, table: Table) -> None:
        section = self.doc.sections[0]
        width = (section.page_width - section.left_margin - section.right_margin) // 635
        tbl, rows = table_element(table, self.style_ids[TABLE_STYLE], self.rtl, width)
        self.body_end.addprevious(tbl)
        for cells in rows:
            for column, (cell, content) in enumerate(cells):
                p = paragraph_element(self.paragraph(TABLE_TEXT, content, into=cell,
                                                     keep_direction=True))
                if jc := cell_alignment(table, column, self.rtl):
                    ppr = p.get_or_add_pPr()
                    child(ppr, "w:jc", w_val=jc)
                    in_schema_order(ppr)

    def note(self, parent, note: Note) -> None:
        """A real footnote: its reference here, its paragraphs in footnotes.xml."""
        if self._in_note:
            return
        element = self.footnotes.add(parent)
        self._in_note, saved = True, self.base_rtl
        try:
            for k, block in enumerate(note.blocks or (Paragraph(()),)):
                content = block.content if isinstance(block, Paragraph) \
                    else (Text(block_text(block)),)
                p = paragraph_element(self.paragraph(FOOTNOTE_TEXT, content, into=element))
                if k == 0:
                    self.footnotes.mark(p)
        finally:
            self._in_note, self.base_rtl = False, saved

    def list(self, lst: BulletList | OrderedList, depth: int) -> None:
        ordered_list = isinstance(lst, OrderedList)
        abstract = NUMBERED_LIST if ordered_list else BULLET_LIST
        level = min(depth, 8)
        num_id = add_list_instance(self.numbering, abstract,
                                   lst.start if ordered_list else 1, level)
        suffix = "" if depth == 0 else f" {min(depth + 1, 3)}"
        item_style = (LIST_NUMBER if ordered_list else LIST_BULLET) + suffix
        for item in lst.items:
            first, rest = (item.blocks[0], item.blocks[1:]) if item.blocks else (None, ())
            content: tuple[Inline, ...] = ()
            if isinstance(first, Paragraph):
                content = first.content
            elif first is not None:
                rest = item.blocks
            if item.lead is not None:
                content = (Strong(item.lead), *content)
            self._list_depth += 1  # an item keeps its list's direction
            try:
                p = self.paragraph(item_style, content)
                set_numbering(p, num_id, level)
                self.blocks(rest, depth + 1, LIST_CONTINUE + suffix)
            finally:
                self._list_depth -= 1

    def paragraph(self, style: str, inlines: tuple[Inline, ...], into=None,
                  keep_direction: bool = False):
        """A paragraph at the end of the body, or of ``into`` (a table cell, a
        footnote); ``keep_direction`` (a cell) keeps the article's direction."""
        # before the body's sectPr, found once: Document.add_paragraph looks for
        # it among every paragraph so far (quadratic in an article's length)
        element = OxmlElement("w:p")
        if into is None:
            self.body_end.addprevious(element)
        else:
            into.append(element)
        p = body_paragraph(self.doc, element)
        # by id: python-docx's lookup by name walks every style on each call
        child(element.get_or_add_pPr(), "w:pStyle", first=True, w_val=self.style_ids[style])
        direction = None if self._list_depth or keep_direction \
            else block_direction(inlines, self.article.meta.dir)
        if direction:
            # a paragraph that reads the other way (an English quotation) says so
            set_paragraph_rtl(element.get_or_add_pPr(), direction == "rtl")
        self.base_rtl = (direction or self.article.meta.dir) == "rtl"
        self.inlines(element, inlines, bold=False, italic=False, link_style=False)
        return p

    # --- inlines -------------------------------------------------------------

    def inlines(self, parent, nodes: tuple[Inline, ...], bold: bool, italic: bool,
                link_style: bool, ltr: bool = False) -> None:
        for n in nodes:
            if isinstance(n, (Text, Code)):
                self.text_runs(parent, n.text, bold, italic, link_style, ltr)
            elif isinstance(n, Strong):
                self.inlines(parent, n.children, True, italic, link_style, ltr)
            elif isinstance(n, Emphasis):
                self.inlines(parent, n.children, bold, True, link_style, ltr)
            elif isinstance(n, Strikeout):
                self._strike += 1
                self.inlines(parent, n.children, bold, italic, link_style, ltr)
                self._strike -= 1
            elif isinstance(n, Note):
                self.note(parent, n)
            elif isinstance(n, Isolate):
                # A Latin run: left-to-right runs, inside LRI … PDI (or RLI): Word
                # orders runs by w:rtl, but LibreOffice applies the bidi
                # algorithm to the characters, where the slash of "96/9/EC" or
                # the at-sign of "@benbalter" would take the Arabic direction.
                inner = n.direction == "ltr"
                self.text_runs(parent, "\u2066" if inner else "\u2067", bold, italic,
                               link_style, inner)
                self.inlines(parent, n.children, bold, italic, link_style, ltr=inner)
                self.text_runs(parent, "\u2069", bold, italic, link_style, inner)
            elif isinstance(n, LineBreak):
                run = OxmlElement("w:r")
                run.append(OxmlElement("w:br"))
                parent.append(run)
            elif isinstance(n, Link):
                self.link(parent, n, bold, italic, ltr)
            elif isinstance(n, Image):
                self.picture(parent, n, bold, italic)

    def picture(self, parent, image: Image, bold: bool, italic: bool) -> None:
        """The image inline, no wider than the text; an SVG drawn as a PNG
        (Word documents cannot hold an SVG without a raster copy)."""
        resource = word_picture(self.options.images[image.src], self.options)
        # in a footnote a picture would need footnotes.xml's own relationship
        if resource is None or self._in_note:
            self.text_runs(parent, f"[{image.alt or image.src}]", bold, italic, False)
            return
        parent.append(picture_run(self.doc, resource, image))

    def link(self, parent, link: Link, bold: bool, italic: bool, ltr: bool = False) -> None:
        from urllib.parse import urlsplit
        if urlsplit(link.target).scheme.lower() not in ("http", "https", "mailto"):
            self.inlines(parent, link.children, bold, italic, False, ltr)
            return
        # a note's link is a relationship of footnotes.xml, not of the body
        part = self.footnotes.part if self._in_note else self.doc.part
        r_id = part.relate_to(link.target, RT.HYPERLINK, is_external=True)
        hyperlink = OxmlElement("w:hyperlink")
        hyperlink.set(qn("r:id"), r_id)
        hyperlink.set(qn("w:history"), "1")
        parent.append(hyperlink)
        self.inlines(hyperlink, link.children, bold, italic, True, ltr)

    def text_runs(self, parent, text: str, bold: bool, italic: bool, link_style: bool,
                  ltr: bool = False) -> None:
        for segment, rtl, family in self.segments(text, ltr):
            run = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            if link_style:
                child(rpr, "w:rStyle", w_val=self.link_style)
            if family:
                child(rpr, "w:rFonts", w_ascii=family, w_hAnsi=family, w_cs=family)
            if bold:
                child(rpr, "w:b")
                child(rpr, "w:bCs")
            if italic:
                child(rpr, "w:i")
                child(rpr, "w:iCs")
            if self._strike:
                child(rpr, "w:strike")
            if rtl:
                child(rpr, "w:rtl")
            if len(rpr):
                in_schema_order(rpr)
                run.append(rpr)
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = segment
            run.append(t)
            parent.append(run)

    def segments(self, text: str, ltr: bool = False):
        """Split ``text`` into runs of one direction and one font: a Latin run
        (an ``Isolate``) left to right whole; elsewhere each script its own run
        (a token mixing Latin and Arabic, "%sب", is two runs), characters of
        neither taking the paragraph's direction; characters the text font
        lacks in the fallback family's own runs."""
        pieces: list[tuple[str, bool, str | None]] = []
        if ltr:
            pieces.append((text, False, None))
        else:
            for chunk, strong in by_script(text):
                rtl = strong == "rtl" if strong else self.base_rtl
                pieces.append((chunk, rtl, None))
        out: list[tuple[str, bool, str | None]] = []
        for chunk, rtl, _ in pieces:
            for part, family in by_font(chunk, self.options.fonts_dir):
                self.emoji_used = self.emoji_used or family is not None
                out.append((part, rtl, family))
        return out

    # --- page, header, footer, properties ------------------------------------

    def page_setup(self) -> None:
        section = self.doc.sections[0]
        if self.options.docx.reference is None or not self.options.docx.reference_page:
            paper, measure = PAPERS[self.options.pdf.paper], self.layout
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(paper.width_mm), Mm(paper.height_mm)
            # Mirrored margins (w:mirrorMargins) put w:left on page 1's left; a
            # right-to-left article is bound on the right, its outer margin there.
            inner, outer = Mm(measure.inner_mm), Mm(measure.outer_mm)
            section.left_margin, section.right_margin = (outer, inner) if self.rtl \
                else (inner, outer)
            section.top_margin, section.bottom_margin = Mm(measure.top_mm), Mm(measure.bottom_mm)
            mirror_margins(self.doc)
        sect_pr = section_properties(section)
        set_section_rtl(sect_pr, self.rtl)
        if self.rtl:  # Word's model of the binding side: the gutter on the right
            child(sect_pr, "w:rtlGutter")
            in_schema_order(sect_pr)
        pg = sect_pr.find(qn("w:pgNumType"))
        if pg is None:
            pg = OxmlElement("w:pgNumType")
            sect_pr.find(qn("w:pgMar")).addnext(pg)
        pg.set(qn("w:fmt"), "hindiNumbers" if self.options.digits == "arabic-indic" else "decimal")
        header = section.header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]
        hp.style = self.doc.styles["Header"]
        head = paragraph_element(hp)
        for r in list(head):
            if r.tag != qn("w:pPr"):
                head.remove(r)
        meta = self.article.meta
        self.inlines(head, isolated_line(meta.title, meta.dir), False, False, False)
        footer = section.footer
        footer.is_linked_to_previous = False
        fp = footer.paragraphs[0]
        fp.style = self.doc.styles["Footer"]
        page_field(fp)
        # The first page opens with the headline: no running head over it (an
        # empty first-page header, w:titlePg), the page number still below.
        section.different_first_page_header_footer = True
        first = section.first_page_header.paragraphs[0]
        first.style = self.doc.styles["Header"]
        first_footer = section.first_page_footer.paragraphs[0]
        first_footer.style = self.doc.styles["Footer"]
        page_field(first_footer)
