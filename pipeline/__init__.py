"""One Arabic article source → a print-ready PDF, an editable DOCX and an EPUB 3.

    from pipeline import build, render
    build(["content/article.md"], outdir="out")
    files = render(markdown_text, formats=("pdf", "epub"))  # {"pdf": b"%PDF…", …}

The names below load on first use, so that ``python -m pipeline`` can start its
PDF worker before anything heavy is imported.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"
"""The release: ``pipeline --version``, the service's OpenAPI, the wheel's name."""
__all__ = ["build", "render", "load_article", "BuildResult", "BuildSettings", "PipelineError"]
_FROM = {"build": ".building.builder", "load_article": ".building.builder",
         "BuildResult": ".building.builder", "BuildSettings": ".building.builder",
         "PipelineError": ".errors", "render": ".api"}


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_FROM[name], __name__), name)
    globals()[name] = value
    return value
