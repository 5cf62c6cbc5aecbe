#!/usr/bin/env python3
"""How fast the pipeline is, measured against pandoc + WeasyPrint in the same run.

    python bench/run.py            # medians of 5, about two minutes on 2 cores
    python bench/run.py --runs 3   # quicker, noisier

Prints one table: cold builds per format and for all three, warm in-process
rebuilds, articles 10× and 50× longer, a batch of 100 articles, a rebuild when
nothing changed, peak memory, and whether `pipeline --help` imports WeasyPrint.
Ratios are to the time pandoc + WeasyPrint take to make the PDF alone (when
pandoc, e.g. from pypandoc-binary, is installed), so machine noise cancels.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PEAK_OF_CHILDREN = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
                     "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
"""Runs a command and prints the largest resident size (KB) of its processes."""
ARTICLE = ROOT / "content" / "netanyahu-blinken-jerusalem.md"
PIPELINE = [sys.executable, "-m", "pipeline"]


def timed(cmd: list[str], runs: int, before=None, **kw) -> float:
    """Median wall time of ``cmd`` over ``runs`` fresh processes."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       cwd=ROOT, **kw)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pandoc_pdf_seconds(work: Path, runs: int) -> float | None:
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = shutil.which("pandoc")
    weasyprint = Path(sys.executable).parent / "weasyprint"
    if not pandoc or not weasyprint.exists():
        return None
    env = {**os.environ, "PATH": f"{weasyprint.parent}{os.pathsep}{os.environ['PATH']}"}
    return timed([pandoc, str(ARTICLE), "-o", str(work / "pandoc.pdf"),
                  "--pdf-engine=weasyprint"], runs, env=env)


def longer_article(times: int, folder: Path) -> Path:
    """The bundled article with its body repeated ``times`` times."""
    text = ARTICLE.read_text(encoding="utf-8")
    front, body = text.split("\n---\n", 1)
    path = folder / f"article-x{times}.md"
    path.write_text(front + "\n---\n" + "\n".join([body] * times), encoding="utf-8")
    return path


def warm_seconds(source: Path, formats: tuple[str, ...], runs: int, out: Path,
                 justify: str | None = None) -> float:
    """Median in-process rebuild, after one build has paid the imports."""
    from pipeline.building.builder import BuildSettings, build
    settings = BuildSettings(formats=formats, force=True, justify=justify)
    build([source], out, settings)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        [result] = build([source], out, settings)
        times.append(time.perf_counter() - start)
        assert result.ok, result.error
    return statistics.median(times)


def glyph_layer_seconds(runs: int) -> tuple[float, float, float, float]:
    """Medians of the PDF writer's own text work: the kashida pass, adding
    the glyph variants to the embedded fonts, and the paragraph composer;
    and of the whole warm PDF with the composer left out (first-fit breaks,
    as WeasyPrint makes them), for its cost in one run."""
    import datetime as dt

    from pipeline.building.builder import load_article
    from pipeline.options import WriterOptions
    from pipeline.writers import pdf

    article = load_article(ARTICLE)
    options = WriterOptions(identifier="bench", timestamp=dt.datetime(2024, 6, 11))
    pdf.render(article, options)
    kashida, glyphs, composer, whole, first_fit = [], [], [], [], []
    composition = pdf.composition
    for _ in range(runs):
        start = time.perf_counter()
        _, layer = pdf.render(article, options)
        whole.append(time.perf_counter() - start)
        kashida.append(layer.kashida_seconds)
        glyphs.append(layer.finish_seconds)
        composer.append(layer.compose_seconds)
        pdf.composition = lambda options: None
        try:
            start = time.perf_counter()
            pdf.render(article, options)
            first_fit.append(time.perf_counter() - start)
        finally:
            pdf.composition = composition
    return (statistics.median(kashida), statistics.median(glyphs),
            statistics.median(composer), statistics.median(first_fit) and
            statistics.median(whole) / statistics.median(first_fit))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--batch", type=int, default=100, help="articles in the batch")
    args = parser.parse_args()
    runs = args.runs
    sys.path.insert(0, str(ROOT))
    rows: list[tuple[str, float, str, str]] = []  # what, seconds, target, verdict

    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        work = Path(tmp)
        reference = pandoc_pdf_seconds(work, runs)

        def ratio(seconds: float) -> str:
            return f"{seconds / reference:.2f}×" if reference else "–"

        def row(what: str, seconds: float, limit: float | None = None, unit: str = "s"):
            verdict = ""
            if limit is not None and reference:
                verdict = "met" if seconds <= limit * reference else "MISSED"
                target = f"≤ {limit}×"
            else:
                target = ""
            rows.append((what, f"{seconds:.3f} {unit}", ratio(seconds), target, verdict))

        if reference:
            rows.append(("pandoc + WeasyPrint, PDF alone (reference)", f"{reference:.3f} s",
                         "1.00×", "", ""))
        cold = work / "cold"
        for fmt in ("pdf", "docx", "epub"):
            row(f"cold build, {fmt.upper()} only",
                timed([*PIPELINE, "build", str(ARTICLE), "-o", str(cold), "-f", fmt,
                       "--force", "-q"], runs))
        row("cold build, all three formats",
            timed([*PIPELINE, "build", str(ARTICLE), "-o", str(cold), "--force", "-q"], runs),
            0.8)
        # Each saving of the cold start on its own row: the same command with
        # WeasyPrint parsing its C declarations itself, and the import alone.
        own = {**os.environ, "PIPELINE_WEASYPRINT_FFI": "own"}
        row("  the same, WeasyPrint parsing its own C declarations",
            timed([*PIPELINE, "build", str(ARTICLE), "-o", str(cold), "--force", "-q"], runs,
                  env=own))
        load = [sys.executable, "-c",
                "from pipeline.compat.weasyprint_setup import load; load()"]
        row("  import WeasyPrint, prebuilt declarations", timed(load, runs))
        row("  import WeasyPrint, its own declarations", timed(load, runs, env=own))

        warm = work / "warm"
        for fmt in ("pdf", "docx", "epub"):
            row(f"warm rebuild in-process, {fmt.upper()}",
                warm_seconds(ARTICLE, (fmt,), runs, warm))
        row("warm rebuild in-process, PDF with --justify spaces",
            warm_seconds(ARTICLE, ("pdf",), runs, warm, justify="spaces"))
        kashida, glyphs, composer, slower = glyph_layer_seconds(runs)
        row("  of the PDF: the paragraph composer (choosing the breaks)", composer)
        row("  of the PDF: the kashida pass (choosing and placing)", kashida)
        row("  of the PDF: adding glyph variants to the fonts", glyphs)
        rows.append(("  the warm PDF with the composer ÷ without it (first fit)",
                     f"{slower:.2f}×", "", "≤ 1.15×", "met" if slower <= 1.15 else "MISSED"))
        base = warm_seconds(ARTICLE, ("pdf", "docx", "epub"), runs, warm)
        row("warm rebuild in-process, all three", base, 0.4)
        for times in (10, 50):
            seconds = warm_seconds(longer_article(times, work), ("pdf", "docx", "epub"),
                                   max(1, runs // 2), warm)
            rows.append((f"article ×{times} long, all three (warm)", f"{seconds:.3f} s",
                         f"{seconds / base:.1f}× the ×1", f"≤ {times}× the ×1",
                         "met" if seconds <= times * base else "MISSED"))

        batch = work / "batch"
        batch.mkdir()
        text = ARTICLE.read_text(encoding="utf-8")
        for n in range(args.batch):
            (batch / f"article-{n:03d}.md").write_text(
                text.replace('title: "', f'title: "{n + 1}: ', 1), encoding="utf-8")
        # the batch's own peak: measured by a parent of its own, since this
        # process's children so far include the ×50 article
        start = time.perf_counter()
        measured = subprocess.run(
            [sys.executable, "-c", _PEAK_OF_CHILDREN, *PIPELINE, "build", str(batch),
             "-o", str(work / "batch-out"), "--force", "-q"],
            check=True, cwd=ROOT, capture_output=True, text=True)
        per_article = (time.perf_counter() - start) / args.batch
        peak_mb = int(measured.stdout.split()[-1]) / 1024
        row(f"batch of {args.batch}, per article (all three, {os.cpu_count()} workers)",
            per_article, 0.25)

        unchanged = work / "unchanged"
        subprocess.run([*PIPELINE, "build", str(ARTICLE), "-o", str(unchanged), "-q"],
                       check=True, cwd=ROOT)
        seconds = timed([*PIPELINE, "build", str(ARTICLE), "-o", str(unchanged), "-q"], runs)
        rows.append(("rebuild with nothing changed (cold process)", f"{seconds:.3f} s",
                     ratio(seconds), "≤ 0.2 s", "met" if seconds <= 0.2 else "MISSED"))
        rows.append(("peak memory of any process (batch)", f"{peak_mb:.0f} MB", "",
                     "≤ 300 MB", "met" if peak_mb <= 300 else "MISSED"))
        imports = subprocess.run([*PIPELINE, "--help"], cwd=ROOT, capture_output=True,
                                 text=True, env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
        heavy = bool(re.search(r"\bweasyprint\b", imports.stderr))
        rows.append(("`pipeline --help` imports WeasyPrint", "yes" if heavy else "no", "",
                     "no", "MISSED" if heavy else "met"))

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {platform.system()} {platform.release()}; "
          f"medians of {runs} runs.")
    if not reference:
        print("pandoc is not installed (pip install pypandoc-binary): no ratios.")
    print()
    print("| measurement | time | ratio | target | |")
    print("|---|---:|---:|---|---|")
    for what, seconds, rat, target, verdict in rows:
        print(f"| {what} | {seconds} | {rat} | {target} | {verdict} |")
    return 1 if any(r[4] == "MISSED" for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
