"""What a build is asked to do and what it gives back, and how it writes.

``BuildSettings`` (a run's choices), ``BuildResult`` (one article's outcome)
and the atomic write, shared by the builder and its cache without either
importing the other.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts
from .errors import Diagnostic

FORMATS = ("pdf", "docx", "epub", "html")
DEFAULT_FORMATS = ("pdf", "docx", "epub")


@dataclass
class BuildResult:
    source: Path
    """The article's source file."""
    outputs: dict[str, Path] = field(default_factory=dict)
    """Format → the file written."""
    warnings: list[Diagnostic] = field(default_factory=list)
    """What the user should know but did not stop the build."""
    error: Diagnostic | None = None
    """Why the build failed, or None."""
    up_to_date: bool = False
    """Nothing had changed: the outputs from the last build were kept."""
    seconds: float = 0.0
    """How long the build of this article took (reading, rendering, writing)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """Every file the build read (path → sha256)."""
    digests: dict[str, str] = field(default_factory=dict)
    """Format → sha256 of the file written (the cache's record of it)."""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class BuildSettings:
    """What the command line (or an API caller) chooses for every article of a run."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    paper: str | None = None
    """Overrides the front matter's ``paper``; None keeps it (default A4)."""
    pdf_variant: str = "pdf/ua-1"
    bleed_mm: float = 0.0
    marks: bool = False
    justify: str | None = None
    """Overrides the front matter's ``justify``; None keeps it (default kashida)."""
    digits: str | None = None
    """Overrides the front matter's ``digits``; None keeps it (default: the language's)."""
    columns: int | None = None
    """Overrides the front matter's ``columns``; None keeps it (default 1)."""
    reference_docx: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    fonts_dir: Path = fonts.FONTS_DIR
    debug: bool = False
    """Let unexpected exceptions propagate (with their traceback) instead of
    recording them as the article's error."""
    force: bool = False
    """Rebuild even what has not changed since the last build."""
    metadata: tuple[tuple[str, str], ...] = ()
    """Front-matter values that replace the sources' own (``--metadata key=value``)."""


def sweep_partials(folder: Path, names: set[str] | None = None) -> None:
    """Remove the temporary files a killed build left for the files ``names``
    of ``folder`` (all of them when None), in one pass over the folder;
    ``write_atomically`` names them ``.<name>.<random>.part``."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") and name.endswith(".part") and \
                (names is None or name[1:-len(".part")].rpartition(".")[0] in names):
            Path(entry.path).unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and rename it over: a reader sees the old
    file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide outputs from others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
