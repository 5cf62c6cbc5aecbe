"""The DOCX, judged by its own XML, python-docx, LibreOffice and pandoc."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.building.builder import BuildSettings, build, load_article
from pipeline.model import BulletList, Heading, OrderedList
from pipeline.writers.docx.ooxml import obfuscate

from conftest import (
    BUNDLED, build_with_drawing, pdftotext, require, require_tool, write_source,
)
from judges import libreoffice_convert, pandoc_path
from schema_order import assert_schema_order
from words import missing_in_order, seed_words, words

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Package:
    """The parts of a DOCX a check needs, parsed."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.names = z.namelist()
            self.document = etree.fromstring(z.read("word/document.xml"))
            self.styles = etree.fromstring(z.read("word/styles.xml"))
            self.numbering = etree.fromstring(z.read("word/numbering.xml"))
            self.font_table = etree.fromstring(z.read("word/fontTable.xml"))
            self.font_rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
            self.settings = etree.fromstring(z.read("word/settings.xml"))
            self.content_types = etree.fromstring(z.read("[Content_Types].xml"))
            self.core = etree.fromstring(z.read("docProps/core.xml"))
            self.raw = {n: z.read(n) for n in z.namelist() if n.startswith("word/fonts/")}
        self.by_id = {s.get(w("styleId")): s for s in self.styles.findall("w:style", NS)}
        self.default_para = next((s.get(w("styleId")) for s in self.by_id.values()
                                  if s.get(w("type")) == "paragraph" and s.get(w("default")) == "1"))

    def style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None

    def _resolved(self, p, own, props: str) -> list:
        """``own`` properties (w:pPr or w:rPr), then those of the paragraph's style
        chain, then the document defaults: the order Word resolves them in."""
        ps = p.find("w:pPr/w:pStyle", NS)
        chain = self.style_chain(ps.get(w("val")) if ps is not None else self.default_para)
        default = "w:pPrDefault/w:pPr" if props == "w:pPr" else "w:rPrDefault/w:rPr"
        return [own, *(s.find(props, NS) for s in chain),
                self.styles.find(f"w:docDefaults/{default}", NS)]

    def paragraph_rtl(self, p) -> bool:
        """w:bidi resolved: the paragraph, its style chain, then the document defaults."""
        for ppr in self._resolved(p, p.find("w:pPr", NS), "w:pPr"):
            if ppr is not None and (bidi := ppr.find("w:bidi", NS)) is not None:
                return bidi.get(w("val"), "1") not in ("0", "false", "off")
        return False

    def run_cs_font(self, p, r) -> str | None:
        """w:rFonts/@w:cs resolved: the run, its paragraph's style chain, the defaults."""
        for rpr in self._resolved(p, r.find("w:rPr", NS), "w:rPr"):
            fonts = rpr.find("w:rFonts", NS) if rpr is not None else None
            if fonts is not None and fonts.get(w("cs")):
                return fonts.get(w("cs"))
        return None

    def style_name(self, p) -> str:
        ps = p.find("w:pPr/w:pStyle", NS)
        style = self.by_id.get(ps.get(w("val")) if ps is not None else self.default_para)
        name = style.find("w:name", NS).get(w("val"))
        # Word stores built-in names in lower case ("heading 1"); show them as the UI does.
        return name[0].upper() + name[1:]

    def paragraphs(self):
        return [p for p in self.document.iter(w("p"))
                if "".join(t.text or "" for t in p.iter(w("t"))).strip()]


@pytest.fixture(scope="module")
def package(built) -> Package:
    return Package(built["docx"])


def _count(blocks, kind):
    n = 0
    for b in blocks:
        if isinstance(b, kind):
            n += 1
        for item in getattr(b, "items", ()):
            n += _count(item.blocks, kind)
    return n


def _list_items(blocks):
    n = 0
    for b in blocks:
        if isinstance(b, (BulletList, OrderedList)):
            for item in b.items:
                n += 1 + _list_items(item.blocks)
    return n


def test_every_paragraph_is_right_to_left(package):
    paragraphs = package.paragraphs()
    assert len(paragraphs) > 40
    assert [package.style_name(p) for p in paragraphs if not package.paragraph_rtl(p)] == []


def test_every_arabic_run_is_rtl_with_a_complex_script_font(package):
    runs = 0
    for p in package.paragraphs():
        for r in p.iter(w("r")):
            text = "".join(t.text or "" for t in r.iter(w("t")))
            if not ARABIC.search(text):
                continue
            runs += 1
            assert r.find("w:rPr/w:rtl", NS) is not None, text
            assert package.run_cs_font(p, r) == "Amiri", text
    assert runs > 40


def test_section_is_bidi(package):
    sect = package.document.find("w:body/w:sectPr", NS)
    assert sect.find("w:bidi", NS) is not None
    assert sect.find("w:bidi", NS).get(w("val"), "1") in ("1", "true", "on")


def test_bold_and_italic_set_complex_script_twins(tmp_path):
    src = write_source(tmp_path, "نص **غامق** و*مائل*.\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("docx",)))
    pkg = Package(r.outputs["docx"])
    rprs = [r.find("w:rPr", NS) for r in pkg.document.iter(w("r"))
            if r.find("w:rPr", NS) is not None]
    assert any(x.find("w:b", NS) is not None and x.find("w:bCs", NS) is not None for x in rprs)
    assert any(x.find("w:i", NS) is not None and x.find("w:iCs", NS) is not None for x in rprs)


def test_headings_use_heading_styles_one_per_source_heading(package):
    article = load_article(BUNDLED)
    heading_styles = [package.style_name(p) for p in package.paragraphs()
                      if package.style_name(p).startswith("Heading")]
    assert len(heading_styles) == _count(article.blocks, Heading) == 14
    assert set(heading_styles) == {"Heading 1", "Heading 2"}


def test_list_items_are_numbered_paragraphs(package):
    article = load_article(BUNDLED)
    numbered = [p for p in package.paragraphs() if p.find("w:pPr/w:numPr", NS) is not None]
    assert len(numbered) == _list_items(article.blocks) == 16
    num_ids = {p.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) for p in numbered}
    nums = {n.get(w("numId")): n.find("w:abstractNumId", NS).get(w("val"))
            for n in package.numbering.findall("w:num", NS)}
    assert num_ids <= set(nums)
    used = {nums[i] for i in num_ids}
    # markers sit on the start side: each level indents (w:left, the start in bidi) and hangs
    for lvl in (lvl for a in package.numbering.findall("w:abstractNum", NS)
                if a.get(w("abstractNumId")) in used for lvl in a.findall("w:lvl", NS)):
        ind = lvl.find("w:pPr/w:ind", NS)
        assert ind is not None and int(ind.get(w("left"))) > 0
        assert lvl.find("w:pPr/w:bidi", NS) is not None


def test_nested_and_numbered_lists_use_levels(tmp_path):
    src = write_source(tmp_path, "1. أول\n   - فرعي\n     - أعمق\n2. ثان\n",
                       front='title: "عنوان"\nlang: ar-EG')  # CLDR: Egypt writes ١٢٣
    [r] = build([src], tmp_path, BuildSettings(formats=("docx",)))
    pkg = Package(r.outputs["docx"])
    levels = [int(p.find("w:pPr/w:numPr/w:ilvl", NS).get(w("val"))) for p in pkg.paragraphs()
              if p.find("w:pPr/w:numPr", NS) is not None]
    assert levels == [0, 1, 2, 0]
    formats = {lvl.find("w:numFmt", NS).get(w("val")) for lvl in pkg.numbering.iter(w("lvl"))}
    assert "hindiNumbers" in formats and "bullet" in formats
    texts = {lvl.find("w:lvlText", NS).get(w("val")) for lvl in pkg.numbering.iter(w("lvl"))
             if lvl.find("w:numFmt", NS).get(w("val")) == "hindiNumbers"}
    assert texts == {f"%{n}-" for n in range(1, 10)}  # "١-", never "١." (read as ٠١)


def test_faq_has_its_own_styles(package):
    names = [package.style_name(p) for p in package.paragraphs()]
    assert names.count("FAQ Question") == 4
    assert names.count("FAQ Answer") >= 4


def test_header_title_and_footer_page_field(built):
    with zipfile.ZipFile(built["docx"]) as z:
        headers = [z.read(n).decode() for n in z.namelist() if re.match(r"word/header\d*\.xml", n)]
        footers = [z.read(n).decode() for n in z.namelist() if re.match(r"word/footer\d*\.xml", n)]
    title = load_article(BUNDLED).meta.title
    assert any(title in re.sub("<[^>]+>", "", h) for h in headers)
    assert any("PAGE" in f for f in footers)


def test_links_are_hyperlinks(tmp_path):
    src = write_source(tmp_path, "اقرأ [الدليل](https://example.org/guide) الآن.\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("docx",)))
    document = docx.Document(str(r.outputs["docx"]))
    [link] = document.paragraphs[1].hyperlinks
    assert link.address == "https://example.org/guide" and link.text == "الدليل"


def test_fonts_are_embedded_obfuscated(package):
    fonts = {f.get(w("name")): f for f in package.font_table.findall("w:font", NS)}
    amiri = fonts["Amiri"]
    embeds = {e.tag.split("}")[1]: e for e in amiri if e.tag.split("}")[1].startswith("embed")}
    assert set(embeds) == {"embedRegular", "embedBold", "embedItalic", "embedBoldItalic"}
    targets = {rel.get("Id"): rel.get("Target") for rel in package.font_rels}
    originals = {p.read_bytes() for p in (BUNDLED.parent.parent / "fonts").glob("Amiri-*.ttf")}
    for e in embeds.values():
        key = e.get(w("fontKey"))
        data = package.raw["word/" + targets[e.get(f"{{{R}}}id")]]
        assert data[:4] != b"\x00\x01\x00\x00"  # obfuscated: no TrueType header on its face
        assert obfuscate(data, key) in originals  # XOR twice is the identity: the whole font
    assert package.settings.find("w:embedTrueTypeFonts", NS) is not None
    odttf = [d for d in package.content_types if d.get("Extension") == "odttf"
             or (d.get("PartName") or "").endswith(".odttf")]
    assert odttf and all(d.get("ContentType").endswith("obfuscatedFont") for d in odttf)


def test_core_properties(package):
    article = load_article(BUNDLED)
    ns = {"dc": "http://purl.org/dc/elements/1.1/",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
          "dcterms": "http://purl.org/dc/terms/"}
    assert package.core.find("dc:title", ns).text == article.meta.title
    assert package.core.find("dc:subject", ns).text == article.meta.description
    assert package.core.find("dc:language", ns).text == "ar"  # the article's own tag
    assert "القدس" in package.core.find("cp:keywords", ns).text


def test_core_dates_follow_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1718064000")  # 2024-06-11T00:00:00Z
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("docx",)))
    props = docx.Document(str(r.outputs["docx"])).core_properties
    assert props.created.isoformat().startswith("2024-06-11")
    assert props.modified == props.created


def test_opens_with_python_docx_and_zip_is_sound(built):
    document = docx.Document(str(built["docx"]))
    assert document.paragraphs[0].style.name == "Title"
    with zipfile.ZipFile(built["docx"]) as z:
        assert z.testzip() is None


def test_reference_docx_styles_are_kept(tmp_path):
    reference = docx.Document()
    reference.styles["Heading 1"].font.size = docx.shared.Pt(31)
    ref_path = tmp_path / "house.docx"
    reference.save(ref_path)
    src = write_source(tmp_path, "## قسم\n\nنص.\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("docx",), reference_docx=ref_path))
    assert r.ok, r.error
    document = docx.Document(str(r.outputs["docx"]))
    assert document.styles["Heading 1"].font.size == docx.shared.Pt(31)
    assert "FAQ Question" in [s.name for s in document.styles]
    pkg = Package(r.outputs["docx"])
    assert all(pkg.paragraph_rtl(p) for p in pkg.paragraphs())


def test_bad_reference_docx_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip")
    src = write_source(tmp_path, "نص.\n")
    [r] = build([src], tmp_path, BuildSettings(formats=("docx",), reference_docx=bad))
    assert not r.ok and "reference DOCX" in str(r.error)


# --- the outside judges ------------------------------------------------------


def test_libreoffice_uses_the_embedded_font(built, tmp_path):
    require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    require_tool("pdffonts", "apt-get install poppler-utils")
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    require("DejaVu fonts", dejavu.is_dir(), "apt-get install fonts-dejavu-core")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dejavu}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>
""")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)}
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    assert "Amiri" not in listed  # the machine offers LibreOffice no Amiri
    [pdf] = libreoffice_convert([built["docx"]], "pdf", tmp_path, profile=tmp_path / "profile",
                                env=env)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:]}
    assert any(n.startswith("Amiri") for n in names), names
    assert not any(n.startswith("DejaVu") for n in names), names
    assert "نتنياهو" in pdftotext(pdf)


def test_pandoc_reads_back_headings_list_items_and_words(built, seed_text):
    pandoc = pandoc_path()
    doc = json.loads(subprocess.run([pandoc, "-f", "docx", "-t", "json", str(built["docx"])],
                                    capture_output=True, text=True, check=True).stdout)
    counts = {"Header": 0, "items": 0}
    text: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            t = node.get("t")
            if t == "Header":
                counts["Header"] += 1
            if t in ("BulletList", "OrderedList"):
                items = node["c"] if t == "BulletList" else node["c"][1]
                counts["items"] += len(items)
            if t == "Str":
                text.append(node["c"])
            elif t in ("Space", "SoftBreak", "LineBreak"):
                text.append(" ")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
            if node and isinstance(node[0], dict) and node[0].get("t") == "Para":
                text.append("\n")

    walk(doc["meta"].get("title", {}))  # pandoc reads the Title paragraph as metadata
    walk(doc["blocks"])
    article = load_article(BUNDLED)
    assert counts["Header"] == _count(article.blocks, Heading)
    assert counts["items"] == _list_items(article.blocks)
    assert missing_in_order(seed_words(seed_text), words(" ".join(text))) == []
    assert doc["meta"]["title"]  # the Title paragraph reads back as the title


NOTE_LINKS = {"https://example.org/statement": "بيان الوزارة",
              "https://example.org/report.pdf": "التقرير الكامل",
              "mailto:desk@example.org": "ملخصه"}


def test_a_footnotes_links_are_links_for_word_pandoc_and_the_importer(tmp_path):
    # A news note is mostly a source: its links were set as plain text.
    from pipeline.commands.docx_import import import_docx
    (a, b, c) = ((text, url) for url, text in NOTE_LINKS.items())
    source = write_source(tmp_path, "\nقالت الوزارة إن الأرقام نهائية.[^1] وأضافت أن التقرير "
                          "منشور.[^2]\n\n"
                          f"[^1]: المصدر: [{a[0]}]({a[1]}) الصادر صباحاً.\n\n"
                          f"[^2]: انظر [{b[0]}]({b[1]}) و[{c[0]}]({c[1]}).\n")
    [result] = build([source], tmp_path / "out", BuildSettings(formats=("docx",)))
    assert result.ok, result.error
    with zipfile.ZipFile(result.outputs["docx"]) as z:
        rels = etree.fromstring(z.read("word/_rels/footnotes.xml.rels"))
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    found = {targets[h.get(r_id)]: "".join(h.itertext()) for h in notes.iter(w + "hyperlink")}
    assert found == NOTE_LINKS
    markdown = subprocess.run([pandoc_path(), "-f", "docx", "-t", "markdown", "--wrap=none",
                               str(result.outputs["docx"])],
                              capture_output=True, text=True, check=True).stdout
    for url, text in NOTE_LINKS.items():
        assert f"[{text}]({url})" in markdown
    back = import_docx(result.outputs["docx"]).source
    for url, text in NOTE_LINKS.items():
        assert f"[{text}]({url})" in back.split("[^1]:", 1)[1]


CHART = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150">'
         '<rect x="20" y="40" width="60" height="110" fill="#c0392b"/>'
         '<rect x="120" y="80" width="60" height="70" fill="#2471a3"/>'
         '<text x="150" y="25" font-family="Amiri" font-size="20" text-anchor="middle">'
         'نسبة المشاركة</text></svg>')


def test_an_svg_drawing_is_a_picture_in_the_docx(tmp_path):
    # Word documents need a raster copy of a drawing: the DOCX had only its
    # alt text. It is now drawn as the PDF draws it, at twice its CSS size.
    from PIL import Image as PILImage
    result = build_with_drawing(tmp_path, CHART, ("docx",), alt="رسم بياني للمشاركة")
    document = docx.Document(str(result.outputs["docx"]))
    [picture] = [r.target_part for r in document.part.rels.values()
                 if r.reltype.endswith("/image")]
    with PILImage.open(io.BytesIO(picture.blob)) as image:
        assert picture.content_type == "image/png" and image.size == (600, 300)
        rgb = image.convert("RGB")
        assert rgb.getpixel((100, 200)) == (0xc0, 0x39, 0x2b)  # the first bar
        assert rgb.getpixel((300, 250)) == (0x24, 0x71, 0xa3)  # the second
        label = rgb.crop((150, 10, 450, 60))
        assert max(low for low, _ in label.getextrema()) < 100  # the label's dark ink
    body = etree.fromstring(zipfile.ZipFile(result.outputs["docx"]).read("word/document.xml"))
    [doc_pr] = body.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                         "wordprocessingDrawing}docPr")
    assert doc_pr.get("descr") == "رسم بياني للمشاركة"
    assert "[رسم بياني للمشاركة]" not in "".join(body.itertext())


# --- Word's schema order -----------------------------------------------------


def test_every_part_of_the_bundled_docx_is_in_schema_order(built):
    assert_schema_order(built["docx"])


def test_a_build_on_a_reference_is_in_schema_order(tmp_path):
    """A reference made by this tool, and one python-docx restyled (its own
    template's styles, a tab stop and a size for Latin text only)."""
    from pipeline.commands.editors import write_reference
    house = tmp_path / "house.docx"
    write_reference(house)
    assert_schema_order(house)
    edited = docx.Document(str(house))
    edited.styles["Normal"].font.size = docx.shared.Pt(12)
    edited.styles["Heading 1"].paragraph_format.tab_stops.add_tab_stop(docx.shared.Cm(2))
    edited.save(tmp_path / "edited.docx")
    for reference in (house, tmp_path / "edited.docx"):
        [r] = build([BUNDLED], tmp_path / reference.stem,
                    BuildSettings(formats=("docx",), reference_docx=reference))
        assert r.ok, r.error
        assert_schema_order(r.outputs["docx"])


def test_the_ordering_keeps_unknown_children_in_place():
    from pipeline.writers.docx.schema import in_schema_order, out_of_order
    ppr = etree.fromstring(
        f'<w:pPr xmlns:w="{W}" xmlns:x="urn:x"><w:spacing/><w:tabs/><x:ext/><w:bidi/>'
        '<w:pStyle w:val="a"/></w:pPr>')
    assert out_of_order(ppr)
    in_schema_order(ppr)
    assert [etree.QName(c).localname for c in ppr] == ["pStyle", "tabs", "ext", "bidi",
                                                        "spacing"]
    assert not out_of_order(ppr)


@pytest.mark.parametrize("tag", ["w:pPr", "w:rPr", "w:sectPr", "w:style",
                                 "w:tblPr", "w:tcPr"])
def test_the_schema_table_agrees_with_python_docx(tag):
    """Each child python-docx models (CT_PPr, CT_RPr, CT_SectPr…), added
    through its own inserters in reverse order, lands where python-docx's
    declared sequence puts it; the table must find that order right."""
    from docx.oxml import OxmlElement

    from pipeline.writers.docx.schema import out_of_order
    made = OxmlElement(tag)
    adders = sorted(a for a in dir(type(made)) if a.startswith("_add_") and a[5:6].islower())
    for name in reversed(adders):
        getattr(made, name)()
    assert len(made) >= 3, adders
    assert not out_of_order(made), [etree.QName(c).localname for c in made]
