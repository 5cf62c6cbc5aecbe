"""Where the PDF's lines may break, decided on the model before WeasyPrint
sets them: a paragraph's last two words tied (no one-word last line), a name
kept whole in a headline, a printed address broken only where a reader
expects (a justified paragraph's breaks: ``paragraphs.py``)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from html import escape
from typing import Callable

from ..bidi import ADDRESS
from ..model import Inline, Isolate, Text
from ..transforms import WORD_JOINER, WRAPPERS, plain_text

def is_address(text: str) -> bool:
    """Whether a link's visible text is the address itself."""
    return bool(ADDRESS.match(text))


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
