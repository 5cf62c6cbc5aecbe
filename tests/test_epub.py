"""The EPUB, judged by EPUBCheck, DAISY Ace and its own package documents."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from pipeline.building.builder import BuildSettings, build, load_article
from pipeline.model import Heading

from conftest import BUNDLED, FIXTURES, require, require_tool, write_source
from judges import assert_clean, epubcheck

OPF = "http://www.idpf.org/2007/opf"
XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"opf": OPF, "dc": "http://purl.org/dc/elements/1.1/", "x": XHTML,
      "epub": "http://www.idpf.org/2007/ops"}


class Book:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")
        self.base = self.opf_path.rsplit("/", 1)[0] + "/"
        self.opf = etree.fromstring(self.zip.read(self.opf_path))
        self.items = {i.get("id"): i for i in self.opf.findall("opf:manifest/opf:item", NS)}

    def spine(self):
        return [self.items[r.get("idref")] for r in self.opf.findall("opf:spine/opf:itemref", NS)]

    def xhtml(self):
        return {i.get("href"): etree.fromstring(self.zip.read(self.base + i.get("href")))
                for i in self.items.values() if i.get("media-type") == "application/xhtml+xml"}

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.findall("opf:metadata/opf:meta", NS)
                if m.get("property") == prop]


@pytest.fixture(scope="module")
def book(built) -> Book:
    return Book(built["epub"])


def test_epubcheck_clean_for_the_bundled_article(built):
    assert_clean(epubcheck(built["epub"]))


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_epubcheck_clean_for_the_fixtures(tmp_path, fixture):
    [r] = build([FIXTURES / fixture], tmp_path, BuildSettings(formats=("epub",)))
    assert r.ok, r.error
    assert_clean(epubcheck(r.outputs["epub"]))


def test_right_to_left_everywhere(book):
    package = book.opf
    assert package.get(XML_LANG) == "ar" and package.get("dir") == "rtl"
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"
    assert book.opf.find("opf:metadata/dc:language", NS).text == "ar"
    docs = book.xhtml()
    assert "nav.xhtml" in docs and len(docs) >= 10
    for href, root in docs.items():
        assert root.get("dir") == "rtl", href
        assert root.get("lang") == "ar" and root.get(XML_LANG) == "ar", href


def test_one_document_per_section(book):
    article = load_article(BUNDLED)
    sections = sum(isinstance(b, Heading) and b.level == 2 for b in article.blocks)
    content = [i for i in book.spine() if "section" in i.get("href")]
    assert len(content) == sections + 1  # the title page, then one per ## section


def test_fonts_in_manifest_used_by_font_face_and_cover_every_character(book):
    fonts = [i for i in book.items.values() if i.get("media-type", "").startswith("font/")]
    assert {f.get("href").rsplit("/", 1)[-1] for f in fonts} >= {"Amiri-Regular.ttf",
                                                                 "Amiri-Bold.ttf"}
    css = "".join(book.zip.read(book.base + i.get("href")).decode()
                  for i in book.items.values() if i.get("media-type") == "text/css")
    for f in fonts:
        assert f'url("../{f.get("href")}")' in css or f'url("{f.get("href")}")' in css
    assert re.search(r"font-family:\s*\"Amiri\"", css)
    text = "".join("".join(root.itertext()) for root in book.xhtml().values())
    regular = TTFont(__import__("io").BytesIO(book.zip.read(book.base + "fonts/Amiri-Regular.ttf")))
    cmap = regular.getBestCmap()
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()
    # subset: far smaller than the shipped file, yet its layout tables are kept
    shipped = (BUNDLED.parent.parent / "fonts" / "Amiri-Regular.ttf").stat().st_size
    assert len(book.zip.read(book.base + "fonts/Amiri-Regular.ttf")) < shipped / 2
    assert "GSUB" in regular and "GPOS" in regular


def test_subset_font_still_shapes_arabic(book):
    """The subset keeps the joining forms: HarfBuzz (through WeasyPrint's
    dependency) is not needed; the GSUB closure must map init/medi/fina forms."""
    font = TTFont(__import__("io").BytesIO(book.zip.read(book.base + "fonts/Amiri-Regular.ttf")))
    glyphs = set(font.getGlyphOrder())
    assert len(glyphs) > 200
    gsub = font["GSUB"].table
    features = {fr.FeatureTag for fr in gsub.FeatureList.FeatureRecord}
    assert {"init", "medi", "fina"} <= features


def test_navigation_has_every_heading_and_landmarks(book):
    nav = book.xhtml()["nav.xhtml"]
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = [a.text for a in toc.iter(f"{{{XHTML}}}a")]
    article = load_article(BUNDLED)
    from pipeline.transforms import plain_text
    for b in article.blocks:
        if isinstance(b, Heading):
            assert plain_text(b.content) in links
    landmarks = nav.find(".//x:nav[@epub:type='landmarks']", NS)
    assert landmarks is not None and len(landmarks.findall(".//x:a", NS)) >= 2
    ncx = [i for i in book.items.values() if i.get("media-type") == "application/x-dtbncx+xml"]
    root = etree.fromstring(book.zip.read(book.base + ncx[0].get("href")))
    assert len(root.findall(".//{*}navPoint")) >= 14


def test_metadata_and_accessibility(book):
    md = book.opf.find("opf:metadata", NS)
    article = load_article(BUNDLED)
    assert md.find("dc:title", NS).text == article.meta.title
    assert md.find("dc:description", NS).text == article.meta.description
    assert md.find("dc:identifier", NS).text == "netanyahu-blinken-jerusalem"
    assert book.meta("dcterms:modified")
    for prop in ("schema:accessMode", "schema:accessModeSufficient",
                 "schema:accessibilityFeature", "schema:accessibilityHazard",
                 "schema:accessibilitySummary", "dcterms:conformsTo"):
        assert book.meta(prop), prop
    assert any("WCAG" in v for v in book.meta("dcterms:conformsTo"))


def test_creator_from_author_and_identifier_derived_when_no_id(tmp_path):
    src = write_source(tmp_path, "نص.\n", front="title: t\nauthor: كاتبة")
    [a] = build([src], tmp_path / "a", BuildSettings(formats=("epub",)))
    [b] = build([src], tmp_path / "b", BuildSettings(formats=("epub",)))
    ida = Book(a.outputs["epub"]).opf.find("opf:metadata/dc:identifier", NS).text
    idb = Book(b.outputs["epub"]).opf.find("opf:metadata/dc:identifier", NS).text
    assert ida == idb and ida.startswith("urn:uuid:")
    assert Book(a.outputs["epub"]).opf.find("opf:metadata/dc:creator", NS).text == "كاتبة"


def test_cover_picture_first_and_the_headline_once(book):
    """The first page is the cover picture (its alt text the headline and the
    deck); the headline is text on one page only: not on a text cover, a
    title-only page and the contents in a row."""
    title = load_article(BUNDLED).meta.title
    first = book.spine()[0]
    root = etree.fromstring(book.zip.read(book.base + first.get("href")))
    cover = root.find(".//x:section[@epub:type='cover']", NS)
    [img] = cover.findall(".//x:img", NS)
    assert title in img.get("alt")
    cover_item = next(i for i in book.items.values()
                      if "cover-image" in (i.get("properties") or ""))
    assert img.get("src").endswith(cover_item.get("href"))
    shown = []
    for item in book.spine():
        page = etree.fromstring(book.zip.read(book.base + item.get("href")))
        body = page.find("x:body", NS)
        shown.append("".join(body.itertext()))
    assert sum(title in text for text in shown) == 1


def test_apple_books_uses_the_embedded_fonts(book):
    options = etree.fromstring(book.zip.read("META-INF/com.apple.ibooks.display-options.xml"))
    assert options.find(".//option[@name='specified-fonts']").text == "true"


def test_contents_are_styled_for_arabic(book):
    css = "".join(book.zip.read(book.base + i.get("href")).decode()
                  for i in book.items.values() if i.get("media-type") == "text/css")
    assert re.search(r"nav#toc ol \{[^}]*list-style: none", css)
    assert re.search(r"nav#toc a \{[^}]*text-decoration: none", css)
    assert "max-width: 36em" in css and "@media (max-width: 30em)" in css


def test_faq_and_lead_terms_semantics(book):
    docs = book.xhtml()
    faq = [s for root in docs.values() for s in root.iter(f"{{{XHTML}}}section")
           if s.get("role") == "doc-qna"]
    assert len(faq) == 1
    questions = [h for h in faq[0].iter() if h.get("class") == "faq-question"]
    assert len(questions) == 4 and all(q.tag == f"{{{XHTML}}}h3" for q in questions)
    leads = [s for root in docs.values() for s in root.iter(f"{{{XHTML}}}strong")
             if s.get("class") == "lead"]
    assert len(leads) == 16


def test_daisy_ace_reports_no_violations(built, tmp_path):
    ace = require_tool("ace-cli", "PUPPETEER_SKIP_DOWNLOAD=1 npm install -g @daisy/ace-cli")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    require("Chromium for DAISY Ace", bool(chromium), "apt-get install chromium")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    out = tmp_path / "ace"
    subprocess.run([ace, "--silent", "--outdir", str(out), str(built["epub"])], env=env,
                   capture_output=True, text=True, timeout=600)
    report = json.loads((out / "report.json").read_text())
    violations = [(doc["earl:testSubject"]["url"], check["earl:test"]["dct:title"])
                  for doc in report.get("assertions", [])
                  for check in doc.get("assertions", [])
                  if check["earl:result"]["earl:outcome"] == "fail"]
    assert violations == []
    assert report["earl:result"]["earl:outcome"] == "pass"


def test_cover_picture_for_stores(book):
    """Stores and libraries show the manifest's cover-image: the headline on it."""
    import io

    from PIL import Image, ImageStat
    [item] = [i for i in book.items.values() if "cover-image" in (i.get("properties") or "")]
    assert item.get("media-type") == "image/jpeg"
    picture = Image.open(io.BytesIO(book.zip.read(book.base + item.get("href"))))
    assert picture.size == (1600, 2400)
    light = ImageStat.Stat(picture.convert("L").point(lambda v: 255 if v > 180 else 0)).mean[0]
    assert 1 < light < 60  # text drawn on the background, not an empty tile


def test_the_cover_cache_keeps_photos_by_their_digest_and_few_covers():
    """A service worker drawing 40 covers of 40 photos grew by 426 MB: the
    cache kept each photo's bytes in its key. It keeps a digest, and eight."""
    import io as _io

    from PIL import Image as PILImage

    from pipeline import cover
    from pipeline.fonts import FONTS_DIR
    from pipeline.model import Meta
    meta = Meta(title="عنوان الغلاف", description="وصف قصير")
    for shade in range(12):
        photo = _io.BytesIO()
        PILImage.new("RGB", (64, 96), (shade * 20, 90, 120)).save(photo, "PNG")
        first = cover.cover_jpeg(meta, FONTS_DIR, "", photo.getvalue())
        assert cover.cover_jpeg(meta, FONTS_DIR, "", photo.getvalue()) is first  # drawn once
    assert len(cover.COVERS_DRAWN) == cover.MAX_CACHEDCOVERS_DRAWN
    assert all(isinstance(part, (str, Path, Meta)) for key in cover.COVERS_DRAWN for part in key)
