"""The command: options in, outputs and one-line diagnostics out.

    pipeline build [SOURCE ...]      render articles (PDF, DOCX, EPUB, HTML)
    pipeline import ARTICLE.txt      plain text → the source format
    pipeline check PATH ...          are these outputs ready to ship?
    pipeline config [SOURCE ...]     the settings in force, and where each came from

Kept light: ``pipeline --help`` imports no writer.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from ..errors import PipelineError

def _key_value(value: str) -> tuple[str, str]:
    key, sep, text = value.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"not KEY=VALUE: {value!r}")
    return key.strip(), text


def parser() -> argparse.ArgumentParser:
    from .. import __version__
    p = argparse.ArgumentParser(
        prog="pipeline",
        description=f"Render Arabic article sources to a print-ready PDF, a DOCX and an EPUB 3 "
                    f"(arabic-press-pipeline {__version__}).")
    p.add_argument("--version", action="version",
                   version=f"pipeline (arabic-press-pipeline) {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="render articles to PDF, DOCX, EPUB (and HTML)",
                       description="Render article sources (default: every content/*.md). "
                                   "Options not given come from pipeline.toml or "
                                   "[tool.pipeline] in pyproject.toml; see 'pipeline config'.")
    b.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="Markdown sources or folders of them (default: content/*.md)")
    from .settings import add_arguments
    add_arguments(b)  # every setting of the schema (settings.SCHEMA)
    b.add_argument("-M", "--metadata", action="append", type=_key_value, default=[],
                   metavar="KEY=VALUE",
                   help="replace a front-matter value for this build, as pandoc's -M "
                        "(e.g. -M author='اسم' -M date=2024-06-11)")
    b.add_argument("--force", action="store_true",
                   help="rebuild articles even when nothing changed since the last build")
    b.add_argument("--watch", action="store_true",
                   help="keep running; rebuild when a source, template or font changes")
    b.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="worker processes for a batch (default: one per core)")
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="build a batch on a Dask distributed cluster "
                        "(pip install '.[cluster]')")
    loud = b.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loud.add_argument("-v", "--verbose", action="store_true",
                      help="also print warnings' hints, timings and skipped articles")

    i = sub.add_parser("import", help="turn a plain-text article or an edited DOCX into the "
                                      "source format",
                       description="ARTICLE.docx: a DOCX this tool made, edited in Word or "
                                   "LibreOffice, back as Markdown with front matter (its "
                                   "pictures written beside it); tracked changes accepted or "
                                   "rejected as --changes says, comments listed. ARTICLE.txt: "
                                   "a plain-text article (title on the first line, a Meta: "
                                   "line, short lines as headings, '- term: text' items, a "
                                   "closing questions section); prints what it guessed.")
    i.add_argument("text", type=Path, metavar="ARTICLE.txt|ARTICLE.docx")
    i.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="where to write (default: content/<name>.md)")
    i.add_argument("--force", action="store_true",
                   help="overwrite an existing file (and pictures beside it)")
    i.add_argument("--changes", choices=("accept", "reject"),
                   help="a DOCX's tracked changes: keep the edits, or the text before them "
                        "(a DOCX with changes and no --changes is refused)")
    i.add_argument("--keep-comments", action="store_true",
                   help="a DOCX's comments also as <!-- … --> lines in the Markdown "
                        "(the builds ignore them)")

    r = sub.add_parser("reference-docx", help="write the default reference DOCX to restyle",
                       description="Write a DOCX holding every style the DOCX writer uses "
                                   "(Title, Subtitle, Heading 1–2, Normal, List Bullet, List "
                                   "Number, Quote, FAQ Question, Caption, Footnote Text, News "
                                   "Table…), right to left, each with a sample. Restyle it in "
                                   "Word or LibreOffice and give it to --reference-docx.")
    r.add_argument("target", type=Path, metavar="FILE.docx")
    r.add_argument("--force", action="store_true", help="overwrite an existing file")

    c = sub.add_parser("check", help="check outputs with the judges that are installed",
                       description="EPUB: EPUBCheck, right-to-left pages, language, fonts "
                                   "inside. PDF: objects, fonts, tags, language, direction, "
                                   "text layer. DOCX: right-to-left, fonts embedded, no macros, "
                                   "remote templates or fields, DDE, OLE or ActiveX, no "
                                   "pending changes or open comments. HTML: language, "
                                   "direction, no scripts, handlers or frames, its files "
                                   "beside it. One line per file (every problem "
                                   "with -v); exit status 1 if any fails.")
    c.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                   help="outputs, or folders of them")
    c.add_argument("-v", "--verbose", action="store_true",
                   help="list every problem of a file, not only the first")
    c.add_argument("--json", action="store_true",
                   help="print the reports as JSON (path, ok, problems, passed, skipped)")
    c.add_argument("--allow-changes", action="store_true",
                   help="let a DOCX with pending tracked changes or open comments pass "
                        "(a draft, not a deliverable)")

    s = sub.add_parser("serve", help="render over HTTP from warm workers (FastAPI on uvicorn)",
                       description="POST /build with the Markdown source (or a multipart form "
                                   "with the source and its images) returns the files; "
                                   "GET /health says when the workers are ready; "
                                   "/docs and /openapi.json describe the API.")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes (default: one per core)")
    s.add_argument("--queue", type=int, default=8,
                   help="requests that may wait for a worker; more get 503 (default: 8)")
    s.add_argument("--max-bytes", type=int, default=10 * 1024 * 1024,
                   help="largest request body in bytes; more get 413 (default: 10 MB)")
    s.add_argument("--timeout", type=float, default=60.0,
                   help="seconds a request may take; more get 504 (default: 60)")
    s.add_argument("--max-requests", type=int, default=100,
                   help="articles a worker renders before a fresh one replaces it, so that "
                        "memory stays bounded (default: 100)")
    s.add_argument("--max-connections", type=int, default=64,
                   help="open connections past this get 503 before any is read (default: 64)")
    s.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="render on this Dask cluster instead of local workers")

    g = sub.add_parser("config", help="print the settings in force and where each came from",
                       description="The settings a build would get, and where each comes "
                                   "from; given one article, what that article gets. Takes "
                                   "the build's setting options (--paper a5…).")
    g.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="the articles the settings are for (their folder's pipeline.toml)")
    add_arguments(g)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (embedded use): leave signals alone
        pass
    try:
        return {"build": _build, "import": _import, "check": _check,
                "config": _config, "serve": _serve,
                "reference-docx": _reference_docx}[args.command](args)
    except PipelineError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pipeline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output went away (`pipeline config | head`): as
        # other commands do, end quietly; stdout's buffer cannot be flushed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug, not bad input: say so in one line
        if args.debug:
            raise
        print(f"pipeline: error: internal failure: {type(exc).__name__}: {exc} — "
              "rerun with --debug for the traceback", file=sys.stderr)
        return 1


def _serve(args: argparse.Namespace) -> int:
    try:
        from ..service import ServiceConfig, serve
        import fastapi  # noqa: F401
    except ImportError:
        raise PipelineError("pipeline serve needs FastAPI and uvicorn",
                            hint="pip install '.[serve]'") from None
    workers = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if workers < 1 or args.queue < 0 or args.max_bytes < 1 or args.timeout <= 0 \
            or args.max_requests < 1 or args.max_connections < 1:
        raise PipelineError("--jobs, --max-bytes, --max-requests, --max-connections and "
                            "--timeout must be positive, --queue zero or more")
    print(f"pipeline: serving on http://{args.host}:{args.port} ({workers} workers; "
          "API at /docs)", file=sys.stderr)
    serve(args.host, args.port, ServiceConfig(workers=workers, queue=args.queue,
                                              max_bytes=args.max_bytes,
                                              timeout=args.timeout, scheduler=args.scheduler,
                                              max_requests=args.max_requests,
                                              max_connections=args.max_connections))
    return 0


def run() -> None:
    """The console script and ``python -m pipeline``: ``main``, then a quick exit.

    Everything is written (atomically, synced), flushed and shut down when
    ``main`` returns; skipping the interpreter's teardown of the modules a
    build loaded saves a cold command some 50 ms."""
    try:  # Ctrl-C is Python's KeyboardInterrupt from the start; SIGTERM is made one
        signal.signal(signal.SIGTERM, _terminate)
        code = main()
    except KeyboardInterrupt:  # between the handlers and main's own try
        print("pipeline: interrupted", file=sys.stderr)
        code = 130
    # (the build's context has ended its PDF worker on every path by now)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _terminate(signum, frame) -> None:
    # SIGTERM unwinds like Ctrl-C, so that no temporary output is left behind.
    raise KeyboardInterrupt


# --- build ---------------------------------------------------------------------


def _build(args: argparse.Namespace) -> int:
    from . import settings as house
    from ..building.context import BuildContext  # stdlib only: WeasyPrint is not imported

    in_force = house.resolve(house.from_arguments(args), args.sources)
    formats = tuple(in_force["formats"].value)
    single = len(args.sources) == 1 and Path(args.sources[0]).is_file()
    context = BuildContext()  # this run's PDF worker and clock, ended below on every path
    try:
        if "pdf" in formats and (single or args.watch) and not args.scheduler and not args.jobs:
            # One article: start the PDF worker first of all, so that WeasyPrint's
            # import overlaps everything below. (A batch has its own pool.)
            context.pdf.start()
        return _build_with(args, house, in_force, context)
    finally:
        context.close()  # the command is done with its worker, used or not


def _build_with(args, house, in_force, context) -> int:
    from ..building.builder import BuildSettings, build
    from ..building.progress import Reporter

    fields = house.build_fields(in_force)
    settings = BuildSettings(**fields, debug=args.debug, force=args.force,
                             metadata=tuple(args.metadata))
    outdir = in_force["outdir"].value
    reporter = Reporter(quiet=args.quiet, verbose=args.verbose)
    executor, client = _executor(args)
    try:
        if args.watch:
            from ..building.watch import watch
            return watch(args.sources, outdir, settings, reporter, context)
        results = reporter.run(lambda on_result: build(
            args.sources or None, outdir, settings, on_result=on_result, executor=executor,
            workers=args.jobs, context=context),
            sources=_sources(args.sources or None))
    finally:
        if executor is not None:
            executor.shutdown()
        if client is not None:
            client.close()
    return 1 if any(not r.ok for r in results) else 0


def _sources(sources: list[str]) -> list[Path] | None:
    from ..building.builder import find_sources
    try:
        return find_sources(sources)
    except PipelineError:
        return None  # build() says why, in one line


def _executor(args: argparse.Namespace):
    """A Dask cluster's executor and its client for --scheduler, else (None,
    None): the build makes its own pool (of --jobs processes)."""
    if args.jobs is not None and args.jobs < 1:
        raise PipelineError("--jobs must be at least 1")
    if not args.scheduler:
        return None, None
    from ..building.workers import dask_executor
    return dask_executor(args.scheduler)


# --- import, check, config -----------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    if args.text.suffix.lower() == ".docx":
        from .editors import import_edited
        return import_edited(args)
    from .importer import import_text
    from ..reader import decode_source

    try:
        raw = args.text.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read the article: {exc.strerror}",
                            path=str(args.text)) from None
    try:
        source, report = import_text(decode_source(raw))
    except PipelineError as exc:
        raise exc.located(str(args.text)) from None
    target = args.output or Path("content") / f"{args.text.stem}.md"
    if target.exists() and not args.force:
        raise PipelineError(f"{target} exists", hint="choose another -o, or add --force")
    from ..building.builder import write_atomically
    write_atomically(target, source.encode("utf-8"))
    print(f"{args.text}: {report.summary()}")
    for level, text in report.headings:
        print(f"  {'##' if level == 2 else '  ###'} {text}")
    print(f"wrote {target} — review the headings above, then: pipeline build {target}")
    return 0


def _reference_docx(args: argparse.Namespace) -> int:
    from .editors import write_reference
    write_reference(args.target, args.force)
    print(f"wrote {args.target} — restyle it in Word or LibreOffice, then: "
          f"pipeline build --reference-docx {args.target}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .check import check

    paths: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            paths += sorted(p for p in path.iterdir()
                            if p.suffix.lower() in (".pdf", ".docx", ".epub", ".html"))
        else:
            paths.append(path)
    if not paths:
        raise PipelineError("no PDF, DOCX or EPUB to check", hint="name files or a folder")
    reports = []
    for path in paths:  # each file on its own: a damaged one fails, the rest are checked
        reports.append(report := check(path, args.allow_changes))
        if not args.json:
            for line in report.lines() if args.verbose else [report.line()]:
                print(line, file=sys.stdout if report.ok else sys.stderr)
    failed = sum(not r.ok for r in reports)
    if args.json:
        import json
        print(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=1))
    else:
        print(f"{len(paths) - failed} ok, {failed} failed")
    return 1 if failed else 0


def _config(args: argparse.Namespace) -> int:
    from .settings import describe, for_article, from_arguments, resolve
    for named in args.sources:
        if not Path(named).exists():
            raise PipelineError(f"no such article: {named}", hint="name a Markdown file")
    settings = resolve(from_arguments(args), args.sources)
    articles = [Path(s) for s in args.sources if not Path(s).is_dir()]
    if len(articles) == 1:  # what that article gets, its front matter included
        from ..building.builder import load_article
        settings = for_article(settings, load_article(articles[0]))
    print(describe(settings))
    return 0
