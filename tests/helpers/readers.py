"""How the PDF readers people use get a PDF's text back.

poppler (Evince, Okular, pdftotext), PDFium (Chrome, Edge; pypdfium2), pdf.js
(Firefox; the pdfjs-dist npm package under Node), MuPDF (pymupdf) and pypdf.
Each returns the whole document's text; ``share_in_order`` scores it against
the source's words.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
PDFJS_SCRIPT = HERE / "pdfjs_text.mjs"
PDFJS_MODULES = HERE / "node_modules" / "pdfjs-dist"


def poppler_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


def pdfium_text(pdf: Path) -> str:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def pdfjs_available() -> bool:
    return shutil.which("node") is not None and PDFJS_MODULES.is_dir()


def install_pdfjs() -> bool:
    """Install pdfjs-dist beside this file (npm, pinned in package.json) if absent."""
    if not PDFJS_MODULES.is_dir() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--no-fund", "--no-audit", "--silent"], cwd=HERE,
                       capture_output=True, timeout=600)
    return pdfjs_available()


def pdfjs_text(pdf: Path) -> str:
    return subprocess.run(["node", str(PDFJS_SCRIPT), str(pdf)], cwd=HERE, capture_output=True,
                          text=True, check=True, timeout=300).stdout


def mupdf_text(pdf: Path) -> str:
    import pymupdf
    with pymupdf.open(str(pdf)) as document:
        return "\f".join(page.get_text() for page in document)


def pypdf_text(pdf: Path) -> str:
    from pypdf import PdfReader
    return "\f".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)


READERS = {
    "poppler": poppler_text,
    "pdfium": pdfium_text,
    "pdf.js": pdfjs_text,
    "mupdf": mupdf_text,
    "pypdf": pypdf_text,
}

_IGNORED = re.compile("[\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\s]")


def normalise(text: str) -> str:
    """Compare as a reader would: compatibility forms folded (presentation forms,
    ligatures), marks in canonical order, tatweel and invisible controls dropped."""
    return unicodedata.normalize("NFKC", text)


def share_in_order(expected: list[str], text: str) -> tuple[float, list[str]]:
    """The share of ``expected`` words a reader gets back in order: the words
    and the text are aligned character by character (longest common
    subsequence, whitespace ignored, since a reader may split a word or join
    two) and a word counts when every one of its characters is aligned, in one
    piece. Returns the share and the words not found."""
    from rapidfuzz.distance import Indel

    words = [w for w in (_IGNORED.sub("", normalise(w)) for w in expected) if w]
    source = "".join(words)
    stream = _IGNORED.sub("", normalise(text))
    matched = bytearray(len(source))
    for op in Indel.opcodes(source, stream):
        if op.tag == "equal":
            matched[op.src_start:op.src_end] = b"\1" * (op.src_end - op.src_start)
    missing, start = [], 0
    for word in words:
        if not all(matched[start:start + len(word)]):
            missing.append(word)
        start += len(word)
    return (1 - len(missing) / len(words) if words else 1.0), missing
