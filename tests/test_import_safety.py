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
