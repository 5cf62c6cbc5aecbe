"""``pipeline build --watch``: rebuild when a source, an image, a template or a
font changes, printing how long each rebuild took. The build cache decides what
really changed; the PDF worker stays warm between rebuilds."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ..assets import TEMPLATES_DIR
from ..caches import clear_memos
from ..errors import PipelineError
from .builder import build, find_sources, output_stem
from .cache import BuildCache
from .jobs import FORMATS


def watch(sources: list[str], outdir: Path, settings, reporter, context=None) -> int:
    from watchfiles import watch as changes_in

    settings = replace(settings, force=False)
    named = [Path(s) for s in sources]
    folders = {p for p in named if p.is_dir()}

    def articles() -> list[Path] | None:
        """The sources now: a named file stays itself (a directory in its place
        fails as the article's error), a named folder is its *.md now, and
        nothing named is content/*.md."""
        if not named:
            return None
        return [q for p in named for q in (sorted(p.glob("*.md")) if p in folders else [p])]

    paths = find_sources(articles())
    roots = {p.resolve().parent for p in paths} | {p.resolve() for p in folders}
    resources = {TEMPLATES_DIR.resolve(), Path(settings.fonts_dir).resolve()}
    resources |= {Path(d).resolve() for d in settings.template_dirs}
    roots |= resources
    reporter.run(lambda on_result: build(paths, outdir, settings, on_result=on_result,
                                         context=context),
                 sources=paths)
    reporter.say(f"watching {len(paths)} article(s), templates and fonts — Ctrl-C to stop")
    out = Path(outdir).resolve()

    def edited(changes) -> bool:
        """Whether ``changes`` hold an edit, and not only this command's own
        writing (an output, its temporary file, the cache) landing in a
        watched folder (as it does with -o .)."""
        try:
            stems = {output_stem(s) for s in find_sources(articles())}
        except PipelineError:
            stems = set()  # no article left: rebuild() says so
        names = {BuildCache.NAME} | {f"{stem}.{fmt}" for stem in stems for fmt in FORMATS}
        pages = [out / f"{stem}_files" for stem in stems]

        def ours(path: Path) -> bool:
            if path.parent.resolve() == out:
                return path.name in names or path.name.endswith(".part")
            return any(path.resolve().is_relative_to(folder) for folder in pages)

        return any(not ours(Path(path)) for _, path in changes)

    def fresh_resources() -> None:
        if context is not None:
            context.fresh_resources()
        else:
            clear_memos()

    def rebuild() -> None:
        started = time.perf_counter()
        named_files = [p for p in named if p not in folders]
        for gone in (p for p in named_files if not p.is_file()):
            # build() would read a folder in its place as a folder of sources
            reporter.say(str(PipelineError("the source is not a regular file",
                                           path=str(gone), hint="put the article back")), True)
        try:
            found = find_sources([p for p in articles() or [] if p.is_file()]
                                 if named else None)
        except PipelineError as exc:
            reporter.say(str(exc), True)
            return
        results = build(found, outdir, settings, context=context,
                        on_result=lambda r: r.error and reporter.say(str(r.error), True))
        for r in results:
            if r.ok and not r.up_to_date:
                reporter.say(f"rebuilt {r.source} in {r.seconds:.2f} s")
        if reporter.verbose:
            reporter.say(f"({time.perf_counter() - started:.2f} s for the change)")

    try:
        while True:
            # A watched folder deleted and made again is a new folder to the
            # system's watcher: once a second the set of folders is looked at,
            # and the watch starts over when it has changed.
            watched = {r for r in roots if r.is_dir()}
            stopped = True
            for changes in changes_in(*sorted(map(str, watched)), raise_interrupt=False,
                                      yield_on_timeout=True, rust_timeout=1000):
                if {r for r in roots if r.is_dir()} != watched:
                    stopped = False
                    rebuild()
                    break
                if changes and edited(changes):  # (empty: the once-a-second look)
                    if any(Path(path).resolve().is_relative_to(folder)
                           for _, path in changes for folder in resources):
                        fresh_resources()  # a font or template changed under its name
                    rebuild()
            if stopped:
                break
    except KeyboardInterrupt:
        pass
    reporter.say("stopped watching")
    return 0
