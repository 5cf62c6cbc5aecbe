"""Skipping what has not changed: per output folder, what each article was
built from."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..assets import TEMPLATES_DIR
from ..files import open_regular
from ..schema import SCHEMA

if TYPE_CHECKING:
    from .jobs import BuildResult, BuildSettings


class BuildCache:
    """Remembers, per output folder, what each article was built from; an
    article whose inputs, settings, code, templates and fonts are all unchanged
    (and whose outputs are still there, untouched) is not rebuilt."""

    NAME = ".pipeline-cache.json"

    def __init__(self, outdir: Path, settings: BuildSettings, epoch: str | None = None) -> None:
        self.path = outdir / self.NAME
        self.settings = settings
        self.epoch = epoch
        """The run's SOURCE_DATE_EPOCH: part of every output."""
        self.entries = _valid_entries(self.path, outdir)
        self.changed = False
        self._context: str | None = None

    def context(self) -> str:
        """Everything but the article that shapes its outputs."""
        if self._context is None:
            s = self.settings
            # every build setting of the schema; folders are hashed by their files below
            chosen = tuple(getattr(s, o.field) for o in SCHEMA
                           if o.field and o.kind not in ("path", "paths"))
            digest = hashlib.sha256(repr((
                chosen, s.metadata, self.epoch)).encode())
            # the whole package's code (this module is one folder down in it)
            roots = [Path(__file__).parent.parent, TEMPLATES_DIR, s.fonts_dir, *s.template_dirs]
            files = [p for root in roots for p in folder_files(Path(root))]
            if s.reference_docx:
                files.append(Path(s.reference_docx))
            for path in files:
                digest.update(str(path).encode())
                digest.update(_file_digest(path).encode())
            self._context = digest.hexdigest()
        return self._context

    def _key(self, source: Path, inputs: dict[str, str]) -> str:
        stat = source.stat()
        # without SOURCE_DATE_EPOCH the source's time is in the outputs
        when = "" if self.epoch else str(int(stat.st_mtime))
        return hashlib.sha256(
            json.dumps([self.context(), when, sorted(inputs.items())]).encode()).hexdigest()

    def fresh(self, source: Path) -> BuildResult | None:
        entry = self.entries.get(str(source.resolve()))
        if not entry or not _belongs(entry, source.resolve().parent, self.path.parent):
            return None
        try:
            inputs = {path: _file_digest(Path(path)) for path in entry["inputs"]}
            if self._key(source, inputs) != entry["key"]:
                return None
            outputs = {fmt: Path(name) for fmt, (name, digest) in entry["outputs"].items()}
            if set(outputs) != set(self.settings.formats) or any(
                    _file_digest(path) != entry["outputs"][fmt][1]
                    for fmt, path in outputs.items()):
                return None
        except (OSError, KeyError, ValueError):
            return None
        from .jobs import BuildResult
        return BuildResult(source, outputs=outputs, up_to_date=True)

    def record(self, result: BuildResult) -> None:
        self.entries[str(result.source.resolve())] = {
            "key": self._key(result.source, result.inputs),
            "inputs": sorted(result.inputs),
            "outputs": {fmt: [str(path), result.digests[fmt]]
                        for fmt, path in result.outputs.items()},
        }
        self.changed = True

    def save(self) -> None:
        if self.changed:
            from .jobs import write_atomically
            write_atomically(self.path, json.dumps(self.entries, indent=1).encode())


MAX_FOLDER_FILES = 1000
"""A template or font folder holding more files than this is refused: it is
hashed whole to tell whether outputs are up to date (``--template-dir /``
would read the whole disk)."""


def folder_files(root: Path) -> list[Path]:
    """The regular files under ``root``, sorted (no ``__pycache__``); refuses a
    folder of more than ``MAX_FOLDER_FILES``."""
    from ..errors import PipelineError
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in names:
            path = Path(folder) / name
            if path.is_file():
                found.append(path)
        if len(found) > MAX_FOLDER_FILES:
            raise PipelineError(f"{root} holds over {MAX_FOLDER_FILES:,} files",
                                hint="name a folder of templates or fonts only")
    return sorted(found)


def _valid_entries(path: Path, outdir: Path) -> dict:
    """The cache file's entries, or none when it is unreadable or not the shape
    this module writes (a damaged file makes every article build again)."""
    try:
        with open_regular(path) as fh:
            raw = fh.read(MAX_CACHE_BYTES + 1)
        entries = json.loads(raw) if len(raw) <= MAX_CACHE_BYTES else {}
    except (OSError, ValueError):
        return {}
    if not isinstance(entries, dict):
        return {}
    return {source: entry for source, entry in entries.items() if _well_formed(entry)}


MAX_CACHE_BYTES = 16 * 1024 * 1024


def _well_formed(entry) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("key"), str)
            and isinstance(entry.get("inputs"), list)
            and all(isinstance(i, str) for i in entry["inputs"])
            and isinstance(entry.get("outputs"), dict)
            and all(isinstance(f, str) and isinstance(v, list) and len(v) == 2
                    and all(isinstance(x, str) for x in v)
                    for f, v in entry["outputs"].items()))


def _belongs(entry: dict, source_dir: Path, outdir: Path) -> bool:
    """Every file an entry names is where a build of its article reads or
    writes: inputs in the article's folder, outputs in the output folder. A
    crafted cache file cannot make the check open anything else."""
    outdir = outdir.resolve()
    return (all(Path(i).resolve().is_relative_to(source_dir) for i in entry["inputs"])
            and all(Path(p).resolve().parent == outdir
                    for p, _ in entry["outputs"].values()))


def _file_digest(path: Path) -> str:
    """sha256 of a regular file, read in pieces (never whole into memory)."""
    with open_regular(path) as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
