"""The writers, one module each, all ``write(article, options) -> bytes``.

Imported on demand: a DOCX build never pays for WeasyPrint's import.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

from ..model import Article
from ..options import WriterOptions

FORMATS = {"pdf": "pdf", "docx": "docx", "epub": "epub", "html": "web"}
"""Output format → the writer module under ``pipeline.writers``."""


@dataclass(frozen=True)
class Bundle:
    """A main file and the files it links to, which go in ``<name>_files/``
    beside it (a web page and its fonts and images)."""

    main: bytes
    files: dict[str, bytes] = field(default_factory=dict)


Writer = Callable[[Article, WriterOptions], "bytes | Bundle"]


def writer_for(fmt: str) -> Writer:
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").write
