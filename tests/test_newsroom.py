"""The tool as a newsroom uses it: import, check, watch, settings, house
templates, the web page, progress."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from pipeline.building.builder import BuildSettings, build, load_article
from pipeline.model import BulletList, Faq, Heading

from conftest import BUNDLED, ROOT, SEED, pdftotext, require_tool, write_source
from judges import docx_text, epub_text
from words import missing_in_order, seed_words, words


def run(*args, cwd=ROOT, **kw):
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, **kw)


# --- import --------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    if not SEED.is_file():
        pytest.skip(f"the seed article is not at {SEED}")
    folder = tmp_path_factory.mktemp("imported")
    result = run("import", SEED, "-o", folder / "seed.md")
    assert result.returncode == 0, result.stderr
    return folder / "seed.md", result.stdout


def test_import_reports_what_it_guessed(imported):
    _, stdout = imported
    assert "14 headings" in stdout and "16 list items (16 with a lead term)" in stdout
    assert "4 FAQ entries" in stdout


def test_import_gives_the_bundled_structure(imported):
    path, _ = imported
    ours, bundled = load_article(path), load_article(BUNDLED)
    assert ours.meta.title == bundled.meta.title
    assert ours.meta.description == bundled.meta.description
    assert ours.blocks == bundled.blocks


def test_import_then_build_keeps_every_word_and_the_structure(imported, seed_text, tmp_path):
    path, _ = imported
    [r] = build([path], tmp_path)
    assert r.ok, r.error
    expected = seed_words(seed_text)
    assert missing_in_order(expected, words(pdftotext(r.outputs["pdf"]))) == []
    assert missing_in_order(expected, words(docx_text(r.outputs["docx"]))) == []
    assert missing_in_order(expected, words(epub_text(r.outputs["epub"]))) == []
    article = load_article(path)
    assert sum(isinstance(b, Heading) for b in article.blocks) == 14
    assert sum(1 for b in article.blocks if isinstance(b, BulletList)
               for i in b.items if i.lead) == 16
    assert sum(len(b.entries) for b in article.blocks if isinstance(b, Faq)) == 4


def test_import_escapes_what_markdown_would_eat_and_refuses_to_overwrite(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("عنوان\nفقرة فيها *نجمة* و[قوس] و<وسم> وكلمات كثيرة بما يكفي لتكون فقرة.\n"
                    "1. جملة تبدأ برقم ولها كلمات كثيرة بما يكفي لتكون فقرة طويلة.\n",
                    encoding="utf-8")
    out = tmp_path / "a.md"
    assert run("import", text, "-o", out).returncode == 0
    article = load_article(out)
    from pipeline.transforms import article_text
    assert "*نجمة*" in article_text(article) and "1. جملة" in article_text(article)
    again = run("import", text, "-o", out)
    assert again.returncode == 1 and "exists" in again.stderr


# --- settings ------------------------------------------------------------------


def test_settings_precedence_and_config(tmp_path):
    (tmp_path / "content").mkdir()
    write_source(tmp_path / "content", "نص.\n")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\npaper = "a5"\nformats = ["pdf"]\noutdir = "press"\n')
    config = run("config", cwd=tmp_path)
    assert config.returncode == 0
    assert [ln.split()[-1] for ln in config.stdout.splitlines() if ln.startswith("paper")] == \
        ["[tool.pipeline]"]
    (tmp_path / "content" / "pipeline.toml").write_text('paper = "letter"\n')
    config = run("config", cwd=tmp_path)
    paper = next(ln for ln in config.stdout.splitlines() if ln.startswith("paper"))
    assert "letter" in paper and "content/pipeline.toml" in paper
    result = run("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    import pikepdf
    with pikepdf.open(tmp_path / "press" / "article.pdf") as pdf:
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(612, abs=0.5)  # letter
    result = run("build", "--paper", "a4", "--force", cwd=tmp_path)
    with pikepdf.open(tmp_path / "press" / "article.pdf") as pdf:
        assert float(pdf.pages[0].MediaBox[2]) == pytest.approx(595.3, abs=0.5)  # a4
    assert not (tmp_path / "press" / "article.docx").exists()  # formats from pyproject


def test_unknown_setting_is_refused_with_a_suggestion(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\npaperr = "a5"\n')
    result = run("config", cwd=tmp_path)
    assert result.returncode == 1 and "did you mean 'paper'" in result.stderr


# --- house templates -----------------------------------------------------------


def test_template_dir_overrides_by_name(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    page = (ROOT / "templates" / "article.html.j2").read_text(encoding="utf-8")
    (theme / "article.html.j2").write_text(
        page.replace("<article>", "<article><p>HOUSE STYLE</p>"), encoding="utf-8")
    (theme / "epub.css").write_text("p { color: #123456; }\n")
    src = write_source(tmp_path, "نص.\n")
    [r] = build([src], tmp_path / "out", BuildSettings(formats=("pdf", "epub"),
                                                       template_dirs=(theme,)))
    assert r.ok, r.error
    assert "HOUSE STYLE" in pdftotext(r.outputs["pdf"])
    with zipfile.ZipFile(r.outputs["epub"]) as z:
        assert b"#123456" in z.read("EPUB/styles/article.css")


# --- the web page --------------------------------------------------------------


def test_html_page_with_woff2_fonts_opens_rtl_in_chromium(tmp_path):
    [r] = build([BUNDLED], tmp_path, BuildSettings(formats=("html",)))
    assert r.ok, r.error
    page = r.outputs["html"]
    assets = tmp_path / f"{page.stem}_files"
    fonts = sorted(p.name for p in assets.glob("*.woff2"))
    assert fonts == ["Amiri-Bold.woff2", "Amiri-Regular.woff2"]
    assert all((assets / f).read_bytes()[:4] == b"wOF2" for f in fonts)
    chromium = require_tool("chromium", "apt-get install chromium")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert '<html lang="ar" dir="rtl">' in dom
    assert "لقاء نتنياهو وبلينكن" in dom
    shot = tmp_path / "page.png"
    subprocess.run([chromium, *flags, "--hide-scrollbars", "--window-size=900,1300",
                    f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 50_000  # a page of text, not a blank screen


# --- progress ------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_batch_on_a_terminal_gets_a_progress_bar_and_a_summary_table(tmp_path):
    from pipeline.building.progress import Reporter
    sources = [write_source(tmp_path, "نص.\n", name=f"a{i}.md") for i in range(3)]
    bad = write_source(tmp_path, "نص.\n", front="titel: x", name="bad.md")
    screen = _Terminal()
    reporter = Reporter(stream=screen)
    results = reporter.run(lambda on_result: build(
        [*sources, bad], tmp_path / "out", BuildSettings(formats=("epub",)),
        on_result=on_result), sources=[*sources, bad])
    shown = screen.getvalue()
    assert sum(r.ok for r in results) == 3
    assert "pipeline build" in shown and "built" in shown and "failed" in shown
    assert f"{bad}:2:1: error: unknown front matter key 'titel'" in shown
    assert "3 built, 1 failed" in shown
