"""Content may not run code or write outside the project: templates are
sandboxed and a content folder's settings stay inside the project."""

from __future__ import annotations

import subprocess
import sys

from pipeline.building.builder import BuildSettings, build

from conftest import ROOT, write_source


def test_a_template_cannot_reach_python(tmp_path):
    marker = tmp_path / "ran"
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (ROOT / "templates" / "article.html.j2").read_text(encoding="utf-8")
    templates.joinpath("article.html.j2").write_text(
        page.replace("<body>", "<body>{{ cycler.__init__.__globals__.os.popen('touch "
                     + str(marker) + "').read() }}"), encoding="utf-8")
    src = write_source(tmp_path, "نص.\n")
    [r] = build([src], tmp_path / "out",
                BuildSettings(formats=("html",), template_dirs=(templates,), force=True))
    assert not r.ok and not marker.exists()
    assert "template" in str(r.error) and "unsafe" in str(r.error)


def test_content_settings_stay_inside_the_project(tmp_path):
    project = tmp_path / "project"
    content = project / "content"
    content.mkdir(parents=True)
    write_source(content, "نص.\n")
    content.joinpath("pipeline.toml").write_text('outdir = "../../elsewhere"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "pipeline", "build", "-f", "epub"],
                         cwd=project, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "setting 'outdir'" in run.stderr and "outside the project" in run.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert "Traceback" not in run.stderr
