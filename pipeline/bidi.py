"""Left-to-right runs inside right-to-left text, found once and kept whole.

Arabic news copy is full of Latin: product names, handles, directive numbers.
Left to the Unicode bidi algorithm, the characters that join such a run — the
slash of "96/9/EC", the at-sign of "@benbalter", the spaces of "Node.js
Package Manager" — are neutral and take the Arabic direction, so the run
comes apart ("EC/96/9", "benbalter@"); and a run broken by formatting is laid
out piece by piece. A run found here becomes one ``Isolate`` in the model,
which every writer draws as one left-to-right unit.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from .model import Article, Code, Emphasis, Inline, Isolate, Link, Strikeout, Strong, Text
from .transforms import block_direction, map_inlines

# Characters that join the parts of one run: "@benbalter", "96/9/EC", "C++",
# "first_timers", "10:30", "Node.js", "don't", "MIT, Apache 2.0", "alert(1)".
JOINERS = frozenset("@./-_:+#%&'’,()[]")
_PAIRS = {"(": ")", "[": "]"}
# A run does not end in sentence punctuation: it belongs to the Arabic sentence.
_TRAILING = frozenset(".:,;!?'’")
_SPACES = frozenset(" \u00a0")


@lru_cache(maxsize=4096)
def _class(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def _strong_ltr(ch: str) -> bool:
    return _class(ch) == "L"


def _in_run(ch: str) -> bool:
    return _strong_ltr(ch) or "0" <= ch <= "9" or ch in JOINERS


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that read left to right as one unit: Latin
    letters (any strong left-to-right script), digits and the joiners, with the
    spaces between such words, holding at least one letter."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if not _in_run(text[i]):
            i += 1
            continue
        start = end = i
        j = i
        while j < n:
            if _in_run(text[j]):
                j += 1
                end = j
            elif text[j] in _SPACES:
                k = j
                while k < n and text[k] in _SPACES:
                    k += 1
                if k < n and _in_run(text[k]):
                    j = k  # spaces between two parts of the run belong to it
                else:
                    break
            else:
                break
        start, end = _balanced(text, start, end)
        if any(_strong_ltr(ch) for ch in text[start:end]):
            runs.append((start, end))
        i = max(j, i + 1)
    return runs


def _balanced(text: str, start: int, end: int) -> tuple[int, int]:
    """The run without the sentence punctuation at its end and without a bracket
    whose partner lies outside it (that bracket belongs to the Arabic text, and
    must mirror with it)."""
    changed = True
    while changed and end > start:
        changed = False
        while end > start and text[end - 1] in _TRAILING:
            end, changed = end - 1, True
        for opening, closing in _PAIRS.items():
            part = text[start:end]
            if part.count(opening) == part.count(closing):
                continue
            if part.endswith(closing) and part.count(closing) > part.count(opening):
                end, changed = end - 1, True
            elif part.startswith(opening) and part.count(opening) > part.count(closing):
                start, changed = start + 1, True
            elif part.count(opening) > part.count(closing):
                end = start + part.rfind(opening)  # "Node (وnpm" → "Node"
                changed = True
            else:
                start = start + part.find(closing) + 1
                changed = True
    return start, end


# --- the model transform --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    node: Inline
    """A text piece or an inline without children (code, break, image)."""
    wrappers: tuple[Inline, ...]
    """The formatting around it, outermost first (source nodes, told apart by identity)."""


_WRAPPERS = (Strong, Emphasis, Strikeout, Link)
_OPAQUE = "\ufffc"  # an image or a break: never part of a run


def isolate_runs(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` with each left-to-right run wrapped in one ``Isolate``; a run
    may cross emphasis, strong and links (they are split at its edges)."""
    pieces = list(_flatten(inlines, ()))
    plain = "".join(_plain(p.node) for p in pieces)
    runs = ltr_runs(plain)
    if not runs:
        return inlines
    cut: list[tuple[_Piece, int | None]] = []  # (piece, run number or None)
    offset = 0
    for piece in pieces:
        length = len(_plain(piece.node))
        if isinstance(piece.node, Text):
            for start, end, run in _split(offset, offset + length, runs):
                text = piece.node.text[start - offset:end - offset]
                cut.append((_Piece(Text(text), piece.wrappers), run))
        else:
            run = next((k for k, (s, e) in enumerate(runs) if s <= offset < e), None)
            cut.append((piece, run))
        offset += length
    out: list[Inline] = []
    i = 0
    while i < len(cut):
        run = cut[i][1]
        j = i
        while j < len(cut) and cut[j][1] == run:
            j += 1
        nested = _nest([p for p, _ in cut[i:j]], 0)
        out.extend(nested if run is None else [Isolate(tuple(nested))])
        i = j
    return tuple(out)


def _flatten(inlines, wrappers):
    for node in inlines:
        if isinstance(node, _WRAPPERS):
            yield from _flatten(node.children, (*wrappers, node))
        elif isinstance(node, Isolate):
            yield from _flatten(node.children, wrappers)
        else:
            yield _Piece(node, wrappers)


def _plain(node: Inline) -> str:
    if isinstance(node, Text):
        return node.text
    if isinstance(node, Code):
        return "x" * max(1, len(node.text))  # code reads left to right; it may join a run
    return _OPAQUE


def _split(start: int, end: int, runs: list[tuple[int, int]]):
    """The parts of [start, end) inside and outside the runs, in order."""
    position = start
    for k, (s, e) in enumerate(runs):
        if e <= position or s >= end:
            continue
        if s > position:
            yield position, s, None
        yield max(s, position), min(e, end), k
        position = min(e, end)
    if position < end:
        yield position, end, None


def _nest(pieces: list[_Piece], depth: int) -> list[Inline]:
    out: list[Inline] = []
    i = 0
    while i < len(pieces):
        wrappers = pieces[i].wrappers
        if len(wrappers) <= depth:
            if not (isinstance(pieces[i].node, Text) and not pieces[i].node.text):
                out.append(pieces[i].node)
            i += 1
            continue
        original = wrappers[depth]
        j = i
        while j < len(pieces) and len(pieces[j].wrappers) > depth \
                and pieces[j].wrappers[depth] is original:
            j += 1
        children = tuple(_nest(pieces[i:j], depth + 1))
        if children:
            out.append(replace(original, children=children))
        i = j
    return out


def isolate_article(article: Article) -> Article:
    """Every inline sequence of a right-to-left article with its left-to-right
    runs isolated; a block that reads left to right as a whole (an English
    quotation, ``transforms.block_direction``) is left as it is, except in a
    list, whose items keep the list's direction."""
    if article.meta.dir != "rtl":
        return article

    def inlines(content: tuple[Inline, ...], in_list: bool) -> tuple[Inline, ...]:
        # A list item stays in its list's direction whatever its text: only
        # its Latin runs read left to right.
        if not in_list and block_direction(content, "rtl"):
            return content
        return isolate_runs(content)

    return map_inlines(article, inlines)

