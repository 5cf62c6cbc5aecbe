"""Shared fixtures: the bundled article built once, and the external judges.

A judge (poppler, LibreOffice, EPUBCheck, pandoc, DAISY Ace) that is missing
skips its tests with the reason; with PIPELINE_REQUIRE_JUDGES=1 (CI sets it)
a missing judge fails instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from pipeline.building.builder import build

# In CI the random examples are the same each run: a landing never depends on luck.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "content" / "netanyahu-blinken-jerusalem.md"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "article.txt"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(Path(__file__).resolve().parent / "helpers"))  # readers.py, judges.py
from judges import close_epubcheck, require, require_tool  # noqa: E402,F401 (re-exported)


# Every format, the web page included, so one build serves every reader.
SHARED_FORMATS = ("pdf", "docx", "epub", "html")


@pytest.fixture(scope="session")
def article_build(tmp_path_factory):
    """``article_build(source)``: the article's BuildResult in every format on
    the default settings, built the first time a test asks and then shared by
    every test that only reads the outputs (copy a file before changing it) —
    by every worker of the run too (pytest-xdist): the first to ask builds it
    under a lock, the others read its record."""
    import fcntl
    import hashlib
    import pickle

    from pipeline.building.builder import BuildSettings
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    shared = root / "shared-builds"
    shared.mkdir(exist_ok=True)
    made = {}

    def article(source: Path):
        source = Path(source)
        if source not in made:
            key = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
            out, record = shared / f"{source.stem}-{key}", shared / f"{key}.pickle"
            with open(shared / f"{key}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the rest wait
                if record.is_file():
                    made[source] = pickle.loads(record.read_bytes())
                else:
                    [made[source]] = build([source], out, BuildSettings(formats=SHARED_FORMATS))
                    record.write_bytes(pickle.dumps(made[source]))
        return made[source]
    return article


@pytest.fixture(scope="session")
def built(article_build) -> dict[str, Path]:
    """The bundled article in all three formats."""
    result = article_build(BUNDLED)
    assert result.ok, result.error
    return {fmt: result.outputs[fmt] for fmt in ("pdf", "docx", "epub")}


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the seed article is not at {SEED}")
    return SEED.read_text(encoding="utf-8")


def pdftotext(pdf: Path) -> str:
    require_tool("pdftotext", "apt-get install poppler-utils")
    from readers import poppler_text
    return poppler_text(pdf)


def write_source(folder: Path, body: str, front: str = 'title: "عنوان"',
                 name: str = "article.md") -> Path:
    path = folder / name
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


def build_with_drawing(folder: Path, svg: str, formats: tuple[str, ...], alt: str = "رسم بياني"):
    """An article around one SVG drawing (``chart.svg``), built; its result."""
    from pipeline.building.builder import BuildSettings
    (folder / "chart.svg").write_text(svg, encoding="utf-8")
    source = write_source(folder, f"\nقبل الرسم.\n\n![{alt}](chart.svg)\n\nبعده.\n")
    [result] = build([source], folder / "out", BuildSettings(formats=formats))
    assert result.ok, result.error
    return result


@pytest.fixture(scope="session", autouse=True)
def _release_pdf_fonts():
    """Tests that render a PDF in this process keep WeasyPrint's font
    configuration; release it while the interpreter can still remove its
    temporary folder (its __del__ fails at interpreter exit)."""
    yield
    import gc

    from pipeline.caches import clear_memos
    clear_memos()  # the PDF's and the DOCX drawings' font configurations among them
    gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _epubcheck_jvm():
    """EPUBCheck's JVM lives for the session; stop it with the session."""
    yield
    close_epubcheck()
