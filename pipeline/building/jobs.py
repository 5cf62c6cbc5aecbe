"""What a build is asked to do and what it gives back, and how it writes.

``BuildSettings`` (a run's choices), ``BuildResult`` (one article's outcome)
and the atomic write, shared by the builder and its cache without either
importing the other.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, PipelineError
from ..schema import FORMATS as FORMATS  # every format a writer makes
from ..schema import OPTIONS, SCHEMA, checked

DEFAULT_FORMATS = OPTIONS["formats"].default


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
    pdf_variant: str = OPTIONS["pdf-variant"].default
    bleed_mm: float = 0.0
    marks: bool = False
    justify: str | None = None
    """Overrides the front matter's ``justify``; None keeps it (default kashida)."""
    digits: str | None = None
    """Overrides the front matter's ``digits``; None keeps it (default: the language's)."""
    columns: int | None = None
    """Overrides the front matter's ``columns``; None keeps it (default 1)."""
    reference_docx: Path | None = None
    reference_page: bool = False
    """The reference DOCX sets the DOCX's page too (else the article's paper does)."""
    template_dirs: tuple[Path, ...] = ()
    fonts_dir: Path = OPTIONS["fonts"].default
    debug: bool = False
    """Let unexpected exceptions propagate (with their traceback) instead of
    recording them as the article's error."""
    force: bool = False
    """Rebuild even what has not changed since the last build."""
    metadata: tuple[tuple[str, str], ...] = ()
    """Front-matter values that replace the sources' own (``--metadata key=value``)."""

    def __post_init__(self) -> None:
        # Checked here, for every caller: the command line's values are
        # checked already, the API's (render, build) not yet.
        for option in SCHEMA:
            if option.field and hasattr(self, option.field):
                object.__setattr__(self, option.field,
                                   checked(option, getattr(self, option.field),
                                           name=option.field))
        for name in ("debug", "force"):  # per run, not settings: True or False all the same
            if not isinstance(getattr(self, name), bool):
                raise PipelineError(f"setting '{name}' must be True or False, "
                                    f"not {getattr(self, name)!r}")
        pairs = self.metadata
        if isinstance(pairs, dict):
            pairs = tuple(pairs.items())
        if not isinstance(pairs, (list, tuple)) or any(
                not isinstance(pair, (list, tuple)) or len(pair) != 2
                or not all(isinstance(part, str) for part in pair) for pair in pairs):
            raise PipelineError(f"setting 'metadata' must be (key, value) pairs of text, "
                                f"not {self.metadata!r}")
        object.__setattr__(self, "metadata", tuple(tuple(pair) for pair in pairs))


def sweep_partials(folder: Path, names: set[str] | None = None) -> None:
    """Remove the temporary files a killed build left for the files ``names``
    of ``folder`` (all of them when None), in one pass over the folder.
    ``stage`` names them ``.<name>.<pid>.<random>.part``; one whose process is
    still running belongs to a build going on beside this one and is kept."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        m = _PART.fullmatch(entry.name)
        if m and (names is None or m["name"] in names) and not _running(int(m["pid"])):
            Path(entry.path).unlink(missing_ok=True)


_PART = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.part")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own are stale: this process wrote none yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` beside ``target`` and rename it over: a reader sees the old
    file or the new one, never half of one."""
    write_all({target: data})


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: each is written and synced beside its target
    first, and only when all are on disk are they renamed over the old ones.
    A failure (disk full, a read-only folder, a folder where a file should be)
    leaves every older file as it was, and raises ``PipelineError``."""
    for target in files:
        if target.is_dir():
            raise PipelineError(f"cannot write {target}: a folder of that name is in the way",
                                hint="move the folder, or choose another output folder")
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            staged.append((stage(target, data), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        raise PipelineError(f"cannot write {exc.filename or target}: "
                            f"{exc.strerror or exc}",
                            hint="check the output folder: free space, permissions") from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def stage(target: Path, data: bytes) -> str:
    """``data`` written and synced to a temporary file beside ``target``; its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                               suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide outputs from others
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp
