"""Which characters of a source no font of the run can draw."""

from __future__ import annotations

import unicodedata

from ..errors import Diagnostic
from .text import describe

_EXCERPT = 24
"""How many characters of a run a warning quotes."""


def uncovered_characters(text: str, covered: frozenset[int]) -> list[Diagnostic]:
    """A warning for each run of characters of one script that no shipped font
    can draw ("no shipped font has Georgian: ქართული და"), at the run's line
    and column; a run whose characters were all named before is not named
    again, so a long passage in another script is one warning, not one a line."""
    warnings: list[Diagnostic] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.split("\n"), 1):
        col = 0
        while col < len(line):
            if not _uncovered(line[col], covered):
                col += 1
                continue
            script = script_of(line[col])
            end = _run_end(line, col, script, covered)
            run = line[col:end]
            new = {ch for ch in run if _uncovered(ch, covered)} - seen
            if new:
                seen |= new
                excerpt = run if len(run) <= _EXCERPT else run[:_EXCERPT].rstrip() + "…"
                named = describe(run[0]) if len(run) == 1 else f"{script}: {excerpt}"
                warnings.append(Diagnostic(
                    f"no shipped font has {named}", line=lineno, column=col + 1,
                    hint="it may print as a blank box; add a font for it to fonts/",
                    severity="warning"))
            col = end
    return warnings


def _uncovered(ch: str, covered: frozenset[int]) -> bool:
    return not (ord(ch) in covered or ch in " \t" or unicodedata.category(ch) in ("Cf", "Cc"))


def script_of(ch: str) -> str:
    """The script a letter, mark or digit belongs to, as its Unicode name
    begins ("GEORGIAN LETTER AN" → Georgian, "CJK UNIFIED IDEOGRAPH" → CJK);
    "symbols" for everything else."""
    if unicodedata.category(ch)[0] not in "LMN":
        return "symbols"
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    if not word:
        return "symbols"
    return word if word.isupper() and len(word) <= 3 else word.capitalize()


def _run_end(line: str, start: int, script: str, covered: frozenset[int]) -> int:
    """Where the run of ``script`` from ``start`` ends: it goes on over spaces
    and punctuation to the next uncovered character of the same script."""
    end = position = start + 1
    while position < len(line):
        ch = line[position]
        if _uncovered(ch, covered) and script_of(ch) == script:
            end = position = position + 1
        elif ch.isspace() or unicodedata.category(ch)[0] in "PZ":
            position += 1
        else:
            break
    return end
