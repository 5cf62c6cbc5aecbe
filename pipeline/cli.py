"""The command: options in, outputs and one-line diagnostics out.

Kept light: ``pipeline --help`` imports no writer.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
from pathlib import Path

from .errors import PipelineError

FORMATS = ("pdf", "docx", "epub")


def _formats(value: str) -> list[str]:
    chosen = [v.strip().lower() for v in value.split(",") if v.strip()]
    for fmt in chosen:
        if fmt not in FORMATS:
            raise argparse.ArgumentTypeError(
                f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return chosen


def _length_mm(value: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*", value)
    if not m:
        raise argparse.ArgumentTypeError(f"not a length: {value!r} (e.g. 3mm)")
    factor = {"mm": 1, None: 1, "cm": 10, "in": 25.4, "pt": 25.4 / 72}[m.group(2)]
    return float(m.group(1)) * factor


def parser() -> argparse.ArgumentParser:
    from .options import PDF_VARIANTS

    p = argparse.ArgumentParser(
        prog="pipeline",
        description="Render Arabic article sources to a print-ready PDF, a DOCX and an EPUB 3.")
    p.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="render articles to PDF, DOCX and EPUB",
                       description="Render article sources (default: every content/*.md).")
    b.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="Markdown sources or folders of them (default: content/*.md)")
    b.add_argument("-o", "--outdir", default="out", type=Path,
                   help="where the outputs go (default: out/)")
    b.add_argument("-f", "--format", "--to", dest="formats", action="append", type=_formats,
                   metavar="FORMAT",
                   help="pdf, docx or epub; repeat or separate with commas (default: all)")
    b.add_argument("--paper", choices=("a4", "a5", "letter"),
                   help="PDF paper size (default: the front matter's paper:, else a4)")
    b.add_argument("--pdf-variant", default="pdf/ua-1", choices=PDF_VARIANTS,
                   help="WeasyPrint PDF variant (default: pdf/ua-1, tagged and accessible; "
                        "pdf/a-3a for archives; none for a plain PDF)")
    b.add_argument("--bleed", type=_length_mm, default=0.0, metavar="LENGTH",
                   help="bleed around each PDF page for the printer, e.g. 3mm")
    b.add_argument("--marks", action="store_true", help="add crop marks to the PDF")
    b.add_argument("--reference-docx", type=Path, metavar="PATH",
                   help="take the DOCX styles from this document (a newsroom's house styles)")
    b.add_argument("--template-dir", dest="template_dirs", action="append", type=Path,
                   default=[], metavar="DIR",
                   help="templates here override the defaults of the same name")
    b.add_argument("--force", action="store_true",
                   help="rebuild articles even when nothing changed since the last build")
    b.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="worker processes for a batch (default: one per core)")
    b.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="build a batch on a Dask distributed cluster "
                        "(pip install '.[cluster]')")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return p


def _terminate(signum, frame) -> None:
    # SIGTERM unwinds like Ctrl-C, so that no temporary output is left behind.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread (embedded use): leave signals alone
        pass
    try:
        if args.command == "build":
            return _build(args)
    except PipelineError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("pipeline: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: say so in one line
        if args.debug:
            raise
        print(f"pipeline: error: internal failure: {type(exc).__name__}: {exc} — "
              "rerun with --debug for the traceback", file=sys.stderr)
        return 1
    return 2


def _executor(args: argparse.Namespace):
    """The executor a batch runs on: a Dask cluster's, a pool of --jobs
    processes, or None (the default pool over every core)."""
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise PipelineError("--scheduler needs Dask distributed",
                                hint="pip install '.[cluster]'") from None
        try:
            client = Client(args.scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise PipelineError(f"cannot reach the Dask scheduler at {args.scheduler}: {exc}",
                                hint="start one with: dask scheduler") from None
        return client.get_executor(), client
    if args.jobs is not None:
        if args.jobs < 1:
            raise PipelineError("--jobs must be at least 1")
        from .builder import worker_pool
        return worker_pool(args.jobs), None
    return None, None


def _build(args: argparse.Namespace) -> int:
    formats = tuple(dict.fromkeys(f for group in (args.formats or [FORMATS]) for f in group))
    single = len(args.sources) == 1 and Path(args.sources[0]).is_file()
    if "pdf" in formats and single and not args.scheduler and args.jobs is None:
        # One article: start the PDF worker first of all, so that WeasyPrint's
        # import overlaps everything below. (A batch has its own pool.)
        from .workers import pdf_worker
        pdf_worker()

    from .builder import BuildSettings, build

    settings = BuildSettings(
        formats=formats, paper=args.paper, pdf_variant=args.pdf_variant,
        bleed_mm=args.bleed, marks=args.marks, reference_docx=args.reference_docx,
        template_dirs=tuple(args.template_dirs), debug=args.debug, force=args.force)
    if settings.reference_docx and not settings.reference_docx.is_file():
        raise PipelineError(f"reference DOCX not found: {settings.reference_docx}",
                            hint="give the path of an existing .docx")
    for d in settings.template_dirs:
        if not d.is_dir():
            raise PipelineError(f"template folder not found: {d}")

    started = time.perf_counter()

    def report(result) -> None:
        for w in result.warnings:
            print(w, file=sys.stderr)
        if result.error:
            print(result.error, file=sys.stderr)
        elif not args.quiet:
            names = ", ".join(str(p) for p in result.outputs.values())
            verb = "up to date" if result.up_to_date else "wrote"
            print(f"{result.source}: {verb} {names}")

    executor, client = _executor(args)
    try:
        results = build(args.sources, args.outdir, settings, on_result=report,
                        executor=executor)
    finally:
        if executor is not None:
            executor.shutdown()
        if client is not None:
            client.close()
        from .workers import stop_pdf_worker
        stop_pdf_worker(kill=True)  # the command is done with it, used or not
    failed = sum(not r.ok for r in results)
    if not args.quiet or failed:
        elapsed = time.perf_counter() - started
        print(f"{len(results) - failed} built, {failed} failed in {elapsed:.1f} s",
              file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
