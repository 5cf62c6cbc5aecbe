"""The paragraph composer: where a justified paragraph's lines break, and
how each line's slack is shared between word spaces and kashidas.

WeasyPrint breaks lines first-fit, one at a time, and justification then pays
whatever each line was left with: some lines come out tight, others with a
metre of slack, which kashidas or wide spaces must fill. A compositor chooses
the breaks of the whole paragraph together (total-fit line breaking, Knuth and
Plass 1981): every way of breaking it is weighed by the badness of all its
lines, each line's badness growing with the cube of how far its glue must
stretch, and the least bad is kept. The glue here is what Arabic
justification has (W3C, Arabic Layout Requirements, justification): word
spaces, which may widen a little, and kashidas, a few per line and short.

This module knows widths in ems only; the HTML writer measures the words
(HarfBuzz) and fixes the chosen breaks, and the PDF's glyph layer places the
kashidas with ``place_kashidas``. Nothing here imports WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass

from .kashida import share_slack

SPACE_SHRINK_EM = 0.08
"""How much narrower than the font's own a justified paragraph's word space
is set (Amiri's is 0.29 em): the composer's lines may hold a word more where
that reads better than widening every space of the line."""

INFEASIBLE = 10_000.0
"""The badness of a line whose glue cannot stretch to the measure."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How far a line's glue may stretch, in ems of the body type."""

    space: float
    """A word space's own width."""
    space_comfort: float
    """What a space may widen by at badness 100 (a line that looks loose)."""
    space_most: float
    """What a space may widen by at all."""
    kashidas: int = 0
    """Elongations a line may carry (0: justified by spaces alone)."""
    kashida_most: float = 0.0
    """The longest one elongation may be."""
    space_emergency: float = 0.0
    """What a space may widen by when nothing better breaks the paragraph,
    before its line is set at its natural spacing instead (pdf.js takes a
    space over 0.6 em for a column gap)."""


def kashida_policy(space: float) -> Policy:
    """Justification with kashidas, by alreq: at most three elongations a
    line, none longer than half an em; spaces widen to half an em, and in a
    line nothing better can be found, to 0.58 em."""
    return Policy(space=space, space_comfort=max(0.0, 0.42 - space),
                  space_most=max(0.0, 0.5 - space), kashidas=3, kashida_most=0.5,
                  space_emergency=max(0.0, 0.58 - space))


def spaces_policy(space: float) -> Policy:
    """Justification by word spaces alone: comfortable to 0.55 em, never
    past one em."""
    return Policy(space=space, space_comfort=max(0.0, 0.55 - space),
                  space_most=max(0.0, 1.0 - space), space_emergency=max(0.0, 1.0 - space))


@dataclass(frozen=True, slots=True)
class Word:
    """What stands between two spaces."""

    width: float
    """As set, in ems."""
    stretchable: bool = False
    """Whether it may carry a kashida (an Arabic word of four letters or more
    with a join that can be elongated)."""


def emergency_glue(words: list[Word], spaces: int, policy: Policy) -> float:
    """What a line can stretch by at all, its spaces at their emergency width."""
    _, most = line_glue(words, spaces, policy)
    return most + spaces * max(0.0, policy.space_emergency - policy.space_most)


def line_glue(words: list[Word], spaces: int, policy: Policy) -> tuple[float, float]:
    """What a line of ``words`` and ``spaces`` can stretch by: comfortably
    (badness 100) and at most. Kashidas go in words that do not stand next to
    each other, at most ``policy.kashidas`` of them."""
    carriers, previous = 0, False
    for word in words:
        if word.stretchable and not previous and carriers < policy.kashidas:
            carriers += 1
            previous = True
        else:
            previous = False
    kashida = carriers * policy.kashida_most
    return (spaces * policy.space_comfort + kashida,
            spaces * policy.space_most + kashida)


def badness(slack: float, comfortable: float, most: float,
            emergency: float | None = None) -> float:
    """TeX's badness: 100 × (stretch ratio)³; past the glue's limit very bad
    (up to ``emergency``, where a paragraph has nothing better), past that
    infeasible."""
    if slack < -1e-6:
        return INFEASIBLE * 10  # overfull: never chosen while anything fits
    if slack > most + 1e-6:
        if emergency is not None and slack <= emergency + 1e-6:
            return INFEASIBLE / 2 + slack
        return INFEASIBLE + slack
    if slack <= 1e-9:
        return 0.0
    if comfortable <= 0:
        return INFEASIBLE
    return min(INFEASIBLE, 100 * (slack / comfortable) ** 3)


def compose(words: list[Word], breakable: list[bool], width: float,
            policy: Policy) -> list[int] | None:
    """The spaces to break a paragraph at (indices into ``breakable``, the
    space after word ``i``) so that its lines together are least bad, the last
    line set at its natural width; None when some word alone is wider than
    the measure (the paragraph is left to the layout engine)."""
    n = len(words)
    if n == 0 or any(w.width > width for w in words):
        return None
    # best[j]: the least total demerits of setting words[:j] as whole lines,
    # the last of them ending at word j - 1 (j == 0: nothing set)
    best = [0.0] + [float("inf")] * n
    origin = [-1] * (n + 1)
    for start in range(n):
        if best[start] == float("inf") or (start and not breakable[start - 1]):
            continue
        natural = -policy.space
        for end in range(start, n):  # the line holds words[start:end + 1]
            natural += policy.space + words[end].width
            if natural > width + 1e-9 and end > start:
                break
            last = end == n - 1
            if not last and not breakable[end]:
                continue
            if last:
                cost = 0.0 if natural <= width + 1e-9 else INFEASIBLE * 10
            else:
                comfortable, most = line_glue(words[start:end + 1], end - start, policy)
                emergency = most + (end - start) * max(
                    0.0, policy.space_emergency - policy.space_most)
                cost = badness(width - natural, comfortable, most, emergency)
            demerits = (10 + cost) ** 2
            if best[start] + demerits < best[end + 1]:
                best[end + 1] = best[start] + demerits
                origin[end + 1] = start
    if best[n] == float("inf"):
        return None
    breaks, j = [], n
    while j > 0:
        start = origin[j]
        if start > 0:
            breaks.append(start - 1)
        j = start
    return sorted(breaks)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word of a line that may carry a kashida."""

    word: int
    """Its place among the line's words (neighbours differ by one)."""
    priority: int
    """Its best join's rank (1 best: after seen or sad)."""
    x: float
    """Where its join stands across the page, in ems from any fixed origin."""


def place_kashidas(slack: float, spaces: int, candidates: list[Candidate],
                   policy: Policy, above: tuple[float, ...] = (), taken: int = 0,
                   least: float = 0.25, quantum: float = 0.02,
                   apart: float = 1.0) -> tuple[list[tuple[Candidate, float]], float]:
    """How a line's ``slack`` (ems) is shared: the spaces widen first, to their
    comfortable width; what is left goes to as few kashidas as can take it
    (each at least ``least``, at most ``policy.kashida_most``), in the best
    joins, never in two neighbouring words, never within ``apart`` ems of one
    in the line above (``above``: their places); ``taken`` kashidas are on
    the line already. Returns the elongations and the slack left to spaces."""
    room = policy.kashidas - taken
    left = slack - spaces * policy.space_comfort
    if room <= 0 or left < least or not candidates:
        return [], slack
    wanted = min(room, int(-(-left // policy.kashida_most)))  # ceil
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.priority, c.word)):
        if len(chosen) == wanted:
            break
        if any(abs(candidate.word - c.word) <= 1 for c in chosen):
            continue
        if any(abs(candidate.x - x) < apart for x in above):
            continue
        chosen.append(candidate)
    if not chosen:
        return [], slack
    each, _ = share_slack(left, len(chosen), quantum, policy.kashida_most)
    if each < least:
        return [], slack
    return [(c, each) for c in chosen], slack - each * len(chosen)
