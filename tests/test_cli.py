"""The command: outputs named after the source, one-line errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, write_source


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd,
                          capture_output=True, text=True)


def test_build_writes_three_outputs_named_after_the_source(tmp_path):
    src = write_source(tmp_path, "## قسم\n\nنص المقال.\n", name="my-story.md")
    result = run("build", str(src), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "my-story.docx", "my-story.epub", "my-story.pdf"]


def test_format_selection(tmp_path):
    src = write_source(tmp_path, "نص.\n")
    result = run("build", str(src), "-o", str(tmp_path), "--format", "docx,epub")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "article.pdf").exists()
    assert (tmp_path / "article.docx").exists() and (tmp_path / "article.epub").exists()


def test_broken_front_matter_is_one_line_with_file_and_line(tmp_path):
    src = write_source(tmp_path, "نص\n", front='title: "t"\nkeywords: [a, b')
    out = tmp_path / "out"
    result = run("build", str(src), "-o", str(out))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{src}:3:") and ": error: " in first
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(p for p in out.iterdir() if not p.name.startswith("."))


def test_one_bad_article_does_not_stop_the_batch(tmp_path):
    good = write_source(tmp_path, "نص.\n", name="good.md")
    bad = write_source(tmp_path, "نص.\n", front="titel: x", name="bad.md")
    result = run("build", str(bad), str(good), "-o", str(tmp_path / "out"), "-f", "epub")
    assert result.returncode == 1
    assert (tmp_path / "out" / "good.epub").exists()
    assert "1 built, 1 failed" in result.stderr
    assert f"{bad}:2:1: error: unknown front matter key 'titel' — did you mean 'title'?" \
        in result.stderr


def test_misuse_exits_2():
    result = run("build", "--format", "odt")
    assert result.returncode == 2
    assert "setting 'formats' must be some of pdf, docx, epub, html, not 'odt'" in result.stderr


def test_missing_source_is_an_error_not_a_traceback(tmp_path):
    result = run("build", str(tmp_path / "nope.md"), "-o", str(tmp_path))
    assert result.returncode == 1
    assert "cannot read the source" in result.stderr and "Traceback" not in result.stderr


def test_help_does_not_import_weasyprint():
    code = ("import sys\nfrom pipeline.commands.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().endswith("False")


def test_python_api(tmp_path):
    from pipeline import build
    src = write_source(tmp_path, "نص.\n")
    [result] = build([src], tmp_path / "out")
    assert result.ok and set(result.outputs) == {"pdf", "docx", "epub"}


def test_metadata_overrides_replace_front_matter_values(tmp_path):
    import pikepdf
    src = write_source(tmp_path, "نص.\n", front='title: "قديم"')
    result = run("build", str(src), "-o", str(tmp_path / "out"), "-f", "pdf",
                 "-M", "title=جديد", "-M", "author=سارة")
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "out" / "article.pdf") as pdf:
        assert str(pdf.docinfo.Title) == "جديد" and str(pdf.docinfo.Author) == "سارة"
    bad = run("build", str(src), "-o", str(tmp_path / "out"), "-M", "titel=x")
    assert bad.returncode == 1
    assert "--metadata: unknown front matter key 'titel' — did you mean 'title'?" in bad.stderr
