"""Reading ZIP packages someone else made (a reference DOCX, the files
``pipeline check`` is given) without trusting them: the member count and the
inflated size are read from the central directory and refused past a limit
before anything is inflated. ``zipfile`` never inflates a member past the size
the directory declares for it, so the declared sizes bound the memory."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import PipelineError

MAX_MEMBERS = 10_000
"""A package with more files than this is refused."""
MAX_INFLATED_BYTES = 200 * 1024 * 1024
"""A package that inflates to more than this is refused (a ZIP bomb)."""
MAX_RATIO = 200
"""A member that claims to inflate more than this many times is refused
(text compresses 3 to 10 times; a bomb thousands of times)."""
MAX_XML_ELEMENTS = 1_000_000
"""A package whose members hold more XML elements than this, together, is
refused before any part is parsed into a tree: a tree costs a few hundred bytes
an element, so millions of empty paragraphs inside the ZIP limits would take
gigabytes. A 300-page book is about 200,000."""


def open_package(path: Path, what: str) -> zipfile.ZipFile:
    """``path`` opened as a ZIP whose directory is within the limits; raises
    ``PipelineError`` naming ``what`` (e.g. "reference DOCX") otherwise."""
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PipelineError(f"{what} {path} is not a readable ZIP package: {exc}") from None
    try:
        check_limits(package, f"{what} {path}")
        check_xml(package, f"{what} {path}")
    except PipelineError:
        package.close()
        raise
    return package


def check_limits(package: zipfile.ZipFile, what: str) -> None:
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise PipelineError(f"{what} holds {len(members):,} files, over the "
                            f"{MAX_MEMBERS:,}-file limit")
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_INFLATED_BYTES:
        raise PipelineError(f"{what} inflates to {inflated:,} bytes, over the "
                            f"{MAX_INFLATED_BYTES:,}-byte limit", hint="a ZIP bomb?")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise PipelineError(f"{what}: {m.filename} inflates {m.file_size:,} bytes from "
                                f"{m.compress_size:,}", hint="a ZIP bomb?")


class _Counter:
    """An lxml parser target that builds no tree: it counts elements and stops
    the parse past the limit."""

    def __init__(self, budget: int):
        self.budget = budget

    def start(self, tag, attrib):
        self.budget -= 1
        if self.budget < 0:
            raise _TooMany

    def close(self):
        return None


class _TooMany(Exception):
    pass


def check_xml(package: zipfile.ZipFile, what: str) -> None:
    """Count the elements of every XML member by streaming it through a parser
    that keeps nothing (constant memory), before python-docx or lxml build a
    tree of any part; refuse the package past ``MAX_XML_ELEMENTS``. Parts that
    are not well-formed are left to the reader, which says so in its words."""
    from lxml import etree
    counter = _Counter(MAX_XML_ELEMENTS)
    # every member, whatever its name: a package names its parts' types in
    # [Content_Types].xml, so XML may hide under any name (an image or a font
    # stops the parser at its first bytes)
    for member in package.infolist():
        parser = etree.XMLParser(target=counter, resolve_entities=False, no_network=True,
                                 huge_tree=False)
        try:
            with package.open(member) as stream:
                while chunk := stream.read(1 << 16):
                    parser.feed(chunk)
            parser.close()
        except _TooMany:
            raise PipelineError(f"{what} holds more than {MAX_XML_ELEMENTS:,} XML elements "
                                f"(counted to {member.filename})",
                                hint="a document this size is built from several") from None
        except etree.XMLSyntaxError:
            continue
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise PipelineError(f"{what}: {member.filename} cannot be read: {exc}") from None


def open_docx(path, what: str):
    """A DOCX opened with python-docx once its ZIP directory passed the
    limits; a package python-docx cannot read is a refusal naming ``what``."""
    from docx import Document
    open_package(path, what).close()
    try:
        return Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a bad package
        raise PipelineError(f"cannot read the {what} {path}: {exc}",
                            hint="give a .docx saved by Word or LibreOffice") from None
