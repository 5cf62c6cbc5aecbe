"""The one settings schema: every setting a run may be given, what it may be,
its default, its help, where it may be set, and the build field it fills.

The command line's options, the settings files' checks, ``pipeline config``
(commands/settings.py), the build settings and the cache key (build/), and the
README's settings table are all made from ``SCHEMA``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pages import COLUMNS, JUSTIFICATIONS
from .pages import PAPERS as PAPER_TABLE
from .regional import DIGIT_STYLES

FORMATS = ("pdf", "docx", "epub", "html")
"""Every format a writer makes (``writers.FORMATS`` names each one's module)."""
PAPERS = tuple(PAPER_TABLE)


@dataclass(frozen=True)
class Option:
    """One setting: what it may be, its default, and where it may be set (the
    command line and both settings files always; the front matter when
    ``front_matter`` names its key there)."""

    key: str
    """The key in pyproject.toml and pipeline.toml."""
    kind: str
    """choice | choices | text | length | flag | path | paths"""
    default: Any
    """The value when nothing sets it (None: the front matter's, else the writer's own)."""
    help: str
    """What it does, for --help and the README's table."""
    flags: tuple[str, ...]
    """Its spellings on the command line."""
    choices: tuple = ()
    """The values it may take (choice, choices)."""
    metavar: str | None = None
    front_matter: str | None = None
    """The front-matter key that sets it per article, if any."""
    field: str | None = None
    """The ``BuildSettings`` field it fills (None: not a build setting)."""
    exists: str = ""
    """A path that must be there when given: ``file`` (a regular file, read
    whole: never /dev/zero or a FIFO) or ``folder``."""

    @property
    def dest(self) -> str:
        return self.key.replace("-", "_")


SCHEMA: tuple[Option, ...] = (
    Option("formats", "choices", ("pdf", "docx", "epub"),
           "formats to write: pdf, docx, epub or html; repeat or separate with commas",
           ("-f", "--format", "--to"), choices=FORMATS, metavar="FORMAT", field="formats"),
    Option("outdir", "path", Path("out"), "where the outputs go", ("-o", "--outdir"),
           metavar="OUTDIR"),
    Option("paper", "choice", None, "PDF paper size (a4 when nothing sets it)",
           ("--paper",), choices=PAPERS, front_matter="paper", field="paper"),
    Option("pdf-variant", "text", "pdf/ua-1",
           "a PDF variant the installed WeasyPrint makes: pdf/ua-1 (tagged and accessible), "
           "pdf/x-4 for the printer (tags kept), pdf/a-3a for archives, none for a plain "
           "PDF…; an unknown one is refused with the list", ("--pdf-variant",),
           metavar="VARIANT", field="pdf_variant"),
    Option("bleed", "length", "0mm", "bleed around each PDF page for the printer, e.g. 3mm",
           ("--bleed",), metavar="LENGTH", field="bleed_mm"),
    Option("marks", "flag", False, "crop marks and a slug line outside the PDF's trim",
           ("--marks",), field="marks"),
    Option("justify", "choice", None,
           "how the PDF justifies Arabic lines: kashida elongates joins (when nothing sets it), "
           "spaces widens word spaces only", ("--justify",), choices=JUSTIFICATIONS,
           front_matter="justify", field="justify"),
    Option("digits", "choice", None,
           "digits of page numbers, note and list numbers and the byline's date in every "
           "format (when nothing sets it: the digits most of the article's own numbers are "
           "written in, else the language's own, from CLDR); the body's digits are "
           "never changed",
           ("--digits",), choices=DIGIT_STYLES, front_matter="digits", field="digits"),
    Option("columns", "choice", None,
           "text columns on A4 and Letter (1 when nothing sets it, about 75 characters a "
           "line); A5 sets one",
           ("--columns",), choices=COLUMNS, front_matter="columns", field="columns"),
    Option("reference-docx", "path", None,
           "take the DOCX styles from this document (a newsroom's house styles, saved by "
           "Word, LibreOffice or this tool; `pipeline reference-docx` writes one to start from)",
           ("--reference-docx",), metavar="PATH", field="reference_docx", exists="file"),
    Option("reference-page", "flag", False,
           "take the DOCX's paper and margins from the reference DOCX too (else the "
           "article's paper stands)", ("--reference-page",), field="reference_page"),
    Option("template-dir", "paths", [],
           "templates here (article.html.j2, print.css.j2, epub.css, web.css…) override the "
           "defaults of the same name", ("--template-dir",), metavar="DIR",
           field="template_dirs", exists="folder"),
    Option("fonts", "path", None,
           "use the fonts in DIR instead of the shipped fonts/ (same file names)",
           ("--fonts",), metavar="DIR", field="fonts_dir", exists="folder"),
)

DEFAULTS: dict[str, Any] = {o.key: o.default for o in SCHEMA}
ARTICLE_DEFAULTS: dict[str, Any] = {"paper": "a4", "justify": "kashida", "columns": 1,
                                     "digits": "western"}
"""What an article gets of a setting that neither the settings nor its front
matter give (the digits: those its numbers are written in, else its
language's own — ``article_settings`` — and ``western`` for a writer called
on its own, as plain ``ar`` writes them)."""
OPTIONS: dict[str, Option] = {o.key: o for o in SCHEMA}


def article_settings(chosen: dict[str, Any], article) -> dict[str, tuple[Any, str]]:
    """The one merge of what an article gets of each setting its front matter
    may give, and where it comes from: what the settings files, the command
    line or the API chose (``chosen``, by key; None where nothing did), else
    its front matter, else the default — for the digits, those its own
    numbers are written in, else its language's (CLDR)."""
    from .regional import digit_style, written_digits
    meta, out = article.meta, {}
    for option in (o for o in SCHEMA if o.front_matter):
        given = getattr(meta, option.front_matter, None)
        if chosen.get(option.key) is not None:
            out[option.key] = (chosen[option.key], "settings")
        elif given:
            out[option.key] = (given, "front matter")
        elif option.key == "digits" and (written := written_digits(article)):
            out[option.key] = (written, "default (the digits the article's numbers are "
                                        "written in)")
        elif option.key == "digits":
            out[option.key] = (digit_style(meta.lang), f"default (the digits of {meta.lang})")
        else:
            out[option.key] = (ARTICLE_DEFAULTS[option.key], "default")
    return out
PATH_KEYS = tuple(o.key for o in SCHEMA if o.kind in ("path", "paths"))


def build_value(option: Option, value: Any) -> Any:
    """``value`` for ``option``'s build field as a Python caller gives it
    (``render(paper=…)``, ``BuildSettings(…)``), checked against the schema
    and in the field's type: a wrong one is a ``PipelineError`` naming the
    field, never a failure deep in a writer. None stands for "not set" where
    the default is None (the front matter's, then the writer's own)."""
    from .errors import PipelineError

    def refuse(expected: str):
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        raise PipelineError(f"setting '{option.field}' must be {expected}, not {shown}")

    if value is None and option.default is None:
        return None
    kind, choices = option.kind, " or ".join(map(str, option.choices))
    if kind == "choice":
        if isinstance(value, bool) or value not in option.choices:
            refuse(choices)
        return option.choices[option.choices.index(value)]  # 2.0 → the choice 2
    if kind == "choices":
        items = (value,) if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not items or any(
                item not in option.choices for item in items):
            refuse("some of " + ", ".join(option.choices))
        return tuple(dict.fromkeys(items))
    if kind == "flag":
        if not isinstance(value, bool):
            refuse("True or False")
        return value
    if kind == "length":  # the field holds millimetres
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            refuse("a number of millimetres")
        try:
            millimetres = float(value)
        except OverflowError:
            millimetres = math.inf
        if not math.isfinite(millimetres):
            refuse("a number of millimetres")
        return millimetres
    if kind == "text":
        if not isinstance(value, str):
            refuse("text")
        return value
    if kind == "path":
        if not isinstance(value, (str, os.PathLike)):
            refuse("a path")
        return _existing(option, Path(value))
    items = (value,) if isinstance(value, (str, os.PathLike)) else value  # paths
    if not isinstance(items, (list, tuple)) or any(
            not isinstance(item, (str, os.PathLike)) for item in items):
        refuse("a folder or a list of folders")
    return tuple(_existing(option, Path(item)) for item in items)


def choice_from_text(option: Option, text: str) -> Any:
    """A choice written as text (the front matter, a form) as the schema's
    value — ``"2"`` the column count 2, ``"A5"`` the paper ``a5`` — or None
    when nothing is written; a ``PipelineError`` naming what it may be."""
    from .errors import PipelineError
    text = text.strip()
    if not text:
        return None
    for choice in option.choices:
        if str(choice).lower() == text.lower():
            return choice
    raise PipelineError(f"'{option.front_matter or option.key}' must be "
                        f"{' or '.join(map(str, option.choices))}, not {text!r}",
                        hint=option.help)


def _existing(option: Option, path: Path) -> Path:
    from .errors import PipelineError
    if option.exists == "file" and not path.is_file():  # /dev/zero is read without end
        raise PipelineError(f"{option.key} is not a file: {path}",
                            hint="give the path of an existing file")
    if option.exists == "folder" and not path.is_dir():
        raise PipelineError(f"{option.key} folder not found: {path}")
    return path


def markdown_table() -> str:
    """The README's table of settings, made from the schema."""
    rows = ["| setting | command line | values | default | front matter | what it does |",
            "|---|---|---|---|---|---|"]
    for o in SCHEMA:
        values = {"choice": " · ".join(map(str, o.choices)),
                  "choices": " · ".join(map(str, o.choices)) + " (a list)", "flag": "true · false",
                  "length": "a length: mm, cm, in, pt", "text": "text",
                  "path": "a path", "paths": "a folder or a list of folders"}[o.kind]
        default = "—" if o.default in (None, [], False) and o.kind != "flag" else \
            ", ".join(o.default) if isinstance(o.default, tuple) else str(o.default).lower() \
            if isinstance(o.default, bool) else str(o.default)
        rows.append(f"| `{o.key}` | {' '.join(f'`{f}`' for f in o.flags)} | {values} | "
                    f"{default} | {f'`{o.front_matter}:`' if o.front_matter else ''} | "
                    f"{o.help} |")
    return "\n".join(rows)
