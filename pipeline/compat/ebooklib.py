"""ebooklib's private names, in one place.

ebooklib writes the navigation document from its own template and the package
document without the language and direction an Arabic book needs; its writer
has no public hooks for either. ``EpubWriter._get_nav`` (the nav's bytes) and
``EpubWriter._write_opf_file`` (the package document) are overridden here,
each checked by tests/test_compat.py against the installed ebooklib.
"""

from __future__ import annotations

from ebooklib import epub


class Writer(epub.EpubWriter):
    """ebooklib's writer, with our nav document and a package that states its
    language and direction. Called directly (not through ``write_epub``), so
    exceptions propagate instead of becoming a False return."""

    def _get_nav(self, item):
        return item.content

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        root.set("dir", self.book.direction)
        super()._write_opf_file(root)
