"""The writers, one module each, all ``write(article, options) -> bytes``.

Imported on demand: a DOCX build never pays for WeasyPrint's import.
"""

from __future__ import annotations

import importlib
from typing import Callable

from ..model import Article
from ..options import WriterOptions

FORMATS = {"pdf": "pdf", "docx": "docx", "epub": "epub"}
"""Output format → the writer module under ``pipeline.writers``."""

Writer = Callable[[Article, WriterOptions], bytes]


def writer_for(fmt: str) -> Writer:
    return importlib.import_module(f"{__name__}.{FORMATS[fmt]}").write
