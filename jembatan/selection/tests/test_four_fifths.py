"""The fairness report: rates per group and the four-fifths rule (pure Python)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jembatan.selection.four_fifths import (
    AGE_BANDS,
    DIMENSIONS,
    FairnessReport,
    Person,
    age_band,
    fairness_report,
)


def people(group: str, total: int, selected: int, *, dimension: str = "sex") -> list[Person]:
    """``total`` people of one group in ``dimension``, the first ``selected`` of them chosen."""
    base = {"sex": "F", "province": "Jawa Tengah", "age_band": "25–29"}
    base[dimension] = group
    return [Person(**base, selected=i < selected) for i in range(total)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "<18"),
        (18, "18–24"),
        (24, "18–24"),
        (25, "25–29"),
        (29, "25–29"),
        (30, "30–34"),
        (34, "30–34"),
        (35, "35–39"),
        (39, "35–39"),
        (40, "40+"),
        (61, "40+"),
    ],
)
def test_age_band_puts_an_age_in_its_five_year_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_a_group_below_four_fifths_of_the_best_rate_is_flagged() -> None:
    # Given women selected 8 of 10 and men 6 of 10 (ratio 0.75)
    report = fairness_report(people("F", 10, 8) + people("M", 10, 6))
    # Then men are flagged with the exact rates and ratio
    men = next(g for g in report.dimension("sex") if g.group == "M")
    assert (men.total, men.selected, men.rate, men.impact_ratio) == (10, 6, 0.6, 0.75)
    assert men.flagged is True
    assert [(g.dimension, g.group) for g in report.flagged] == [("sex", "M")]
    assert (report.total, report.selected, report.rate) == (20, 14, 0.7)


def test_a_ratio_of_exactly_four_fifths_is_not_flagged() -> None:
    report = fairness_report(people("F", 10, 5) + people("M", 10, 4))
    men = next(g for g in report.dimension("sex") if g.group == "M")
    assert men.impact_ratio == 0.8
    assert men.flagged is False
    assert report.flagged == []


def test_a_small_group_is_shown_but_never_flagged_and_never_sets_the_reference() -> None:
    # Given a province of 2 people both selected, and two large provinces at 50% and 45%
    report = fairness_report(
        people("Bali", 2, 2, dimension="province")
        + people("Jawa Barat", 10, 5, dimension="province")
        + people("Jawa Timur", 20, 9, dimension="province")
    )
    rows = {g.group: g for g in report.dimension("province")}
    # Then Bali is marked small with a ratio above 1, and the reference is Jawa Barat's 50%
    assert rows["Bali"].small is True
    assert rows["Bali"].flagged is False
    assert rows["Bali"].impact_ratio == 2.0
    assert rows["Jawa Barat"].impact_ratio == 1.0
    assert rows["Jawa Timur"].impact_ratio == 0.9
    assert report.flagged == []


def test_a_small_group_far_below_the_others_is_not_flagged() -> None:
    report = fairness_report(people("F", 4, 0) + people("M", 10, 10))
    women = next(g for g in report.dimension("sex") if g.group == "F")
    assert (women.small, women.impact_ratio, women.flagged) == (True, 0.0, False)


def test_when_every_group_is_small_the_best_of_them_is_the_reference() -> None:
    report = fairness_report(people("F", 2, 2) + people("M", 3, 1), min_group=5)
    ratios = {g.group: g.impact_ratio for g in report.dimension("sex")}
    assert ratios == {"F": 1.0, "M": float(Fraction(1, 3))}
    assert report.flagged == []


def test_when_nobody_is_selected_no_group_is_judged() -> None:
    report = fairness_report(people("F", 10, 0) + people("M", 10, 0))
    assert [g.impact_ratio for g in report.dimension("sex")] == [None, None]
    assert [g.verdict for g in report.dimension("sex")] == ["no_selection", "no_selection"]
    assert report.flagged == []
    assert report.rate == 0.0


def test_a_large_group_with_nobody_selected_is_flagged_even_beside_only_small_groups() -> None:
    # The reported case: 0 of 7 selected was marked within the rule, because the
    # only large group (itself) set a reference of 0
    report = fairness_report(people("M", 7, 0) + people("F", 3, 2))
    men = next(g for g in report.dimension("sex") if g.group == "M")
    assert (men.impact_ratio, men.flagged, men.verdict) == (0.0, True, "flagged")


def test_a_large_group_with_nobody_selected_is_flagged_beside_a_large_selected_group() -> None:
    report = fairness_report(people("M", 7, 0) + people("F", 7, 1))
    men = next(g for g in report.dimension("sex") if g.group == "M")
    assert (men.impact_ratio, men.flagged) == (0.0, True)


def test_the_reference_is_the_best_large_group_not_the_largest() -> None:
    report = fairness_report(people("M", 40, 10) + people("F", 10, 5))
    rows = {g.group: g for g in report.dimension("sex")}
    assert rows["F"].impact_ratio == 1.0
    assert rows["M"].impact_ratio == 0.5
    assert rows["M"].flagged is True


def test_an_empty_report_counts_nobody() -> None:
    report = fairness_report([])
    assert (report.total, report.selected, report.rate, report.groups) == (0, 0, 0.0, [])


def test_age_bands_are_listed_in_age_order_and_unknown_provinces_last() -> None:
    crowd = (
        people("40+", 1, 0, dimension="age_band")
        + people("18–24", 1, 0, dimension="age_band")
        + people("30–34", 1, 0, dimension="age_band")
        + people("", 1, 0, dimension="province")
        + people("Aceh", 1, 0, dimension="province")
    )
    report = fairness_report(crowd)
    assert [g.group for g in report.dimension("age_band")] == ["18–24", "25–29", "30–34", "40+"]
    assert [g.group for g in report.dimension("province")] == ["Aceh", "Jawa Tengah", ""]


def test_a_report_survives_a_round_trip_through_plain_data() -> None:
    report = fairness_report(people("F", 10, 8) + people("M", 3, 1), min_group=3)
    assert FairnessReport.from_dict(report.to_dict()) == report
    assert report.to_dict()["min_group"] == 3


crowds = st.lists(
    st.builds(
        Person,
        sex=st.sampled_from(["F", "M"]),
        province=st.sampled_from(["Aceh", "Bali", "Jawa Tengah", ""]),
        age_band=st.sampled_from(AGE_BANDS),
        selected=st.booleans(),
    ),
    max_size=60,
)


@given(crowds, st.integers(min_value=1, max_value=8))
def test_every_rate_and_count_is_consistent(crowd: list[Person], min_group: int) -> None:
    report = fairness_report(crowd, min_group=min_group)
    assert report.total == len(crowd)
    assert report.selected == sum(p.selected for p in crowd)
    assert 0.0 <= report.rate <= 1.0
    for name in DIMENSIONS:
        groups = report.dimension(name)
        assert sum(g.total for g in groups) == len(crowd)
        assert sum(g.selected for g in groups) == report.selected
        for g in groups:
            assert 0.0 <= g.rate <= 1.0
            assert g.rate == g.selected / g.total
            assert g.small == (g.total < min_group)


@given(crowds, st.integers(min_value=1, max_value=8))
def test_the_reference_group_has_ratio_one_and_flags_follow_the_rule(
    crowd: list[Person], min_group: int
) -> None:
    report = fairness_report(crowd, min_group=min_group)
    for name in DIMENSIONS:
        groups = report.dimension(name)
        if not groups:
            continue
        if not any(g.selected for g in groups):
            # Nobody selected: no reference, nobody judged
            assert all(g.impact_ratio is None and not g.flagged for g in groups)
            continue
        large = [g for g in groups if not g.small and g.selected]
        pool = large or groups
        best = max(pool, key=lambda g: g.rate)
        assert best.impact_ratio == 1.0
        for g in groups:
            assert g.impact_ratio is not None
            assert g.flagged == (g.impact_ratio < 0.8 and not g.small)
            if not g.small:
                assert 0.0 <= g.impact_ratio <= 1.0
            if not g.small and g.selected == 0:
                # A large group with nobody selected, while others were: always flagged
                assert g.flagged and g.verdict == "flagged"
            if g.small:
                assert g.verdict == "small"
    assert report.flagged == [g for g in report.groups if g.flagged]


@given(crowds, st.integers(min_value=1, max_value=8))
def test_renaming_groups_does_not_change_any_verdict(crowd: list[Person], min_group: int) -> None:
    rename = {"Aceh": "Zz", "Bali": "Aa", "Jawa Tengah": "Mm", "": ""}
    renamed = [
        Person(sex=p.sex, province=rename[p.province], age_band=p.age_band, selected=p.selected)
        for p in crowd
    ]
    before = {
        (g.total, g.selected, g.verdict, g.impact_ratio)
        for g in fairness_report(crowd, min_group=min_group).dimension("province")
    }
    after = {
        (g.total, g.selected, g.verdict, g.impact_ratio)
        for g in fairness_report(renamed, min_group=min_group).dimension("province")
    }
    assert before == after


@given(crowds)
def test_the_report_does_not_depend_on_the_order_of_people(crowd: list[Person]) -> None:
    assert fairness_report(crowd) == fairness_report(list(reversed(crowd)))
    assert FairnessReport.from_dict(fairness_report(crowd).to_dict()) == fairness_report(crowd)
