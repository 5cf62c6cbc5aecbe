"""``pipeline build --watch`` (pipeline/building/watch.py): one rebuild a change, and
still right when a source becomes a folder, a folder is deleted and made
again, or the outputs land beside the sources (``-o .``)."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time

from conftest import ROOT, write_source
from judges import epub_text


class Watcher:
    """``pipeline build --watch`` running, its output read line by line."""

    def __init__(self, *args, cwd=ROOT):
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "build", *map(str, args),
                                      "--watch", "-f", "epub"], cwd=cwd,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        # read on a thread: a watcher that prints nothing must fail the test, not hang it
        self._reader = threading.Thread(
            target=lambda: [self._queue.put(line) for line in self.proc.stdout], daemon=True)
        self._reader.start()

    def wait_for(self, fragment: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            self.lines.append(line)
            if fragment in line:
                return
        raise AssertionError(f"never printed {fragment!r}: {self.lines}")

    def stop(self) -> str:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self._reader.join(timeout=10)
        self.proc.stdout.close()
        while not self._queue.empty():
            self.lines.append(self._queue.get())
        return "".join(self.lines)


def _append(src, text):
    src.write_text(src.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_watch_rebuilds_once_per_change(tmp_path):
    src = write_source(tmp_path, "نص أول.\n")
    watcher = Watcher(src, "-o", tmp_path / "out")
    try:
        watcher.wait_for("watching")
        time.sleep(0.5)
        _append(src, "فقرة جديدة.")
        watcher.wait_for("rebuilt")
        time.sleep(2.0)  # a second rebuild would show up here
    finally:
        output = watcher.stop()
    assert output.count("rebuilt") == 1, output
    assert "فقرة جديدة" in epub_text(tmp_path / "out" / "article.epub")


def test_watch_with_outputs_beside_the_sources_still_rebuilds(tmp_path):
    src = write_source(tmp_path, "نص أول.\n")
    watcher = Watcher(src, "-o", ".", cwd=tmp_path)
    try:
        watcher.wait_for("watching")
        time.sleep(0.5)
        _append(src, "فقرة ثانية.")
        watcher.wait_for("rebuilt")
        time.sleep(2.0)  # its own outputs landing beside it are not edits
    finally:
        output = watcher.stop()
    assert output.count("rebuilt") == 1, output
    assert "فقرة ثانية" in epub_text(tmp_path / "article.epub")


def test_a_source_replaced_by_a_folder_is_an_error_not_another_build(tmp_path):
    (tmp_path / "content").mkdir()
    write_source(tmp_path / "content", "مقال آخر.\n", name="other.md")
    src = write_source(tmp_path, "نص أول.\n", name="a.md")
    watcher = Watcher(src, "-o", "out", cwd=tmp_path)
    try:
        watcher.wait_for("watching")
        time.sleep(0.5)
        src.unlink()
        src.mkdir()
        watcher.wait_for("not a regular file")
    finally:
        watcher.stop()
    assert not (tmp_path / "out" / "other.epub").exists()


def test_a_folder_deleted_and_made_again_is_still_watched(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    src = write_source(folder, "نص أول.\n")
    watcher = Watcher(folder, "-o", tmp_path / "out")
    try:
        watcher.wait_for("watching")
        time.sleep(0.5)
        shutil.rmtree(folder)
        time.sleep(1.5)
        folder.mkdir()
        write_source(folder, "نص جديد بعد العودة.\n")
        time.sleep(2.5)
        _append(src, "ثم تعديل.")
        watcher.wait_for("rebuilt")
        deadline = time.monotonic() + 15
        while "ثم تعديل" not in epub_text(tmp_path / "out" / "article.epub"):
            assert time.monotonic() < deadline, watcher.lines
            time.sleep(0.3)
    finally:
        watcher.stop()


def test_a_font_changed_under_its_name_is_read_again(tmp_path):
    """The fonts folder (--fonts) is watched: a font file replaced under its
    own name is read again (``BuildContext.fresh_resources`` forgets the
    memos), not served from what the first build read. The symbol font first
    holds another font's outlines, without ✈, so the EPUB has no face for it;
    once the real file is back the rebuilt EPUB carries it."""
    import zipfile
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    symbols = fonts / "NotoEmoji-Regular.ttf"
    real = symbols.read_bytes()
    shutil.copyfile(fonts / "Amiri-Regular.ttf", symbols)
    (tmp_path / "a").mkdir()
    src = write_source(tmp_path / "a", "رحلة ✈ اليوم.\n")
    epub = tmp_path / "out" / "article.epub"

    def faces() -> int:
        with zipfile.ZipFile(epub) as book:
            return sum(name.endswith((".ttf", ".otf", ".woff2")) for name in book.namelist())

    watcher = Watcher(src, "-o", tmp_path / "out", "--fonts", fonts)
    try:
        watcher.wait_for("watching")
        before = faces()
        time.sleep(0.5)
        symbols.write_bytes(real)
        watcher.wait_for("rebuilt")
    finally:
        watcher.stop()
    assert faces() == before + 1


def test_fresh_resources_forgets_what_was_read_from_a_font(tmp_path):
    from pipeline.building.context import BuildContext
    from pipeline.caches import memos_held
    from pipeline.fonts import coverage
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    symbols = fonts / "NotoEmoji-Regular.ttf"
    real = symbols.read_bytes()
    shutil.copyfile(fonts / "Amiri-Regular.ttf", symbols)
    assert 0x2708 not in coverage(fonts)
    symbols.write_bytes(real)
    assert 0x2708 not in coverage(fonts)  # the memo, as a running watch had it
    held = memos_held()
    BuildContext(pdf=None).fresh_resources()
    assert held > 0 and memos_held() == 0
    assert 0x2708 in coverage(fonts)
