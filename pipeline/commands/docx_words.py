"""The every-word check of the DOCX import: each word the document shows is in
the imported source, or a warning says which words are not.

What the reader cannot bring back as Markdown (a text box, a ruby's reading
text, a part Word would merge in) must not vanish with exit 0: the document's
words are counted from its text nodes and compared with the source's.
"""

from __future__ import annotations

import re
from docx.oxml.ns import qn

from ..errors import Diagnostic

_MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# tatweel and the invisible controls the writer puts around runs: not words
_INVISIBLE = re.compile("[\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def words(text: str) -> list[str]:
    """Letters and digits, as runs; Markdown's escapes and marks fall away."""
    return re.findall(r"[^\W_]+", _INVISIBLE.sub("", text))


def shown_text(root, skip=lambda paragraph: False) -> list[str]:
    """The text of each of ``root``'s paragraphs from its text nodes (Word's
    and the equations'; a word split over runs is one word), those ``skip``
    names left out, and a drawing's fallback copy read once."""
    texts: dict[object, list[str]] = {}
    for node in root.iter(qn("w:t"), f"{{{_MATH}}}t", qn("w:br"), qn("w:tab")):
        text = node.text if node.tag in (qn("w:t"), f"{{{_MATH}}}t") else " "
        if not text:
            continue
        holders = list(node.iterancestors())
        if any(h.tag == _FALLBACK for h in holders):
            continue
        if any(h.tag == qn("w:p") and skip(h) for h in holders):
            continue
        paragraph = next((h for h in holders if h.tag == qn("w:p")), root)
        texts.setdefault(paragraph, []).append(text)
    return ["".join(parts) for parts in texts.values()]


def unread_words(shown: list[str], source: str) -> Diagnostic | None:
    """A warning naming the words of ``shown`` that ``source`` lacks. A word
    counts as kept when its letters stand in a row in the source's letters:
    Markdown's marks may split a word the document writes in one piece
    (``و[رابط](…)``, ``و*مائل*``)."""
    letters = "".join(words(source))
    missing = [w for w in words(" ".join(shown)) if w not in letters]
    if not missing:
        return None
    sample = " ".join(list(dict.fromkeys(missing))[:6])
    return Diagnostic(f"{len(missing)} words of the document are not in the import (e.g. "
                      f"{sample!r}): text boxes, ruby readings and embedded documents are "
                      "not read", severity="warning",
                      hint="move that text into the body's paragraphs and import again")


def dropped_parts(body) -> list[Diagnostic]:
    """Warnings for what the body holds that the reader leaves out whole."""
    found = []
    if next(body.iter(qn("w:altChunk")), None) is not None:
        found.append(Diagnostic("the document embeds another document (altChunk) that is "
                                "not imported", severity="warning",
                                hint="open and save it in Word, which merges it into the body"))
    return found
