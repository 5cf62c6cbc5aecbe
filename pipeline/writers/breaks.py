"""Where the PDF's lines may break, decided on the model before WeasyPrint
sets them: a paragraph's last two words tied (no one-word last line), a
printed address broken only where a reader expects, and a justified
paragraph broken where the composer (``pipeline.composer``) finds it best."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from html import escape
from typing import Callable

from ..composer import Policy, Word, compose, line_glue
from ..kashida import elongation_join
from ..model import Code, Emphasis, Inline, Isolate, LineBreak, Note, Strong, Text
from ..transforms import WORD_JOINER, WRAPPERS, plain_text

_ADDRESS = re.compile(r"(https?://|mailto:|www\.)", re.I)


def is_address(text: str) -> bool:
    """Whether a link's visible text is the address itself."""
    return bool(_ADDRESS.match(text))


def address_html(children: tuple[Inline, ...], inline: Callable[[Inline], str]) -> str:
    """A printed address's text, breakable only where a reader expects it:
    after a slash (as it is already) and before ``?``, ``&`` and ``#``, never
    at a hyphen, which would read as part of the address. ``inline`` renders
    anything that is not text."""
    out = []
    for node in children:
        if not isinstance(node, Text):
            out.append(inline(node))
            continue
        for ch in node.text:
            if ch in "?&#":
                out.append("<wbr/>")
            out.append(escape(ch, quote=False))
            if ch == "-":
                out.append(WORD_JOINER)
    return "".join(out)


NO_BREAK_SPACE = "\u00a0"


def tie_last_words(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` with the space before the last word made a no-break space,
    wherever it stands (in bold, a link, a Latin run), so that line breaking
    never leaves one word alone on the last line (a runt)."""
    plain = plain_text(inlines)
    end = len(plain.rstrip())
    at = plain.rfind(" ", 0, end)
    if at <= 0 or not plain[:at].strip() or plain[at + 1:end].strip() == "":
        return inlines
    if _text_of(inlines, at) is not _text_of(inlines, at + 1):
        # The last word is a box of its own (bold, a link, a Latin run): a
        # no-break space against its edge makes WeasyPrint's line breaker
        # leave a lone word on the line before; the word stays breakable.
        return inlines
    tied = _replace_char(inlines, at, NO_BREAK_SPACE)[0]
    # Nor may the last word break at its own hyphen or slash ("Virtual-Coffee"):
    # a word joiner after each, invisible on the page and in the text layer.
    for k in range(end - 1, at, -1):
        if plain[k] in "-/" and k + 1 < end:
            tied = _replace_char(tied, k, plain[k] + WORD_JOINER)[0]
    return tied


SHORT_NAME = 24
"""A Latin run of at most this many characters and three words ("iPhone 16
Pro", "Wi-Fi 7") is a name: a headline does not break inside it."""


def keep_names_whole(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``inlines`` with the spaces of each short Latin run made no-break
    spaces: a product or a place named in a headline stays on one line."""
    out = []
    for node in inlines:
        if isinstance(node, Isolate):
            text = plain_text(node.children)
            if len(text) <= SHORT_NAME and text.count(" ") <= 2:
                node = replace(node, children=tuple(
                    Text(c.text.replace(" ", NO_BREAK_SPACE)) if isinstance(c, Text) else c
                    for c in node.children))
        elif isinstance(node, WRAPPERS):
            node = replace(node, children=keep_names_whole(node.children))
        out.append(node)
    return tuple(out)


def unwrap_last_token(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A paragraph that ends in a one-word Latin run bounded by letters
    ("Virtual-Coffee") needs no isolate for it: the bidi algorithm keeps such a
    word whole. As plain text it can be tied to the word before it."""
    out = list(inlines)
    k = len(out) - 1
    while k >= 0 and isinstance(out[k], Text) and not any(ch.isalnum() for ch in out[k].text):
        k -= 1
    if k <= 0 or not isinstance(out[k], Isolate) or not isinstance(out[k - 1], Text):
        return inlines
    children = out[k].children
    if len(children) != 1 or not isinstance(children[0], Text):
        return inlines
    word = children[0].text
    if " " in word or not word or not (unicodedata.bidirectional(word[0]) == "L"
                                       and unicodedata.bidirectional(word[-1]) == "L"):
        return inlines
    merged = Text(out[k - 1].text + word)
    return tuple(out[:k - 1] + [merged] + out[k + 1:])


def _text_of(nodes: tuple[Inline, ...], at: int, offset: int = 0):
    """The Text node holding the character at ``at`` (plain_text positions)."""
    for node in nodes:
        if isinstance(node, Text):
            if offset <= at < offset + len(node.text):
                return node
            offset += len(node.text)
        elif isinstance(node, WRAPPERS):
            found = _text_of(node.children, at, offset)
            if found is not None:
                return found
            offset += len(plain_text(node.children))
        else:
            offset += len(plain_text((node,)))
    return None


def _replace_char(nodes: tuple[Inline, ...], at: int, char: str, offset: int = 0):
    """``nodes`` with the character at ``at`` (in ``plain_text`` positions)
    replaced, and the offset after them."""
    out = []
    for node in nodes:
        if isinstance(node, Text):
            if offset <= at < offset + len(node.text):
                i = at - offset
                node = Text(node.text[:i] + char + node.text[i + 1:])
            offset += len(node.text)
        elif isinstance(node, WRAPPERS):
            children, offset = _replace_char(node.children, at, char, offset)
            node = replace(node, children=children)
        else:
            offset += len(plain_text((node,)))
        out.append(node)
    return tuple(out), offset


# --- the composer's breaks ------------------------------------------------------


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
    leading_em: float = 1.8
    """The body's own distance between baselines (print.css.j2)."""
    ink_gap_em: float = 0.12
    """The least white between the ink of one line and the next."""


_BREAKABLE_INSIDE = "-/\u2013\u2014"
"""Where a line breaker may break inside a word; a composed paragraph breaks
at its chosen spaces only."""


def compose_breaks(inlines: tuple[Inline, ...], indent_em: float,
                   composition: Composition) -> tuple[Inline, ...]:
    """``inlines`` with a word joiner after every space the composer does not
    break at (and inside words after a hyphen, slash or dash), so that the
    layout engine can break only where the whole paragraph is best broken.
    Left as they are where a piece is not plain text in the text face."""
    styled = _styled_characters(inlines)
    if styled is None:
        return inlines
    text = "".join(item[0] for item in styled)
    if any(ord(ch) not in composition.covered for ch in text if ch not in " \u00a0"):
        return inlines
    words, breakable, spaces = _measured_words(styled, composition)
    width = composition.measure_em - indent_em - composition.margin_em
    breaks = compose(words, breakable, width, composition.policy)
    if breaks is None:
        return inlines
    chosen = {spaces[i] for i in breaks}
    ragged = {spaces[i] for i in _unjustifiable(words, breaks, width, composition.policy)}
    joined = [at for at, ch in enumerate(text)
              if (ch == " " and at not in chosen) or (
                  ch in _BREAKABLE_INSIDE and 0 < at < len(text) - 1
                  and text[at - 1] not in " \u00a0" and text[at + 1] not in " \u00a0")]
    for at in sorted([*joined, *ragged], reverse=True):
        if at in ragged:
            inlines = _break_at(inlines, at)[0]
        else:
            inlines = _replace_char(inlines, at, text[at] + WORD_JOINER)[0]
    return inlines


def _unjustifiable(words: list[Word], breaks: list[int], width: float,
                   policy: Policy) -> list[int]:
    """The breaks ending a line whose glue cannot reach the measure within
    the policy's limits (a long unbreakable Latin phrase, an address): such a
    line is ended by a line break and set at its natural spacing, rather than
    with word spaces a reader takes for column gaps."""
    out, start = [], 0
    for end in breaks:
        line = words[start:end + 1]
        natural = sum(w.width for w in line) + policy.space * (len(line) - 1)
        if width - natural > line_glue(line, len(line) - 1, policy)[1] + 1e-6:
            out.append(end)
        start = end + 1
    return out


def _break_at(nodes: tuple[Inline, ...], at: int, offset: int = 0):
    """``nodes`` with the space at ``at`` (``plain_text`` positions) made a
    line break, and the offset after them."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and offset <= at < offset + len(node.text):
            i = at - offset
            out += [Text(node.text[:i]), LineBreak(), Text(node.text[i + 1:])]
            offset += len(node.text)
            continue
        if isinstance(node, Text):
            offset += len(node.text)
        elif isinstance(node, WRAPPERS):
            children, offset = _break_at(node.children, at, offset)
            node = replace(node, children=children)
        else:
            offset += len(plain_text((node,)))
        out.append(node)
    return tuple(out), offset


VOWELLED = 0.3
"""Marks to letters: past this share a paragraph is vowelled text (a Quranic
verse, poetry), and all such paragraphs of an article share one leading,
so that a sura's verses keep one rhythm."""


def vowelled(inlines: tuple[Inline, ...]) -> bool:
    text = plain_text(inlines)
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and sum(1 for ch in text if unicodedata.combining(ch)) > VOWELLED * letters


def paragraph_leading(inlines: tuple[Inline, ...], composition: Composition) -> float | None:
    """The distance between baselines a paragraph needs so that no ink of one
    line touches the next (vowel marks above and below, pause marks), when
    that is more than the body's own; None when the body's will do."""
    styled = _styled_characters(inlines)
    if styled is None or composition.ink_of is None:
        return None
    top = bottom = 0.0
    word: list[Styled] = []
    for item in [*styled, (" ", False, False, "")]:
        if item[0] not in (" ", "\u00a0"):
            word.append(item)
            continue
        if word and any(unicodedata.combining(ch) for ch, *_ in word):
            high, low = composition.ink_of("".join(c[0] for c in word), word[0][1], word[0][2])
            top, bottom = max(top, high), min(bottom, low)
        word = []
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


def _measured_words(styled: list[Styled], composition: Composition):
    """The composer's words, whether the space after each may break (a
    no-break space may not), and where each such space stands in the text."""
    words: list[Word] = []
    breakable: list[bool] = []
    spaces: list[int] = []
    current: list[Styled] = []
    for position, item in enumerate([*styled, (" ", False, False, "")]):
        if item[0] in (" ", "\u00a0"):
            if current:
                words.append(_word(current, composition))
                breakable.append(item[0] == " ")
                spaces.append(position)
                current = []
        else:
            current.append(item)
    text = "".join(item[0] for item in styled)
    for k, at in enumerate(spaces[:-1]):
        if breakable[k] and not may_break_at(text, at):
            breakable[k] = False
    return words, breakable, spaces


# UAX #14's rules at a space, as the layout engine applies them: never before
# closing or sentence punctuation, even after spaces (LB13: "( كالكتابة …
# البرمجيات ) ،"), never after an opening bracket (LB14), nor between a
# quotation mark and an opening bracket (LB15).
_NO_BREAK_BEFORE = frozenset(")]}!?,.:;/%-\u060c\u060d\u061b\u061f\u066a\u06d4\ufd3e")
_NO_BREAK_AFTER = frozenset("([{\ufd3f")
_QUOTES = frozenset("\"'\u00ab\u00bb\u201c\u201d\u2018\u2019")


def may_break_at(text: str, at: int) -> bool:
    """Whether a line may break at the space ``text[at]`` (after it)."""
    before = text[:at].rstrip(" \u00a0")
    after = text[at:].lstrip(" \u00a0")
    if not before or not after:
        return False
    if after[0] in _NO_BREAK_BEFORE or before[-1] in _NO_BREAK_AFTER:
        return False
    return not (before[-1] in _QUOTES and after[0] in _NO_BREAK_AFTER)


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
