"""python-docx's private names, in one place.

python-docx models paragraphs, runs and sections but not everything an Arabic
document needs (bidi, complex-script fonts, embedded fonts, numbering), and it
has no public way to reach a proxy's XML element or to set a part's bytes. The
reaches, each checked by tests/test_compat.py against the installed version:

- ``Paragraph._p`` and ``Section._sectPr``: the ``w:p`` / ``w:sectPr`` behind a proxy;
- ``Document._body``: the body proxy a new paragraph belongs to;
- ``Part._blob``: the bytes of a part python-docx loads but does not model
  (the font table);
- ``DocumentPart._styles_part`` and ``XmlPart._element``: the styles part, and
  replacing its whole tree at once (the defined styles are cached as bytes);
- ``PackageWriter._write_content_types_stream``, ``_write_pkg_rels`` and
  ``_write_parts``: the package's entries listed without writing a ZIP (the
  DOCX is stored once, with fixed dates, instead of saved and rewritten).
"""

from __future__ import annotations


def paragraph_element(paragraph):
    """The ``w:p`` element of a ``docx.text.paragraph.Paragraph``."""
    return paragraph._p


def section_properties(section):
    """The ``w:sectPr`` element of a ``docx.section.Section``."""
    return section._sectPr


def body_paragraph(document, element):
    """A ``Paragraph`` proxy for a ``w:p`` already placed in ``document``'s body
    (``Document.add_paragraph`` searches the whole body for the section
    properties on every call: quadratic in paragraphs)."""
    from docx.text.paragraph import Paragraph
    return Paragraph(element, document._body)


def set_part_blob(part, blob: bytes) -> None:
    """Replace the bytes of a part python-docx keeps as bytes."""
    part._blob = blob


def styles_part(document):
    """The styles part of ``document`` (made if the package has none)."""
    return document.part._styles_part


def replace_part_element(part, element) -> None:
    """Replace an XML part's whole tree."""
    part._element = element


def package_entries(document) -> list[tuple[str, bytes]] | None:
    """Every entry of ``document``'s package, (name, bytes) in python-docx's
    order, as ``Document.save`` would write them; None when this python-docx
    lacks the package writer's helpers."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    entries: list[tuple[str, bytes]] = []

    class Entries:
        def write(self, pack_uri, blob) -> None:
            entries.append((pack_uri.membername, blob))

    try:
        for part in package.parts:
            part.before_marshal()
        PackageWriter._write_content_types_stream(Entries(), package.parts)
        PackageWriter._write_pkg_rels(Entries(), package.rels)
        PackageWriter._write_parts(Entries(), package.parts)
    except AttributeError:
        return None
    return entries
