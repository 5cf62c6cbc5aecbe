"""An edited DOCX brought back plants nothing and loses nothing: pictures are
checked images under image names of the article's own, every word the document
holds is in the source or in a warning, comments keep lists whole."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.commands.cli import main
from pipeline.commands.docx_import import import_docx
from pipeline.reader import read_article

from conftest import FIXTURES

NEWS = FIXTURES / "news"


def _built_docx(folder: Path, source: str, name: str = "article.md") -> Path:
    """``source`` (beside the news fixtures' pictures) built as a DOCX."""
    folder.mkdir(parents=True, exist_ok=True)
    for picture in NEWS.glob("*.png"):
        shutil.copy(picture, folder / picture.name)
    (folder / name).write_text(source, encoding="utf-8")
    [result] = build([folder / name], folder / "out",
                     BuildSettings(formats=("docx",), force=True))
    assert result.ok, result.error
    return result.outputs["docx"]


def _rewritten(docx: Path, target: Path, **replace: tuple[bytes, bytes]) -> Path:
    """``docx`` with bytes replaced in its members (member → (old, new))."""
    with zipfile.ZipFile(docx) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    for member, (old, new) in replace.items():
        assert old in entries[member], (member, old)
        entries[member] = entries[member].replace(old, new)
    with zipfile.ZipFile(target, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return target


FIGURE = ("---\ntitle: صورة\n---\n\nنص.\n\n"
          "![مركز اقتراع](polling-station.png \"تعليق\")\n\nنص بعدها.\n")


def _media(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        [name] = [n for n in z.namelist() if n.startswith("word/media/")]
    return name


@pytest.mark.parametrize("planted", ["pipeline.toml", "tpl/article.html.j2", "planted.md",
                                     ".hidden.png", "tpl/.env"])
def test_a_picture_named_as_a_file_the_build_reads_is_written_as_an_image(planted, tmp_path):
    docx = _built_docx(tmp_path / "a", FIGURE)
    media = _media(docx)
    hostile = _rewritten(docx, tmp_path / "hostile.docx", **{
        "word/document.xml": (b'name="polling-station.png"', f'name="{planted}"'.encode())})
    content = tmp_path / "content"
    assert main(["import", str(hostile), "-o", str(content / "story.md")]) == 0
    written = sorted(p.relative_to(content).as_posix() for p in content.rglob("*"))
    assert written == ["story-1.png", "story.md"], written
    assert media.endswith(".png")


def test_bytes_that_are_no_image_are_never_written_whatever_their_names(tmp_path, capsys):
    docx = _built_docx(tmp_path / "a", FIGURE)
    media = _media(docx)
    planted = b'[pdf]\npaper = "a5"\n'
    with zipfile.ZipFile(docx) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    entries[media] = planted
    entries["word/document.xml"] = entries["word/document.xml"].replace(
        b'name="polling-station.png"', b'name="pipeline.toml"')
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(hostile, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    content = tmp_path / "content"
    assert main(["import", str(hostile), "-o", str(content / "story.md"), "--force"]) == 0
    assert sorted(p.name for p in content.iterdir()) == ["story.md"]
    assert "is not a PNG, JPEG, GIF or WebP image: left out" in capsys.readouterr().err
    assert "نص بعدها" in (content / "story.md").read_text(encoding="utf-8")


def test_words_first_picture_name_is_the_articles_own_and_never_replaces_anothers(tmp_path,
                                                                                   capsys):
    docx = _built_docx(tmp_path / "a", FIGURE)
    word_like = _rewritten(docx, tmp_path / "b.docx", **{
        "word/document.xml": (b'name="polling-station.png"', b'name="Picture 1"')})
    content = tmp_path / "content"
    content.mkdir()
    other = b"\x89PNG another article's picture"
    (content / "a.md").write_text("---\ntitle: أ\n---\n\n![أ](Picture%201.png)\n",
                                  encoding="utf-8")
    (content / "Picture 1.png").write_bytes(other)
    assert main(["import", str(word_like), "-o", str(content / "b.md"), "--force"]) == 0
    assert (content / "Picture 1.png").read_bytes() == other
    assert "](b-1.png" in (content / "b.md").read_text(encoding="utf-8")
    # a name of the document's own that another article uses: refused, naming it
    (content / "polling-station.png").write_bytes(other)
    (content / "c.md").write_text("---\ntitle: ج\n---\n\n![ج](polling-station.png)\n",
                                  encoding="utf-8")
    assert main(["import", str(docx), "-o", str(content / "d.md"), "--force"]) != 0
    assert "c.md" in capsys.readouterr().err
    assert (content / "polling-station.png").read_bytes() == other
    assert not (content / "d.md").exists()


def test_an_articles_own_picture_name_comes_back_as_written(tmp_path):
    docx = _built_docx(tmp_path / "a", FIGURE)
    imported = import_docx(docx)
    assert list(imported.images) == ["polling-station.png"]
    assert read_article(imported.source)[0].blocks == read_article(FIGURE)[0].blocks


# --- every word kept, or warned -----------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LOSSY = ("---\ntitle: نص\n---\n\nفقرة أولى فيها كلمة.\n\n| عمود | رقم |\n|---|---|\n"
         "| خلية | 1 |\n\nفقرة فيها حاشية[^1].\n\n[^1]: نص الحاشية.\n")


def _xml(fragment: str):
    from lxml import etree
    return etree.fromstring(
        f'<w:wrap xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'{fragment}</w:wrap>')[0]


def _run(text: str) -> str:
    return f"<w:r><w:t>{text}</w:t></w:r>"


def _first_paragraph(body):
    return next(p for p in body.iter(f"{{{W}}}p") if "أولى" in "".join(p.itertext()))


def _add_to_paragraph(fragment):
    return lambda body: _first_paragraph(body).append(_xml(fragment))


def _nested_table(body):
    cell = next(body.iter(f"{{{W}}}tc"))
    cell.append(_xml(f"<w:tbl><w:tr><w:tc><w:p>{_run('متداخل')}</w:p></w:tc></w:tr></w:tbl>"))
    cell.append(_xml("<w:p/>"))  # a cell ends with a paragraph


def _alt_chunk(body):
    body.insert(0, _xml('<w:altChunk r:id="rId999"/>'))


def _missing_note(body):
    next(body.iter(f"{{{W}}}footnoteReference")).set(f"{{{W}}}id", "999")


LOSSES = {
    "a nested table": (_nested_table, "متداخل", "a table inside a table cell"),
    "a text box": (_add_to_paragraph(
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p>" + _run("صندوق")
        + "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"),
        None, "'صندوق'"),
    "w:dir": (_add_to_paragraph(f'<w:dir w:val="rtl">{_run("اتجاه")}</w:dir>'), "اتجاه", None),
    "w:bdo": (_add_to_paragraph(f'<w:bdo w:val="ltr">{_run("معكوس")}</w:bdo>'), "معكوس", None),
    "an equation": (_add_to_paragraph("<m:oMath><m:r><m:t>x=42</m:t></m:r></m:oMath>"),
                    "x=42", "an equation is kept as its text"),
    "ruby": (_add_to_paragraph(
        "<w:r><w:ruby><w:rubyPr/><w:rt>" + _run("قراءة") + "</w:rt><w:rubyBase>"
        + _run("أساس") + "</w:rubyBase></w:ruby></w:r>"), "أساس", "قراءة"),
    "altChunk": (_alt_chunk, None, "embeds another document (altChunk)"),
    "a call to a missing note": (_missing_note, None, "note '999', which the document does "
                                                      "not hold"),
}


@pytest.mark.parametrize("case", LOSSES)
def test_text_the_importer_cannot_read_is_kept_or_warned(case, tmp_path):
    import docx
    change, kept, warned = LOSSES[case]
    built = _built_docx(tmp_path / "a", LOSSY)
    document = docx.Document(str(built))
    change(document.element.body)
    document.save(str(tmp_path / "edited.docx"))
    imported = import_docx(tmp_path / "edited.docx")
    messages = " / ".join(w.message for w in imported.warnings)
    if kept:
        assert kept in imported.source.replace("\\", "")
    if warned:
        assert warned in messages
    else:
        assert not imported.warnings, messages
    read_article(imported.source)  # and the source reads


@pytest.mark.parametrize("name", ["election-results.md", "desk-report.md", "wire-story.md"])
def test_an_unedited_round_trip_warns_of_nothing(name, tmp_path):
    source = (NEWS / name).read_text(encoding="utf-8")
    imported = import_docx(_built_docx(tmp_path, source, name))
    assert not imported.warnings, [w.message for w in imported.warnings]


def test_the_bundled_article_round_trip_warns_of_nothing(tmp_path):
    from conftest import BUNDLED
    [result] = build([BUNDLED], tmp_path, BuildSettings(formats=("docx",), force=True))
    imported = import_docx(result.outputs["docx"])
    assert not imported.warnings, [w.message for w in imported.warnings]


def test_a_comment_kept_on_a_list_item_leaves_the_list_whole(tmp_path):
    import docx
    source = ("---\ntitle: قائمة\n---\n\nمقدمة.\n\n1. أول\n2. ثان\n3. ثالث\n4. رابع\n\n"
              "- نقطة أ\n- نقطة ب\n- نقطة ج\n")
    document = docx.Document(str(_built_docx(tmp_path / "a", source)))
    for word in ("ثان", "نقطة ب"):
        item = next(p for p in document.paragraphs if p.text == word)
        document.add_comment(item.runs[:1], text=f"راجع {word}", author="محرر")
    document.save(str(tmp_path / "commented.docx"))
    imported = import_docx(tmp_path / "commented.docx", keep_comments=True)
    assert imported.source.count("<!-- comment by محرر") == 2
    assert read_article(imported.source)[0].blocks == read_article(source)[0].blocks


def test_the_plain_text_import_keeps_an_entity_written_as_text():
    from pipeline.commands.importer import import_text
    from pipeline.transforms import article_text
    text = "العنوان\n\nكتب المحرر &copy; و&#169; و&amp; حرفيًا، وAT&T كما هي.\n"
    source, _ = import_text(text)
    assert "&copy; و&#169; و&amp;" in article_text(read_article(source)[0])


def test_an_entity_written_as_text_in_the_docx_comes_back_as_text(tmp_path):
    import docx
    document = docx.Document(str(_built_docx(tmp_path / "a", LOSSY)))
    paragraph = next(p for p in document.paragraphs if "أولى" in p.text)
    paragraph.add_run(" &copy; &#169;")
    document.save(str(tmp_path / "entity.docx"))
    from pipeline.transforms import article_text
    back = read_article(import_docx(tmp_path / "entity.docx").source)[0]
    assert "&copy; &#169;" in article_text(back)


def test_the_plain_text_import_writes_through_the_markdown_writer():
    from pipeline.commands.importer import import_text
    from pipeline.writers.markdown import write
    text = ("C++ [تقنية] _خاص_\nMeta: وصف\n1. سطر يبدأ برقم وينتهي بنقطة.\n"
            "::: سطر يبدأ بثلاث نقاط رأسية وفيه {أقواس} و<وسم> و|عمود|.\n"
            "- **مصطلح**: شرح فيه نجمة * وشرطة مائلة \\ حرفيًا.\n"
            "الأسئلة الشائعة\nسؤال يبدأ بـ # ؟\n# جواب يبدأ بعلامة عنوان.\n")
    source, report = import_text(text)
    article = read_article(source)[0]
    assert write(article) == source
    assert article.meta.title == "C++ [تقنية] _خاص_" and report.faq_entries == 1


def test_a_comment_kept_on_a_faq_question_is_written_after_the_faq(tmp_path):
    import docx
    source = ("---\ntitle: أسئلة\n---\n\nمقدمة.\n\n::: faq\n### ما الخبر؟\n\nجواب.\n:::\n\n"
              "خاتمة.\n")
    document = docx.Document(str(_built_docx(tmp_path / "a", source)))
    question = next(p for p in document.paragraphs if p.text == "ما الخبر؟")
    document.add_comment(question.runs[:1], text="وضّح السؤال", author="محرر")
    document.save(str(tmp_path / "commented.docx"))
    imported = import_docx(tmp_path / "commented.docx", keep_comments=True)
    assert "وضّح السؤال -->" in imported.source.split(":::")[-1].split("خاتمة")[0]
    assert read_article(imported.source)[0].blocks == read_article(source)[0].blocks


def test_a_typed_front_matter_that_carries_text_after_it_is_not_written(tmp_path):
    """The DOCX's copy of the front matter as typed is content too: one that
    says more than the document (text after its closing ---) is not used."""
    import json
    import zipfile
    from pipeline.building.builder import BuildSettings, build
    from pipeline.commands.docx_import import import_docx
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: \"عنوان\"\n---\n\nنص المقال.\n", encoding="utf-8")
    [result] = build([source], tmp_path / "out", BuildSettings(formats=("docx",)))
    planted = tmp_path / "planted.docx"
    with zipfile.ZipFile(result.outputs["docx"]) as old, zipfile.ZipFile(planted, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "docProps/custom.xml":
                typed = json.dumps({"front_matter": "---\ntitle: \"عنوان\"\n---\nنص مزروع\n",
                                    "note_labels": []}, ensure_ascii=False)
                data = data.decode().replace(
                    data.decode().split('name="pipeline.source"')[1].split("<vt:lpwstr>")[1]
                    .split("</vt:lpwstr>")[0], typed.replace("&", "&amp;").replace("<", "&lt;"))
                data = data.encode()
            new.writestr(item, data)
    back = import_docx(planted).source
    assert "مزروع" not in back and back.startswith('---\ntitle: عنوان\n---\n')


def test_a_picture_named_as_the_next_generic_name_does_not_swallow_the_next_picture(tmp_path):
    """A first picture named "h2-2.png" and a second Word calls "Picture 2":
    the second's own name was the first's, and the first was lost."""
    import io

    import docx
    from docx.shared import Mm
    from PIL import Image
    pictures = []
    for colour in ((255, 0, 0), (0, 0, 255)):
        data = io.BytesIO()
        Image.new("RGB", (20, 20), colour).save(data, "PNG")
        pictures.append(data.getvalue())
    document = docx.Document()
    document.add_paragraph("عنوان", style="Title")
    for data in pictures:
        document.add_paragraph().add_run().add_picture(io.BytesIO(data), width=Mm(20))
    names = document.element.body.xpath(".//wp:docPr")
    names[0].set("name", "h2-2.png")
    names[1].set("name", "Picture 2")
    path = tmp_path / "h2.docx"
    document.save(str(path))
    imported = import_docx(path)
    written = {name: Image.open(io.BytesIO(data)).getpixel((5, 5))
               for name, data in imported.images.items()}
    assert sorted(written.values()) == [(0, 0, 255), (255, 0, 0)], written
    assert len(set(written)) == 2
