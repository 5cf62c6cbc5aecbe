"""A failed build changes nothing: every format of an article is written to a
temporary file first and renamed only when all are on disk. Faults are
injected inside the write itself (disk full at any file, a rename refused, a
folder in the way), where a kill or a full disk would strike."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.building import jobs
from pipeline.building.builder import BuildSettings, build

from conftest import ROOT, write_source

FORMATS = ("pdf", "docx", "epub", "html")


def _outputs(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


@pytest.fixture
def rebuilt(tmp_path):
    """An article built once; its source then changed, so that a rebuild
    would replace every output."""
    src = write_source(tmp_path, "نص أول.\n")
    out = tmp_path / "out"
    [first] = build([src], out, BuildSettings(formats=FORMATS))
    assert first.ok
    src.write_text(src.read_text(encoding="utf-8").replace("أول", "ثان"), encoding="utf-8")
    return src, out, _outputs(out)


@pytest.mark.parametrize("failing", range(4))
def test_disk_full_at_any_file_keeps_every_older_output(rebuilt, monkeypatch, failing):
    src, out, before = rebuilt
    real_fsync, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == failing + 1:
            raise OSError(28, "No space left on device")
        real_fsync(fd)
    monkeypatch.setattr(jobs.os, "fsync", fsync)
    [result] = build([src], out, BuildSettings(formats=FORMATS))
    assert "No space left on device" in str(result.error)
    assert _outputs(out) == before
    assert not [p for p in out.rglob("*.part")]


def test_a_rename_refused_halfway_leaves_no_temporary_file(rebuilt, monkeypatch):
    src, out, before = rebuilt
    real_replace, calls = os.replace, []

    def replace(a, b):
        calls.append(b)
        if len(calls) == 1:
            raise OSError(30, "Read-only file system", str(b))
        real_replace(a, b)
    monkeypatch.setattr(jobs.os, "replace", replace)
    [result] = build([src], out, BuildSettings(formats=FORMATS))
    assert "Read-only file system" in str(result.error)
    assert _outputs(out) == before and not list(out.rglob("*.part"))


def test_a_folder_where_an_output_goes_changes_nothing(rebuilt):
    src, out, before = rebuilt
    (out / "article.epub").unlink()
    (out / "article.epub").mkdir()
    del before["article.epub"]
    [result] = build([src], out, BuildSettings(formats=FORMATS))
    assert "a folder of that name is in the way" in str(result.error)
    assert _outputs(out) == before


def test_a_read_only_output_folder_is_one_line(rebuilt, monkeypatch):
    src, out, before = rebuilt

    def mkstemp(**_):  # what a folder without write permission answers
        raise PermissionError(13, "Permission denied", str(out))
    monkeypatch.setattr(jobs.tempfile, "mkstemp", mkstemp)
    [result] = build([src], out, BuildSettings(formats=FORMATS))
    assert "Permission denied" in str(result.error) and _outputs(out) == before


def test_two_sources_with_one_name_are_refused_with_both_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_source(tmp_path / "a", "نص أ\n", name="x.md")
    second = write_source(tmp_path / "b", "نص ب\n", name="x.md")
    results = build([first, second], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert [r.ok for r in results] == [False, False]
    assert str(second) in str(results[0].error) and str(first) in str(results[1].error)
    assert not (tmp_path / "out" / "x.epub").exists()


def test_a_build_beside_another_keeps_its_live_temporary_files(tmp_path):
    """Forty builds into one folder: none sweeps another's .part away."""
    sources = [write_source(tmp_path, f"نص {n}\n", name=f"a{n}.md") for n in range(40)]
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, "-c",
                               "import sys; from pipeline.building.builder import build, BuildSettings; "
                               "[r] = build([sys.argv[1]], sys.argv[2], "
                               "BuildSettings(formats=('epub',))); "
                               "sys.exit(0 if r.ok else print(r.error) or 1)",
                               str(src), str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for src in sources]
    for proc in procs:
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, output
    assert len(list(out.glob("*.epub"))) == 40 and not list(out.glob(".*.part"))


def test_the_atomic_write_is_all_or_nothing_for_many_files(tmp_path, monkeypatch):
    targets = {tmp_path / f"f{n}": f"new {n}".encode() for n in range(5)}
    for target in targets:
        target.write_bytes(b"old")
    real = jobs.stage

    def stage(target, data):
        if target.name == "f3":
            raise OSError(28, "No space left on device", str(target))
        return real(target, data)
    monkeypatch.setattr(jobs, "stage", stage)
    with pytest.raises(jobs.PipelineError, match="No space left"):
        jobs.write_all(targets)
    assert {t.read_bytes() for t in targets} == {b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{n}" for n in range(5)]
    monkeypatch.setattr(jobs, "stage", real)
    jobs.write_all(targets)
    assert [t.read_bytes() for t in targets] == list(targets.values())
