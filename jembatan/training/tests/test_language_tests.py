"""The language tests' pass rules, at their boundaries and as properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jembatan.training.language_tests import (
    JLPT_RULES,
    ScoreOutOfRange,
    age_on,
    eps_topik_verdict,
    jft_basic_verdict,
    jlpt_verdict,
    meets_jlpt_level,
)

PASS_MARKS = {"N1": 100, "N2": 90, "N3": 95, "N4": 90, "N5": 80}


def test_the_reference_data_has_the_published_pass_marks_and_scales() -> None:
    assert {level: rule.pass_mark for level, rule in JLPT_RULES.items()} == PASS_MARKS
    assert {level: rule.maximum for level, rule in JLPT_RULES.items()} == dict.fromkeys(
        PASS_MARKS, 180
    )
    assert [s.minimum for s in JLPT_RULES["N3"].sections] == [19, 19, 19]
    assert [(s.maximum, s.minimum) for s in JLPT_RULES["N4"].sections] == [(120, 38), (60, 19)]


@pytest.mark.parametrize(
    ("level", "scores", "passed"),
    [
        ("N1", (34, 33, 33), True),  # exactly 100
        ("N1", (34, 33, 32), False),  # 99
        ("N3", (19, 38, 38), True),  # 95, a section exactly at 19
        ("N3", (18, 60, 60), False),  # 138 but a section below 19
        ("N2", (30, 30, 30), True),  # exactly 90
        ("N4", (38, 52), True),  # exactly 90, 38 exactly
        ("N4", (37, 60), False),  # 97 but language knowledge + reading below 38
        ("N4", (71, 18), False),  # 89 and listening below 19
        ("N5", (61, 19), True),  # exactly 80, listening exactly 19
        ("N5", (60, 19), False),  # 79
    ],
)
def test_jlpt_boundaries(level: str, scores: tuple[int, ...], passed: bool) -> None:
    assert jlpt_verdict(level, scores).passed is passed


def test_a_failed_jlpt_says_every_reason() -> None:
    verdict = jlpt_verdict("N3", (18, 30, 30))
    assert verdict.reasons == (
        "Language knowledge (vocabulary, grammar): 18 is below the section minimum of 19.",
        "Total 78 of 180 is below the N3 pass mark of 95.",
    )


def test_a_passed_jlpt_says_why() -> None:
    assert jlpt_verdict("N4", (60, 40)).explanation == (
        "Total 100 of 180 reaches the N4 pass mark of 90 and every section reaches its minimum."
    )


@pytest.mark.parametrize(
    ("level", "scores"),
    [("N4", (121, 10)), ("N3", (61, 10, 10)), ("N4", (50, 20, 20)), ("N3", (50, 20)), ("N6", (1,))],
)
def test_impossible_jlpt_scores_are_refused_not_failed(level: str, scores: tuple[int, ...]) -> None:
    with pytest.raises(ScoreOutOfRange):
        jlpt_verdict(level, scores)


def _jlpt_sheet(level: str) -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(*(st.integers(0, s.maximum) for s in JLPT_RULES[level].sections))


@given(
    st.sampled_from(sorted(JLPT_RULES)).flatmap(lambda lv: st.tuples(st.just(lv), _jlpt_sheet(lv)))
)
def test_jlpt_passes_exactly_when_total_and_every_section_reach_their_marks(
    case: tuple[str, tuple[int, ...]],
) -> None:
    level, scores = case
    rule = JLPT_RULES[level]
    expected = sum(scores) >= rule.pass_mark and all(
        score >= s.minimum for s, score in zip(rule.sections, scores, strict=True)
    )
    verdict = jlpt_verdict(level, scores)
    assert verdict.passed is expected
    assert len(verdict.reasons) >= 1


@given(
    st.sampled_from(sorted(JLPT_RULES)).flatmap(lambda lv: st.tuples(st.just(lv), _jlpt_sheet(lv)))
)
def test_one_more_point_never_turns_a_jlpt_pass_into_a_fail(
    case: tuple[str, tuple[int, ...]],
) -> None:
    level, scores = case
    rule = JLPT_RULES[level]
    for i, section in enumerate(rule.sections):
        if scores[i] < section.maximum and jlpt_verdict(level, scores).passed:
            better = (*scores[:i], scores[i] + 1, *scores[i + 1 :])
            assert jlpt_verdict(level, better).passed


@pytest.mark.parametrize(("score", "passed"), [(10, False), (199, False), (200, True), (250, True)])
def test_jft_basic_a2_starts_at_200(score: int, passed: bool) -> None:
    assert jft_basic_verdict(score).passed is passed


@given(st.integers(10, 250))
def test_jft_basic_passes_exactly_from_200(score: int) -> None:
    assert jft_basic_verdict(score).passed is (score >= 200)


@pytest.mark.parametrize("score", [9, 251, -1, 0])
def test_jft_basic_refuses_scores_off_its_scale(score: int) -> None:
    with pytest.raises(ScoreOutOfRange):
        jft_basic_verdict(score)


@given(st.integers(0, 200), st.integers(0, 200), st.integers(10, 70))
def test_eps_topik_passes_exactly_at_the_pass_mark_within_the_age_limits(
    score: int, mark: int, age: int
) -> None:
    verdict = eps_topik_verdict(score, pass_mark=mark, age=age)
    assert verdict.passed is (score >= mark and 18 <= age <= 39)


@pytest.mark.parametrize(
    ("score", "age", "passed"),
    [(80, 18, True), (80, 39, True), (79, 25, False), (200, 17, False), (200, 40, False)],
)
def test_eps_topik_boundaries_with_the_common_pass_mark_of_80(
    score: int, age: int, passed: bool
) -> None:
    assert eps_topik_verdict(score, age=age).passed is passed


def test_eps_topik_explains_both_failures() -> None:
    assert eps_topik_verdict(70, age=41).reasons == (
        "EPS-TOPIK candidates are 18 to 39 years old; the candidate was 41.",
        "70 of 200 is below the pass mark of 80.",
    )


@pytest.mark.parametrize("score", [-1, 201])
def test_eps_topik_refuses_scores_off_its_scale(score: int) -> None:
    with pytest.raises(ScoreOutOfRange):
        eps_topik_verdict(score)


def test_a_harder_jlpt_level_meets_an_easier_requirement() -> None:
    assert meets_jlpt_level("N3", "N4")
    assert meets_jlpt_level("N4", "N4")
    assert not meets_jlpt_level("N5", "N4")


def test_age_counts_whole_years_up_to_the_day_before_the_birthday() -> None:
    import datetime as dt

    assert age_on(dt.date(2000, 5, 10), dt.date(2018, 5, 9)) == 17
    assert age_on(dt.date(2000, 5, 10), dt.date(2018, 5, 10)) == 18
