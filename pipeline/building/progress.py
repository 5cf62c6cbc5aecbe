"""What a build tells the person running it: one line per problem, a progress
bar over a batch (on a terminal), and a closing summary."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable


class Reporter:
    """Prints results as they arrive. Errors and warnings are always one line
    each, on stderr; ``quiet`` prints nothing else, ``verbose`` adds timings
    and the articles that were already up to date."""

    def __init__(self, quiet: bool = False, verbose: bool = False, stream=None) -> None:
        self.quiet, self.verbose = quiet, verbose
        self.err = stream or sys.stderr
        self.console = None

    def run(self, build: Callable, sources: list | None = None) -> list:
        """Call ``build(on_result)``, reporting each result; then the summary.
        ``sources`` (the articles to build) drives the progress bar."""
        started = time.perf_counter()
        count = len(sources) if sources is not None else None
        fancy = (not self.quiet and count is not None and count > 1
                 and getattr(self.err, "isatty", lambda: False)())
        if fancy:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                       TimeElapsedColumn)
            self.console = Console(file=self.err)
            waiting = [Path(s).name for s in sources]
            with Progress(TextColumn("[bold]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TimeElapsedColumn(),
                          console=self.console, transient=True) as bar:
                task = bar.add_task(f"building {waiting[0]}", total=count)

                def on_result(result) -> None:
                    self.result(result)
                    if result.source.name in waiting:
                        waiting.remove(result.source.name)
                    now = f"building {waiting[0]}" if waiting else "done"
                    bar.update(task, advance=1, description=now)
                results = build(on_result)
            self.table(results)
        else:
            results = build(self.result)
        self.summary(results, time.perf_counter() - started)
        return results

    def say(self, text: str, error: bool = False) -> None:
        if self.console is not None:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            print(text, file=self.err if error else sys.stdout, flush=True)

    def result(self, result) -> None:
        for warning in result.warnings:
            self.say(str(warning), error=True)
        if result.error:
            self.say(str(result.error), error=True)
        elif self.quiet or (result.up_to_date and not self.verbose):
            return
        elif self.console is None:
            names = ", ".join(str(p) for p in result.outputs.values())
            verb = "up to date" if result.up_to_date else "wrote"
            timing = f" in {result.seconds:.2f} s" if self.verbose and result.seconds else ""
            self.say(f"{result.source}: {verb} {names}{timing}")

    def table(self, results: list) -> None:
        from rich.table import Table
        table = Table(title="pipeline build", show_lines=False)
        for column in ("article", "outputs", "status", "warnings", "time"):
            table.add_column(column)
        for r in results:
            status = "failed" if r.error else ("up to date" if r.up_to_date else "built")
            table.add_row(str(r.source), ", ".join(sorted(r.outputs)), status,
                          str(len(r.warnings)), f"{r.seconds:.2f} s" if r.seconds else "")
        self.console.print(table)

    def summary(self, results: list, seconds: float) -> None:
        failed = sum(1 for r in results if r.error)
        current = sum(1 for r in results if r.up_to_date)
        built = len(results) - failed - current
        if self.quiet and not failed:
            return
        parts = [f"{built} built"] + ([f"{current} up to date"] if current else []) + \
            [f"{failed} failed"]
        self.say(f"{', '.join(parts)} in {seconds:.1f} s", error=bool(failed))
