"""Batches: a process pool by default, any Executor on request, a Dask cluster
through the same tasks; and the cache that skips what has not changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.building.builder import BuildSettings, build

from conftest import BUNDLED, ROOT, write_source


def _articles(folder, n):
    folder.mkdir(parents=True, exist_ok=True)
    return [write_source(folder, f"## قسم {i}\n\nنص المقال رقم {i}.\n", name=f"a{i:02d}.md",
                         front=f'title: "مقال {i}"') for i in range(n)]


def test_a_batch_builds_every_article_in_a_pool(tmp_path):
    sources = _articles(tmp_path / "src", 4)
    results = build(sources, tmp_path / "out")
    assert [r.source for r in results] == sources  # in the order asked, whatever finished first
    assert all(r.ok and len(r.outputs) == 3 for r in results)


def test_any_executor_will_do(tmp_path):
    sources = _articles(tmp_path / "src", 3)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = build(sources, tmp_path / "out", BuildSettings(formats=("docx", "epub")),
                        executor=pool)
    assert all(r.ok for r in results)


def test_a_bad_article_in_a_pool_does_not_stop_the_others(tmp_path):
    sources = _articles(tmp_path / "src", 2)
    bad = write_source(tmp_path / "src", "نص\n", front="titel: x", name="bad.md")
    results = build([*sources, bad], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert [r.ok for r in results] == [True, True, False]


def test_dask_cluster_builds_a_batch(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    sources = _articles(tmp_path / "src", 3)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster, \
            distributed.Client(cluster) as client:
        results = build(sources, tmp_path / "out", executor=client.get_executor())
    assert all(r.ok and len(r.outputs) == 3 for r in results), [r.error for r in results]


def test_dask_scheduler_option_on_the_command_line(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    sources = _articles(tmp_path / "src", 2)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None, processes=True) as cluster:
        run = subprocess.run([sys.executable, "-m", "pipeline", "build", *map(str, sources),
                              "-o", str(tmp_path / "out"), "-f", "epub",
                              "--scheduler", cluster.scheduler_address],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "out").glob("*.epub"))) == 2


def test_unchanged_articles_are_skipped_and_force_rebuilds(tmp_path):
    src = tmp_path / "a.md"
    shutil.copy(BUNDLED, src)
    [first] = build([src], tmp_path / "out")
    assert first.ok and not first.up_to_date
    [second] = build([src], tmp_path / "out")
    assert second.up_to_date  # how fast that is, bench/run.py measures
    [forced] = build([src], tmp_path / "out", BuildSettings(force=True))
    assert forced.ok and not forced.up_to_date


@pytest.mark.parametrize("change", ["source", "output", "settings", "image"])
def test_any_change_rebuilds(tmp_path, change):
    from PIL import Image
    Image.new("RGB", (10, 10)).save(tmp_path / "pic.png")
    src = write_source(tmp_path, "![صورة](pic.png)\n")
    [first] = build([src], tmp_path / "out", BuildSettings(formats=("epub",)))
    assert first.ok
    settings = BuildSettings(formats=("epub",))
    if change == "source":
        src.write_text(src.read_text() + "\nفقرة جديدة.\n")
    elif change == "output":
        first.outputs["epub"].write_bytes(b"edited by hand")
    elif change == "settings":
        settings = BuildSettings(formats=("epub", "docx"))
    elif change == "image":
        Image.new("RGB", (10, 10), (255, 0, 0)).save(tmp_path / "pic.png")
    [second] = build([src], tmp_path / "out", settings)
    assert second.ok and not second.up_to_date
