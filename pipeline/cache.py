"""Skipping what has not changed: per output folder, what each article was
built from."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .assets import TEMPLATES_DIR

if TYPE_CHECKING:
    from .jobs import BuildResult, BuildSettings


class BuildCache:
    """Remembers, per output folder, what each article was built from; an
    article whose inputs, settings, code, templates and fonts are all unchanged
    (and whose outputs are still there, untouched) is not rebuilt."""

    NAME = ".pipeline-cache.json"

    def __init__(self, outdir: Path, settings: BuildSettings) -> None:
        self.path = outdir / self.NAME
        self.settings = settings
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}
        self.changed = False
        self._context: str | None = None

    def context(self) -> str:
        """Everything but the article that shapes its outputs."""
        if self._context is None:
            s = self.settings
            digest = hashlib.sha256(repr((
                s.formats, s.paper, s.pdf_variant, s.bleed_mm, s.marks, s.justify, s.digits, s.columns, s.metadata,
                os.environ.get("SOURCE_DATE_EPOCH"))).encode())
            roots = [Path(__file__).parent, TEMPLATES_DIR, s.fonts_dir, *s.template_dirs]
            files = [p for root in roots for p in sorted(Path(root).rglob("*"))
                     if p.is_file() and "__pycache__" not in p.parts]
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
        when = "" if os.environ.get("SOURCE_DATE_EPOCH") else str(int(stat.st_mtime))
        return hashlib.sha256(
            json.dumps([self.context(), when, sorted(inputs.items())]).encode()).hexdigest()

    def fresh(self, source: Path) -> BuildResult | None:
        entry = self.entries.get(str(source.resolve()))
        if not entry:
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


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
