"""Where Arabic typography allows a word to be elongated, and by how much.

Kashida justification takes a justified line's slack by lengthening the
stroke that joins two letters instead of widening the spaces. A join can be
lengthened only where both letters really join (never after a letter that
joins on one side only, never inside a ligature such as lam-alef), and some
joins are better than others. The order here is the common one of Arabic
typesetting (after the seen and sad families first, then before a word's last
letter, then any other join), one elongation a word.

This module knows letters only; the PDF writer tells it the clusters of a line
and draws what it chooses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .caches import memo

# Unicode joining types (ArabicShaping.txt) of the Arabic letters the shipped
# fonts draw: R joins only to the letter before it, D to both sides, U to none.
_RIGHT_JOINING = set(
    "\u0622\u0623\u0624\u0625\u0627\u0629\u062f\u0630\u0631\u0632\u0648\u0671\u0672\u0673"
    "\u0675\u0676\u0677\u06c0\u06c3\u06c4\u06c5\u06c6\u06c7\u06c8\u06c9\u06ca\u06cb\u06cd"
    "\u06cf\u06d2\u06d3\u06ee\u06ef"
) | {chr(c) for c in range(0x0688, 0x069A)}
_NON_JOINING = set("\u0621\u0674\u06d5")
_SEEN_SAD = set("\u0633\u0634\u0635\u0636\u069a\u069b\u069c\u069d\u069e\u06fa\u06fb")
_LAM = set("\u0644\u06b5\u06b6\u06b7\u06b8")
_ALEF = set("\u0622\u0623\u0625\u0627\u0671\u0672\u0673\u0675")
TATWEEL = "\u0640"


def _is_arabic_letter(ch: str) -> bool:
    return ("\u0620" <= ch <= "\u064a" or "\u066e" <= ch <= "\u06d5"
            or "\u06ee" <= ch <= "\u06ff") and ch != TATWEEL


def joins_forward(ch: str) -> bool:
    """Whether ``ch`` joins to the letter after it (dual-joining letters)."""
    return _is_arabic_letter(ch) and ch not in _RIGHT_JOINING and ch not in _NON_JOINING


def joins_backward(ch: str) -> bool:
    """Whether ``ch`` joins to the letter before it."""
    return _is_arabic_letter(ch) and ch not in _NON_JOINING


def _letters(text: str) -> str:
    """The letters of a cluster, its marks left out (marks are transparent to joining)."""
    return "".join(ch for ch in text if _is_arabic_letter(ch))


@dataclass(frozen=True, slots=True)
class Join:
    """A place between two clusters of one word where a kashida may go."""

    before: int
    """Index (logical order) of the cluster the join leaves."""
    priority: int
    """1 is best: after seen or sad; 2: before the word's last letter; 3: any other."""


def word_joins(clusters: list[str]) -> list[Join]:
    """The joins of one word, given its clusters' text in logical order.

    A cluster is what a shaper keeps together (a letter and its marks, or a
    ligature); a join is only ever between two clusters, so a ligature is never
    broken."""
    joins = []
    letters = [_letters(c) for c in clusters]
    last = max((i for i, t in enumerate(letters) if t), default=-1)
    article = _article_lam(letters)
    for i in range(len(clusters) - 1):
        if i == article:
            continue  # "الـصلاة": the definite article is not stretched away from its noun
        left, right = letters[i], letters[i + 1]
        if not left or not right or any(not _is_arabic_letter(ch) for ch in clusters[i + 1]
                                         if not _is_mark(ch)):
            continue
        if not joins_forward(left[-1]) or not joins_backward(right[0]):
            continue
        if left[-1] in _LAM and right[0] in _ALEF:
            continue  # lam-alef is one ligature, even when shaped as two glyphs
        if left[-1] in _SEEN_SAD:
            priority = 1
        elif i + 1 == last:
            priority = 2
        else:
            priority = 3
        joins.append(Join(i, priority))
    return joins


_ARTICLE_PREFIXES = ("", "و", "ف", "ب", "ك")


def _article_lam(letters: list[str]) -> int | None:
    """The cluster index of the lam of a definite article the word opens with
    (ال, وال, فال, بال, كال), or None."""
    text = "".join(letters)
    for prefix in _ARTICLE_PREFIXES:
        if text.startswith(prefix + "ال") and len(text) > len(prefix) + 3:
            seen = 0
            for i, cluster in enumerate(letters):
                seen += len(cluster)
                if seen == len(prefix) + 2:
                    return i
            return None
    return None


def _is_mark(ch: str) -> bool:
    return "\u064b" <= ch <= "\u065f" or ch == "\u0670" or "\u06d6" <= ch <= "\u06ed"


def best_join(clusters: list[str]) -> Join | None:
    """The one join of a word to elongate, or None when the word has none."""
    return _best_join(tuple(clusters))


# Words recur, on a page and from one article to the next in a warm worker:
# each word's joins are worked out once (bounded; a Join is immutable).
@memo(8192)
def _best_join(clusters: tuple[str, ...]) -> Join | None:
    joins = word_joins(list(clusters))
    return min(joins, key=lambda j: (j.priority, -j.before)) if joins else None


SHORTEST_WORD = 4
"""Letters a word needs before it may be elongated: a kashida in a word of
three letters or fewer (في، على، بين) draws the eye to the least of words."""


def elongation_join(clusters: list[str]) -> Join | None:
    """The join to elongate in a word that may be elongated at all: long
    enough (``SHORTEST_WORD``) and with a join; else None."""
    if sum(len(_letters(c)) for c in clusters) < SHORTEST_WORD:
        return None
    return best_join(clusters)


def share_slack(slack: float, words: int, quantum: float, most: float) -> tuple[float, float]:
    """Split ``slack`` over ``words`` elongations of equal length, each a
    multiple of ``quantum`` and at most ``most``; returns (each, left over)."""
    if words <= 0 or slack <= 0:
        return 0.0, max(slack, 0.0)
    each = min(slack / words, most)
    each = math.floor(each / quantum + 1e-9) * quantum  # 0.4 / 0.02 is 19.999…
    return each, slack - each * words
