"""Every private name pipeline/compat reaches for still exists in the installed
library: a library update that moves one fails here, by name, not deep in a build."""

from __future__ import annotations

import inspect


def test_weasyprint_draws_lines_where_the_glyph_layer_expects():
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream
    from weasyprint.text import ffi

    from pipeline.compat import weasyprint as compat

    original = compat._ORIGINAL or draw_text.draw_first_line
    assert list(inspect.signature(original).parameters) == [
        "stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]
    assert "draw_first_line(" in inspect.getsource(draw_text.draw_text)
    for name in ("FROM_UNITS", "ffi", "pango"):
        assert hasattr(ffi, name), name
    for name in ("pango_layout_set_single_paragraph_mode", "pango_font_get_glyph_extents",
                 "pango_version", "PANGO_GLYPH_EMPTY", "PANGO_GLYPH_UNKNOWN_FLAG"):
        assert hasattr(ffi.pango, name), name
    for name in ("add_font", "set_font_size", "set_text_matrix", "show_text"):
        assert callable(getattr(Stream, name)), name
    source = inspect.getsource(Font.__init__)
    for attribute in ("self.widths", "self.to_unicode", "self.hash", "self.glyph_count",
                      "self.file_content", "self.bitmap", "self.png", "self.svg",
                      "self.colr", "self.missing", "self.index"):
        assert attribute in source, attribute
    assert "ink_rect" in inspect.getsource(Stream.__init__)
    from weasyprint.layout import inline
    assert "justification_spacing" in inspect.getsource(inline.add_word_spacing)


def test_weasyprint_draws_svg_text_as_shaped_svg_text_expects():
    """The SVG text function, named in TAGS and by the module (draw_node
    compares them), iterates ``node.text`` letter by letter, and a node's
    text is its ElementTree element's (which keeps a str subclass)."""
    import sys

    import weasyprint.svg as svg_module

    from pipeline.compat import weasyprint as compat

    original = compat._SVG_TEXT or svg_module.text
    assert list(inspect.signature(original).parameters) == ["svg", "node", "font_size"]
    assert "for char in node.text" in inspect.getsource(sys.modules["weasyprint.svg.text"])
    assert svg_module.TAGS["text"] in (original, compat._svg_text)
    assert "return self._etree_node.text" in inspect.getsource(svg_module.Node)
    assert "TAGS.get(node.tag) == text" in inspect.getsource(svg_module.SVG.draw_node)


def test_weasyprint_embeds_fonts_as_the_layer_patches_them():
    """Type0 fonts with Identity CIDs, a FontFile2 program and a ToUnicode
    CMap that ends in 'endcmap': what GlyphLayer.finish extends."""
    from weasyprint.pdf import fonts

    source = inspect.getsource(fonts)
    for needle in ("'CIDToGIDMap': '/Identity'", "Identity-H", "b'endcmap'", "FontFile",
                   "beginbfchar", "HB_SUBSET_FLAGS_RETAIN_GIDS"):
        assert needle in source, needle


def test_a_process_pool_still_lists_its_processes():
    """compat/futures.py reads ProcessPoolExecutor._processes: the pids the
    service kills when a worker is stuck, and the command when it is done."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.compat.futures import pool_processes
    with ProcessPoolExecutor(max_workers=1,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(int).result()
        processes = pool_processes(pool)
        assert len(processes) == 1 and processes[0].is_alive()
        assert isinstance(processes[0], multiprocessing.process.BaseProcess)


def test_python_docx_still_has_what_compat_docx_reaches():
    import docx
    from docx.opc.pkgwriter import PackageWriter

    from pipeline.compat import docx as compat
    document = docx.Document()
    paragraph = document.add_paragraph("x")
    assert compat.paragraph_element(paragraph).tag.endswith("}p")
    assert compat.section_properties(document.sections[0]).tag.endswith("}sectPr")
    element = compat.paragraph_element(paragraph)
    assert compat.body_paragraph(document, element).text == "x"
    styles = compat.styles_part(document)
    assert styles.element.tag.endswith("}styles") and hasattr(styles, "_element")
    font_table = next(p for p in document.part.package.parts
                      if str(p.partname).endswith("fontTable.xml"))
    assert hasattr(font_table, "_blob")
    for helper in ("_write_content_types_stream", "_write_pkg_rels", "_write_parts"):
        assert callable(getattr(PackageWriter, helper)), helper
    entries = compat.package_entries(document)
    assert entries is not None and entries[0][0] == "[Content_Types].xml"
    assert "word/document.xml" in dict(entries)


def test_ebooklib_still_writes_through_the_methods_compat_overrides():
    from ebooklib import epub

    from pipeline.compat.ebooklib import Writer
    for method in ("_get_nav", "_write_opf_file"):
        assert callable(getattr(epub.EpubWriter, method)), method
        assert method in Writer.__dict__


def test_zipfile_still_appends_entries_as_compat_zipfile_expects(tmp_path):
    import zipfile
    import zlib

    from pipeline.compat.zipfile import append_deflated
    data = "نص يتكرر ".encode() * 100
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(data) + compressor.flush()
    path = tmp_path / "t.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("first.txt", b"1")
        append_deflated(zf, zipfile.ZipInfo("font.odttf"), raw, len(data), zlib.crc32(data))
        zf.writestr("last.txt", b"2")
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None and zf.read("font.odttf") == data
        assert zf.namelist() == ["first.txt", "font.odttf", "last.txt"]


def test_weasyprint_starts_as_weasyprint_setup_expects():
    """ffi.py passes one constant string to cdef and makes its FFI with
    ``cffi.FFI()``; the font configuration reads fontconfig's configuration
    (which follows FONTCONFIG_FILE) in its constructor."""
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.compat import weasyprint_setup

    source = weasyprint_setup._ffi_source()
    assert len(weasyprint_setup.declarations_of(source)) > 10_000
    assert "ffi = cffi.FFI()" in source and "import cffi" in source
    assert weasyprint_setup._weasyprint_version() == __import__("weasyprint").__version__
    assert "FcInitLoadConfigAndFonts()" in inspect.getsource(FontConfiguration.__init__)


def test_weasyprint_pages_hold_the_boxes_full_pages_move():
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import Box
    from weasyprint.layout.background import BackgroundLayer

    assert "self._page_box = page_box" in inspect.getsource(Page.__init__)
    assert "gather_anchors(page_box" in inspect.getsource(Page.__init__)
    assert list(inspect.signature(Box.translate).parameters)[:3] == ["self", "dx", "dy"]
    for field in ("painting_area", "positioning_area", "clipped_boxes"):
        assert field in BackgroundLayer._fields, field
