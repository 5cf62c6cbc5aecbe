"""The DOCX package written reproducibly, and core properties cut to size."""

from __future__ import annotations

import io
import json

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from lxml import etree

from ...compat.docx import package_entries
from ...zipfix import deflated, normalize_zip, write_zip
from .schema import tree_in_schema_order
from ...model import Note
from ...transforms import iter_nodes
from .names import FRONT_MATTER_PROPERTY, SOURCE_PROPERTY


def package_bytes(document, timestamp) -> bytes:
    """The document as a reproducible ZIP in one pass: python-docx's package
    writer lists the entries, which are then stored with fixed dates instead of
    the time of saving (saving and rewriting would compress everything twice)."""
    entries = package_entries(document)
    if entries is None:  # a python-docx without the writer's helpers: save, then rewrite
        out = io.BytesIO()
        document.save(out)
        return normalize_zip(out.getvalue(), timestamp,
                             first=("[Content_Types].xml", "_rels/.rels"))
    # the embedded fonts are the same bytes in every document: deflated once
    return write_zip(((name, deflated(blob) if name.endswith(".odttf") else blob)
                      for name, blob in entries), timestamp)


def parts_in_schema_order(document) -> None:
    """Every XML part python-docx holds as a tree (document, numbering,
    settings, footnotes, headers, footers, comments) in schema order,
    whatever made or mended its elements. Not the styles: walking their
    thousands of elements took 25 ms a document, so they are put in order
    once when made (``styles.defined_styles``) or read (a reference), and
    each style the writer mends is ordered where it is mended."""
    styles = document.styles.element
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)
        if element is not None and element is not styles:
            tree_in_schema_order(element)


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0] + "…"


def core_properties(document, meta, options, language: str) -> None:
    """Title, description, subjects, author, section and dates, each cut to
    the 255 characters the core properties hold."""
    props = document.core_properties
    props.title = clip(meta.title, 255)
    # Core properties hold 255 characters; the deck keeps the full description.
    props.subject = props.comments = clip(meta.description, 255)
    props.language = language  # the article's own tag: pipeline import reads it back
    props.keywords = clip(", ".join(meta.subjects), 255)
    props.author = clip(meta.author, 255)
    props.last_modified_by = clip(meta.author, 255)
    props.category = clip(meta.section, 255)
    props.identifier = options.identifier
    props.revision = 1
    stamp = options.timestamp.replace(tzinfo=None)
    props.created = props.modified = stamp
    props.last_printed = stamp


CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
def kept_front_matter(meta) -> dict:
    """What the front matter says that the document's text and core
    properties do not: kept for ``pipeline import``."""
    values = {"lang": meta.lang, "dir": meta.dir, "paper": meta.paper, "justify": meta.justify,
              "digits": meta.digits, "short_title": meta.short_title,
              "columns": str(meta.columns or ""), "id": meta.ident,
              "date": meta.date.isoformat() if meta.date else "",
              "keywords": list(meta.keywords), "tags": list(meta.tags), "cover": meta.cover,
              "credit": meta.cover_credit}
    return {key: value for key, value in values.items() if value}


def as_typed(article, front_matter: str) -> dict:
    """How the source wrote what the document shows its own way: the front
    matter as typed and the notes' labels, by number (``SOURCE_PROPERTY``)."""
    labels = {n.number: n.label for n in iter_nodes(article) if isinstance(n, Note)}
    return {"front_matter": front_matter,
            "note_labels": [labels[k] for k in sorted(labels)]}


def front_matter_property(document, values: dict, typed: dict | None = None) -> None:
    """``values`` (front-matter keys to text or lists of text) and ``typed``
    (``as_typed``) as the document's custom properties."""
    root = etree.Element(f"{{{CUSTOM}}}Properties", nsmap={None: CUSTOM, "vt": VT})
    for pid, name, data in ((2, FRONT_MATTER_PROPERTY, values), (3, SOURCE_PROPERTY, typed)):
        if data is None:
            continue
        prop = etree.SubElement(root, f"{{{CUSTOM}}}property",
                                fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", pid=str(pid),
                                name=name)
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = json.dumps(data, ensure_ascii=False)
    part = XmlPart(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                   parse_xml(etree.tostring(root)), document.part.package)
    document.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)
