"""Which characters of a source no font of the run can draw."""

from __future__ import annotations

import unicodedata

from ..errors import Diagnostic
from .text import describe


def uncovered_characters(text: str, covered: frozenset[int]) -> list[Diagnostic]:
    """A warning for each character (first occurrence) no shipped font can draw."""
    warnings: list[Diagnostic] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.split("\n"), 1):
        for col, ch in enumerate(line, 1):
            if ch in seen or ord(ch) in covered or ch in " \t" or unicodedata.category(ch) in (
                    "Cf", "Cc"):
                continue
            seen.add(ch)
            warnings.append(Diagnostic(
                f"no shipped font has {describe(ch)}", line=lineno, column=col,
                hint="it may print as a blank box; add a font for it to fonts/",
                severity="warning"))
    return warnings
