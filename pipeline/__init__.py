"""One Arabic article source → a print-ready PDF, an editable DOCX and an EPUB 3.

    from pipeline import build
    build(["content/article.md"], outdir="out")
"""

from .build import BuildResult, build, load_article
from .errors import PipelineError

__all__ = ["build", "load_article", "BuildResult", "PipelineError"]
