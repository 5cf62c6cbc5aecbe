"""The processes that render (pipeline/building/workers.py): none outlives the command,
however the command ends, and a worker that dies takes only its own article
down with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from pipeline.building import builder
from pipeline.compat.futures import pool_processes
from pipeline.building.builder import BuildSettings, build

from conftest import ROOT, write_source


def _left_behind(marker: str) -> list[int]:
    """Processes still running whose command line holds ``marker`` (read from
    /proc: no procps needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = next((line for line in (entry / "status").read_text().splitlines()
                          if line.startswith("State:")), "")
        except OSError:
            continue  # ended while we looked
        if marker in command and "zombie" not in state:
            found.append(int(entry.name))
    return found


def test_a_clean_configuration_error_leaves_no_worker_holding_the_output(tmp_path):
    src = write_source(tmp_path, "نص\n")
    marker = str(tmp_path / "out-config")
    # capture_output waits for every holder of the pipes: a stray worker would hang it
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", str(src), "-o", marker,
                             "--fonts", "/nonexistent"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "fonts folder not found" in result.stderr
    assert _left_behind(marker) == []


def test_a_killed_command_takes_its_pdf_worker_with_it(tmp_path):
    src = write_source(tmp_path, "نص\n" * 200)
    marker = str(tmp_path / "out-kill")
    for delay in (0.1, 0.4, 0.8):
        proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", str(src), "-o",
                                 marker, "--force"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 5
        while _left_behind(marker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _left_behind(marker) == [], delay


_render_job = builder.render_job


def killing_render_job(job):
    """A render that dies as the OOM killer would end it, for one article."""
    if job.source.stem == "killer":
        os.kill(os.getpid(), signal.SIGKILL)
    return _render_job(job)


def test_a_dead_worker_fails_only_its_own_article(tmp_path, monkeypatch):
    monkeypatch.setattr(builder, "render_job", killing_render_job)
    sources = [write_source(tmp_path, f"نص {n}\n", name=f"a{n}.md") for n in range(5)]
    sources.insert(2, write_source(tmp_path, "نص\n", name="killer.md"))
    results = build(sources, tmp_path / "out", BuildSettings(formats=("epub",)))
    assert [r.ok for r in results] == [True, True, False, True, True, True]
    assert "the process rendering this article died" in str(results[2].error)


def test_a_render_past_its_time_fails_its_article_with_a_line(tmp_path, monkeypatch):
    from pipeline import writers
    from pipeline.building import workers

    def stuck(article, options):
        time.sleep(30)
    monkeypatch.setattr(workers, "MAX_RENDER_SECONDS", 0.3)
    monkeypatch.setattr(writers, "writer_for", lambda fmt: stuck)
    src = write_source(tmp_path, "نص\n")
    started = time.monotonic()
    [result] = build([src], tmp_path / "out", BuildSettings(formats=("docx",)))
    assert time.monotonic() - started < 10
    assert "the DOCX took over 0.3 s to render and was stopped" in str(result.error)


def test_a_context_holds_the_run_s_worker_and_clock(tmp_path, monkeypatch):
    from pipeline.building.context import BuildContext
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    context = BuildContext(epoch="1600000000")  # the run's clock, whatever the environment says
    src = write_source(tmp_path, "نص\n")
    try:
        [result] = build([src], tmp_path / "out", BuildSettings(formats=("pdf", "epub"),
                                                                force=True), context=context)
        assert result.ok, result.error
        assert context.pdf.running  # the PDF was made beside, and the worker kept warm
        pids = [p.pid for p in pool_processes(context.pdf.executor())]
        assert pids and os.getpid() not in pids
    finally:
        context.close()
    assert not context.pdf.running
    with zipfile.ZipFile(tmp_path / "out" / "article.epub") as z:
        assert z.infolist()[0].date_time[:3] == (2020, 9, 13)  # 1600000000, not 1700000000
