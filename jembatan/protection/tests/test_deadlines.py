"""The deadlines table: a row for every category and severity, tighter as severity rises."""

from __future__ import annotations

import itertools

from jembatan.protection.deadlines import deadline_for, deadlines, meta, table_version
from jembatan.protection.models import STARTS_HIGH, CaseCategory, Severity

ORDER = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


def test_every_category_has_a_row_for_every_severity_and_nothing_else() -> None:
    assert set(deadlines()) == {(str(c), str(s)) for c in CaseCategory for s in Severity}
    assert meta()["counts"]["row"] == len(deadlines())


def test_a_more_severe_case_never_gets_more_time() -> None:
    for category in CaseCategory:
        rows = [deadline_for(category, s) for s in ORDER]
        for looser, tighter in itertools.pairwise(rows):
            assert tighter.first_response_hours <= looser.first_response_hours, category
            assert tighter.resolution_days <= looser.resolution_days, category
            assert tighter.escalated_days <= looser.escalated_days, category


def test_the_categories_that_start_high_answer_within_a_day_at_high() -> None:
    for category in STARTS_HIGH:
        assert deadline_for(category, Severity.HIGH).first_response_hours <= 24


def test_the_table_says_it_is_the_programmes_policy_with_its_version() -> None:
    assert table_version() == "2026-12"
    assert "policy" in meta()["source"] and "UU 18/2017" in meta()["source"]
