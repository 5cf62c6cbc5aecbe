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

import itertools
import re
import unicodedata
from dataclasses import dataclass, replace

from .caches import memo
from .model import Article, Code, Emphasis, Inline, Isolate, Link, Strikeout, Strong, Text
from .transforms import block_direction, map_inlines

# The rule, in the words of the bidi algorithm (UAX #9): a run is what lies
# between two strong left-to-right characters (a digit after a Latin letter
# counts as one, W7) with nothing right-to-left in between; neutrals inside
# belong to it (N1), neutrals at its edges to the Arabic around it. Beyond
# UAX #9, which would split "96/9/EC" and "@benbalter" at their first neutral,
# a number before the run's first letter belongs to it ("999 USD"), symbols
# written against a run's edge (no space between) belong to it, and so does
# a bracket or quote pair around it. Sentence punctuation
# at an edge (". , : ; ! ?" and Arabic "، ؛ ؟") is the sentence's, never the
# run's: "المصدر: Reuters" isolates "Reuters" alone.
_SENTENCE = frozenset(".,:;!?…\u060c\u061b\u061f\u06d4")
_OPENING = {"(": ")", "[": "]", "{": "}", "<": ">", '"': '"', "'": "'",
            "\u201c": "\u201d", "\u2018": "\u2019"}
_CLOSING = {closing: opening for opening, closing in _OPENING.items()}
# What makes digits alone "code" ("{{ 7*7 }}", "x=2^3"), which the bidi
# algorithm would reorder; a date or a ratio ("10:30", "1/2") it keeps whole.
_OPERATORS = frozenset("*=^|~\\<>{}")
_SPACES = frozenset(" \u00a0")
_SIGNS = frozenset("+-\u2212\u00b1")
_OPAQUE = "\ufffc"  # an image or a break: never part of a run


@memo(4096)
def _class(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def _strong_ltr(ch: str) -> bool:
    return _class(ch) == "L"


def _digit(ch: str) -> bool:
    """A European digit, superscripts and subscripts included ("m²", "CO₂")."""
    return _class(ch) == "EN"


def _stops(ch: str) -> bool:
    """Right-to-left letters and digits, Arabic punctuation and opaque
    inlines end any run."""
    return _class(ch) in ("R", "AL", "AN") or ch in _SENTENCE and ch > "\u00ff" \
        or ch == _OPAQUE or ch == "\n"


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that read left to right as one unit (see the rule
    above); each holds a Latin letter, or is digits written as code."""
    runs: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        # one stretch with nothing right-to-left in it
        if _stops(text[i]):
            i += 1
            continue
        j = i
        while j < n and not _stops(text[j]):
            j += 1
        runs.extend(_runs_in(text, i, j))
        i = j
    return runs


_REACH = 64
"""How far a run grows over the symbols written against its edges."""


def _runs_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The run inside ``text[lo:hi]``, which holds no right-to-left character:
    from its first letter or digit to its last (a digit after a Latin letter
    reads left to right, UAX #9's W7; one before it is its number, "999 USD"),
    its combining marks included."""
    anchors = [k for k in range(lo, hi) if _strong_ltr(text[k]) or _digit(text[k])]
    if not anchors:
        return []
    start, end = anchors[0], anchors[-1] + 1
    if not any(_strong_ltr(text[k]) for k in anchors):
        # digits alone are a run only when written as code ("{{ 7*7 }}") or
        # signed ("-24.1%"): alone, UAX #9 sets a number's sign after it
        if not (_signed(text, start, lo) or any(text[k] in _OPERATORS for k in range(start, end))):
            return []
    while end < hi and _class(text[end]) == "NSM":
        end += 1  # "cafe\u0301": an accent stays on its letter
    start, end = _attached(text, start, end, lo, hi)
    start, end = _paired(text, start, end, lo, hi)
    return [(start, end)]


def _signed(text: str, start: int, lo: int) -> bool:
    """The number at ``start`` opens with a plus or minus sign of its own, one
    not between two numbers ("5-10" is a range)."""
    sign = start - 1
    return sign >= lo and text[sign] in _SIGNS and (
        sign == lo or text[sign - 1] in _SPACES or text[sign - 1] in _OPENING)


def _attached(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The run grown over the symbols written against its edges ("@-maintainer",
    "C++", "C#", "50%", "(npm)"), never over sentence punctuation, nor over a
    bracket or quote whose partner is not inside it."""
    unclosed, unopened = _unmatched(text[start:end])
    limit = max(lo, start - _REACH)
    while start > limit and _joins(text[start - 1]):
        ch = text[start - 1]
        if ch in _OPENING:
            if unopened.get(ch, 0) <= 0:
                break
            unopened[ch] -= 1
        elif ch in _CLOSING:
            break  # a closing bracket before the run is the text's before it
        start -= 1
    limit = min(hi, end + _REACH)
    while end < hi and end < limit and _joins(text[end]):
        ch = text[end]
        if ch in _CLOSING:
            opening = _CLOSING[ch]
            if unclosed.get(opening, 0) <= 0:
                break
            unclosed[opening] -= 1
        elif ch in _OPENING:
            break  # an opening bracket after the run opens what follows it
        end += 1
    return start, end


def _unmatched(run: str) -> tuple[dict[str, int], dict[str, int]]:
    """Of each kind of bracket in ``run``: how many open without closing (by
    their opening), and how many close without having opened (by the opening
    they want); a quote that stands alone counts as both."""
    unclosed: dict[str, int] = {}
    unopened: dict[str, int] = {}
    for ch in run:
        if ch in _OPENING and _OPENING[ch] == ch:  # a quote: open, then close
            unclosed[ch] = 1 - unclosed.get(ch, 0)
            unopened[ch] = unclosed[ch]
        elif ch in _OPENING:
            unclosed[ch] = unclosed.get(ch, 0) + 1
        elif ch in _CLOSING:
            opening = _CLOSING[ch]
            if unclosed.get(opening, 0) > 0:
                unclosed[opening] -= 1
            else:
                unopened[opening] = unopened.get(opening, 0) + 1
    return unclosed, unopened


def _joins(ch: str) -> bool:
    return not (ch in _SENTENCE or ch in _SPACES or ch.isspace()) and (
        _digit(ch) or _class(ch) in ("ON", "ET", "ES", "CS", "L"))


def _paired(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The run grown over brackets or quotes that enclose exactly it, spaces
    inside them included ("{{ 7*7 }}", "\"Reuters\"")."""
    while True:
        before = start
        while before > lo and text[before - 1] in _SPACES:
            before -= 1
        after = end
        while after < hi and text[after] in _SPACES:
            after += 1
        if before > lo and after < hi and text[before - 1] in _OPENING \
                and text[after] == _OPENING[text[before - 1]] \
                and start - before == after - end:
            start, end = before - 1, after + 1
        else:
            return start, end


# --- the model transform --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    node: Inline
    """A text piece or an inline without children (code, break, image)."""
    wrappers: tuple[Inline, ...]
    """The formatting around it, outermost first (source nodes, told apart by identity)."""


_WRAPPERS = (Strong, Emphasis, Strikeout, Link)


def isolate_runs(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` with each left-to-right run wrapped in one ``Isolate``; a run
    may cross emphasis, strong and links (they are split at its edges)."""
    pieces = list(_flatten(inlines, ()))
    plain = "".join(_plain(p.node) for p in pieces)
    runs = _with_addresses(ltr_runs(plain), pieces, plain)
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
    for run, same in itertools.groupby(cut, key=lambda c: c[1]):
        nested = _nest([p for p, _ in same], 0)
        out.extend(nested if run is None else [Isolate(tuple(nested))])
    return tuple(out)


ADDRESS = re.compile(r"(https?://|mailto:|www\.)", re.I)
"""What a link's text starts with when it is the address itself."""


def _with_addresses(runs: list[tuple[int, int]], pieces: list[_Piece],
                    plain: str) -> list[tuple[int, int]]:
    """``runs`` with each link whose text is an address made one run, path,
    query and fragment included, Arabic in them too
    ("https://ar.wikipedia.org/wiki/مصر" reads as typed)."""
    spans: dict[int, list[int]] = {}
    offset = 0
    for piece in pieces:
        length = len(_plain(piece.node))
        for wrapper in piece.wrappers:
            if isinstance(wrapper, Link):
                span = spans.setdefault(id(wrapper), [offset, offset])
                span[1] = offset + length
        offset += length
    found = [(a, b) for a, b in spans.values() if ADDRESS.match(plain[a:b])]
    if not found:
        return runs
    merged: list[tuple[int, int]] = []
    for a, b in sorted([*runs, *found]):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


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


LRI, PDI = "\u2066", "\u2069"
"""Unicode's left-to-right isolate and its end: a run in text that cannot
hold markup (metadata titles, navigation labels, the running head)."""


def isolated_line(text: str, direction: str = "rtl") -> tuple[Inline, ...]:
    """A line the front matter gives (headline, deck, kicker, byline, credit)
    as inlines, its left-to-right runs isolated as the body's are."""
    line = (Text(text),) if text else ()
    return isolate_runs(line) if direction == "rtl" else line


def isolated_string(text: str, direction: str = "rtl") -> str:
    """``text`` with each left-to-right run between LRI and PDI, for places
    that hold characters only."""
    if direction != "rtl":
        return text
    out, last = [], 0
    for start, end in ltr_runs(text):
        out += [text[last:start], LRI, text[start:end], PDI]
        last = end
    return "".join(out) + text[last:]


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

