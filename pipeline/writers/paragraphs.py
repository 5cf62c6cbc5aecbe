"""A justified paragraph of the PDF, set as a compositor sets it: its breaks
chosen by the paragraph composer (``pipeline.composer``) and fixed for
WeasyPrint with word joiners, its leading grown where its vowel marks need
it. Widths and ink come from HarfBuzz, told by the PDF writer
(``Composition``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Callable

from ..composer import Policy, Word, compose, emergency_glue
from ..kashida import elongation_join
from ..pages import LEADING
from ..model import Code, Emphasis, Inline, LineBreak, Note, Strong, Text
from ..transforms import WORD_JOINER, WRAPPERS, plain_text


@dataclass(frozen=True)
class Composition:
    """What the PDF's justified paragraphs are composed against."""

    measure_em: float
    """A body paragraph's line, in ems of the body type."""
    policy: Policy
    """How far a line's spaces and kashidas may stretch."""
    width_of: Callable[[str, bool, bool], float]
    """How wide a text is set (text, bold, italic → ems; HarfBuzz)."""
    covered: frozenset[int]
    """The characters the shipped fonts draw; a paragraph with others is left
    to the layout engine (the missing-glyph box's width is not known here)."""
    margin_em: float = 0.1
    """Kept free at each line's end: what a measured width may differ by
    from the layout engine's, so that every chosen line fits there too."""
    ink_of: Callable[[str, bool, bool], tuple[float, float]] | None = None
    """How far a word's ink reaches above and below the baseline (text, bold,
    italic → ems), for the leading of vowelled text."""
    leading_em: float = LEADING
    """The body's own distance between baselines (print.css.j2)."""
    ink_gap_em: float = 0.12
    """The least white between the ink of one line and the next."""
    run_on_indent_em: float = 0
    """The first-line indent of a paragraph that follows a paragraph (two
    columns: no space between paragraphs, so that lines keep to one grid)."""


_BREAKABLE_INSIDE = "-/\u2013\u2014"
"""Where a line breaker may break inside a word; a composed paragraph breaks
at its chosen spaces only."""


def compose_breaks(inlines: tuple[Inline, ...], indent_em: float,
                   composition: Composition, first_line_em: float = 0) -> tuple[Inline, ...]:
    """``inlines`` with a word joiner after every space the composer does not
    break at (and inside words after a hyphen, slash or dash), so that the
    layout engine can break only where the whole paragraph is best broken;
    a line break ends a line no glue can justify. Left as they are where a
    piece is not text (a picture, a line break) or not in the shipped fonts;
    ``first_line_em``: the first line's indent, which its first word carries."""
    styled = _styled_characters(inlines)
    if styled is None:
        return inlines
    text = "".join(item[0] for item in styled)
    if any(ord(ch) not in composition.covered for ch in text if ch not in " \u00a0"):
        return inlines
    words, breakable, spaces = _measured_words(styled, text, composition)
    if first_line_em and words:
        words[0] = replace(words[0], width=words[0].width + first_line_em)
    width = composition.measure_em - indent_em - composition.margin_em
    breaks = compose(words, breakable, width, composition.policy)
    if breaks is None:
        return inlines
    chosen = {spaces[i] for i in breaks}
    ragged = {spaces[i] for i in _unjustifiable(words, breaks, width, composition.policy)}
    edits: dict[int, str | None] = {}
    at = 0
    while at < len(text):
        if text[at] == " ":  # a run of spaces is one glue: the layout engine collapses it
            end = at
            while end < len(text) and text[end] == " ":
                end += 1
            run = range(at, end)
            if any(k in ragged for k in run):
                edits[at] = None  # a line break
            elif not any(k in chosen for k in run):
                edits[end - 1] = " " + WORD_JOINER
            at = end
            continue
        if text[at] in _BREAKABLE_INSIDE and 0 < at < len(text) - 1 \
                and text[at - 1] not in " \u00a0" and text[at + 1] not in " \u00a0":
            edits[at] = text[at] + WORD_JOINER
        at += 1
    return _edit(inlines, edits)[0]


def _edit(nodes: tuple[Inline, ...], edits: dict[int, str | None],
          offset: int = 0) -> tuple[tuple[Inline, ...], int]:
    """``nodes`` with the character at each position of ``edits``
    (``plain_text`` positions) replaced by its text, or by a line break
    (None), in one walk; and the offset after them."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            length = len(node.text)
            here = [k for k in range(offset, offset + length) if k in edits]
            if not here:
                out.append(node)
            else:
                parts, last = [], 0
                for k in here:
                    i = k - offset
                    parts.append(node.text[last:i])
                    if edits[k] is None:
                        out.append(Text("".join(parts)))
                        out.append(LineBreak())
                        parts = []
                    else:
                        parts.append(edits[k])
                    last = i + 1
                parts.append(node.text[last:])
                out.append(Text("".join(parts)))
            offset += length
        elif isinstance(node, WRAPPERS):
            children, offset = _edit(node.children, edits, offset)
            out.append(replace(node, children=children))
        else:
            offset += len(plain_text((node,)))
            out.append(node)
    return tuple(out), offset


def _unjustifiable(words: list[Word], breaks: list[int], width: float,
                   policy: Policy) -> list[int]:
    """The breaks ending a line whose glue cannot reach the measure even at
    the policy's emergency width (a long unbreakable Latin phrase): such a
    line is ended by a line break and set at its natural spacing, rather than
    with word spaces a reader takes for column gaps."""
    out, start = [], 0
    for end in breaks:
        line = words[start:end + 1]
        natural = sum(w.width for w in line) + policy.space * (len(line) - 1)
        if width - natural > emergency_glue(line, len(line) - 1, policy) + 1e-6:
            out.append(end)
        start = end + 1
    return out


VOWELLED = 0.3
"""Marks to letters: past this share a paragraph is vowelled text (a Quranic
verse, poetry), and all such paragraphs of an article share one leading,
so that a sura's verses keep one rhythm."""


def vowelled(inlines: tuple[Inline, ...]) -> bool:
    text = plain_text(inlines)
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and sum(1 for ch in text if unicodedata.combining(ch)) > VOWELLED * letters


def vowelled_leading(paragraphs, composition: Composition) -> float | None:
    """The leading every vowelled one of ``paragraphs`` (their inlines) gets:
    the most any of them needs, so that a sura's verses keep one rhythm."""
    return max((paragraph_leading(p, composition) or 0 for p in paragraphs if vowelled(p)),
               default=0) or None


def paragraph_leading(inlines: tuple[Inline, ...], composition: Composition) -> float | None:
    """The distance between baselines a paragraph needs so that no ink of one
    line touches the next (vowel marks above and below, pause marks), when
    that is more than the body's own; None when the body's will do."""
    styled = _styled_characters(inlines)
    if styled is None or composition.ink_of is None:
        return None
    top = bottom = 0.0
    for word, _, _ in _words_of(styled):
        if any(unicodedata.combining(ch) for ch, *_ in word):
            high, low = composition.ink_of("".join(c[0] for c in word), word[0][1], word[0][2])
            top, bottom = max(top, high), min(bottom, low)
    needed = top - bottom + composition.ink_gap_em
    return round(needed, 2) if needed > composition.leading_em else None


Styled = tuple[str, bool, bool, str]
"""A character, whether bold, whether italic, and the note number called
right after it ("" for none)."""


def _styled_characters(inlines, bold=False, italic=False) -> list[Styled] | None:
    """Each character a paragraph shows, in ``plain_text`` order, with its
    style and the note it calls; None where something is not text (a
    picture, a line break, a code span with spaces)."""
    out: list[Styled] = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend((ch, bold, italic, "") for ch in node.text)
        elif isinstance(node, Code):
            if " " in node.text:
                return None
            out.extend((ch, bold, italic, "") for ch in node.text)
        elif isinstance(node, WRAPPERS):
            inner = _styled_characters(node.children, bold or isinstance(node, Strong),
                                       italic or isinstance(node, Emphasis))
            if inner is None:
                return None
            out.extend(inner)
        elif isinstance(node, Note):
            if out:  # the call: a raised number, against the word before it
                ch, b, i, _ = out[-1]
                out[-1] = (ch, b, i, str(node.number))
        else:
            return None
    return out


_NOTE_CALL_SIZE = 0.7
"""The call's size against the text (print.css.j2: ``::footnote-call``)."""


def _measured_words(styled: list[Styled], text: str, composition: Composition):
    """The composer's words, whether the space after each may break (a
    no-break space may not), and where each such space stands in the text."""
    words: list[Word] = []
    breakable: list[bool] = []
    spaces: list[int] = []
    for word, separator, position in _words_of(styled):
        words.append(_word(word, composition))
        breakable.append(separator == " ")
        spaces.append(position)
    for k, at in enumerate(spaces[:-1]):
        if breakable[k] and not may_break_at(text, at):
            breakable[k] = False
    return words, breakable, spaces


def _words_of(styled: list[Styled]):
    """Each word (its characters), the space that ends it (a space, a no-break
    space, or a space past the end) and where that space stands."""
    current: list[Styled] = []
    for position, item in enumerate([*styled, (" ", False, False, "")]):
        if item[0] in (" ", "\u00a0"):
            if current:
                yield current, item[0], position
                current = []
        else:
            current.append(item)


# UAX #14's rules at a space, as the layout engine applies them: never before
# closing or sentence punctuation, even after spaces (LB13: "( كالكتابة …
# البرمجيات ) ،"), never after an opening bracket (LB14), nor between a
# quotation mark and an opening bracket (LB15).
_NO_BREAK_BEFORE = frozenset(")]}!?,.:;/%-\u060c\u060d\u061b\u061f\u066a\u06d4\ufd3e")
_NO_BREAK_AFTER = frozenset("([{\ufd3f")
_QUOTES = frozenset("\"'\u00ab\u00bb\u201c\u201d\u2018\u2019")


def may_break_at(text: str, at: int) -> bool:
    """Whether a line may break at the space ``text[at]`` (after it)."""
    before, after = at - 1, at
    while before >= 0 and text[before] in " \u00a0":
        before -= 1
    while after < len(text) and text[after] in " \u00a0":
        after += 1
    if before < 0 or after >= len(text):
        return False
    if text[after] in _NO_BREAK_BEFORE or text[before] in _NO_BREAK_AFTER:
        return False
    return not (text[before] in _QUOTES and text[after] in _NO_BREAK_AFTER)


def _word(characters: list[Styled], composition: Composition) -> Word:
    width, run, style = 0.0, "", None
    for ch, bold, italic, call in characters:
        if (bold, italic) != style and run:
            width += composition.width_of(run, *style)
            run = ""
        run += ch
        style = (bold, italic)
        if call:
            width += composition.width_of(call, False, False) * _NOTE_CALL_SIZE
    if run:
        width += composition.width_of(run, *style)
    return Word(width, _may_stretch("".join(c[0] for c in characters)))


def _may_stretch(word: str) -> bool:
    """An Arabic word the glyph layer may elongate (``kashida.elongation_join``)."""
    clusters: list[str] = []
    for ch in word:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return elongation_join(clusters) is not None
