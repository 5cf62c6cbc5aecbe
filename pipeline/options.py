"""What a writer may be told: a small common part and one part per format.

Everything a writer would otherwise take from the world (the clock, the
identifier, where fonts and templates live) comes in here, so that a build is a
function of its inputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .facts import ArticleFacts
from .fonts import FONTS_DIR
from .resources import ImageResource
from .schema import ARTICLE_DEFAULTS, OPTIONS


@dataclass(frozen=True, slots=True)
class PdfOptions:
    # a writer called on its own gets the defaults a build gives (the schema's)
    paper: str = ARTICLE_DEFAULTS["paper"]
    """``a4``, ``a5`` or ``letter``."""
    variant: str = OPTIONS["pdf-variant"].default
    """A PDF variant the installed WeasyPrint makes (checked by the PDF writer,
    ``writers.pdf.variants``); ``none`` for a plain untagged PDF."""
    bleed_mm: float = 0.0
    """Bleed around the trim box, in millimetres."""
    marks: bool = False
    """Crop marks and a slug line outside the bleed (``writers.pdf.marks``)."""
    columns: int = ARTICLE_DEFAULTS["columns"]
    """Text columns on A4 and Letter (1 or 2); A5 always sets one."""
    justify: str = ARTICLE_DEFAULTS["justify"]
    """How justified Arabic lines take their slack: ``kashida`` (elongated joins,
    word spaces capped) or ``spaces`` (word spaces only)."""


@dataclass(frozen=True, slots=True)
class DocxOptions:
    reference: Any = None
    """A reference DOCX, read and mended: a ``writers.docx.reference.Reference``
    (the DOCX writer's own type, which the core only carries: naming it here
    would make the core import a writer), whose styles the output takes, like
    pandoc's --reference-doc; None for none."""
    reference_page: bool = False
    """Its page setup too (else the article's paper and the house margins)."""
    front_matter: str = ""
    """The source's front matter as typed, kept in the DOCX for ``pipeline import``."""


@dataclass(frozen=True, slots=True)
class WriterOptions:
    identifier: str
    """The publication's stable identifier (front matter ``id`` or derived from the source)."""
    timestamp: dt.datetime
    """The date the outputs carry (SOURCE_DATE_EPOCH, the front-matter date or the file's)."""
    stem: str = "article"
    """The outputs' file name without its suffix (a web page names its folder after it)."""
    fonts_dir: Path = FONTS_DIR
    """Where the shipped fonts are."""
    template_dirs: tuple[Path, ...] = ()
    """Folders whose templates override the defaults, by file name."""
    images: Mapping[str, ImageResource] = field(default_factory=dict)
    """The article's images, read and checked, by the path the article wrote."""
    digits: str = ARTICLE_DEFAULTS["digits"]
    """Digits of page and list numbers and of the byline's date: ``arabic-indic``
    or ``western`` (resolved from the settings, front matter and language)."""
    pdf: PdfOptions = field(default_factory=PdfOptions)
    docx: DocxOptions = field(default_factory=DocxOptions)
    facts: "ArticleFacts | None" = None
    """What the build worked out once for every writer (``facts.facts_for``
    makes it when a writer is called on its own)."""
