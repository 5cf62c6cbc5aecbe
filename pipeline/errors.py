"""Diagnostics: one line each, ``path:line:col: error: what is wrong — how to fix it``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    message: str
    """What is wrong."""
    path: str = ""
    """The file it is about, as the user named it."""
    line: int | None = None
    """1-based line in that file, when known."""
    column: int | None = None
    """1-based column in that line, when known."""
    hint: str = ""
    """How to fix it, when there is something to say."""
    severity: str = "error"
    """``error`` or ``warning``."""

    def __str__(self) -> str:
        where = self.path or "pipeline"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        # One line, whatever the message carried in.
        return " ".join(text.splitlines())


class PipelineError(Exception):
    """A refusal the user can act on; the command prints it as one line."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None,
                 column: int | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.diagnostic = Diagnostic(message, str(path), line, column, hint)

    def __reduce__(self):
        # crosses process boundaries (batch workers) with its diagnostic intact
        return (_from_diagnostic, (self.diagnostic,))

    def located(self, path: str) -> "PipelineError":
        """The same error, naming ``path`` when it did not name a file yet."""
        if self.diagnostic.path:
            return self
        d = self.diagnostic
        return PipelineError(d.message, path=path, line=d.line, column=d.column, hint=d.hint)

    def __str__(self) -> str:
        return str(self.diagnostic)


def _from_diagnostic(diagnostic: Diagnostic) -> PipelineError:
    d = diagnostic
    return PipelineError(d.message, path=d.path, line=d.line, column=d.column, hint=d.hint)


def did_you_mean(word: str, known, what: str) -> str:
    """The hint for an unknown name: the closest known one, else the list of
    ``what`` there are."""
    close = difflib.get_close_matches(word, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else f"known {what}: " + ", ".join(known)


def template_error(exc: BaseException) -> PipelineError:
    """A Jinja error as one line naming the template file and line: a syntax
    error says where itself; for an error while rendering, Jinja rewrites the
    traceback so that its last template frame names the file and line."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".xhtml", ".html")):
            name, line = filename, tb.tb_lineno
        tb = tb.tb_next
    hint = "fix the template in the template folder"
    if name and "/" in name:  # the file and line are the template's, not the article's
        return PipelineError(f"template: {exc}", path=name, line=line, hint=hint)
    return PipelineError(f"template{' ' + name if name else ''}: {exc}", hint=hint)
