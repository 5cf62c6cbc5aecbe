"""The DOCX against the PDF, as Word's model says and as LibreOffice sets it:
the page's margins, the alignment of each kind of paragraph, a house
reference's sizes."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from pipeline.building.builder import BuildSettings, build

from conftest import BUNDLED, require, require_tool

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def _part(path: Path, name: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    """``docx_path`` set by LibreOffice, as a PDF in ``folder``."""
    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
                   capture_output=True, check=True, timeout=180)
    return folder / (docx_path.stem + ".pdf")


def _pymupdf():
    try:
        import pymupdf
    except ImportError:
        require("pymupdf", False, "pip install pymupdf")
    return pymupdf


def text_block_margins(pdf: Path, pages: int = 3) -> list[tuple[float, float]]:
    """(left, right) margin of each page's text block, in points."""
    document = _pymupdf().open(pdf)
    found = []
    for page in list(document)[:pages]:
        blocks = [b for b in page.get_text("blocks") if b[4].strip()]
        left = min(b[0] for b in blocks)
        right = page.rect.width - max(b[2] for b in blocks)
        found.append((left, right))
    return found


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pages")
    [r] = build([BUNDLED], out, BuildSettings(formats=("pdf", "docx")))
    assert r.ok, r.error
    return {**r.outputs, "libreoffice": libreoffice_pdf(r.outputs["docx"], out / "lo")}


# --- pages -------------------------------------------------------------------


def test_word_is_told_the_binding_is_on_the_right(bundled):
    sect_pr = _part(bundled["docx"], "word/document.xml").find(".//w:body/w:sectPr", NS)
    assert sect_pr.find("w:bidi", NS) is not None
    assert sect_pr.find("w:rtlGutter", NS) is not None
    assert _part(bundled["docx"], "word/settings.xml").find("w:mirrorMargins", NS) is not None
    margins = sect_pr.find("w:pgMar", NS)
    # page 1's left margin is the outer one, the wider
    assert int(margins.get(f"{{{W}}}left")) > int(margins.get(f"{{{W}}}right"))


def test_libreoffice_sets_page_one_wide_margin_on_the_pdfs_side(bundled):
    ours = text_block_margins(bundled["pdf"])
    theirs = text_block_margins(bundled["libreoffice"])
    for page, ((left, right), (lo_left, lo_right)) in enumerate(zip(ours, theirs), 1):
        assert (left > right) == (lo_left > lo_right), (page, ours, theirs)
        assert abs(left - lo_left) < 3 and abs(right - lo_right) < 3, (page, ours, theirs)


# --- alignment ---------------------------------------------------------------


def _jc(styles, style_id: str) -> str | None:
    jc = styles.find(f"w:style[@w:styleId='{style_id}']/w:pPr/w:jc", NS)
    return jc.get(f"{{{W}}}val") if jc is not None else None


def test_front_matter_captions_and_cells_start_the_body_justified(bundled):
    styles = _part(bundled["docx"], "word/styles.xml")
    for style in ("Title", "Subtitle", "Kicker", "Byline", "Heading1", "Heading2",
                  "Caption", "Credit", "TableText"):
        assert _jc(styles, style) == "start", style
    # both, not lowKashida/mediumKashida/highKashida: LibreOffice 7.4 sets a
    # paragraph with those ragged (14 distinct line starts of 17 on page 2)
    assert _jc(styles, "Normal") == "both"


def test_libreoffice_justifies_the_body(bundled):
    page = _pymupdf().open(bundled["libreoffice"])[1]
    lines = [line["bbox"] for block in page.get_text("dict")["blocks"]
             for line in block.get("lines", []) if line["bbox"][2] - line["bbox"][0] > 150]
    lefts = [round(b[0]) for b in lines]
    common = max(set(lefts), key=lefts.count)
    # every full line but the paragraphs' last ones ends at the same left edge
    assert lefts.count(common) >= len(lefts) // 2, lefts


# --- house references --------------------------------------------------------


def test_a_house_reference_resized_through_python_docx_sets_arabic_at_that_size(tmp_path):
    from pipeline.commands.editors import write_reference
    house = tmp_path / "house.docx"
    write_reference(house)
    edited = docx.Document(str(house))
    edited.styles["Normal"].font.size = docx.shared.Pt(12)  # w:sz only: w:szCs stays 14
    edited.save(house)
    [r] = build([BUNDLED], tmp_path / "out",
                BuildSettings(formats=("docx",), reference_docx=house))
    assert r.ok, r.error
    lines = [w.message for w in r.warnings if "size" in w.message]
    assert lines == ["reference DOCX: style 'Normal': size 12 pt was set for Latin text, "
                     "14 pt for Arabic: Arabic text takes 12 pt"], lines
    normal = _part(r.outputs["docx"], "word/styles.xml").find(
        "w:style[@w:styleId='Normal']/w:rPr", NS)
    assert normal.find("w:szCs", NS).get(f"{{{W}}}val") == "24"
    pdf = libreoffice_pdf(r.outputs["docx"], tmp_path / "lo")
    sizes: dict[float, int] = {}
    for page in _pymupdf().open(pdf):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if any("\u0600" <= ch <= "\u06ff" for ch in span["text"]):
                        size = round(span["size"], 1)
                        sizes[size] = sizes.get(size, 0) + len(span["text"])
    assert max(sizes, key=sizes.get) == 12.0, sizes


def test_each_mended_style_of_a_word_reference_is_one_warning_line(tmp_path):
    house = docx.Document()  # Word's template: theme fonts, sizes for both scripts
    house.styles["Heading 1"].font.size = docx.shared.Pt(20)  # w:sz alone changes
    house.save(tmp_path / "house.docx")
    [r] = build([BUNDLED], tmp_path / "out",
                BuildSettings(formats=("docx",), reference_docx=tmp_path / "house.docx"))
    assert r.ok, r.error
    lines = [w.message for w in r.warnings if "style 'Heading 1'" in w.message]
    assert len(lines) == 1, lines
    assert "size 20 pt was set for Latin text, 14 pt for Arabic: Arabic text takes 20 pt" \
        in lines[0] and "theme fonts have no Arabic" in lines[0], lines
    heading = _part(r.outputs["docx"], "word/styles.xml").find(
        "w:style[@w:styleId='Heading1']/w:rPr", NS)
    assert heading.find("w:szCs", NS).get(f"{{{W}}}val") == "40"


def test_a_build_on_a_reference_libreoffice_saved_is_in_schema_order(bundled, tmp_path):
    """LibreOffice writes its own styles part (its order, its extensions):
    the output mends it into Word's order."""
    from schema_order import assert_schema_order
    soffice = require_tool("soffice", "apt-get install libreoffice-writer-nogui")
    folder = tmp_path / "resaved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder),
                    str(bundled["docx"])], capture_output=True, check=True, timeout=180)
    reference = folder / bundled["docx"].name
    [r] = build([BUNDLED], tmp_path / "out",
                BuildSettings(formats=("docx",), reference_docx=reference))
    assert r.ok, r.error
    assert_schema_order(r.outputs["docx"])
