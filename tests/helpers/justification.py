"""How a PDF's justified lines are set, measured from the PDF alone: each
word's drawn width against the width HarfBuzz shapes it (the excess is an
elongation, a kashida), and the gaps between words.

Lines are MuPDF's (pymupdf), in the body's type size; a full line is one of a
paragraph of two lines or more, not its last, as wide as the paragraph's
widest line. Widths are in ems of the word's own type size.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

KASHIDA_EM = 0.08
"""A word drawn this much wider than HarfBuzz shapes it holds an elongation."""
SPACE_EM = 0.1
"""A gap between two words at least this wide is a word space (MuPDF also
splits a word at a change of direction, with no gap)."""


@dataclass
class Line:
    page: int
    y: float
    words: list[tuple[str, float, float]]
    """(text, excess in em, letters) for each word, in visual order."""
    spaces: list[float]
    """The word spaces, in em."""

    @property
    def kashidas(self) -> list[tuple[str, float, float]]:
        return [w for w in self.words if w[1] >= KASHIDA_EM]


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)

    def kashidas_per_line(self) -> list[int]:
        return [len(line.kashidas) for line in self.lines]

    def longest_kashida(self) -> float:
        return max((w[1] for line in self.lines for w in line.kashidas), default=0.0)

    def short_word_kashidas(self) -> list[str]:
        return [w[0] for line in self.lines for w in line.kashidas if w[2] <= 3]

    def neighbour_kashidas(self) -> int:
        """Elongated words standing next to each other on a line."""
        count = 0
        for line in self.lines:
            marks = [w[1] >= KASHIDA_EM for w in line.words]
            count += sum(1 for a, b in zip(marks, marks[1:]) if a and b)
        return count

    def spaces(self) -> list[float]:
        return [s for line in self.lines for s in line.spaces]

    def summary(self) -> dict:
        per_line = self.kashidas_per_line()
        spaces = sorted(self.spaces())
        return {
            "lines": len(self.lines),
            "kashidas_mean": statistics.fmean(per_line) if per_line else 0.0,
            "kashidas_max": max(per_line, default=0),
            "longest_em": self.longest_kashida(),
            "short_words": len(self.short_word_kashidas()),
            "neighbours": self.neighbour_kashidas(),
            "space_p95": spaces[int(0.95 * (len(spaces) - 1))] if spaces else 0.0,
            "space_max": spaces[-1] if spaces else 0.0,
        }


def _script(ch: str) -> str | None:
    """Arabic or Latin for a letter; None for anything else."""
    if not ch.isalpha():
        return None
    return "arabic" if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff" else "latin"


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def measure(pdf: Path, fonts_dir: Path) -> Report:
    import pymupdf

    from pipeline.fonts import shaped_width_em, text_faces

    faces = {(f.bold, f.italic): f.path for f in text_faces(fonts_dir)}
    report = Report()
    with pymupdf.open(str(pdf)) as document:
        sizes: Counter = Counter()
        pages = []
        for number, page in enumerate(document):
            raw = page.get_text("rawdict")
            pages.append(raw)
            for block in raw["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        sizes[round(span["size"], 1)] += len(span["chars"])
        body = sizes.most_common(1)[0][0]
        for number, raw in enumerate(pages):
            # MuPDF makes a block of each line: group the page's body lines
            # by their start edge (a paragraph, a list's items, a quote)
            lines = []
            line_chars: dict[int, list] = {}
            for block in raw["blocks"]:
                for line in block.get("lines", []):
                    spans = [s for s in line["spans"] if s["chars"]]
                    if spans and all(round(s["size"], 1) == body for s in spans):
                        words = _words(spans, faces)
                        if words:
                            lines.append(words)
                            line_chars[id(words)] = [
                                c for s in spans for c in s["chars"]
                                if unicodedata.category(c["c"]) != "Cf"]
            by_edge: dict[int, list] = {}
            for words in lines:
                by_edge.setdefault(round(words[-1][2]), []).append(words)
            for group in by_edge.values():
                widest = max(ws[-1][2] - ws[0][1] for ws in group)
                for words in group:
                    if words[-1][2] - words[0][1] < widest - 1.0 or len(words) < 3:
                        continue
                    spaces = _spaces(line_chars[id(words)], body)
                    report.lines.append(Line(number, words[0][3], [
                        (text, excess, _letters(text)) for text, _, _, _, excess in words],
                        spaces))
    return report


def _spaces(chars, size: float) -> list[float]:
    """The word spaces of a line, in ems: for each space character, the gap
    between the letters on either side of it, where they stand side by side
    on the page (no other letter between them)."""
    bases = [c for c in chars if unicodedata.category(c["c"]) != "Mn"]
    letters = [c for c in bases if not c["c"].isspace()]
    gaps = []
    for k, c in enumerate(bases):
        if not c["c"].isspace():
            continue
        before = next((b for b in reversed(bases[:k]) if not b["c"].isspace()), None)
        after = next((b for b in bases[k + 1:] if not b["c"].isspace()), None)
        if before is None or after is None:
            continue
        left, right = sorted((before, after), key=lambda b: b["bbox"][0])
        x0, x1 = left["bbox"][2], right["bbox"][0]
        if any(x0 + 0.01 < (b["bbox"][0] + b["bbox"][2]) / 2 < x1 - 0.01 for b in letters):
            continue
        gap = (x1 - x0) / size
        if gap >= SPACE_EM:
            gaps.append(gap)
    return gaps


def _words(spans, faces) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y, excess em) of each word of a line, left to right.
    A word is what lies between two spaces of one span; its letters are put
    in reading order by their places (MuPDF's order is not always it), each
    mark after the letter it follows in the content stream."""
    from pipeline.fonts import shaped_width_em
    words = []
    for span in spans:
        bold = "Bold" in span["font"]
        italic = "Italic" in span["font"] or "Slanted" in span["font"]
        path = faces.get((bold, italic)) or faces[(False, False)]
        current: list = []
        # format characters (word joiners, isolates) are invisible: left out
        shown = [c for c in span["chars"] if unicodedata.category(c["c"]) != "Cf"]
        for c in [*shown, None]:
            script = None if c is None else _script(c["c"])
            if c is None or c["c"].isspace() or (
                    current and script and _script(current[-1]["c"]) not in (None, script)):
                if current:
                    words.append((current, path, span["size"]))
                current = [] if c is None or c["c"].isspace() else [c]
            else:
                current.append(c)
    out = []
    for chars, path, size in words:
        clusters: list[list] = []  # a letter and the marks after it
        # punctuation at the word's ends is left out: MuPDF may place a
        # line's last comma apart
        inner = list(chars)
        while inner and unicodedata.category(inner[0]["c"]).startswith("P"):
            inner.pop(0)
        while inner and unicodedata.category(inner[-1]["c"]).startswith("P"):
            inner.pop()
        for c in inner:
            if clusters and unicodedata.category(c["c"]) == "Mn":
                clusters[-1].append(c)
            else:
                clusters.append([c])
        rtl = any("\u0600" <= c["c"] <= "\u06ff" for c in chars)
        clusters.sort(key=lambda cl: cl[0]["bbox"][0], reverse=rtl)  # reading order
        text = "".join(c["c"] for cl in clusters for c in cl)
        bases = [cl[0] for cl in clusters]
        if not bases:
            continue
        places = sorted((c["bbox"][0], c["bbox"][2]) for c in bases)
        apart = any(b[0] - a[1] > 0.3 * size for a, b in zip(places, places[1:]))
        x0 = min(c["bbox"][0] for c in bases)
        x1 = max(c["bbox"][2] for c in bases)
        # a symbol no text face has (an emoji) is drawn in another font
        # nor is a word MuPDF ran together from two scripts (no space between)
        mixed = len({_script(ch) for ch in text} - {None}) > 1
        measured = not apart and not mixed and all(
            unicodedata.category(ch) != "So" for ch in text)
        excess = (x1 - x0) / size - shaped_width_em(text, path) if measured else 0.0
        # the word's extent for the spaces around it: its punctuation too,
        # where drawn against it
        for c in chars:
            if unicodedata.category(c["c"]).startswith("P") and \
                    x0 - 0.5 * size <= c["bbox"][0] and c["bbox"][2] <= x1 + 0.5 * size:
                x0, x1 = min(x0, c["bbox"][0]), max(x1, c["bbox"][2])
        out.append((text, x0, x1, chars[0]["origin"][1], excess))
    return sorted(out, key=lambda w: w[1])
