"""What one run shares across its articles: made by the command or by an API
caller and handed down, so that no module keeps a worker, a clock or a folder
of its own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .workers import PdfWorker


@dataclass
class BuildContext:
    pdf: PdfWorker | None = field(default_factory=PdfWorker)
    """The PDF worker of a run that builds one article at a time (a batch has
    its pool), kept warm between the rebuilds of one context; None renders the
    PDF in this process (what ``build()`` does when given no context)."""
    epoch: str | None = field(default_factory=lambda: os.environ.get("SOURCE_DATE_EPOCH"))
    """The clock: SOURCE_DATE_EPOCH as the run began (None: the front matter's
    date, else the source file's time)."""
    content_dir: Path = Path("content")
    """Where the articles are when none is named."""

    def fresh_resources(self) -> None:
        """Forget what was read from fonts, templates and reference documents
        (they changed): the memos of this process (``caches.clear_memos``),
        and the PDF worker, whose own start afresh with it."""
        from ..caches import clear_memos
        clear_memos()
        if self.pdf is not None and self.pdf.running:
            self.pdf.stop(kill=True)  # the next PDF starts a fresh worker

    def close(self) -> None:
        """End what the context started (its PDF worker, at once)."""
        if self.pdf is not None:
            self.pdf.stop(kill=True)
