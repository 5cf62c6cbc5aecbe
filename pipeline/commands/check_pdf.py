"""``pipeline check`` of a PDF: objects, fonts, tags, language, direction and
text layer; every stream is inflated within a bound first, so a small file
that inflates to gigabytes is refused, not read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .check_report import RTL_LANGUAGES, Report

MAX_STREAM_BYTES = 256 * 1024 * 1024
"""A stream that inflates past this is refused before qpdf checks the objects
(qpdf inflates each stream whole): a full-page photo inflates to a few tens of
megabytes; a megabyte of Flate can inflate to a gigabyte."""
POPPLER_MEMORY = 2 * 1024 * 1024 * 1024
"""pdftotext runs with at most this much address space."""


def inflation_bomb(pdf) -> str | None:
    """The first stream that inflates past ``MAX_STREAM_BYTES``, said in one
    line; None when there is none. Flate is inflated here in steps, keeping
    nothing; another first filter is judged by its raw size (LZW and
    run-length inflate at most a few thousand times)."""
    import zlib

    import pikepdf
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = obj.get("/Filter")
        filters = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
        raw = obj.read_raw_bytes()
        if filters and filters[0] == pikepdf.Name.FlateDecode:
            inflater, size, data = zlib.decompressobj(), 0, raw
            try:
                while data and size <= MAX_STREAM_BYTES:
                    size += len(inflater.decompress(data, 1 << 20))
                    data = inflater.unconsumed_tail
            except zlib.error:
                continue  # damage: qpdf's check says so
        else:
            size = len(raw) * (3000 if filters and str(filters[0]) in (
                "/LZWDecode", "/RunLengthDecode") else 1)
        if size > MAX_STREAM_BYTES:
            return (f"object {obj.objgen[0]} inflates past {MAX_STREAM_BYTES:,} bytes "
                    f"from {len(raw):,}: not read further")
    return None


def _bounded_memory() -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (POPPLER_MEMORY, POPPLER_MEMORY))



def check_pdf(path: Path, report: Report) -> None:
    try:
        import pikepdf
    except ImportError:
        report.skipped.append("pikepdf (pip install pikepdf)")
        return
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as exc:
        report.problems.append(f"not a readable PDF: {exc}")
        return
    with pdf:
        if bomb := inflation_bomb(pdf):
            report.problems.append(bomb)
            return  # qpdf's and poppler's checks would inflate it whole
        damage = [" ".join(str(p).split()) for p in _syntax_problems(pdf)]
        if damage:
            report.problems.append(f"damaged: {damage[0]}" + (
                f" (and {len(damage) - 1} more)" if len(damage) > 1 else ""))
        else:
            report.passed.append("objects parse")
        broken = _unloadable_fonts(pdf)
        if broken:
            report.problems.append(f"fonts that do not load: {', '.join(sorted(broken))}")
        root = pdf.Root
        if "/StructTreeRoot" not in root:
            report.problems.append("untagged: no structure tree, so no accessible reading "
                                   "order (build with --pdf-variant pdf/ua-1)")
        else:
            report.passed.append("tagged")
        lang = str(root.get("/Lang", ""))
        if not lang:
            report.problems.append("no document language (/Lang)")
        else:
            report.passed.append(f"language {lang}")
        if lang.split("-")[0].lower() in RTL_LANGUAGES:
            direction = str((root.get("/ViewerPreferences") or {}).get("/Direction", ""))
            if direction != "/R2L":
                report.problems.append("pages do not run right to left "
                                       "(no /ViewerPreferences /Direction /R2L)")
        missing = sorted(_unembedded_fonts(pdf))
        if missing:
            report.problems.append(f"fonts not embedded: {', '.join(missing)}")
        else:
            report.passed.append("every font embedded")
    if shutil.which("pdftotext"):
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                             text=True, timeout=300, preexec_fn=_bounded_memory)
        text = run.stdout
        errors = [line for line in run.stderr.splitlines() if "Error" in line]
        if errors:
            report.problems.append(f"poppler: {errors[0]}" + (
                f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""))
        if not text.strip():
            report.problems.append("no text layer: nothing can be copied or searched")
        else:
            report.passed.append(f"text layer of {len(text.split())} words")
    else:
        report.skipped.append("text layer (apt-get install poppler-utils)")


def _syntax_problems(pdf) -> list:
    """qpdf's own check of every object (pikepdf renamed it in version 9)."""
    check = getattr(pdf, "check_pdf_syntax", None) or getattr(pdf, "check")
    return check()


MAX_FONT_BYTES = 32 * 1024 * 1024
"""An embedded font program is inflated to be read up to this size (a whole
Arabic family is a few megabytes); past it the font is refused, not inflated:
a megabyte of PDF can inflate to gigabytes."""


def _unloadable_fonts(pdf) -> set[str]:
    """Embedded TrueType programs fontTools cannot read, or that inflate past
    ``MAX_FONT_BYTES``."""
    import io
    import logging

    import pikepdf
    from fontTools.ttLib import TTFont
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its repairs are not ours to print
    broken = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
            name = str(obj.get("/FontName", "?")).lstrip("/")
            try:
                program = font_program(obj.FontFile2)
                if program is None:
                    broken.add(f"{name} (inflates past {MAX_FONT_BYTES:,} bytes)")
                    continue
                font = TTFont(io.BytesIO(program))
                for tag in ("head", "maxp", "hmtx", "glyf"):
                    if tag in font:
                        font[tag]  # noqa: B018  (parses the table)
            except Exception:
                broken.add(name)
    return broken


def font_program(stream) -> bytes | None:
    """A font stream's bytes, inflated no further than ``MAX_FONT_BYTES``
    (None past it). Flate, the filter every PDF writer uses for fonts, is
    inflated here in steps; another filter chain is decoded by qpdf only when
    the stream's raw bytes are small enough that no filter can take them past
    the bound (run-length and LZW inflate at most a few hundred times)."""
    import zlib

    import pikepdf
    filters = stream.get("/Filter")
    filters = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    if filters == [pikepdf.Name.FlateDecode]:
        inflater = zlib.decompressobj()
        program = inflater.decompress(stream.read_raw_bytes(), MAX_FONT_BYTES + 1)
        return None if len(program) > MAX_FONT_BYTES or inflater.unconsumed_tail else program
    if not filters:
        raw = stream.read_raw_bytes()
        return raw if len(raw) <= MAX_FONT_BYTES else None
    if len(stream.read_raw_bytes()) * 1000 > MAX_FONT_BYTES:
        return None
    return stream.read_bytes()


def _unembedded_fonts(pdf) -> set[str]:
    import pikepdf
    missing: set[str] = set()
    seen: set[tuple] = set()

    def fonts_of(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            yield font
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            yield from fonts_of(xobject.get("/Resources"))

    for page in pdf.pages:
        for font in fonts_of(page.obj.get("/Resources")):
            target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            if str(font.get("/Subtype")) == "/Type3":
                continue  # drawn with PDF operators: nothing to embed
            descriptor = target.get("/FontDescriptor")
            if not isinstance(descriptor, pikepdf.Dictionary) or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont", "?")).lstrip("/"))
    return missing
