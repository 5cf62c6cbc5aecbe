#!/usr/bin/env python3
"""How the PDF readers people use read our PDFs back: the share of each
article's source words they return in order, marks included.

    python bench/text_layer.py     # the bundled article and ../shared/corpus

Readers: poppler (pdftotext), PDFium (pypdfium2), pdf.js (pdfjs-dist under
Node, installed in tests/helpers), MuPDF (pymupdf) and pypdf. Prints the
Markdown table the README shows.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "helpers")]

from pipeline.building.builder import BuildSettings, build  # noqa: E402
from readers import READERS, install_pdfjs, share_in_order  # noqa: E402
from words import source_words  # noqa: E402

ARTICLES = [ROOT / "content" / "netanyahu-blinken-jerusalem.md"] + sorted(
    p for p in (ROOT.parent / "shared" / "corpus").glob("*.md") if p.name != "SOURCES.md")
NAMES = {"poppler": "poppler", "pdfium": "PDFium", "pdf.js": "pdf.js", "mupdf": "MuPDF",
         "pypdf": "pypdf"}


def main() -> int:
    install_pdfjs()
    with tempfile.TemporaryDirectory(prefix="pipeline-text-") as folder:
        results = build(ARTICLES, Path(folder), BuildSettings(formats=("pdf",), force=True))
        print("| article | " + " | ".join(NAMES.values()) + " |")
        print("|---|" + "---:|" * len(NAMES))
        for result in results:
            if not result.ok:
                print(f"| {result.source.stem} | {result.error} |")
                continue
            expected = source_words(result.source.read_text(encoding="utf-8"))
            cells = []
            for reader in NAMES:
                try:
                    share, _ = share_in_order(expected, READERS[reader](result.outputs["pdf"]))
                    cells.append(f"{share:.1%}")
                except (OSError, ImportError) as exc:  # a reader not installed
                    cells.append(f"– ({type(exc).__name__})")
            print(f"| {result.source.stem} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
