"""``pipeline build --watch``: rebuild when a source, an image, a template or a
font changes, printing how long each rebuild took. The build cache decides what
really changed; the PDF worker stays warm between rebuilds."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from .builder import build, find_sources
from .assets import TEMPLATES_DIR


def watch(sources: list[str], outdir: Path, settings, reporter) -> int:
    from watchfiles import watch as changes_in

    settings = replace(settings, force=False)
    paths = find_sources(sources)
    roots = {p.resolve().parent for p in paths} | {TEMPLATES_DIR, Path(settings.fonts_dir)}
    roots |= {Path(d) for d in settings.template_dirs}
    reporter.run(lambda on_result: build(paths, outdir, settings, on_result=on_result),
                 sources=paths)
    reporter.say(f"watching {len(paths)} article(s), templates and fonts — Ctrl-C to stop")
    outdir_abs = Path(outdir).resolve()
    try:
        for changes in changes_in(*sorted(map(str, roots)), raise_interrupt=False):
            # our own outputs (or the cache) landing in a watched folder are not edits
            edited = [c for c in changes if not Path(c[1]).resolve().is_relative_to(outdir_abs)]
            if not edited:
                continue
            started = time.perf_counter()
            results = build(find_sources(sources), outdir, settings,
                            on_result=lambda r: r.error and reporter.say(str(r.error), True))
            for r in results:
                if r.ok and not r.up_to_date:
                    reporter.say(f"rebuilt {r.source} in {r.seconds:.2f} s")
            if reporter.verbose:
                reporter.say(f"({time.perf_counter() - started:.2f} s for the change)")
    except KeyboardInterrupt:
        pass
    reporter.say("stopped watching")
    return 0
