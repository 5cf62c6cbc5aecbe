"""The up-to-date check (pipeline/building/cache.py): what it skips, and that its file,
which anyone with the output folder can edit, cannot make a build fail, read
outside the article's folder, or read without bound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.building.builder import BuildSettings, build
from pipeline.building.cache import MAX_FOLDER_FILES, BuildCache, _file_digest, folder_files
from pipeline.errors import PipelineError

from conftest import write_source

SETTINGS = BuildSettings(formats=("epub",))


def _build(src, out):
    [result] = build([src], out, SETTINGS)
    assert result.ok, result.error
    return result


def test_an_unchanged_article_is_skipped_and_a_changed_one_rebuilt(tmp_path):
    src = write_source(tmp_path, "نص\n")
    out = tmp_path / "out"
    assert not _build(src, out).up_to_date
    assert _build(src, out).up_to_date
    src.write_text(src.read_text(encoding="utf-8") + "\nزيادة\n", encoding="utf-8")
    assert not _build(src, out).up_to_date


def test_an_output_changed_by_hand_is_rebuilt(tmp_path):
    src = write_source(tmp_path, "نص\n")
    out = tmp_path / "out"
    _build(src, out)
    (out / "article.epub").write_bytes(b"edited")
    assert not _build(src, out).up_to_date


def test_a_malformed_cache_file_only_costs_a_rebuild(tmp_path):
    src = write_source(tmp_path, "نص\n")
    out = tmp_path / "out"
    _build(src, out)
    for junk in (b"{", b"[]", b'{"x": 1}', json.dumps({str(src.resolve()): {
            "key": 1, "inputs": "x", "outputs": []}}).encode(), b"\xff\xfe"):
        (out / BuildCache.NAME).write_bytes(junk)
        result = _build(src, out)
        assert not result.up_to_date


def test_a_crafted_cache_entry_opens_nothing_outside(tmp_path, monkeypatch):
    src = write_source(tmp_path, "نص\n")
    out = tmp_path / "out"
    _build(src, out)
    opened = []
    import pipeline.building.cache as cache
    real = cache.os.open

    def spy(path, *args, **kwargs):
        opened.append(str(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(cache.os, "open", spy)
    entry = json.loads((out / BuildCache.NAME).read_text())[str(src.resolve())]
    for inputs, outputs in ((["/etc/shadow", "/dev/zero"], entry["outputs"]),
                            (entry["inputs"], {"epub": ["/dev/zero", "0" * 64]})):
        (out / BuildCache.NAME).write_text(json.dumps({str(src.resolve()): {
            **entry, "inputs": inputs, "outputs": outputs}}))
        assert not _build(src, out).up_to_date
    assert not [p for p in opened if p.startswith(("/etc", "/dev"))]


def test_a_device_as_an_input_is_never_read():
    with pytest.raises(OSError, match="not a regular file"):
        _file_digest(Path("/dev/zero"))


def test_folder_files_stops_at_the_limit(tmp_path):
    for n in range(MAX_FOLDER_FILES + 1):
        (tmp_path / f"{n}.j2").touch()
    with pytest.raises(PipelineError, match="holds over"):
        folder_files(tmp_path)
    (tmp_path / "0.j2").unlink()
    assert len(folder_files(tmp_path)) == MAX_FOLDER_FILES
