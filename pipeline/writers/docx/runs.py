"""Text cut into runs of one direction, as Word and LibreOffice order them."""

from __future__ import annotations

import re
import unicodedata

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
