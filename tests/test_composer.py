"""The paragraph composer (pipeline/composer.py) on made-up lines: widths in
ems, no font, no layout engine."""

from __future__ import annotations

import pytest

from pipeline.composer import (
    INFEASIBLE, Candidate, Word, badness, compose, emergency_glue, kashida_policy, line_glue,
    place_kashidas, spaces_policy,
)

SPACES = spaces_policy(0.25)
KASHIDA = kashida_policy(0.25)


def _lines(words, breaks):
    lines, start = [], 0
    for b in [*breaks, len(words) - 1]:
        lines.append(words[start:b + 1])
        start = b + 1
    return lines


def _first_fit(words, width, space):
    breaks, used = [], -space
    for i, w in enumerate(words):
        if used + space + w.width > width and i:
            breaks.append(i - 1)
            used = w.width
        else:
            used += space + w.width
    return breaks


def _worst_space(words, breaks, width, space):
    worst = 0.0
    for line in _lines(words, breaks)[:-1]:
        natural = sum(w.width for w in line) + space * (len(line) - 1)
        worst = max(worst, space + (width - natural) / (len(line) - 1))
    return worst


def _demerits(words, breaks, width, policy):
    total = 0.0
    lines = _lines(words, breaks)
    for line in lines[:-1]:
        natural = sum(w.width for w in line) + policy.space * (len(line) - 1)
        comfortable, most = line_glue(line, len(line) - 1, policy)
        emergency = emergency_glue(line, len(line) - 1, policy)
        total += (10 + badness(width - natural, comfortable, most, emergency)) ** 2
    return total + 100


def test_the_whole_paragraph_is_weighed_not_one_line_at_a_time():
    """On 300 made-up paragraphs the composer's breaks are never worse than
    first fit's (one line at a time, as WeasyPrint breaks), and often better."""
    import random
    rng = random.Random(7)
    better = 0
    for _ in range(300):
        words = [Word(rng.uniform(0.8, 4.5), rng.random() < 0.6)
                 for _ in range(rng.randint(15, 60))]
        for policy in (SPACES, KASHIDA):
            greedy = _first_fit(words, 20.0, policy.space)
            composed = compose(words, [True] * len(words), 20.0, policy)
            ours, theirs = (_demerits(words, composed, 20.0, policy),
                            _demerits(words, greedy, 20.0, policy))
            assert ours <= theirs + 1e-6
            better += ours < theirs - 1e-6
    assert better > 150
    # and the widest space of the paragraph shrinks with it
    words = [Word(w) for w in (3, 2.4, 3, 3.4, 1, 3, 2.2, 3, 3, 2, 1.6, 3, 2.5)]
    greedy = _first_fit(words, 14.0, SPACES.space)
    composed = compose(words, [True] * len(words), 14.0, SPACES)
    assert _worst_space(words, composed, 14.0, SPACES.space) \
        < _worst_space(words, greedy, 14.0, SPACES.space)


def test_lines_never_exceed_the_measure_and_break_only_where_allowed():
    words = [Word(1.0 + (i * 7 % 5) / 2) for i in range(60)]
    breakable = [i % 4 != 2 for i in range(60)]
    breaks = compose(words, breakable, 12.0, SPACES)
    assert breaks and all(breakable[b] for b in breaks)
    for line in _lines(words, breaks):
        assert sum(w.width for w in line) + SPACES.space * (len(line) - 1) <= 12.0 + 1e-9


def test_a_word_wider_than_the_measure_leaves_the_paragraph_to_the_layout():
    assert compose([Word(2), Word(30), Word(2)], [True] * 3, 20.0, SPACES) is None
    assert compose([], [], 20.0, SPACES) is None


def test_the_last_line_is_set_at_its_natural_width():
    words = [Word(4)] * 5
    assert compose(words, [True] * 5, 30.0, SPACES) == []  # one short line: no break


def test_kashidas_widen_what_a_line_can_take():
    """Three carriers at most, never two side by side; Latin (not
    stretchable) takes none."""
    words = [Word(2, True)] * 6
    comfortable, most = line_glue(words, 5, KASHIDA)
    assert most == pytest.approx(5 * KASHIDA.space_most + 3 * 0.5)
    _, most = line_glue([Word(2, True), Word(2, True), Word(2, False)], 2, KASHIDA)
    assert most == pytest.approx(2 * KASHIDA.space_most + 0.5)
    _, most = line_glue([Word(2)] * 4, 3, KASHIDA)
    assert most == pytest.approx(3 * KASHIDA.space_most)


def test_badness_grows_with_the_cube_and_past_the_limit_is_infeasible():
    assert badness(0, 1, 2) == 0
    assert badness(1, 1, 2) == pytest.approx(100)
    assert badness(0.5, 1, 2) == pytest.approx(12.5)
    assert badness(2.5, 1, 2) > INFEASIBLE
    assert badness(-0.1, 1, 2) > badness(2.5, 1, 2)


def _candidates(count, step=3.0):
    return [Candidate(i, 1 + i % 3, i * step) for i in range(count)]


def test_spaces_widen_first_then_as_few_kashidas_as_take_the_rest():
    comfort = KASHIDA.space_comfort * 8
    chosen, left = place_kashidas(comfort + 0.1, 8, _candidates(8), KASHIDA)
    assert chosen == [] and left == pytest.approx(comfort + 0.1)  # too little to be seen
    chosen, left = place_kashidas(comfort + 0.4, 8, _candidates(8), KASHIDA)
    assert len(chosen) == 1 and chosen[0][1] == pytest.approx(0.4)
    chosen, left = place_kashidas(comfort + 1.2, 8, _candidates(8), KASHIDA)
    assert len(chosen) == 3 and all(each <= 0.5 for _, each in chosen)
    chosen, left = place_kashidas(comfort + 5, 8, _candidates(8), KASHIDA)
    assert len(chosen) == 3 and all(each == pytest.approx(0.5) for _, each in chosen)
    assert left == pytest.approx(comfort + 5 - 1.5)


def test_kashidas_in_the_best_joins_never_side_by_side_nor_under_the_line_above():
    candidates = [Candidate(0, 1, 0.0), Candidate(1, 1, 3.0), Candidate(2, 2, 6.0),
                  Candidate(3, 3, 9.0), Candidate(4, 1, 12.0)]
    chosen, _ = place_kashidas(KASHIDA.space_comfort * 4 + 1.5, 4, candidates, KASHIDA)
    words = sorted(c.word for c, _ in chosen)
    assert all(b - a > 1 for a, b in zip(words, words[1:]))
    assert {c.priority for c, _ in chosen} <= {1, 2}
    chosen, _ = place_kashidas(KASHIDA.space_comfort * 4 + 1.5, 4, candidates, KASHIDA,
                               above=(0.2, 12.3))
    assert all(c.x not in (0.0, 12.0) for c, _ in chosen)


def test_a_line_that_has_its_three_takes_no_more():
    chosen, left = place_kashidas(3.0, 4, _candidates(8), KASHIDA, taken=3)
    assert chosen == [] and left == 3.0
    chosen, _ = place_kashidas(3.0, 4, _candidates(8), KASHIDA, taken=2)
    assert len(chosen) == 1


def test_a_line_past_its_glue_is_very_bad_and_past_the_emergency_infeasible():
    """Between the policy's most and its emergency width a line is taken only
    when nothing better breaks the paragraph; past it, it is set ragged."""
    words = [Word(2.0, True)] * 8
    comfortable, most = line_glue(words, 7, KASHIDA)
    emergency = emergency_glue(words, 7, KASHIDA)
    assert comfortable < most < emergency
    assert badness(most + 0.01, comfortable, most, emergency) < INFEASIBLE
    assert badness(most + 0.01, comfortable, most, emergency) > badness(most, comfortable, most)
    assert badness(emergency + 0.01, comfortable, most, emergency) > INFEASIBLE


def test_the_definite_article_is_not_stretched_from_its_noun():
    from pipeline.kashida import word_joins
    for word, article in (("الصلاة", 1), ("والشهوات", 2), ("بالكتاب", 2)):
        assert article not in [j.before for j in word_joins(list(word))], word


def test_the_composer_is_a_room_of_its_own():
    """Pure functions over ems: it imports neither WeasyPrint nor the compat
    layer nor any writer (they call it)."""
    import ast
    import pipeline.composer as composer
    from pathlib import Path
    tree = ast.parse(Path(composer.__file__).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert imported <= {"__future__", "dataclasses", "kashida"}, imported
