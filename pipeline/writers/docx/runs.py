"""Text cut into runs of one direction, as Word and LibreOffice order them,
and of one font."""

from __future__ import annotations

import re
import unicodedata

from ...fonts import TEXT_FAMILY, family_for

# Strong right-to-left letters (Arabic, Hebrew, Syriac, Thaana, NKo… and their
# presentation forms) make a run right-to-left.
RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def by_script(text: str):
    """``text`` cut where its strong direction changes: (chunk, "rtl" | "ltr" |
    None); neutral characters go with the letters before them."""
    chunks: list[list] = []
    for ch in text:
        strong = "rtl" if RTL_LETTER.match(ch) else "ltr" if unicodedata.bidirectional(ch) == "L" \
            else None
        if chunks and (strong is None or strong == chunks[-1][1] or chunks[-1][1] is None):
            chunks[-1][0] += ch
            chunks[-1][1] = chunks[-1][1] or strong
        else:
            chunks.append([ch, strong])
    return [(chunk, strong) for chunk, strong in chunks]


def by_font(text: str, fonts_dir):
    """``text`` cut where its font changes: (piece, None) in the text family,
    (piece, family) where the text font lacks a character and a shipped
    fallback (the emoji font) has it."""
    current, family = "", None
    for ch in text:
        fam = None
        if ord(ch) > 0x2000 and not RTL_LETTER.match(ch):
            found = family_for(ch, fonts_dir)
            fam = found if found and found != TEXT_FAMILY else None
        if fam != family and current:
            yield current, family
            current = ""
        family = fam
        current += ch
    if current:
        yield current, family
