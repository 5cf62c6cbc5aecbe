"""Installed as users install it: a wheel that holds every package, a version
the command and the service report, WeasyPrint started from prebuilt C
declarations (and from its own when they do not fit), and only the shipped
fonts in any PDF."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, build_with_drawing, require_tool, write_source

import pipeline
from pipeline.building.builder import BuildSettings, build


def test_the_wheel_holds_every_package_and_the_shipped_files(tmp_path):
    """setuptools finds the packages: a new folder of pipeline/ cannot be left
    out of a wheel (pip install . once failed on pipeline.commands)."""
    made = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-2000:]
    [wheel] = tmp_path.glob("arabic_press_pipeline-*.whl")
    assert wheel.name.startswith(f"arabic_press_pipeline-{pipeline.__version__}-")
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "pipeline").rglob("__init__.py")
                if "__pycache__" not in p.parts}
    assert len(packages) >= 7
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    for shipped in ("fonts/Amiri-Regular.ttf", "fonts/OFL-Amiri.txt",
                    "templates/print.css.j2", "templates/epub/nav.xhtml.j2"):
        assert f"pipeline/_data/{shipped}" in names, shipped
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "Name: arabic-press-pipeline" in zipfile.ZipFile(wheel).read(metadata).decode()


def test_version_is_told_by_the_command_its_help_and_the_service():
    shown = subprocess.run([sys.executable, "-m", "pipeline", "--version"],
                           capture_output=True, text=True, cwd=ROOT)
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"pipeline (arabic-press-pipeline) {pipeline.__version__}"
    helped = subprocess.run([sys.executable, "-m", "pipeline", "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    assert pipeline.__version__ in helped.stdout and "--version" in helped.stdout
    pytest.importorskip("fastapi")
    from pipeline.service import create_app
    assert create_app().openapi()["info"]["version"] == pipeline.__version__


_LOAD = ("import sys; from pipeline.compat.weasyprint_setup import load; "
         "print(load()); print('weasyprint.text.ffi' in sys.modules)")


def test_weasyprint_starts_from_the_cached_declarations_and_falls_back(tmp_path):
    """First use writes the out-of-line module into the cache, later ones load
    it; a module whose declarations are not WeasyPrint's is not used."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    run = lambda **extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", _LOAD], capture_output=True, text=True, cwd=ROOT,
        env={**env, **extra}).stdout.split()
    assert run() == ["built", "True"]
    [module] = tmp_path.glob("pipeline/weasyprint-ffi/*/_pipeline_weasyprint_ffi.py")
    assert run() == ["prebuilt", "True"]
    assert run(PIPELINE_WEASYPRINT_FFI="own") == ["own", "True"]
    # a module built from other declarations than the ones WeasyPrint passes
    # to cdef: WeasyPrint parses its own, and nothing half-imported is left
    other = ("import sys; import pipeline.compat.weasyprint_setup as s; "
             "real = s.declarations_of; "
             "s.declarations_of = lambda source: real(source) + 'typedef int other_t;'; "
             + _LOAD.split("; ", 1)[1])
    done = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True,
                          cwd=ROOT, env=env)
    assert done.stdout.split() == ["own", "True"], done.stderr[-2000:]
    # the module that did not fit is removed; the one that fits stays
    assert list(tmp_path.glob("pipeline/weasyprint-ffi/*/*.py")) == [module]


def test_both_ways_of_starting_weasyprint_make_the_same_pdf(tmp_path):
    source = ROOT / "content" / "netanyahu-blinken-jerusalem.md"
    outputs = []
    for how in ("own", "prebuilt"):
        out = tmp_path / how
        env = {**os.environ, "PIPELINE_WEASYPRINT_FFI": how, "SOURCE_DATE_EPOCH": "1718064000"}
        done = subprocess.run([sys.executable, "-m", "pipeline", "build", str(source), "-o",
                               str(out), "-f", "pdf", "-q"], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs.append((out / f"{source.stem}.pdf").read_bytes())
    assert outputs[0] == outputs[1]


_NINE_SCRIPTS = ("فقرة فيها ქართული ენა و עברית ו Ελληνικά و Русский язык و Հայերեն "
                 "و हिन्दी و ไทย و 日本語 و 한국어 كلها.\n")


def test_an_article_in_nine_scripts_embeds_only_the_shipped_fonts(tmp_path):
    """fontconfig falls back to the system's fonts (DejaVu Sans, which CI keeps
    installed to prove this) for letters no shipped font has; the PDF's font
    configuration knows the shipped fonts alone. One warning a run."""
    pdffonts = require_tool("pdffonts", "apt-get install poppler-utils")
    source = write_source(tmp_path, "\n" + _NINE_SCRIPTS)
    [result] = build([source], tmp_path / "out", BuildSettings(formats=("pdf",)))
    assert result.ok, result.error
    listed = subprocess.run([pdffonts, str(result.outputs["pdf"])], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    families = {line.split()[0].split("+")[-1] for line in listed}
    assert families and families <= {"Amiri", "Amiri-Bold", "NotoEmoji-Regular"}, families
    missing = [w for w in result.warnings if "no shipped font" in w.message]
    assert [w.message.split(": ", 1)[0] for w in missing] == [
        f"no shipped font has {script}" for script in (
            "Georgian", "Hebrew", "Greek", "Cyrillic", "Armenian", "Devanagari", "Thai",
            "CJK", "Hangul")]
    assert missing[0].message == "no shipped font has Georgian: ქართული ენა"
    assert (missing[0].line, missing[0].column) == (5, 11)


def test_svg_text_without_a_font_family_is_set_in_the_shipped_fonts(tmp_path):
    pdffonts = require_tool("pdffonts", "apt-get install poppler-utils")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" width="300"'
           ' height="150"><text x="150" y="40">نسبة المشاركة</text>'
           '<text x="10" y="90" font-family="monospace">Turnout 58%</text>'
           '<text x="10" y="130" font-family="sans-serif">ქართული</text></svg>')
    result = build_with_drawing(tmp_path, svg, ("pdf",))
    listed = subprocess.run([pdffonts, str(result.outputs["pdf"])], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    families = {line.split()[0].split("+")[-1] for line in listed}
    assert families and families <= {"Amiri", "Amiri-Bold", "NotoEmoji-Regular"}, families


def test_a_damaged_cache_is_written_again_and_an_unwritable_one_is_done_without(tmp_path):
    """A cached module cut short or with a changed byte (cffi reads its type
    table unchecked) is written again, not loaded; a cache path that is a
    file leaves WeasyPrint to parse its own, and the private font
    configuration goes to a temporary folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    check = ("from pipeline.compat.weasyprint_setup import load, shipped_font_configuration; "
             "print(load()); shipped_font_configuration('Amiri'); print('fonts')")
    run = lambda environment: subprocess.run(  # noqa: E731
        [sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT,
        env=environment)
    assert run(env).stdout.split() == ["built", "fonts"]
    [module] = (tmp_path / "cache").glob("pipeline/weasyprint-ffi/*/*.py")
    module.write_text("", encoding="utf-8")
    assert run(env).stdout.split() == ["built", "fonts"]
    data = module.read_bytes()
    at = data.find(b"_types = b") + 20
    module.write_bytes(data[:at] + b"\\x07" + data[at:])
    done = run(env)
    assert done.returncode == 0 and done.stdout.split() == ["built", "fonts"], done.stderr
    (tmp_path / "a-file").write_text("")
    done = run({**os.environ, "XDG_CACHE_HOME": str(tmp_path / "a-file")})
    assert done.returncode == 0 and done.stdout.split() == ["own", "fonts"], done.stderr
