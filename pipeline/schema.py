"""The one settings schema: every setting a run may be given, what it may be,
its default, its help, where it may be set, and the build field it fills.

The command line's options, the settings files' checks, ``pipeline config``
(commands/settings.py), the build settings and the cache key (build/), and the
README's settings table are all made from ``SCHEMA``.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .assets import FONTS_DIR
from .pages import COLUMNS, JUSTIFICATIONS
from .pages import PAPERS as PAPER_TABLE
from .regional import DIGIT_STYLES

FORMATS = ("pdf", "docx", "epub", "html")
"""Every format a writer makes (``writers.FORMATS`` names each one's module)."""
PAPERS = tuple(PAPER_TABLE)
MAX_BLEED_MM = 25
"""Bleed past this is refused: printers ask for 3–5 mm."""


@dataclass(frozen=True)
class Option:
    """One setting: what it may be, its default, and where it may be set (the
    command line and both settings files always; the front matter when
    ``front_matter`` names its key there)."""

    key: str
    """The key in pyproject.toml and pipeline.toml."""
    kind: str
    """choice | choices | text | length | flag | path | paths | variant (a
    PDF variant of the installed WeasyPrint, or none)"""
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
    most: float | None = None
    """The largest a length may be (millimetres)."""

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
    Option("pdf-variant", "variant", "pdf/ua-1",
           "a PDF variant the installed WeasyPrint makes: pdf/ua-1 (tagged and accessible), "
           "pdf/x-4 for the printer (tags kept), pdf/a-3a for archives, none for a plain "
           "PDF…; an unknown one is refused with the list", ("--pdf-variant",),
           metavar="VARIANT", field="pdf_variant"),
    Option("bleed", "length", "0mm", "bleed around each PDF page for the printer, e.g. 3mm",
           ("--bleed",), metavar="LENGTH", field="bleed_mm", most=MAX_BLEED_MM),
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
    Option("fonts", "path", FONTS_DIR,
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


def checked(option: Option, value: Any, name: str | None = None,
            relative_to: Path | None = None) -> Any:
    """The one validator: ``value`` for ``option`` however it was given — a
    settings file's TOML, the front matter's text, the command line, a Python
    caller (``render(paper=…)``, ``BuildSettings(…)``) or the service's query —
    checked against the schema and in the setting's one type (a choice as the
    schema writes it, ``"A5"`` the paper ``a5`` and ``"2"`` the column count 2;
    lists as tuples; a length in millimetres, from ``3mm`` or a number; paths
    as ``Path``, a settings file's ``relative_to`` its folder). A wrong value
    is a ``PipelineError`` naming the setting as its caller knows it
    (``name``), never a failure deep in a writer. None stands for "not set":
    the default (itself None where the front matter's, then the build's own
    default decides: ``article_settings``)."""
    from .errors import PipelineError
    name = name or option.key

    def refuse(expected: str, wrong: Any = value):
        shown = repr(wrong)
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        raise PipelineError(f"setting '{name}' must be {expected}, not {shown}",
                            hint=option.help)

    if value is None:
        value = option.default
        if value is None:
            return None
    kind = option.kind
    if kind == "choice":
        for choice in option.choices:
            if not isinstance(value, bool) and (value == choice or isinstance(value, str)
                                                and value.strip().lower() == str(choice)):
                return choice  # 2.0 → the choice 2
        refuse(" or ".join(map(str, option.choices)))
    if kind == "choices":  # a list, or text: "pdf" or "pdf,docx"
        items = [v for v in value.split(",") if v.strip()] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not items:
            refuse("some of " + ", ".join(option.choices))
        for item in items:  # the one that is wrong, named
            if not isinstance(item, str) or item.strip().lower() not in option.choices:
                refuse("some of " + ", ".join(option.choices), item)
        return tuple(dict.fromkeys(item.strip().lower() for item in items))
    if kind == "flag":
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"  # a flag written as text (a query)
        if not isinstance(value, bool):
            refuse("true or false")
        return value
    if kind == "length":
        millimetres = _millimetres(value)
        if millimetres is None:
            refuse("a length (3mm, 0.5cm, 0.1in, 8pt) or a number of millimetres")
        if option.most is not None and millimetres > option.most:
            refuse(f"at most {option.most:g} mm")
        return millimetres
    if kind == "text":
        if not isinstance(value, str):
            refuse("text")
        return value
    if kind == "variant":
        if not isinstance(value, str):
            refuse("text")
        if value.strip().lower() in ("none", str(option.default)):
            return value.strip().lower()  # known without asking WeasyPrint (its import)
        from .compat.weasyprint_setup import pdf_variants
        offered = (*pdf_variants(), "none")
        if value.strip().lower() not in offered:
            refuse(" or ".join(offered))
        return value.strip().lower()
    base = relative_to or Path()
    if kind == "path":
        if not isinstance(value, (str, os.PathLike)):
            refuse("a path")
        return _existing(option, base / value)
    items = (value,) if isinstance(value, (str, os.PathLike)) else value  # paths
    if not isinstance(items, (list, tuple)) or any(
            not isinstance(item, (str, os.PathLike)) for item in items):
        refuse("a folder or a list of folders")
    return tuple(_existing(option, base / item) for item in items)


_LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)?\s*")
_MILLIMETRES = {"mm": 1, None: 1, "cm": 10, "in": 25.4, "pt": 25.4 / 72}


def _millimetres(value: Any) -> float | None:
    """``3mm``, ``0.5cm``, ``0.1in``, ``8pt`` or a number (of millimetres) as
    millimetres; None for anything else, an endless or negative number too."""
    if isinstance(value, str):
        m = _LENGTH.fullmatch(value)
        if not m:
            return None
        number = float(m.group(1)) * _MILLIMETRES[m.group(2)]
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return None
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _existing(option: Option, path: Path) -> Path:
    from .errors import PipelineError
    if option.exists == "file" and not path.is_file():  # /dev/zero is read without end
        raise PipelineError(f"{option.key} is not a file: {path}",
                            hint="give the path of an existing file")
    if option.exists == "folder" and not path.is_dir():
        raise PipelineError(f"{option.key} folder not found: {path}")
    return path


def shown_default(option: Option) -> str:
    """A setting's default as --help and the README show it (a folder by its
    name: the shipped fonts are ``fonts`` wherever the package is)."""
    default = option.default
    if isinstance(default, tuple):
        return ", ".join(default)
    if isinstance(default, bool):
        return str(default).lower()
    if isinstance(default, Path):
        return default.name
    return str(default)


def markdown_table() -> str:
    """The README's table of settings, made from the schema."""
    rows = ["| setting | command line | values | default | front matter | what it does |",
            "|---|---|---|---|---|---|"]
    for o in SCHEMA:
        values = {"choice": " · ".join(map(str, o.choices)),
                  "choices": " · ".join(map(str, o.choices)) + " (a list)", "flag": "true · false",
                  "length": "a length: mm, cm, in, pt", "text": "text",
                  "variant": "a PDF variant of the installed WeasyPrint, or none",
                  "path": "a path", "paths": "a folder or a list of folders"}[o.kind]
        default = "—" if o.default in (None, [], False) and o.kind != "flag" else \
            shown_default(o)
        rows.append(f"| `{o.key}` | {' '.join(f'`{f}`' for f in o.flags)} | {values} | "
                    f"{default} | {f'`{o.front_matter}:`' if o.front_matter else ''} | "
                    f"{o.help} |")
    return "\n".join(rows)
