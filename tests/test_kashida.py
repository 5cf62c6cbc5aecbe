"""Where a word may be elongated (pipeline/kashida.py)."""

from __future__ import annotations

from pipeline.kashida import best_join, joins_backward, joins_forward, share_slack, word_joins


def clusters(word: str) -> list[str]:
    """One cluster a letter, its marks with it (what a shaper keeps together)."""
    out: list[str] = []
    for ch in word:
        if out and "\u064b" <= ch <= "\u065f":
            out[-1] += ch
        else:
            out.append(ch)
    return out


def test_joining_types():
    assert joins_forward("س") and joins_backward("س")
    assert not joins_forward("ا") and joins_backward("ا")  # alef joins only the letter before
    assert not joins_forward("ء") and not joins_backward("ء")
    assert not joins_forward("A") and not joins_backward("A")


def test_after_seen_is_preferred():
    join = best_join(clusters("الإسرائيلي"))
    assert join.priority == 1 and clusters("الإسرائيلي")[join.before] == "س"


def test_before_the_last_letter_next():
    join = best_join(clusters("محمد"))
    assert join.priority == 2 and join.before == 2  # between م and the final د


def test_never_across_a_non_joining_letter_nor_inside_lam_alef():
    assert word_joins(clusters("ورد")) == []  # و and ر join nothing after them
    assert all(not (clusters("السلام")[j.before] == "ل" and clusters("السلام")[j.before + 1] == "ا")
               for j in word_joins(clusters("السلام")))
    assert best_join(clusters("لا")) is None


def test_marks_stay_with_their_letter():
    word = clusters("مَرْيَمَ")
    assert all(j.before + 1 < len(word) for j in word_joins(word))
    assert best_join(word).priority == 2


def test_latin_has_no_joins():
    assert word_joins(list("Node.js")) == []


def test_share_slack():
    assert share_slack(10.0, 4, 0.5, 2.0) == (2.0, 2.0)  # capped at 2.0 each
    assert share_slack(3.0, 4, 0.5, 2.0) == (0.5, 1.0)   # multiples of the quantum
    assert share_slack(3.0, 0, 0.5, 2.0) == (0.0, 3.0)
