"""The fonts shipped in ``fonts/``: which files, which faces, what they cover.

Outputs use these files only, never fonts installed on the machine.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError

FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True, slots=True)
class FontFace:
    family: str
    """The CSS / Word family name."""
    path: Path
    """The font file."""
    bold: bool = False
    """Whether this is the bold face."""
    italic: bool = False
    """Whether this is the italic (slanted) face."""

    @property
    def css_weight(self) -> str:
        return "bold" if self.bold else "normal"

    @property
    def css_style(self) -> str:
        return "italic" if self.italic else "normal"


TEXT_FAMILY = "Amiri"
"""The family the text is set in."""
FALLBACK_FAMILIES = ("Noto Emoji",)
"""Families for characters the text family lacks, tried in order."""

_FACES = (
    ("Amiri", "Amiri-Regular.ttf", False, False),
    ("Amiri", "Amiri-Bold.ttf", True, False),
    ("Amiri", "Amiri-Italic.ttf", False, True),
    ("Amiri", "Amiri-BoldItalic.ttf", True, True),
    ("Noto Emoji", "NotoEmoji-Regular.ttf", False, False),
)


def shipped_faces(fonts_dir: Path = FONTS_DIR) -> tuple[FontFace, ...]:
    """Every shipped face; a missing file is an error that says which."""
    faces = []
    for family, name, bold, italic in _FACES:
        path = fonts_dir / name
        if not path.is_file():
            raise PipelineError(f"font file missing: {path}",
                                hint="restore fonts/ from the repository")
        faces.append(FontFace(family, path, bold, italic))
    return tuple(faces)


def text_faces(fonts_dir: Path = FONTS_DIR) -> tuple[FontFace, ...]:
    """The faces of the text family (regular, bold, italic, bold italic)."""
    return tuple(f for f in shipped_faces(fonts_dir) if f.family == TEXT_FAMILY)


@functools.lru_cache(maxsize=8)
def _cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage(fonts_dir: Path = FONTS_DIR) -> frozenset[int]:
    """Code points some shipped face can draw."""
    return frozenset().union(*(_cmap(f.path) for f in shipped_faces(fonts_dir)))


def family_for(ch: str, fonts_dir: Path = FONTS_DIR) -> str | None:
    """The first shipped family that has ``ch``, text family first."""
    for family in (TEXT_FAMILY, *FALLBACK_FAMILIES):
        if any(ord(ch) in _cmap(f.path) for f in shipped_faces(fonts_dir)
               if f.family == family):
            return family
    return None


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
